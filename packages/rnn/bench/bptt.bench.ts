/**
 * Loss + every gradient of the bidirectional RNN for B = 32 sequences, T = 50, D = H = 64, K = 8.
 *
 * hw `bptt` (float64, analytic BPTT on the kernels of src/internal) against the same model written
 * with TensorFlow.js ops and differentiated by `tf.grads` (float32 only), on tfjs's `cpu` backend
 * and on `@tensorflow/tfjs-backend-wasm`. The ratio column is the other's time divided by hw's.
 * hw also runs `terms: true` (all per-step Jacobians, T·B·H² numbers) for information.
 * The machine is shared (other processes may load both cores): compare rows of one run.
 * Targets (issue 4): hw at least as fast as tfjs-wasm and ≥ 5× faster than tfjs-cpu.
 *
 * Run: `pnpm --filter @hw/rnn bench` (or `pnpm exec vitest bench --run bench/bptt.bench.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, type Tensor } from "@hw/tensor";
import { Bench } from "tinybench";
import { bench, describe } from "vitest";
import { bptt } from "../src/bptt";
import { initParams } from "../src/init-params";

const B = 32;
const T = 50;
const D = 64;
const H = 64;
const K = 8;

const rng = createRng(2024);
const params = initParams({ inputSize: D, hiddenSize: H, outputSize: K, rng, scale: 0.2 });
const x = rng.normal([T, B, D]);
const z = rng.normal([T, B, K]);
const hfInit = rng.normal([B, H], { std: 0.1 });
const hbInit = rng.normal([B, H], { std: 0.1 });

const f32 = (t: Tensor): Float32Array => Float32Array.from(t.contiguous().data);
const NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const;

function hwStep(terms: boolean): () => number {
  return () => bptt(params, x, z, { hfInit, hbInit, terms }).loss;
}

/** The same model and loss in tfjs ops; `tf.grads` differentiates it (float32). */
async function tfStep(backend: "cpu" | "wasm"): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  const w = NAMES.map((n) => tf.tensor2d(f32(params[n]), params[n].shape as [number, number]));
  const h0 = tf.tensor2d(f32(hfInit), [B, H]);
  const hT = tf.tensor2d(f32(hbInit), [B, H]);
  const xs = tf.tensor3d(f32(x), [T, B, D]);
  const zs = tf.tensor3d(f32(z), [T, B, K]);
  const loss = (Wf: tf.Tensor, Uf: tf.Tensor, Vf: tf.Tensor, Wb: tf.Tensor, Ub: tf.Tensor, Vb: tf.Tensor, hf0: tf.Tensor, hb0: tf.Tensor): tf.Scalar => {
    const xt = tf.unstack(xs);
    const hf: tf.Tensor[] = [];
    let prev = hf0;
    for (let t = 0; t < T; t++) {
      prev = tf.sigmoid(tf.add(tf.matMul(xt[t]!, Wf, false, true), tf.matMul(prev, Uf, false, true)));
      hf.push(prev);
    }
    const hb: tf.Tensor[] = new Array<tf.Tensor>(T);
    let next = hb0;
    for (let t = T - 1; t >= 0; t--) {
      next = tf.sigmoid(tf.add(tf.matMul(xt[t]!, Wb, false, true), tf.matMul(next, Ub, false, true)));
      hb[t] = next;
    }
    const HF = tf.reshape(tf.stack(hf), [T * B, H]);
    const HB = tf.reshape(tf.stack(hb), [T * B, H]);
    const y = tf.add(tf.matMul(HF, Vf, false, true), tf.matMul(HB, Vb, false, true));
    return tf.sum(tf.square(tf.sub(tf.reshape(zs, [T * B, K]), y)));
  };
  const g = tf.grads(loss);
  const args = [...w, h0, hT];
  return () =>
    tf.tidy(() => {
      const grads = g(args);
      // Read one value back so the work is finished (the wasm/cpu backends are synchronous anyway).
      return grads[0]!.dataSync()[0] ?? 0;
    });
}

async function time(fn: () => unknown, ms: number, iterations: number): Promise<number> {
  const b = new Bench({ time: ms, iterations, warmupIterations: 2, warmupTime: 0 });
  b.add("x", fn);
  await b.run();
  const r = b.tasks[0]!.result;
  if (r.state !== "completed") throw new Error(`benchmark ${r.state}`);
  return r.latency.mean;
}

async function measure(): Promise<{ name: string; ms: number }[]> {
  const rows: { name: string; ms: number }[] = [];
  rows.push({ name: "hw bptt float64 (terms: false)", ms: await time(hwStep(false), 2000, 10) });
  rows.push({ name: "hw bptt float64 (terms: true)", ms: await time(hwStep(true), 1000, 5) });
  rows.push({ name: "tfjs-wasm tf.grads float32", ms: await time(await tfStep("wasm"), 2000, 10) });
  rows.push({ name: "tfjs-cpu tf.grads float32", ms: await time(await tfStep("cpu"), 1000, 3) });
  return rows;
}

function print(rows: { name: string; ms: number }[]): void {
  const hw = rows[0]!;
  const lines = [
    `BiRNN loss + all gradients, B=${B} T=${T} D=${D} H=${H} K=${K}, node ${process.version}`,
    "| implementation | ms | time / hw (terms: false) |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(2)} | ${(r.ms / hw.ms).toFixed(2)}× |`),
  ];
  console.log(lines.join("\n"));
}

print(await measure());

describe("bptt B=32 T=50 D=H=64 K=8 (full comparison printed above)", () => {
  const step = hwStep(false);
  bench("hw bptt float64", () => {
    step();
  }, { time: 1000, iterations: 10 });
});
