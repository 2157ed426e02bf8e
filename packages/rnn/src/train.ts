/**
 * `train`: SGD or Adam with gradient clipping on a small seeded task that needs both directions.
 */
import { createRng, readOptions, Tensor, type Rng } from "@hw/tensor";
import { DEFAULT_MAX_MEMORY, gigabytes } from "./internal/budget";
import { initParams } from "./init-params";
import { backwardKernel, forwardKernel } from "./internal/core";
import { firstNonFinite } from "./internal/finite";
import { prepare, prepareTargets } from "./internal/prepare";
import type { BiRnnParams, Nonlinearity } from "./params";

/** Options of {@link train}. */
export interface TrainOptions {
  /** Number of optimisation steps. @defaultValue 300 */
  readonly steps?: number;
  /** Seed of every random draw (initialisation and data). @defaultValue 0 */
  readonly seed?: number;
  /** Hidden units per direction. @defaultValue 8 */
  readonly hiddenSize?: number;
  /** Sequence length T. @defaultValue 12 */
  readonly length?: number;
  /** Sequences per step. @defaultValue 16 */
  readonly batchSize?: number;
  /** `"adam"` (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) or plain `"sgd"`. @defaultValue "adam" */
  readonly optimizer?: "adam" | "sgd";
  /** Learning rate (PyTorch `lr`). @defaultValue 0.03 for Adam, 0.5 for SGD */
  readonly lr?: number;
  /** @deprecated Renamed `lr` (warns once; removed in 0.2.0). */
  readonly learningRate?: number;
  /** Rescale the gradient when its global L2 norm exceeds this (Infinity: no clipping). @defaultValue 1 */
  readonly clipNorm?: number;
  /** The hidden units' function. @defaultValue "sigmoid" */
  readonly nonlinearity?: Nonlinearity;
  /** @deprecated Renamed `nonlinearity` (warns once; removed in 0.2.0). */
  readonly activation?: Nonlinearity;
  /**
   * Variable-length training (one integer in 1…`length` per sequence of a batch, `batchSize`
   * entries): sequence b of every training batch has `lengths[b]` steps, the rest is padding that
   * contributes nothing (see {@link BpttOptions.lengths}); held-out sequence i has
   * `lengths[i mod batchSize]` steps. The task's targets use each sequence's own end.
   * @defaultValue every sequence has `length` steps
   */
  readonly lengths?: readonly number[];
  /** Called after every step with the step number (1-based) and the training loss. */
  readonly onStep?: (step: number, loss: number) => void;
  /**
   * Memory budget in bytes (parameters, optimizer state and one step's forward/backward blocks):
   * beyond it `train` refuses before allocating.
   * @defaultValue 2e9 (2 GB)
   */
  readonly maxMemory?: number;
}

const TRAIN_OPTION_KEYS = [
  "steps", "seed", "hiddenSize", "length", "batchSize", "optimizer", "lr", "clipNorm", "nonlinearity", "lengths", "onStep", "maxMemory",
] as const satisfies readonly (keyof TrainOptions)[];

/** The result of {@link train}. */
export interface TrainResult {
  /** The seed used (echoed for reproducibility). */
  readonly seed: number;
  /** The trained parameters (with biases). */
  readonly params: BiRnnParams;
  /** Mean squared error of each step's training batch, in order. */
  readonly losses: number[];
  /** Mean squared error on a fixed held-out batch of 64 sequences, before and after training. */
  readonly evalBefore: number;
  readonly evalAfter: number;
  /** The held-out error of the best constant prediction (0): Var z = 1/2. */
  readonly baseline: number;
  /** Steps whose gradient was clipped. */
  readonly clippedSteps: number;
}

/**
 * A batch of the training task: $x_t \sim \mathcal N(0, 1)$ (D = 1) and the target (K = 1)
 *
 * $$z_t = \tfrac12\,(x_{t-1} + x_{t+1}),$$
 *
 * with zeros outside the sequence (before step 1 and after the sequence's own last step when
 * `lengths` is given; x and z are 0 on padded steps). The past input is
 * only visible to the forward states and the future one only to the backward states, so a
 * one-directional RNN cannot do better than half the error.
 *
 * @param rng - the seeded generator to draw from (`createRng(seed)` of `@hw/tensor`)
 * @param length - T
 * @param batch - B
 * @param lengths - optional steps of each sequence (B integers in 1…length)
 * @returns `x` and `z`, both T×B×1 float64 tensors
 * @example
 * ```ts
 * const { x, z } = makeTask(createRng(1), 12, 16); // x.shape => [12, 16, 1]
 * ```
 */
