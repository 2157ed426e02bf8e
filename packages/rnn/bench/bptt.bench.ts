/**
 * Loss + every gradient of the bidirectional RNN for B = 32 sequences, T = 50, D = H = 64, K = 8.
 *
 * hw `bptt` (float64, analytic BPTT on `@hw/tensor/kernels`) against the same model written
 * with TensorFlow.js ops and differentiated by `tf.grads` (float32 only), on tfjs's `cpu` backend
 * and on `@tensorflow/tfjs-backend-wasm`. The ratio column is the other's time divided by hw's.
 * hw also runs `terms: true` (all per-step Jacobians, T·B·H² numbers) for information.
 * The machine is shared (other processes may load both cores): the rounds are interleaved and the
 * medians compared within one run.
 * Targets (issue 4): hw at least as fast as tfjs-wasm and ≥ 5× faster than tfjs-cpu.
 *
 * Run: `pnpm --filter @hw/rnn bench` (or `pnpm exec vitest bench --run bench/bptt.bench.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createRng, type Tensor } from "@hw/tensor";
import { bench, describe } from "vitest";
import { bptt } from "../src/bptt";
import { initParams } from "../src/init-params";
import { kernelBackend, withKernelBackend } from "@hw/tensor/kernels";
// The PyTorch/NumPy peers harness of @hw/tensor's benchmarks (bench files are not published).
import { compare, startPeers, table } from "../../tensor/bench/peers";

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

interface Impl {
  readonly name: string;
  readonly backend: "cpu" | "wasm" | null;
  readonly run: () => unknown;
  readonly samples: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Interleaved rounds (hw, tfjs-wasm, tfjs-cpu, hw, …) so that a load spike on this shared machine
 * hits every implementation alike; the table reports the median of all timed calls.
 */
async function measure(rounds = 6, perRound = 3): Promise<{ name: string; ms: number; n: number }[]> {
  const impls: Impl[] = [
    { name: "hw bptt float64 (terms: false)", backend: null, run: hwStep(false), samples: [] },
    { name: "hw bptt float64 (terms: true)", backend: null, run: hwStep(true), samples: [] },
    { name: "tfjs-wasm tf.grads float32", backend: "wasm", run: await tfStep("wasm"), samples: [] },
    { name: "tfjs-cpu tf.grads float32", backend: "cpu", run: await tfStep("cpu"), samples: [] },
  ];
  for (let r = 0; r < rounds; r++) {
    for (const impl of impls) {
      if (impl.backend !== null) await tf.setBackend(impl.backend);
      impl.run(); // warm-up (and, for tfjs, moves nothing: the inputs live on this backend)
      for (let i = 0; i < perRound; i++) {
        const t0 = performance.now();
        impl.run();
        impl.samples.push(performance.now() - t0);
      }
    }
  }
  // Sanity check: the peers compute the same gradient (∇Wf[0,0]; float32 vs float64).
  const ref = bptt(params, x, z, { hfInit, hbInit, terms: false }).grads.Wf.get(0, 0);
  for (const impl of impls.slice(2)) {
    await tf.setBackend(impl.backend!);
    const v = impl.run() as number;
    console.log(`${impl.name}: ∇Wf[0,0] = ${v.toPrecision(6)} vs hw ${ref.toPrecision(6)} (rel. diff ${(Math.abs(v - ref) / Math.abs(ref)).toExponential(1)})`);
  }
  return impls.map((i) => ({ name: i.name, ms: median(i.samples), n: i.samples.length }));
}

function print(rows: { name: string; ms: number; n: number }[]): void {
  const hw = rows[0]!;
  const lines = [
    `BiRNN loss + all gradients, B=${B} T=${T} D=${D} H=${H} K=${K}, node ${process.version} (median of ${hw.n} interleaved calls)`,
    "| implementation | ms (median) | time / hw (terms: false) |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${(r.ms / hw.ms).toFixed(2)}× |`),
  ];
  console.log(lines.join("\n"));
}

print(await measure());

/**
 * hw against PyTorch autograd on the same model (bench/peers.py `birnn`: the loops of the tfjs
 * version in torch ops, float64, one thread), interleaved rounds; hw on the active kernel backend
 * and on the TypeScript kernels. Target (issue 15): hw ≤ 1.0× PyTorch's time.
 */
async function versusPyTorch(): Promise<void> {
  const peers = await startPeers();
  const active = kernelBackend();
  await peers?.setup("birnn", "birnn", { B, T, D, H, K });
  const hw = hwStep(false);
  const results = await compare(
    peers,
    "birnn",
    [
      { name: `hw bptt float64 (${active})`, fn: hw },
      ...(active === "js"
        ? []
        : [
            {
              name: "hw bptt float64 (js kernels)",
              fn: () => withKernelBackend("js", hw),
            },
          ]),
      { name: "PyTorch autograd float64", peer: "torch" as const },
    ],
    15,
  );
  peers?.close();
  console.log(table(`\nBiRNN loss + all gradients vs PyTorch, ${peers?.versions ?? "no python peers"}`, results, "PyTorch autograd float64"));
}

await versusPyTorch();

describe("bptt B=32 T=50 D=H=64 K=8 (full comparison printed above)", () => {
  const step = hwStep(false);
  bench("hw bptt float64", () => {
    step();
  }, { time: 1000, iterations: 10 });
});
