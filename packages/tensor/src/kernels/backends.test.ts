// Every kernel backend the engine runs (WebAssembly relaxed SIMD, WebAssembly SIMD, TypeScript) on
// the same cases: property tests against the slow references, and the paths against each other
// (WASM SIMD vs TypeScript bitwise where both use the same summation order — gemm, rowSum, the
// centred sum of squares, the row maximum, normalizeAffine and its backward — and to 1e-12
// relative for normalizeAffineBackwardSums, whose WASM version sums in four lanes while the
// TypeScript loop sums left to right; relaxed SIMD vs TypeScript to 1e-12 relative for gemm, whose
// multiply-adds are fused, and bitwise for the rest). Node 20 runs relaxed SIMD only when started
// with --experimental-wasm-relaxed-simd: the package's `test` script reruns this file so.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  jsKernels,
  kernelBackend,
  kernels,
  setKernelBackend,
  wasmRelaxedSimdAvailable,
  wasmSimdAvailable,
  withKernelBackend,
  type KernelBackend,
} from "../kernels";
import { wasmKernelsAll } from "./wasm/index";
import { matmul } from "../matmul";
import { tensor } from "../creation";
import { moments, sum, max } from "../reduce";
import { transpose } from "../views";
import { lcgValues } from "../../test/helpers/seeded";

const values = lcgValues;

function naive(m: number, n: number, k: number, alpha: number, a: Float64Array, ao: number, ar: number, ac: number, b: Float64Array, bo: number, br: number, bc: number, c0: Float64Array, co: number, ldc: number): Float64Array {
  const c = c0.slice();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * ar + p * ac]! * b[bo + p * br + j * bc]!;
      c[co + i * ldc + j] = c[co + i * ldc + j]! + alpha * s;
    }
  }
  return c;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= rtol * Math.max(scale, 1e-300))) {
      expect.fail(`entry ${i}: ${actual[i]} vs ${expected[i]} (|err| ${err} > ${rtol}·${scale})`);
    }
  }
}

const BACKENDS: KernelBackend[] = [
  ...(wasmRelaxedSimdAvailable() ? (["wasm-relaxed-simd"] as const) : []),
  ...(wasmSimdAvailable() ? (["wasm-simd"] as const) : []),
  "js",
];

/** Every kernel of a backend (the WASM set includes those not installed by default because the copies make them slower). */
function every(b: KernelBackend): typeof jsKernels {
  const all = b === "js" ? null : wasmKernelsAll(b === "wasm-simd" ? "simd" : "relaxed-simd");
  return all === null ? jsKernels : { ...jsKernels, ...all };
}

const withBackend = withKernelBackend;

afterAll(() => {
  setKernelBackend("auto");
});

