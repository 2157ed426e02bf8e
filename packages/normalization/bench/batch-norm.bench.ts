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
 * Run: `pnpm --filter @hw/normalization bench` (or `pnpm exec vitest bench --run`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Tensor } from "@hw/tensor";
import { Bench } from "tinybench";
import { bench, describe } from "vitest";
import { batchNorm, batchNormBackward } from "../src/index";
import { kernelBackend } from "@hw/tensor/kernels";
// The PyTorch/NumPy peers harness of @hw/tensor's benchmarks (bench files are not published).
import { compare, startPeers, table } from "../../tensor/bench/peers";

const SHAPE = [64, 256, 1024] as const;
const C = SHAPE[1];
const N = SHAPE[0] * SHAPE[1] * SHAPE[2];

/** Deterministic pseudo-random fill (an LCG; benchmarks need no statistical quality). */
function filled(n: number, f32: boolean, seed: number): Float64Array | Float32Array {
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

const gammaValues = Array.from({ length: C }, (_, c) => 1 + 0.01 * c);
const betaValues = Array.from({ length: C }, (_, c) => 0.001 * c);
const inputs = {
  float64: { x: new Tensor(filled(N, false, 1), SHAPE), up: new Tensor(filled(N, false, 2), SHAPE) },
  float32: { x: new Tensor(filled(N, true, 1), SHAPE), up: new Tensor(filled(N, true, 2), SHAPE) },
};

function hwStep(dtype: "float64" | "float32", backwardToo: boolean): () => number {
  const { x, up } = inputs[dtype];
  const options = { gamma: gammaValues, beta: betaValues };
  return () => {
    const { y } = batchNorm(x, options);
    if (!backwardToo) return y.data[0]!;
    const g = batchNormBackward(x, up, options);
    return y.data[0]! + g.gradX.data[0]! + g.gradGamma.data[0]!;
  };
}

/**
 * The training-loop forms: the backward reading the forward's statistics (`saved`) instead of
 * recomputing them, and with `reuseBuffers` `y` and `∂L/∂x` written into buffers kept across steps (`out`).
 */
function hwTrainingStep(backwardToo: boolean, reuseBuffers: boolean): () => number {
  const { x, up } = inputs.float64;
  const yBuffer = new Tensor(new Float64Array(N), SHAPE);
  const gradXBuffer = new Tensor(new Float64Array(N), SHAPE);
  const options = { gamma: gammaValues, beta: betaValues };
  return () => {
    const f = batchNorm(x, reuseBuffers ? { ...options, out: yBuffer } : options);
    if (!backwardToo) return f.y.data[0]!;
    const g = batchNormBackward(x, up, reuseBuffers ? { ...options, saved: f, out: { gradX: gradXBuffer } } : { ...options, saved: f });
    return f.y.data[0]! + g.gradX.data[0]! + g.gradGamma.data[0]!;
  };
}

/** A copy into a fresh array, as an op returning a new tensor must do (it pays the page faults). */
function freshCopyStep(): () => number {
  const src = inputs.float64.x.data;
  return () => src.slice()[N - 1]!;
}

function copyStep(dtype: "float64" | "float32"): () => number {
  const src = inputs[dtype].x.data;
  const dst = dtype === "float64" ? new Float64Array(N) : new Float32Array(N);
  return () => {
    dst.set(src);
    return dst[N - 1]!;
  };
}

async function tfStep(backend: "cpu" | "wasm", backwardToo: boolean): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  // TensorFlow.js's own layout is channels-last: [N, L, C] with γ, β of shape [C] (its batchNorm
  // gradient rejects per-channel parameters of shape [1, C, 1]). Same elements, same work.
  const nlc: [number, number, number] = [SHAPE[0], SHAPE[2], SHAPE[1]];
  const x = tf.tensor3d(inputs.float32.x.data as Float32Array, nlc, "float32");
  const up = tf.tensor3d(inputs.float32.up.data as Float32Array, nlc, "float32");
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

/**
 * hw against PyTorch (`F.batch_norm`, training mode; forward+backward by autograd) and NumPy (the
 * same formulas written with whole-array ops), one thread, float64, interleaved rounds.
 * Targets (issue 15): forward ≤ 1.0× PyTorch and ≤ 4× a plain copy; forward+backward ≤ 0.8× PyTorch.
 * Each is measured both ways: fresh outputs (what `F.batch_norm` does too: both pay the page faults of
 * a new 134 MB array, the "fresh array" copy row) and the training-loop form (`out` buffers reused
 * across steps, the backward reading the forward's `saved` statistics).
 */
async function versusPython(): Promise<void> {
  const peers = await startPeers();
  const out = [`\nbatch norm [${SHAPE.join(",")}] float64 vs PyTorch/NumPy, kernels: ${kernelBackend()}, ${peers?.versions ?? "no python peers"}`];
  const copy = copyStep("float64");
  for (const backwardToo of [false, true]) {
    const id = backwardToo ? "bn-both" : "bn-forward";
    await peers?.setup(id, "batchNorm", { shape: SHAPE, backward: backwardToo });
    const results = await compare(
      peers,
      id,
      [
        { name: "plain copy float64 (Float64Array.set)", fn: copy },
        { name: "plain copy into a fresh array (slice)", fn: freshCopyStep() },
        { name: `hw ${backwardToo ? "batchNorm + batchNormBackward (stats recomputed)" : "batchNorm forward"}`, fn: hwStep("float64", backwardToo) },
        ...(backwardToo ? [{ name: "hw the same with saved stats (as autograd)", fn: hwTrainingStep(true, false) }] : []),
        { name: `hw ${backwardToo ? "saved stats + reused out buffers" : "forward into a reused out buffer"}`, fn: hwTrainingStep(backwardToo, true) },
        { name: `PyTorch F.batch_norm${backwardToo ? " + autograd backward" : ""}`, peer: "torch" },
        { name: `NumPy ${backwardToo ? "forward + backward formulas" : "forward formula"}`, peer: "numpy" },
      ],
      5,
    );
    await peers?.drop(id);
    const copyMs = results[0]!.median;
    out.push(
      table(
        `\n${backwardToo ? "forward + backward" : "forward"}`,
        results,
        `PyTorch F.batch_norm${backwardToo ? " + autograd backward" : ""}`,
        (r) => `${(r.median / copyMs).toFixed(1)}×`,
        "time / copy",
      ),
    );
  }
  peers?.close();
  console.log(out.join("\n"));
}

await versusPython();

describe("batch norm forward+backward [64,256,1024] (full comparison printed above)", () => {
  bench("hw forward+backward float64", () => {
    hwStep("float64", true)();
  }, { time: 500, iterations: 3 });
});
