/** Batch renormalization (Ioffe 2017) over an (N, C, …) layout. */
import { Tensor, readOptions, recordOp, toTensor, type TensorInput } from "@hw/tensor";
import { momentumWeight, newRunningStats, readRunningStats, sameRunningStats, type ReadRunning, type RunningStats } from "./batch-norm";
import { asTensorOf, checkGradYShape, showShape } from "./internal/core";
import { affine, nchw } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, type AffineOptions, type NormalizeGrads } from "./normalize";

/** Options of {@link batchRenorm} and {@link batchRenormBackward}. */
export interface BatchRenormOptions extends AffineOptions {
  /**
   * Training mode (the default) renormalizes the batch statistics towards the running ones and
   * updates them; inference (`false`) normalizes with the running statistics alone.
   * @defaultValue true
   */
  readonly training?: boolean;
  /**
   * The running mean $\mu$ and the running variance, one per channel; the running standard deviation
   * is $\sigma = \sqrt{\text{variance} + \epsilon}$ (as $\sigma_B$ includes ε), so inference equals
   * {@link batchNorm}'s with the same statistics.
   * @defaultValue fresh statistics (mean 0, variance 1, count 0), as {@link initRunningStats}
   */
  readonly runningStats?: RunningStats;
  /**
   * Update rate α of the running statistics (PyTorch convention, the weight of the new value):
   * $\mu \leftarrow \mu + \alpha(\mu_B - \mu)$, $\sigma \leftarrow \sigma + \alpha(\sigma_B - \sigma)$; `null` is
   * the cumulative average.
   * @defaultValue 0.01
   */
  readonly momentum?: number | null;
  /** Clip $r = \sigma_B/\sigma$ to $[1/r_{\max}, r_{\max}]$ (≥ 1; 1 is batch norm). @defaultValue 3 */
  readonly rMax?: number;
  /** Clip $d = (\mu_B-\mu)/\sigma$ to $[-d_{\max}, d_{\max}]$ (≥ 0; 0 is batch norm). @defaultValue 5 */
  readonly dMax?: number;
}

/** The result of {@link batchRenorm}. */
export interface BatchRenormResult {
  /** $y = \gamma\hat x + \beta$, shaped and typed as x. */
  readonly y: Tensor;
  /** The batch mean $\mu_B$ per channel (training) or the running mean (inference), `[C]`. */
  readonly mean: Tensor;
  /** The biased batch variance $\sigma_B^2$ per channel (training) or the running variance (inference), `[C]`. */
  readonly variance: Tensor;
  /** The correction $r$ per channel, `[C]` (1 in inference). */
  readonly r: Tensor;
  /** The correction $d$ per channel, `[C]` (0 in inference). */
  readonly d: Tensor;
  /** The updated running statistics (training) or the same ones (inference). */
  readonly runningStats: RunningStats;
}

const KEYS: readonly (keyof BatchRenormOptions)[] = [...AFFINE_KEYS, "training", "runningStats", "momentum", "rMax", "dMax"];

interface Prepared {
  readonly x: Tensor;
  readonly xs: Float64Array;
  readonly N: number;
  readonly C: number;
  /** Elements per (sample, channel): the product of the spatial sizes. */
  readonly S: number;
  readonly eps: number;
  readonly gamma: Float64Array | null;
  readonly beta: Float64Array | null;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
  readonly training: boolean;
  readonly running: ReadRunning;
  readonly rMax: number;
  readonly dMax: number;
  readonly options: BatchRenormOptions;
}

function values(t: Tensor): Float64Array {
  const c = t.contiguous();
  return Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
}