describe("kernel backends", () => {
  it("uses the fastest WebAssembly build by default (HW_KERNELS unset), and setKernelBackend switches", () => {
    const env = process.env.HW_KERNELS;
    const fastest = wasmRelaxedSimdAvailable() ? "wasm-relaxed-simd" : "wasm-simd";
    expect(kernelBackend()).toBe(env === undefined || env === "" || env === "auto" ? fastest : env);
    expect(setKernelBackend("js")).toBe("js");
    expect(kernels.gemm).toBe(jsKernels.gemm);
    expect(setKernelBackend("wasm-simd")).toBe("wasm-simd");
    expect(kernels.gemm).not.toBe(jsKernels.gemm);
    expect(kernels.luFactor).not.toBe(jsKernels.luFactor); // the whole LU runs in wasm memory (linalg)
    expect(kernels.trsmLower).toBe(jsKernels.trsmLower);
    setKernelBackend("auto");
    expect(() => setKernelBackend("gpu" as KernelBackend)).toThrow(/^setKernelBackend: unknown backend "gpu"/);
    if (!wasmRelaxedSimdAvailable()) {
      expect(() => setKernelBackend("wasm-relaxed-simd")).toThrow(/^setKernelBackend: "wasm-relaxed-simd" is not available on this engine .*--experimental-wasm-relaxed-simd/);
      expect(kernelBackend()).toBe("js");
      setKernelBackend("auto");
    }
  });

  it.runIf(wasmRelaxedSimdAvailable())("wasm-relaxed-simd fuses the gemm multiply-add (one rounding), within 1e-12 of the TypeScript gemm", () => {
    // Row 0 of A is (u, u, 0, …) and column 0 of B is (v, −v, 0, …) with u = 1 + 2⁻³⁰, v = 1 − 2⁻³⁰:
    // u·v = 1 − 2⁻⁶⁰ rounds to 1, so unfused the sum is 1 − 1 = 0; fused, the second step computes
    // fma(u, −v, 1) = 2⁻⁶⁰ exactly. (Large enough for the WASM path: 32·32·40 > 32³.)
    const [m, n, k] = [32, 32, 40];
    const a = values(m * k, 7);
    const b = values(k * n, 8);
    const u = 1 + 2 ** -30;
    const v = 1 - 2 ** -30;
    for (let p = 0; p < k; p++) {
      a[p] = p < 2 ? u : 0;
      b[p * n] = p === 0 ? v : p === 1 ? -v : 0;
    }
    const fused = withBackend("wasm-relaxed-simd", () => matmul(tensor(a, [m, k]), tensor(b, [k, n])).data);
    const plain = withBackend("js", () => matmul(tensor(a, [m, k]), tensor(b, [k, n])).data);
    expect(plain[0]).toBe(0);
    expect(fused[0]).toBe(2 ** -60);
    expectClose(fused, plain, 1e-12);
  });

  for (const backend of BACKENDS) {
    describe(backend, () => {
      it("gemm equals the slow triple loop to 1e-12 relative (random shapes, strides, offsets, alpha)", () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 80 }),
            fc.integer({ min: 1, max: 80 }),
            fc.integer({ min: 1, max: 300 }),
            fc.boolean(),
            fc.boolean(),
            fc.integer({ min: 0, max: 5 }),
            fc.double({ min: -2, max: 2, noNaN: true }),
            fc.integer({ min: 1, max: 1e6 }),
            (m, n, k, ta, tb, off, alpha, seed) => {
              const a = values(off + m * k, seed);
              const b = values(off + k * n, seed + 1);
              const [ar, ac] = ta ? [1, m] : [k, 1];
              const [br, bc] = tb ? [1, k] : [n, 1];
              const ldc = n + 3;
              const c = values(2 + m * ldc, seed + 2);
              const expected = naive(m, n, k, alpha, a, off, ar, ac, b, off, br, bc, c, 2, ldc);
              withBackend(backend, () => {
                kernels.gemm(m, n, k, alpha, a, off, ar, ac, b, off, br, bc, c, 2, ldc);
              });
              expectClose(c, expected, 1e-12);
            },
          ),
          { numRuns: 60, seed: 15 },
        );
      });

      it("matmul of 256×256 (and a transposed view) matches the triple loop", () => {
        const n = 256;
        const a = values(n * n, 1);
        const b = values(n * n, 2);
        const expected = naive(n, n, n, 1, a, 0, 1, n, b, 0, n, 1, new Float64Array(n * n), 0, n);
        const got = withBackend(backend, () => matmul(transpose(tensor(a, [n, n])), tensor(b, [n, n])));
        expectClose(got.data, expected, 1e-12);
      });

      it("row reductions equal their definitions (lengths 0…100, NaN propagation in max)", () => {
        for (let n = 0; n <= 100; n += 7) {
          const x = values(n + 3, n + 11);
          let s = 0;
          for (let i = 0; i < n; i++) s += x[3 + i]!;
          let ssd = 0;
          for (let i = 0; i < n; i++) ssd += (x[3 + i]! - 0.25) ** 2;
          let mx = -Infinity;
          for (let i = 0; i < n; i++) mx = Math.max(mx, x[3 + i]!);
          const k = every(backend);
          expectClose([k.rowSum(n, x, 1, 3)], [s], 1e-13);
          expectClose([k.rowSumSquaredDeviations(n, x, 1, 3, 0.25)], [ssd], 1e-13);
          expect(k.rowMax(n, x, 1, 3)).toBe(mx);
          const sm = new Float64Array(4);
          k.rowShiftedMoments(n, x, 1, 3, sm, 1);
          if (n > 0) {
            expectClose([sm[1]!], [s / n], 1e-13);
            expect(Math.abs(sm[2]!)).toBeLessThan(1e-12 * n);
            let q = 0;
            for (let i = 0; i < n; i++) q += (x[3 + i]! - sm[1]!) ** 2;
            expectClose([sm[3]!], [q], 1e-13);
          }
        }
        const withNaN = values(40, 3);
        withNaN[17] = NaN;
        expect(every(backend).rowMax(40, withNaN, 1, 0)).toBeNaN();
        expect(every(backend).rowSum(40, withNaN, 1, 0)).toBeNaN();
      });

      it("moments over (0, 2) (one pass: per-row moments pooled) equal a plain two-pass loop, also for 1e8 + small noise", () => {
        for (const base of [0, 1e8]) {
          const [N, C, L] = [5, 3, 40];
          const data = values(N * C * L, 21).map((v) => base + v);
          const x = tensor(data, [N, C, L]);
          const got = withBackend(backend, () => moments(x, [0, 2], { correction: 1 }));
          for (let c = 0; c < C; c++) {
            let s = 0;
            for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) s += data[(n * C + c) * L + l]!;
            const m = s / (N * L);
            let ss = 0;
            for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) ss += (data[(n * C + c) * L + l]! - m) ** 2;
            expectClose([got.mean.data[c]!], [m], 1e-15);
            // The variance of U(-1, 1) is 1/3: all its digits survive the offset 1e8 (E[x²] − E[x]² would lose them all).
            expectClose([got.variance.data[c]!], [ss / (N * L - 1)], 1e-12);
            expect(got.variance.data[c]).toBeGreaterThan(0.2);
          }
        }
      });

      it("normalizeAffine and its backward equal the formulas", () => {
        const n = 37;
        const x = values(n + 1, 5);
        const dy = values(n + 2, 6);
        const out = new Float64Array(n + 4);
        const sums = new Float64Array(3);
        const dx = new Float64Array(n);
        const k = every(backend);
        k.normalizeAffine(n, x, 1, 1, 0.1, 1.7, -0.3, out, 1, 4);
        k.normalizeAffineBackwardSums(n, dy, 1, 2, x, 1, 1, 0.1, sums, 1);
        k.normalizeAffineBackward(n, dy, 1, 2, x, 1, 1, 0.1, 2, -0.5, 0.25, dx, 1, 0);
        let sdy = 0;
        let sdyx = 0;
        for (let i = 0; i < n; i++) {
          expect(out[4 + i]).toBeCloseTo((x[1 + i]! - 0.1) * 1.7 - 0.3, 14);
          expect(dx[i]).toBeCloseTo(2 * dy[2 + i]! - 0.5 * (x[1 + i]! - 0.1) + 0.25, 14);
          sdy += dy[2 + i]!;
          sdyx += dy[2 + i]! * (x[1 + i]! - 0.1);
        }
        expect(out.slice(0, 4)).toEqual(new Float64Array(4));
        expectClose([sums[1]!, sums[2]!], [sdy, sdyx], 1e-13);
      });

      // Sizes on both sides of the WASM thresholds (gram: n·d² > 32³; Cholesky: n ≥ 32).
      it("gram equals XᵀX (row- and column-major X), exactly symmetric; choleskyFactor gives L·Lᵀ = A and the failing pivot", () => {
        const k = every(backend);
        for (const [n, d] of [[9, 7], [300, 70], [130, 200]] as const) {
          const x = values(n * d + 3, n + d);
          for (const [sr, sc] of [[d, 1], [1, n]] as const) {
            const out = new Float64Array(d * d + 1).fill(5);
            k.gram(n, d, x, sr, sc, 3, out, 1);
            const ref = naive(d, d, n, 1, x, 3, sc, sr, x, 3, sr, sc, new Float64Array(d * d), 0, d);
            expect(out[0]).toBe(5);
            expectClose(out.subarray(1), ref, 1e-12);
            for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(out[1 + i * d + j]).toBe(out[1 + j * d + i]);
          }
        }
        for (const d of [9, 80]) {
          const a = new Float64Array(d * d);
          k.gram(3 * d, d, values(3 * d * d, d), d, 1, 0, a, 0);
          for (let i = 0; i < d; i++) a[i * d + i]! += 1;
          const l = new Float64Array(d * d + 2).fill(5);
          l.set(a, 2);
          expect(k.choleskyFactor(d, l, 2, d * Number.EPSILON)).toBe(-1);
          expect(l[0]).toBe(5);
          const lower = l.subarray(2);
          for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(lower[i * d + j]).toBe(0);
          const llt = naive(d, d, d, 1, lower, 0, d, 1, lower, 0, 1, d, new Float64Array(d * d), 0, d);
          expectClose(llt, a, 1e-12);
          // Rank deficient: column 41 (or 8) is the sum of columns 3 and 7 → that pivot, the last of the three, fails.
          const bad = d === 80 ? 41 : 8;
          const x = values(3 * d * d, d + 1);
          for (let p = 0; p < 3 * d; p++) x[p * d + bad] = x[p * d + 3]! + x[p * d + 7]!;
          const s = new Float64Array(d * d);
          k.gram(3 * d, d, x, d, 1, 0, s, 0);
          expect(k.choleskyFactor(d, s, 0, d * Number.EPSILON)).toBe(bad);
          const withNaN = Float64Array.from(a);
          withNaN[2 * d + 2] = Number.NaN;
          expect(k.choleskyFactor(d, withNaN, 0, 0)).toBe(2);
        }
      });

      // Row lengths below the WASM minimum (5), many rows per staged block (100: 81 a block, so 200
      // rows take three blocks), a few (1024: 8 a block) and one row per block (9000 > 8192).
      it("the block kernels (…Rows) equal their one-row kernels row by row, bitwise, leaving the rest of out untouched", () => {
        const k = every(backend);
        for (const [rows, n] of [[7, 5], [200, 100], [19, 1024], [3, 9000]] as const) {
          const len = rows * n;
          const [ox, od, oo] = [3, 5, 2];
          const x = values(ox + len, n + 1);
          const dy = values(od + len, n + 2);
          const params = values(1 + 4 * rows, n + 3).map((v, i) => (i % 4 === 2 ? 1 + v : v));
          const means = values(rows + 2, n + 4);
          const fresh = (): Float64Array => new Float64Array(oo + len + 3).fill(9);
          const [got, want] = [fresh(), fresh()];
          k.normalizeAffineRows(rows, n, x, ox, params, 1, got, oo);
          for (let i = 0; i < rows; i++) {
            k.normalizeAffine(n, x, 1, ox + i * n, params[1 + 3 * i]!, params[2 + 3 * i]!, params[3 + 3 * i]!, want, 1, oo + i * n);
          }
          expect(Array.from(got)).toEqual(Array.from(want));
          const [gotDx, wantDx] = [fresh(), fresh()];
          k.normalizeAffineBackwardRows(rows, n, dy, od, x, ox, params, 1, gotDx, oo);
          for (let i = 0; i < rows; i++) {
            const p = 1 + 4 * i;
            k.normalizeAffineBackward(n, dy, 1, od + i * n, x, 1, ox + i * n, params[p]!, params[p + 1]!, params[p + 2]!, params[p + 3]!, wantDx, 1, oo + i * n);
          }
          expect(Array.from(gotDx)).toEqual(Array.from(wantDx));
          const [gotSums, wantSums] = [new Float64Array(2 * rows + 3).fill(9), new Float64Array(2 * rows + 3).fill(9)];
          k.normalizeAffineBackwardSumsRows(rows, n, dy, od, x, ox, means, 2, gotSums, 1);
          for (let i = 0; i < rows; i++) k.normalizeAffineBackwardSums(n, dy, 1, od + i * n, x, 1, ox + i * n, means[2 + i]!, wantSums, 1 + 2 * i);
          expect(Array.from(gotSums)).toEqual(Array.from(wantSums));
          const [gotM, wantM] = [new Float64Array(3 * rows + 2).fill(9), new Float64Array(3 * rows + 2).fill(9)];
          k.rowShiftedMomentsRows(rows, n, x, ox, gotM, 2);
          for (let i = 0; i < rows; i++) k.rowShiftedMoments(n, x, 1, ox + i * n, wantM, 2 + 3 * i);
          expect(Array.from(gotM)).toEqual(Array.from(wantM));
          // And the rows are what the formulas say (the one-row kernels are tested above).
          const i = rows - 1;
          const at = (j: number): number => (x[ox + i * n + j]! - params[1 + 3 * i]!) * params[2 + 3 * i]! + params[3 + 3 * i]!;
          expect(got[oo + i * n + n - 1]).toBe(at(n - 1));
        }
      });
    });
  }

  it.runIf(BACKENDS.includes("wasm-relaxed-simd"))("relaxed SIMD agrees with TypeScript: gemm to 1e-12 relative, the reductions bitwise", () => {
    const x = tensor(values(8 * 16 * 100, 9), [8, 16, 100]);
    const a = tensor(values(170 * 290, 1), [170, 290]);
    const b = tensor(values(290 * 150, 2), [290, 150]);
    const run = () => {
      const m = moments(x, [0, 2]);
      return [matmul(a, b).data, sum(x, [2]).data, m.mean.data, m.variance.data, max(x, [2]).data] as const;
    };
    const r = withBackend("wasm-relaxed-simd", run);
    const j = withBackend("js", run);
    expectClose(r[0], j[0], 1e-12);
    for (let i = 1; i < r.length; i++) expect(Array.from(r[i]!)).toEqual(Array.from(j[i]!));
  });

  it.runIf(BACKENDS.includes("wasm-simd"))("the SIMD and TypeScript backends agree: gemm, sum, moments, max bitwise; normalizeAffineBackwardSums to 1e-12", () => {
    const x = tensor(values(8 * 16 * 100, 9), [8, 16, 100]);
    const a = tensor(values(70 * 90, 1), [70, 90]);
    const b = tensor(values(90 * 50, 2), [90, 50]);
    const run = () => {
      const m = moments(x, [0, 2]);
      return [matmul(a, b).data, sum(x, [2]).data, m.mean.data, m.variance.data, max(x, [2]).data] as const;
    };
    const w = withBackend("wasm-simd", run);
    const j = withBackend("js", run);
    for (let i = 0; i < w.length; i++) expect(Array.from(w[i]!)).toEqual(Array.from(j[i]!));
    const n = 1000;
    const dy = values(n, 3);
    const xs = values(n, 4);
    const sw = new Float64Array(2);
    const sj = new Float64Array(2);
    every("wasm-simd").normalizeAffineBackwardSums(n, dy, 1, 0, xs, 1, 0, 0.2, sw, 0);
    jsKernels.normalizeAffineBackwardSums(n, dy, 1, 0, xs, 1, 0, 0.2, sj, 0);
    expectClose(sw, sj, 1e-12);
    // The kernels with a row output give bitwise equal rows on both backends.
    const ow = new Float64Array(n);
    const oj = new Float64Array(n);
    every("wasm-simd").normalizeAffine(n, xs, 1, 0, 0.1, 1.3, 0.2, ow, 1, 0);
    jsKernels.normalizeAffine(n, xs, 1, 0, 0.1, 1.3, 0.2, oj, 1, 0);
    expect(Array.from(ow)).toEqual(Array.from(oj));
    every("wasm-simd").normalizeAffineBackward(n, dy, 1, 0, xs, 1, 0, 0.1, 1.3, -0.2, 0.05, ow, 1, 0);
    jsKernels.normalizeAffineBackward(n, dy, 1, 0, xs, 1, 0, 0.1, 1.3, -0.2, 0.05, oj, 1, 0);
    expect(Array.from(ow)).toEqual(Array.from(oj));
  });

  it("withKernelBackend runs on the backend asked for and restores the active one, also after a throw", () => {
    const before = kernelBackend();
    expect(withKernelBackend("js", () => kernelBackend())).toBe("js");
    expect(kernelBackend()).toBe(before);
    expect(() =>
      withKernelBackend("js", () => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
    expect(kernelBackend()).toBe(before);
    let ran = false;
    const unknown = (): void => {
      withKernelBackend("fast" as KernelBackend, () => {
        ran = true;
      });
    };
    expect(unknown).toThrow('setKernelBackend: unknown backend "fast"');
    expect(ran).toBe(false);
    expect(kernelBackend()).toBe(before);
  });

  // The WASM kernels stage their results in wasm memory at an address chosen from the destination's
  // (2 KB past it modulo 4 KB, clear of 4K aliasing): every destination offset and view must still
  // land each value in its place, with nothing written outside it.
  it.runIf(BACKENDS.includes("wasm-simd"))("staged results land exactly in place for every destination offset (rows, gemm, recurrences)", () => {
    const w = every("wasm-simd");
    const n = 700;
    const x = values(n, 5);
    const dy = values(n, 6);
    for (const offset of [0, 1, 2, 3, 255, 256, 257, 511, 512, 513]) {
      // A destination that is itself a view into a larger buffer at a shifted byteOffset.
      const storage = new Float64Array(n + 1200).fill(7);
      const view = storage.subarray(offset % 7);
      const ref = storage.slice();
      const refView = ref.subarray(offset % 7);
      w.normalizeAffine(n, x, 1, 0, 0.3, 1.1, -0.4, view, 1, offset);
      jsKernels.normalizeAffine(n, x, 1, 0, 0.3, 1.1, -0.4, refView, 1, offset);
      expect(Array.from(storage)).toEqual(Array.from(ref));
      w.normalizeAffineBackward(n, dy, 1, 0, x, 1, 0, 0.2, 0.9, -0.1, 0.05, view, 1, offset);
      jsKernels.normalizeAffineBackward(n, dy, 1, 0, x, 1, 0, 0.2, 0.9, -0.1, 0.05, refView, 1, offset);
      expect(Array.from(storage)).toEqual(Array.from(ref));
      const [m, k, p] = [37, 41, 29];
      const a = values(m * k, 7);
      const b = values(k * p, 8);
      const c = new Float64Array(offset + m * 40 + 50).fill(0.5);
      const cRef = c.slice();
      w.gemm(m, p, k, 1.5, a, 0, k, 1, b, 0, p, 1, c, offset, 40);
      jsKernels.gemm(m, p, k, 1.5, a, 0, k, 1, b, 0, p, 1, cRef, offset, 40);
      expect(Array.from(c)).toEqual(Array.from(cRef));
      const [steps, batch, hidden] = [8, 4, 16]; // 8192 multiply-adds: above the WASM chain threshold
      const u = values(hidden * hidden, 9).map((v) => v * 0.3);
      const h0 = values(batch * hidden, 10);
      const h = new Float64Array(offset + steps * batch * hidden + 9).fill(2);
      const hRef = h.slice();
      w.sigmoidRecurrence(steps, batch, hidden, u, 0, h0, 0, h, offset, batch * hidden);
      jsKernels.sigmoidRecurrence(steps, batch, hidden, u, 0, h0, 0, hRef, offset, batch * hidden);
      // (The WASM recurrence's dot products sum in two lanes: equal to rounding, not bitwise.)
      const end = offset + steps * batch * hidden;
      expectClose(h.subarray(offset, end), hRef.subarray(offset, end), 1e-12);
      expect([...h.subarray(0, offset), ...h.subarray(end)].every((v) => v === 2)).toBe(true);
    }
  });
});