export function makeTask(rng: Rng, length: number, batch: number, lengths?: readonly number[]): { x: Tensor; z: Tensor } {
  if (lengths !== undefined && (lengths.length !== batch || lengths.some((n) => !Number.isInteger(n) || n < 1 || n > length))) {
    throw new RangeError(`makeTask: lengths must be ${String(batch)} integers in 1…${String(length)}, got [${lengths.join(", ")}]`);
  }
  const drawn = rng.normal([length, batch, 1]).contiguous();
  const xs = Float64Array.from(drawn.data.subarray(drawn.offset, drawn.offset + length * batch));
  const end = (b: number): number => lengths?.[b] ?? length;
  for (let t = 0; t < length; t++) for (let b = 0; b < batch; b++) if (t >= end(b)) xs[t * batch + b] = 0;
  const z = new Float64Array(length * batch);
  for (let t = 0; t < length; t++) {
    for (let b = 0; b < batch; b++) {
      if (t >= end(b)) continue;
      const prev = t > 0 ? xs[(t - 1) * batch + b]! : 0;
      const next = t < end(b) - 1 ? xs[(t + 1) * batch + b]! : 0;
      z[t * batch + b] = 0.5 * (prev + next);
    }
  }
  return { x: new Tensor(xs, [length, batch, 1]), z: new Tensor(z, [length, batch, 1]) };
}

const NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "bf", "bb", "by"] as const;

/** `train`'s `lengths`: B integers in 1…T (undefined: every sequence is full). */
function readLengths(value: unknown, B: number, T: number): readonly number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== B) {
    const got = Array.isArray(value) ? `${String(value.length)} entries` : typeof value;
    throw new RangeError(`train: lengths must have one entry per sequence (batchSize = ${String(B)}), got ${got}`);
  }
  const out: number[] = [];
  value.forEach((n: unknown, b) => {
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > T) throw new RangeError(`train: lengths[${String(b)}] must be an integer in 1…length = ${String(T)}, got ${String(n)}`);
    out.push(n);
  });
  return out;
}

function positive(name: string, v: number, integer: boolean): number {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new RangeError(`train: ${name} must be a positive ${integer ? "integer" : "number"}, got ${String(v)}`);
  }
  return v;
}

/**
 * Train the bidirectional RNN with {@link bptt} gradients on the seeded two-sided task of
 * {@link makeTask}: mean squared error, global-norm gradient clipping
 * $g \leftarrow g \cdot \min(1, c/\lVert g\rVert_2)$, then an SGD step $\theta \leftarrow \theta - \eta g$
 * or an Adam step. Deterministic for a given seed.
 *
 * @param options - {@link TrainOptions}
 * @returns the losses per step, the held-out error before/after, and the trained parameters
 * @throws RangeError for a non-positive size, step count, learning rate or clip norm; over `maxMemory`;
 *   and `train: the training loss became Infinity at step 2 (lr = 1e+300, …): lower lr` when the
 *   updates overflow
 * @throws TypeError for an unknown option
 * @example
 * ```ts
 * const r = train({ steps: 300, seed: 1 });
 * r.losses[0]; // => ~0.6
 * r.evalAfter; // => ~0.02 (baseline 0.5)
 * ```
 */
