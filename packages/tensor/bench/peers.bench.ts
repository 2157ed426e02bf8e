/**
 * hw against PyTorch and NumPy (one thread each, float64), interleaved in one run (see peers.ts):
 * matmul n×n for n = 128, 256, 512 and batch-norm moments (mean and variance over axes [0, 2] of
 * [64, 256, 1024]), on the active kernel backend and on the TypeScript one (`HW_KERNELS=js`).
 * Targets (issue 15): matmul n = 256 ≥ 20 GFLOP/s (≥ 40% of OpenBLAS); moments ≥ 3 GB/s (≥ 2× NumPy).
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/peers.bench.ts`).
 */
import { bench, describe } from "vitest";
import { kernelBackend, setKernelBackend } from "../src/kernels";
import { matmul } from "../src/matmul";
import { moments } from "../src/reduce";
import { Tensor } from "../src/tensor";
import { compare, startPeers, table } from "./peers";
import { filled } from "./timing";

const peers = await startPeers();
const active = kernelBackend();
const withBackend = (b: "wasm-simd" | "js", f: () => unknown) => () => {
  setKernelBackend(b);
  try {
    return f();
  } finally {
    setKernelBackend(active);
  }
};
const out: string[] = [`hw vs PyTorch / NumPy, node ${process.version}, ${peers?.versions ?? "no python peers"}`];

for (const n of [128, 256, 512]) {
  const a = new Tensor(filled(n * n, 1 + n), [n, n]);
  const b = new Tensor(filled(n * n, 2 + n), [n, n]);
  const id = `matmul${n}`;
  await peers?.setup(id, "matmul", { n });
  const results = await compare(
    peers,
    id,
    [
      { name: `hw matmul (${active})`, fn: () => matmul(a, b) },
      ...(active === "js" ? [] : [{ name: "hw matmul (js)", fn: withBackend("js", () => matmul(a, b)) }]),
      { name: "PyTorch torch.mm", peer: "torch" },
      { name: "NumPy a @ b (OpenBLAS)", peer: "numpy" },
    ],
    n <= 256 ? 15 : 5,
  );
  await peers?.drop(id);
  const flops = 2 * n ** 3;
  out.push(table(`\nmatmul ${n}×${n} float64`, results, "PyTorch torch.mm", (r) => (flops / r.median / 1e6).toFixed(2), "GFLOP/s"));
}

{
  const shape = [64, 256, 1024];
  const x = new Tensor(filled(64 * 256 * 1024, 7), shape);
  await peers?.setup("moments", "moments", { shape, axes: [0, 2] });
  const results = await compare(
    peers,
    "moments",
    [
      { name: `hw moments (${active})`, fn: () => moments(x, [0, 2]) },
      ...(active === "js" ? [] : [{ name: "hw moments (js)", fn: withBackend("js", () => moments(x, [0, 2])) }]),
      { name: "PyTorch torch.var_mean", peer: "torch" },
      { name: "NumPy x.mean + x.var", peer: "numpy" },
    ],
    7,
  );
  await peers?.drop("moments");
  const bytes = x.size * 8;
  out.push(table("\nmoments over (0, 2) of [64,256,1024] float64", results, "NumPy x.mean + x.var", (r) => (bytes / r.median / 1e6).toFixed(2), "GB/s"));
}
peers?.close();
console.log(out.join("\n"));

describe("hw vs PyTorch/NumPy (full comparison printed above)", () => {
  const n = 256;
  const a = new Tensor(filled(n * n, 3), [n, n]);
  bench("hw matmul 256 (active backend)", () => {
    matmul(a, a);
  }, { time: 200, iterations: 5 });
});
