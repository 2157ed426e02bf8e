/**
 * Batch norm forward + backward on a [64, 256, 1024] (N, C, L) batch: statistics per channel over
 * axes [0, 2], per-channel γ/β, then ∂L/∂x, ∂L/∂γ, ∂L/∂β for a fixed upstream gradient.
 *
 * Side by side, in one run: hw float64 and float32 (`batchNorm` + `batchNormBackward`), and
 * TensorFlow.js 4.22 (float32 only: `tf.moments` + `tf.batchNorm`, gradients through `tf.grads`) on
 * its `wasm` and `cpu` backends (in its native channels-last layout [N, L, C]), plus a plain copy of the same array (`Float64Array.prototype.set`)
 * as the memory-speed yardstick. GB/s = bytes of x / time (each in its own dtype).
 * Target (issue 6): hw ≥ 2× tfjs-wasm.
 *
 * PyTorch and NumPy are compared in batch-norm-torch.bench.ts (a process without TensorFlow.js's heap).
 *
 * Run: `pnpm --filter @hw/normalization bench` (or `pnpm exec vitest bench --run`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Bench } from "tinybench";
import { bench, describe } from "vitest";
import { N, SHAPE, betaValues, copyStep, freshCopyStep, gammaValues, hwStep, inputs } from "./setup";

async function tfStep(backend: "cpu" | "wasm", backwardToo: boolean): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  // TensorFlow.js's own layout is channels-last: [N, L, C] with γ, β of shape [C] (its batchNorm
  // gradient rejects per-channel parameters of shape [1, C, 1]). Same elements, same work.
  const nlc: [number, number, number] = [SHAPE[0], SHAPE[2], SHAPE[1]];
  const x = tf.tensor3d(inputs("float32").x.data as Float32Array, nlc, "float32");
  const up = tf.tensor3d(inputs("float32").up.data as Float32Array, nlc, "float32");
  const gamma = tf.tensor1d(gammaValues, "float32");
  const beta = tf.tensor1d(betaValues, "float32");
  const forward = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(a, [0, 1]);
    return tf.batchNorm(a, mean, variance, b, g, 1e-5);
  };
  const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, g, b), up)));
  return () => {
    if (!backwardToo) {
      const y = tf.tidy(() => forward(x, gamma, beta));
      const v = y.dataSync()[0]!;
      y.dispose();
      return v;
    }
    const out = tf.tidy(() => {
      const y = forward(x, gamma, beta);
      const [dx, dg, db] = grads([x, gamma, beta]);
      return [y, dx!, dg!, db!];
    });
    const v = out.reduce((a, t) => a + t.dataSync()[0]!, 0);
    tf.dispose(out);
    return v;
  };
}

interface Row {
  readonly name: string;
  readonly bytes: number;
  ms: number;
}

async function time(row: Row, fn: () => number, ms: number, iterations: number): Promise<void> {
  const b = new Bench({ time: ms, iterations, warmupIterations: 1, warmupTime: 0 });
  b.add(row.name, fn);
  await b.run();
  const r = b.tasks[0]!.result;
  if (r.state !== "completed") throw new Error(`${row.name}: ${r.state}`);
  row.ms = r.latency.mean;
}

async function measure(): Promise<Row[]> {
  const row = (name: string, bytes: number): Row => ({ name, bytes, ms: Number.NaN });
  const rows = [
    row("plain copy float64 (Float64Array.set)", N * 8),
    row("plain copy float32 (Float32Array.set)", N * 4),
    row("plain copy float64 into a fresh array (slice)", N * 8),
    row("hw batchNorm forward float64", N * 8),
    row("hw batchNorm forward float32", N * 4),
    row("tfjs-wasm forward float32", N * 4),
    row("hw forward+backward float64", N * 8),
    row("hw forward+backward float32", N * 4),
    row("tfjs-wasm forward+backward float32", N * 4),
    row("tfjs-cpu forward+backward float32", N * 4),
  ];
  const [c64, c32, cf, f64, f32, fw, b64, b32, bw, bc] = rows as [Row, Row, Row, Row, Row, Row, Row, Row, Row, Row];
  await time(c64, copyStep("float64"), 1000, 10);
  await time(c32, copyStep("float32"), 1000, 10);
  await time(cf, freshCopyStep(), 1000, 10);
  await time(f64, hwStep("float64", false), 1500, 8);
  await time(f32, hwStep("float32", false), 1500, 8);
  await time(b64, hwStep("float64", true), 2000, 6);
  await time(b32, hwStep("float32", true), 2000, 6);
  await time(fw, await tfStep("wasm", false), 1500, 6);
  await time(bw, await tfStep("wasm", true), 2000, 4);
  await time(bc, await tfStep("cpu", true), 0, 2);
  return rows;
}

function print(rows: Row[]): void {
  const copy64 = rows[0]!;
  const copy32 = rows[1]!;
  const byName = (s: string): Row => rows.find((r) => r.name === s)!;
  const lines = [
    `batch norm on [${SHAPE.join(",")}] (${N.toLocaleString("en")} elements, stats over axes [0,2]), node ${process.version}`,
    "| implementation | ms | GB/s (bytes of x / time) | time / plain copy of x |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => {
      const copy = r.bytes === N * 8 ? copy64 : copy32;
      return `| ${r.name} | ${r.ms.toFixed(1)} | ${(r.bytes / r.ms / 1e6).toFixed(2)} | ${(r.ms / copy.ms).toFixed(1)}× |`;
    }),
    "",
    `speed-up of hw over tfjs-wasm, forward: float64 ${(byName("tfjs-wasm forward float32").ms / byName("hw batchNorm forward float64").ms).toFixed(2)}×, float32 ${(byName("tfjs-wasm forward float32").ms / byName("hw batchNorm forward float32").ms).toFixed(2)}×`,
    `speed-up of hw over tfjs-wasm, forward+backward: float64 ${(byName("tfjs-wasm forward+backward float32").ms / byName("hw forward+backward float64").ms).toFixed(2)}×, float32 ${(byName("tfjs-wasm forward+backward float32").ms / byName("hw forward+backward float32").ms).toFixed(2)}× (target ≥ 2×)`,
    `speed-up of hw over tfjs-cpu, forward+backward: float64 ${(byName("tfjs-cpu forward+backward float32").ms / byName("hw forward+backward float64").ms).toFixed(2)}×, float32 ${(byName("tfjs-cpu forward+backward float32").ms / byName("hw forward+backward float32").ms).toFixed(2)}×`,
  ];
  console.log(lines.join("\n"));
}

print(await measure());


describe("batch norm forward+backward [64,256,1024] (full comparison printed above)", () => {
  bench("hw forward+backward float64", () => {
    hwStep("float64", true)();
  }, { time: 500, iterations: 3 });
});