export function train(options?: TrainOptions): TrainResult {
  const o = readOptions("train", options, TRAIN_OPTION_KEYS, { learningRate: "lr", activation: "nonlinearity" });
  const steps = positive("steps", o.steps ?? 300, true);
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`train: seed must be an integer, got ${String(seed)}`);
  const H = positive("hiddenSize", o.hiddenSize ?? 8, true);
  const T = positive("length", o.length ?? 12, true);
  const B = positive("batchSize", o.batchSize ?? 16, true);
  const maxMemory = positive("maxMemory", o.maxMemory ?? DEFAULT_MAX_MEMORY, false);
  // θ, its copy, Adam's m and v (4 × the parameters), and about ten T·B·H blocks per bptt call.
  const nParams = 2 * H + 2 * H * H + 2 * H + 2 * H + 1 + 1;
  const bytes = 8 * (4 * nParams + 10 * T * Math.max(B, 64) * (H + 1));
  if (bytes > maxMemory) {
    throw new RangeError(
      `train: hiddenSize = ${String(H)}, length = ${String(T)}, batchSize = ${String(B)} need about ${gigabytes(bytes)}, ` +
        `over maxMemory = ${gigabytes(maxMemory)}; pass { maxMemory: ${bytes.toPrecision(3)} } to allow it`,
    );
  }
  const optimizer = o.optimizer ?? "adam";
  if ((optimizer as string) !== "adam" && (optimizer as string) !== "sgd") {
    throw new TypeError(`train: optimizer must be "adam" or "sgd", got ${JSON.stringify(optimizer)}`);
  }
  const lr = positive("lr", o.lr ?? (optimizer === "adam" ? 0.03 : 0.5), false);
  const clip = o.clipNorm ?? 1;
  if (typeof clip !== "number" || !(clip > 0)) throw new RangeError(`train: clipNorm must be > 0, got ${String(clip)}`);
  const nonlinearity = o.nonlinearity ?? "sigmoid";
  if (o.onStep !== undefined && typeof o.onStep !== "function") throw new TypeError(`train: onStep must be a function, got ${typeof o.onStep}`);
  const lengths = readLengths(o.lengths, B, T);
  const heldLengths: number[] | undefined = lengths === undefined ? undefined : Array.from({ length: 64 }, (_, i) => lengths[i % B]!);
  const rng = createRng(seed);
  const init = initParams({ inputSize: 1, hiddenSize: H, outputSize: 1, rng, biases: true });
  // Flat working copies of every parameter.
  const theta = NAMES.map((n) => Float64Array.from(init[n]!.contiguous().data));
  const shapes = NAMES.map((n) => init[n]!.shape);
  const m = theta.map((a) => new Float64Array(a.length));
  const v = theta.map((a) => new Float64Array(a.length));
  const current = (): BiRnnParams => {
    const p: Record<string, Tensor> = {};
    NAMES.forEach((n, i) => (p[n] = new Tensor(Float64Array.from(theta[i]!), shapes[i]!)));
    return p as unknown as BiRnnParams;
  };
  const evalRng = rng.split();
  const held = makeTask(evalRng, T, 64, heldLengths);
  /** L and ∇L (mean reduction) by the analytic BPTT, refusing non-finite values with the step named. */
  const lossAndGrads = (x: Tensor, z: Tensor, which: "training" | "held-out", when: string): { loss: number; grads: Float64Array[] } => {
    const ls = which === "training" ? lengths : heldLengths;
    const p = prepare("train", current(), x, { nonlinearity, ...(ls === undefined ? {} : { lengths: ls }) });
    const zf = prepareTargets("train", z, p);
    const { T: n, B: b, K } = p.dims;
    const valid = ls === undefined ? n * b : ls.reduce((a, c) => a + c, 0);
    const g = backwardKernel(p, forwardKernel(p), zf, 1 / (valid * K), false);
    const grads = [g.gWf, g.gUf, g.gVf, g.gWb, g.gUb, g.gVb, g.gbf, g.gbb, g.gby];
    if (!Number.isFinite(g.loss) || grads.some((a) => firstNonFinite(a) >= 0)) {
      let largest = 0;
      for (const th of theta) for (const v of th) largest = Math.max(largest, Math.abs(v));
      const what = Number.isFinite(g.loss) ? `the ${which} gradient` : `the ${which} loss`;
      throw new RangeError(
        `train: ${what} became ${String(Number.isFinite(g.loss) ? "non-finite" : g.loss)} ${when} ` +
          `(lr = ${String(lr)}, optimizer = ${optimizer}; the parameters reached |θ| = ${largest.toExponential(3)}): lower lr`,
      );
    }
    return { loss: g.loss, grads };
  };
  const evaluate = (when: string): number => lossAndGrads(held.x, held.z, "held-out", when).loss;
  const evalBefore = evaluate("before training");
  const losses: number[] = [];
  let clippedSteps = 0;
  for (let step = 1; step <= steps; step++) {
    const { x, z } = makeTask(rng, T, B, lengths);
    const r = lossAndGrads(x, z, "training", `at step ${String(step)}`);
    const grads = r.grads;
    let sq = 0;
    for (const g of grads) for (const gi of g) sq += gi * gi;
    const norm = Math.sqrt(sq);
    const factor = norm > clip ? clip / norm : 1;
    if (factor < 1) clippedSteps++;
    theta.forEach((th, i) => {
      const g = grads[i]!;
      if (optimizer === "sgd") {
        for (let j = 0; j < th.length; j++) th[j] = th[j]! - lr * factor * g[j]!;
        return;
      }
      const mi = m[i]!;
      const vi = v[i]!;
      const c1 = 1 - 0.9 ** step;
      const c2 = 1 - 0.999 ** step;
      for (let j = 0; j < th.length; j++) {
        const gj = factor * g[j]!;
        mi[j] = 0.9 * mi[j]! + 0.1 * gj;
        vi[j] = 0.999 * vi[j]! + 0.001 * gj * gj;
        th[j] = th[j]! - (lr * (mi[j]! / c1)) / (Math.sqrt(vi[j]! / c2) + 1e-8);
      }
    });
    losses.push(r.loss);
    o.onStep?.(step, r.loss);
  }
  let baseline = 0;
  const zd = held.z.data;
  for (const zi of zd) baseline += zi * zi; // padded targets are 0
  baseline /= heldLengths === undefined ? zd.length : heldLengths.reduce((a, c) => a + c, 0);
  return { seed, params: current(), losses, evalBefore, evalAfter: evaluate("after training"), baseline, clippedSteps };
}