function prepare(op: string, xIn: TensorInput, optionsIn: BatchRenormOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, KEYS);
  const x = nchw(op, xIn, 2, "(N, C, …)");
  const N = x.shape[0]!;
  const C = x.shape[1]!;
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const a = affine(op, options, [C], "one per channel");
  const training = options.training ?? true;
  if (typeof training !== "boolean") throw new TypeError(`${op}: training must be a boolean, got ${JSON.stringify(training)}`);
  const running =
    options.runningStats === undefined
      ? readRunningStats(op, { mean: new Tensor(new Float64Array(C), [C]), variance: new Tensor(new Float64Array(C).fill(1), [C]), count: 0 }, C)
      : readRunningStats(op, options.runningStats, C);
  const rMax = options.rMax ?? 3;
  if (typeof rMax !== "number" || !(rMax >= 1)) throw new RangeError(`${op}: rMax must be a number ≥ 1 (Infinity: no clipping), got ${String(rMax)}`);
  const dMax = options.dMax ?? 5;
  if (typeof dMax !== "number" || !(dMax >= 0)) throw new RangeError(`${op}: dMax must be a number ≥ 0 (Infinity: no clipping), got ${String(dMax)}`);
  if (training && N * S <= 1 && x.size > 0) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input shape ${showShape(x.shape)}`);
  }
  return { x, xs: values(x), N, C, S, eps: a.eps, gamma: a.gamma, beta: a.beta, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor, training, running, rMax, dMax, options };
}

/** Per-channel statistics of a training batch and the corrections r, d. */
interface Stats {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** σ_B = √(σ_B² + ε) (training) or the running σ (inference). */
  readonly sigma: Float64Array;
  readonly r: Float64Array;
  readonly d: Float64Array;
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function statistics(p: Prepared): Stats {
  const { N, C, S, xs, eps, running } = p;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  const sigma = new Float64Array(C);
  const r = new Float64Array(C).fill(1);
  const d = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const runSigma = Math.sqrt(running.var[c]! + eps);
    if (!p.training) {
      mean[c] = running.mean[c]!;
      variance[c] = running.var[c]!;
      sigma[c] = runSigma;
      continue;
    }
    // Two-pass moments over the batch and spatial axes.
    let s = 0;
    for (let b = 0; b < N; b++) for (let f = 0, o = (b * C + c) * S; f < S; f++) s += xs[o + f]!;
    const mu = s / (N * S);
    let m2 = 0;
    for (let b = 0; b < N; b++) {
      for (let f = 0, o = (b * C + c) * S; f < S; f++) {
        const t = xs[o + f]! - mu;
        m2 += t * t;
      }
    }
    mean[c] = mu;
    variance[c] = m2 / (N * S);
    sigma[c] = Math.sqrt(variance[c]! + eps);
    r[c] = clip(sigma[c]! / runSigma, 1 / p.rMax, p.rMax);
    d[c] = clip((mu - running.mean[c]!) / runSigma, -p.dMax, p.dMax);
  }
  return { mean, variance, sigma, r, d };
}

function like(x: Tensor, data: Float64Array): Tensor {
  return new Tensor(x.dtype === "float32" ? Float32Array.from(data) : data, x.shape);
}

/** x̂ = r (x − μ_B)/σ_B + d (training) or (x − μ)/σ (inference), as a flat array. */
function normalized(p: Prepared, st: Stats): Float64Array {
  const { N, C, S, xs } = p;
  const out = new Float64Array(xs.length);
  for (let b = 0; b < N; b++) {
    for (let c = 0; c < C; c++) {
      const k = st.r[c]! / st.sigma[c]!;
      const mu = st.mean[c]!;
      const d = st.d[c]!;
      for (let f = 0, o = (b * C + c) * S; f < S; f++) out[o + f] = (xs[o + f]! - mu) * k + d;
    }
  }
  return out;
}

function backward(p: Prepared, st: Stats, xh: Float64Array, gy: Float64Array): { gradX: Float64Array; gradGamma: Float64Array; gradBeta: Float64Array } {
  const { N, C, S } = p;
  const n = N * S;
  const gradX = new Float64Array(gy.length);
  const gradGamma = new Float64Array(C);
  const gradBeta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const gamma = p.gamma?.[c] ?? 1;
    const r = st.r[c]!;
    const mu = st.mean[c]!;
    const inv = 1 / st.sigma[c]!;
    // Sums of g = γ r ȳ and of g·x̂₀ with x̂₀ = (x − μ_B)/σ_B.
    let sg = 0;
    let sgx = 0;
    for (let b = 0; b < N; b++) {
      for (let f = 0, o = (b * C + c) * S; f < S; f++) {
        const g = gy[o + f]!;
        gradGamma[c] = gradGamma[c]! + g * xh[o + f]!;
        gradBeta[c] = gradBeta[c]! + g;
        sg += gamma * r * g;
        sgx += gamma * r * g * (p.xs[o + f]! - mu) * inv;
      }
    }
    const mg = p.training ? sg / n : 0;
    const mgx = p.training ? sgx / n : 0;
    for (let b = 0; b < N; b++) {
      for (let f = 0, o = (b * C + c) * S; f < S; f++) {
        const x0 = (p.xs[o + f]! - mu) * inv;
        gradX[o + f] = inv * (gamma * r * gy[o + f]! - mg - x0 * mgx);
      }
    }
  }
  return { gradX, gradGamma, gradBeta };
}

/**
 * Batch renormalization (Ioffe 2017, Algorithm 1) of an (N, C, …) input, per channel over the batch
 * and spatial axes. Training mode:
 *
 * $$\sigma_B = \sqrt{\sigma_B^2 + \epsilon},\quad
 *   r = \operatorname{clip}_{[1/r_{\max},\,r_{\max}]}\!\Big(\frac{\sigma_B}{\sigma}\Big),\quad
 *   d = \operatorname{clip}_{[-d_{\max},\,d_{\max}]}\!\Big(\frac{\mu_B-\mu}{\sigma}\Big),\quad
 *   y = \gamma\Big(\frac{x-\mu_B}{\sigma_B}\,r + d\Big) + \beta,$$
 *
 * with r and d treated as constants by the gradient (`stop_gradient`), then
 * $\mu \leftarrow \mu + \alpha(\mu_B-\mu)$, $\sigma \leftarrow \sigma + \alpha(\sigma_B-\sigma)$, where the
 * running σ is $\sqrt{\text{variance}+\epsilon}$ of `runningStats`. Inference:
 * $y = \gamma(x-\mu)/\sigma + \beta$ (= {@link batchNorm} in inference). With `rMax: 1, dMax: 0` it
 * is batch normalization. Differentiable under `grad` (x, γ, β) with the rule of {@link batchRenormBackward}.
 *
 * @param x - Input of shape `[N, C]` or `[N, C, …spatial]`.
 * @param options - `eps`, per-channel `gamma`/`beta`, `training`, `runningStats`, `momentum` (α, default 0.01), `rMax` (3), `dMax` (5).
 * @returns `{ y, mean, variance, r, d, runningStats }` (statistics of shape `[C]`).
 * @throws RangeError for rank < 2, parameters or running statistics not of length C, rMax < 1,
 *   dMax < 0, a momentum outside [0, 1], or one value per channel when training; TypeError for an unknown option.
 * @example
 * ```ts
 * const stats = initRunningStats(2);
 * const { y, r, d, runningStats } = batchRenorm(problemTensor(), { runningStats: stats });
 * ```
 */
export function batchRenorm(x: TensorInput, options?: BatchRenormOptions): BatchRenormResult {
  const op = "batchRenorm";
  const p = prepare(op, x, options);
  momentumWeight(op, p.options.momentum, 0.01, 1);
  const st = statistics(p);
  const xh = normalized(p, st);
  const y = new Float64Array(xh.length);
  for (let b = 0; b < p.N; b++) {
    for (let c = 0; c < p.C; c++) {
      const g = p.gamma?.[c] ?? 1;
      const be = p.beta?.[c] ?? 0;
      for (let f = 0, o = (b * p.C + c) * p.S; f < p.S; f++) y[o + f] = g * xh[o + f]! + be;
    }
  }
  const out = like(p.x, y);
  const inputs = [p.x, ...(p.gammaTensor === null ? [] : [p.gammaTensor]), ...(p.betaTensor === null ? [] : [p.betaTensor])];
  recordOp(op, inputs, out, (g) => {
    const bw = backward(p, st, xh, values(g));
    const grads = [like(p.x, bw.gradX)];
    if (p.gammaTensor !== null) grads.push(asTensorOf(bw.gradGamma, p.gammaTensor.shape, p.gammaTensor.dtype));
    if (p.betaTensor !== null) grads.push(asTensorOf(bw.gradBeta, p.betaTensor.shape, p.betaTensor.dtype));
    return grads;
  });
  let runningStats: RunningStats;
  if (!p.training) runningStats = sameRunningStats(op, p.running);
  else {
    const count = p.running.count + 1;
    const w = momentumWeight(op, p.options.momentum, 0.01, count);
    const mean = new Float64Array(p.C);
    const variance = new Float64Array(p.C);
    for (let c = 0; c < p.C; c++) {
      mean[c] = p.running.mean[c]! + w * (st.mean[c]! - p.running.mean[c]!);
      const sigma = Math.sqrt(p.running.var[c]! + p.eps);
      const next = sigma + w * (st.sigma[c]! - sigma);
      variance[c] = Math.max(0, next * next - p.eps);
    }
    runningStats = newRunningStats(op, { mean, variance, count }, p.running);
  }
  const stat = (v: Float64Array): Tensor => asTensorOf(v, [p.C], p.x.dtype);
  return { y: out, mean: stat(st.mean), variance: stat(st.variance), r: stat(st.r), d: stat(st.d), runningStats };
}

/**
 * The analytic backward pass of {@link batchRenorm} (r, d constants). Training: with
 * $\hat x_0 = (x-\mu_B)/\sigma_B$ and $g = \gamma\,r\,\bar y$,
 *
 * $$\bar x = \frac{1}{\sigma_B}\Big(g - \overline{g} - \hat x_0\,\overline{g\,\hat x_0}\Big),\qquad
 *   \bar\gamma_c = \sum \bar y\,\hat x,\qquad \bar\beta_c = \sum \bar y$$
 *
 * (means over the channel's batch and spatial positions); inference: $\bar x = \gamma\,\bar y/\sigma$.
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as x.
 * @param options - The forward options (the running statistics BEFORE the forward's update).
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients of shape `[C]`).
 * @throws RangeError as {@link batchRenorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link batchRenorm}).
 * @example
 * ```ts
 * const { gradX } = batchRenormBackward(problemTensor(), onesLike(problemTensor()), { runningStats: initRunningStats(2) });
 * ```
 */
export function batchRenormBackward(x: TensorInput, gradY: TensorInput, options?: BatchRenormOptions): NormalizeGrads {
  const op = "batchRenormBackward";
  const p = prepare(op, x, options);
  momentumWeight(op, p.options.momentum, 0.01, 1);
  const dy = toTensor(gradY, `${op}: gradY`);
  refuseGrad(op, [p.x, dy, p.gammaTensor, p.betaTensor]);
  checkGradYShape(op, dy, p.x);
  const st = statistics(p);
  const bw = backward(p, st, normalized(p, st), values(dy));
  return { gradX: like(p.x, bw.gradX), gradGamma: new Tensor(bw.gradGamma, [p.C]), gradBeta: new Tensor(bw.gradBeta, [p.C]) };
}
