/**
 * hw against PyTorch and NumPy (one thread each, float64), interleaved in one run (see peers.ts):
 * matmul n×n for n = 128, 256, 512 and batch-norm moments (mean and variance over axes [0, 2] of
 * [64, 256, 1024]), on every kernel backend the engine runs (the `bench` script starts Node with
 * `--experimental-wasm-relaxed-simd`, so Node 20 runs the fused multiply-add gemm too).
 * Targets (issue 15): matmul n = 256 ≥ 20 GFLOP/s (≥ 40% of OpenBLAS); moments ≥ 3 GB/s (≥ 2× NumPy).
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/peers.bench.ts`).
 */
import { bench, describe } from "vitest";
import { wasmRelaxedSimdAvailable, wasmSimdAvailable, withKernelBackend, type KernelBackend } from "../src/kernels";
import { matmul } from "../src/matmul";
import { moments } from "../src/reduce";
import { Tensor } from "../src/tensor";
import { compare, startPeers, table } from "./peers";
import { filled } from "./timing";

const peers = await startPeers();
/** Every backend this engine runs (the bench script starts Node with --experimental-wasm-relaxed-simd). */
const backends: KernelBackend[] = [
  ...(wasmRelaxedSimdAvailable() ? (["wasm-relaxed-simd"] as const) : []),
  ...(wasmSimdAvailable() ? (["wasm-simd"] as const) : []),
  "js",
];
const withBackend = (b: KernelBackend, f: () => unknown) => () => withKernelBackend(b, f);
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
      ...backends.map((be) => ({ name: `hw matmul (${be})`, fn: withBackend(be, () => matmul(a, b)) })),
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
      ...backends.filter((be) => be !== "wasm-relaxed-simd").map((be) => ({ name: `hw moments (${be})`, fn: withBackend(be, () => moments(x, [0, 2])) })),
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
