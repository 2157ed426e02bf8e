/**
 * Matrix multiply, n×n @ n×n for n = 128, 256, 512.
 *
 * hw `matmul` (float64, packed 4×4 register-blocked kernel in plain TypeScript) against
 * `ml-matrix` `mmul` (float64) and TensorFlow.js `tf.matMul` (float32 only) on its `cpu` backend
 * and on `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD). GFLOP/s counts 2n³ flops. The
 * "hw speed-up" column is the other's time divided by hw float64's time at the same n.
 * The machine is shared (other processes may load both cores): compare rows of one run.
 * Targets (issue 3): hw float64 ≥ 4.5 GFLOP/s; ≥ 5× tfjs-cpu and ≥ 5× ml-matrix.
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/matmul.bench.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Matrix } from "ml-matrix";
import { bench, describe } from "vitest";
import { filled, time, type Timing } from "./timing";
import { matmul } from "../src/matmul";
import { Tensor } from "../src/tensor";

const SIZES = [128, 256, 512] as const;



interface Row extends Timing {
  readonly n: number;
  readonly name: string;
}


async function tfMatMul(backend: "cpu" | "wasm", a: Float64Array, b: Float64Array, n: number): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  const ta = tf.tensor2d(Float32Array.from(a), [n, n]);
  const tb = tf.tensor2d(Float32Array.from(b), [n, n]);
  return () => {
    const c = tf.matMul(ta, tb);
    const v = c.dataSync()[0] ?? 0;
    c.dispose();
    return v;
  };
}

async function measure(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of SIZES) {
    const a = filled(n * n, 1 + n);
    const b = filled(n * n, 2 + n);
    const ha = new Tensor(a, [n, n]);
    const hb = new Tensor(b, [n, n]);
    const ha32 = new Tensor(Float32Array.from(a), [n, n]);
    const hb32 = new Tensor(Float32Array.from(b), [n, n]);
    const ma = new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n))));
    const mb = new Matrix(Array.from({ length: n }, (_, i) => Array.from(b.subarray(i * n, (i + 1) * n))));
    const budget = n <= 256 ? 1000 : 2000;
    rows.push({ n, name: "hw matmul float64", ...(await time(() => matmul(ha, hb), budget, 10)) });
    rows.push({ n, name: "hw matmul float32 (float64 accumulation)", ...(await time(() => matmul(ha32, hb32), budget / 2, 5)) });
    rows.push({ n, name: "ml-matrix mmul float64", ...(await time(() => ma.mmul(mb), budget, n <= 256 ? 10 : 3)) });
    rows.push({ n, name: "tfjs-wasm matMul float32", ...(await time(await tfMatMul("wasm", a, b, n), budget, 10)) });
    rows.push({ n, name: "tfjs-cpu matMul float32", ...(await time(await tfMatMul("cpu", a, b, n), 0, n <= 256 ? 3 : 2)) });
  }
  return rows;
}

function print(rows: Row[]): void {
  const lines = [
    `matmul n×n @ n×n, node ${process.version}`,
    "| n | implementation | median ms | GFLOP/s (median) | GFLOP/s (best) | hw float64 speed-up (median) |",
    "|---:|---|---:|---:|---:|---:|",
  ];
  for (const n of SIZES) {
    const hw = rows.find((r) => r.n === n && r.name === "hw matmul float64")!;
    for (const r of rows.filter((x) => x.n === n)) {
      const flops = 2 * n ** 3;
      lines.push(
        `| ${n} | ${r.name} | ${r.ms.toFixed(2)} | ${(flops / r.ms / 1e6).toFixed(2)} | ${(flops / r.best / 1e6).toFixed(2)} | ${(r.ms / hw.ms).toFixed(2)}× |`,
      );
    }
  }
  console.log(lines.join("\n"));
}

print(await measure());

describe("matmul float64 (full comparison printed above)", () => {
  const n = 256;
  const a = new Tensor(filled(n * n, 3), [n, n]);
  const b = new Tensor(filled(n * n, 4), [n, n]);
  bench("hw matmul 256×256 float64", () => {
    matmul(a, b);
  }, { time: 500, iterations: 10 });
});
