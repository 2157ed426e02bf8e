// setThreads: products split across worker threads are bitwise equal to the one-thread products
// (both kernel backends; odd sizes, views, batches, broadcasting), the argument is validated, worker
// failures surface as errors on the main thread, and environments without worker_threads refuse.
import { availableParallelism } from "node:os";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { kernelBackend, setKernelBackend, wasmRelaxedSimdAvailable, wasmSimdAvailable, type KernelBackend } from "./index";
import { failWorkerForTesting, failWorkerStartForTesting, parallelProductsForTesting, PARALLEL_MIN_WORK, setThreads, threads } from "./threads";
import { setThreads as publicSetThreads, threads as publicThreads } from "../kernels";
import { matmul } from "../matmul";
import { Tensor } from "../tensor";
import { slice, transpose } from "../views";
import { lcgValues } from "../../test/helpers/seeded";

const values = lcgValues;

function random(shape: number[], seed: number): Tensor {
  return new Tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** The product with one thread and with `n` threads; asserts the threads really ran. */
function bothWays(n: number, a: Tensor, b: Tensor): { one: Float64Array; many: Float64Array } {
  setThreads(1);
  const one = matmul(a, b).data as Float64Array;
  setThreads(n);
  const before = parallelProductsForTesting();
  const many = matmul(a, b).data as Float64Array;
  expect(parallelProductsForTesting(), "the product was split across threads").toBe(before + 1);
  return { one, many };
}

// Relaxed SIMD where the engine runs it (Node 20: the package's test script reruns src/kernels with
// --experimental-wasm-relaxed-simd): its fused multiply-adds make the WASM-vs-TypeScript fallback
// of the gemm visible, so there every block must take the same path as the whole product.
const backends: KernelBackend[] = [
  ...(wasmRelaxedSimdAvailable() ? (["wasm-relaxed-simd"] as const) : []),
  ...(wasmSimdAvailable() ? (["wasm-simd"] as const) : []),
  "js",
];
const initialBackend = kernelBackend();

afterEach(() => {
  setThreads(1);
});
afterAll(() => {
  setKernelBackend(initialBackend);
});

describe.each(backends)("setThreads with the %s kernels: bitwise equal to one thread", (backend) => {
  it.each([
    // [a shape, b shape, threads, seed]
    [[97, 131], [131, 173], 2, 1], // odd sizes: row blocks end off the 4-row tiles, edge columns
    [[257, 65], [65, 129], 3, 2], // three threads on two cores: 6 jobs of 40–44 rows (41 in the last)
    [[351, 300], [300, 21], 2, 3], // narrow C
    [[3, 90, 110], [110, 81], 2, 4], // batch of 3 < 3 jobs per thread: every matrix split by rows
    [[9, 60, 50], [9, 50, 90], 2, 5], // batch of 9: whole matrices as jobs
    [[2, 1, 64, 100], [3, 100, 70], 4, 6], // broadcast batch axes (B shared by strides 0)
  ] as const)("%j @ %j on %i threads", (sa, sb, n, seed) => {
    setKernelBackend(backend);
    const a = random([...sa], seed);
    const b = random([...sb], seed + 100);
    const { one, many } = bothWays(n, a, b);
    expect(many.length).toBe(one.length);
    expect(Buffer.from(many.buffer).equals(Buffer.from(one.buffer))).toBe(true);
  });

  it("transposed and sliced views (strides kept in shared memory)", () => {
    setKernelBackend(backend);
    const base = random([180, 150], 7);
    const a = transpose(base); // [150, 180], column-major
    const b = slice(random([200, 190], 8), [[0, 180], [3, 190, 2]]); // [180, 94], column stride 2
    const { one, many } = bothWays(2, a, b);
    expect(Buffer.from(many.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    // Six row blocks of a column-major A: too sparse for the WASM gemm to copy as blocks, so fewer.
    const tall = transpose(random([96, 400], 19)); // [400, 96]
    const r = bothWays(3, tall, random([96, 64], 20));
    expect(Buffer.from(r.many.buffer).equals(Buffer.from(r.one.buffer))).toBe(true);
  });

  it("small products stay on one thread", () => {
    setKernelBackend(backend);
    setThreads(2);
    const before = parallelProductsForTesting();
    const side = Math.floor(Math.cbrt(PARALLEL_MIN_WORK)) - 1;
    matmul(random([side, side], 9), random([side, side], 10));
    matmul(random([4000], 11), random([4000], 12)); // a dot product: one row, one column
    expect(parallelProductsForTesting()).toBe(before);
  });
});

describe("setThreads(n)", () => {
  it("returns the setting, which threads() reports; 0 and \"auto\" mean one per core; 1 turns workers off", () => {
    expect(threads()).toBe(1);
    expect(setThreads(2)).toBe(2);
    expect(threads()).toBe(2);
    expect(publicThreads()).toBe(2);
    expect(setThreads("auto")).toBe(availableParallelism());
    expect(setThreads(0)).toBe(availableParallelism());
    expect(publicSetThreads(1)).toBe(1);
    expect(threads()).toBe(1);
  });

  it("rejects what is not an integer in [0, 256] or \"auto\"", () => {
    expect(() => setThreads(1.5)).toThrow(new RangeError('setThreads: n must be an integer in [0, 256] (0 or "auto": one per core), got 1.5'));
    expect(() => setThreads(-1)).toThrow(RangeError);
    expect(() => setThreads(257)).toThrow(/got 257$/);
    expect(() => setThreads(Number.NaN)).toThrow(/got NaN$/);
    expect(() => setThreads("four" as never)).toThrow(new TypeError('setThreads: n must be a number or "auto", got "four"'));
    expect(() => setThreads(null as never)).toThrow(/^setThreads: n must be a number or "auto", got object$/);
    expect(threads()).toBe(1);
  });

  it("an error thrown in a worker is thrown by matmul on the main thread, and the next product works", () => {
    const a = random([130, 130], 13);
    const b = random([130, 130], 14);
    setThreads(1);
    const expected = matmul(a, b).data;
    setThreads(2);
    failWorkerForTesting(0, "throw");
    expect(() => matmul(a, b)).toThrow(/^matmul: worker thread 1 failed: TypeError: unknown kernel backend "fail-for-testing"$/);
    expect(matmul(a, b).data).toEqual(expected);
  });

  it("a worker whose thread ends during a product: matmul throws (no hang) and the pool is started afresh", () => {
    const a = random([130, 130], 15);
    const b = random([130, 130], 16);
    setThreads(1);
    const expected = matmul(a, b).data;
    setThreads(2);
    matmul(a, b); // the pool is up
    failWorkerForTesting(0, "exit");
    expect(() => matmul(a, b)).toThrow(/^matmul: worker thread 1 exited during the product$/);
    expect(threads()).toBe(2);
    const before = parallelProductsForTesting();
    expect(matmul(a, b).data).toEqual(expected);
    expect(parallelProductsForTesting()).toBe(before + 1);
  });

  it("a worker that fails while starting: matmul throws instead of waiting for it forever", () => {
    const a = random([130, 130], 17);
    const b = random([130, 130], 18);
    failWorkerStartForTesting(true);
    try {
      setThreads(2);
      expect(() => matmul(a, b)).toThrow(/^matmul: worker thread 1 exited during the product$/);
    } finally {
      failWorkerStartForTesting(false);
    }
    setThreads(1);
    const expected = matmul(a, b).data;
    setThreads(2);
    expect(matmul(a, b).data).toEqual(expected);
  });

  it("without node:worker_threads (a browser): n > 1 throws a RangeError saying why, \"auto\" gives 1", () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      expect(() => setThreads(2)).toThrow(new RangeError(
        "setThreads: cannot use 2 threads: this environment has no node:worker_threads " +
          "(browsers cannot block their main thread on a worker, so matmul stays single-threaded there)",
      ));
      expect(setThreads("auto")).toBe(1);
      expect(setThreads(1)).toBe(1);
      expect(threads()).toBe(1);
    } finally {
      proc.getBuiltinModule = original;
    }
  });
});
