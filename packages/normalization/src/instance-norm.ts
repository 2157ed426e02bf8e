/** Instance normalization: per sample and channel, over the spatial axes. */
import { readOptions, toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import { momentumWeight, newRunningStats, readRunningStats, sameRunningStats, type ReadRunning, type RunningStats } from "./batch-norm";
import { backward, forwardRecorded, showShape, viewOf, type Spec } from "./internal/core";
import { affine, nchw, perChannelShape } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

/** Options of {@link instanceNorm} and {@link instanceNormBackward}. */
export interface InstanceNormOptions extends AffineOptions {
  /**
   * With `runningStats` (PyTorch's `track_running_stats=True`): training mode (the default)
   * normalizes each instance with its own statistics and updates `runningStats`; inference mode
   * (`false`) normalizes every instance with the per-channel running statistics. Without
   * `runningStats` both modes use the instance statistics (PyTorch's `track_running_stats=False`).
   * @defaultValue true
   */
  readonly training?: boolean;
  /**
   * Per-channel running statistics `{ mean, variance, count }` to update (training) or use
   * (inference), as {@link batchNorm}'s; {@link initRunningStats} makes fresh ones.
   * @defaultValue none (no running statistics)
   */
  readonly runningStats?: RunningStats;
  /**
   * PyTorch's convention, $\hat r \leftarrow (1-m)\,\hat r + m\,r_{\text{batch}}$; `null` is the
   * cumulative average ($m = 1/\text{count}$, an hw extension: PyTorch's InstanceNorm has no such mode).
   * @defaultValue 0.1
   */
  readonly momentum?: number | null;
}

/** The result of {@link instanceNorm}. */
export interface InstanceNormResult extends NormalizeResult {
  /** The updated running statistics (training), the same ones (inference), or undefined when none were given. */
  readonly runningStats: RunningStats | undefined;
}

const INSTANCE_NORM_KEYS: readonly (keyof InstanceNormOptions)[] = [...AFFINE_KEYS, "training", "runningStats", "momentum"];

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
  readonly running: ReadRunning | null;
  readonly training: boolean;
  readonly options: InstanceNormOptions;
}

function prepare(op: string, xIn: TensorInput, optionsIn: InstanceNormOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, INSTANCE_NORM_KEYS);
  const x = nchw(op, xIn, 3, "(N, C, …spatial)");
  const channels = x.shape[1]!;
  const a = affine(op, options, [channels], "one per channel");
  const training = options.training ?? true;
  if (typeof training !== "boolean") throw new TypeError(`${op}: training must be a boolean, got ${JSON.stringify(training)}`);
  const running = options.runningStats === undefined ? null : readRunningStats(op, options.runningStats, channels);
  const N = x.shape[0]!;
  const spatial = channels === 0 || N === 0 ? 0 : x.size / (N * channels);
  if (training && running !== null && spatial <= 1 && x.size > 0) {
    throw new RangeError(`${op}: expected more than 1 spatial element per channel when training with runningStats, got input shape ${showShape(x.shape)}`);
  }
  // Inference with running statistics: every instance (b, c) uses channel c's running values.
  const tile = (v: Float64Array): Float64Array => {
    const out = new Float64Array(N * channels);
    for (let b = 0; b < N; b++) out.set(v, b * channels);
    return out;
  };
  const spec: Spec = {
    op,
    x,
    view: viewOf(x),
    reduced: x.shape.map((_, k) => k >= 2),
    paramShape: perChannelShape(channels, x.ndim),
    paramPublicShape: [channels],
    gamma: a.gamma,
    beta: a.beta,
    eps: a.eps,
    statShape: [x.shape[0]!, channels],
    ...(!training && running !== null ? { fixed: { mean: tile(running.mean), var: tile(running.var) } } : {}),
  };
  return { spec, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor, running, training, options };
}

/**
 * Instance normalization of an (N, C, …spatial) input: statistics per sample and channel over the
 * spatial axes,
 *
 * $$\mu_{b,c} = \frac1n\sum_f x_{b,c,f},\quad \sigma_{b,c}^2 = \frac1n\sum_f (x_{b,c,f}-\mu_{b,c})^2,\quad
 * y = \gamma_c\frac{x-\mu_{b,c}}{\sqrt{\sigma_{b,c}^2+\epsilon}}+\beta_c .$$
 *
 * The affine map is OFF unless `gamma`/`beta` are given (PyTorch's `InstanceNorm` default
 * `affine=False`). Running statistics only when `runningStats` is given (PyTorch's
 * `track_running_stats=True`): training then returns them updated with the batch average of the
 * instance statistics, the UNBIASED instance variance as PyTorch does,
 * $$\hat\mu_c \leftarrow (1-m)\hat\mu_c + \frac mN\sum_b\mu_{b,c},\qquad
 *   \hat\sigma^2_c \leftarrow (1-m)\hat\sigma^2_c + \frac mN\sum_b \tfrac{n}{n-1}\sigma^2_{b,c},$$
 * and inference (`training: false`) normalizes with them: $y = \gamma_c(x-\hat\mu_c)/\sqrt{\hat\sigma^2_c+\epsilon}+\beta_c$.
 *
 * @param x - Input of shape `[N, C, …spatial]` (rank ≥ 3).
 * @param options - `eps`, optional per-channel `gamma`/`beta` (length C), `training`, `runningStats`, `momentum`.
 * @returns `{ y, mean, variance, runningStats }` with statistics of shape `[N, C]` (in inference
 *   with running statistics: the running values, repeated for every instance).
 * @throws RangeError for rank < 3, parameters or running statistics not of length C, one spatial
 *   element per channel when training with running statistics, or a momentum outside [0, 1].
 * @example
 * ```ts
 * instanceNorm(problemTensor()).mean.toArray(); // => [[2, 2], [2.6667…, 3.3333…], …]
 * ```
 */
export function instanceNorm(x: TensorInput, options?: InstanceNormOptions): InstanceNormResult {
  const op = "instanceNorm";
  const p = prepare(op, x, options);
  momentumWeight(op, p.options.momentum, 0.1, 1);
  const f = forwardRecorded(p.spec, p.gammaTensor, p.betaTensor);
  let runningStats: RunningStats | undefined;
  if (p.running !== null) {
    if (!p.training) runningStats = sameRunningStats(op, p.running);
    else {
      const count = p.running.count + 1;
      const w = momentumWeight(op, p.options.momentum, 0.1, count);
      const [N, C] = [p.spec.x.shape[0]!, p.spec.x.shape[1]!];
      const n = p.spec.x.size / (N * C);
      const mean = new Float64Array(C);
      const variance = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        let m = 0;
        let v = 0;
        for (let b = 0; b < N; b++) {
          m += f.mean[b * C + c]!;
          v += (f.var[b * C + c]! * n) / (n - 1);
        }
        mean[c] = (1 - w) * p.running.mean[c]! + (w * m) / N;
        variance[c] = (1 - w) * p.running.var[c]! + (w * v) / N;
      }
      runningStats = newRunningStats(op, { mean, variance, count }, p.running);
    }
  }
  return toResult(p.spec, f, { runningStats });
}

/**
 * The analytic backward pass of {@link instanceNorm} (the pools are each (b, c)'s spatial axes):
 * $$\bar x = \frac{1}{\sqrt{\sigma_{b,c}^2+\epsilon}}\big(g - \overline{g} - \hat x\,\overline{g\hat x}\big),\quad g = \gamma_c\bar y ;$$
 * in inference with running statistics (constants) $\bar x = \gamma_c\bar y/\sqrt{\hat\sigma^2_c+\epsilon}$.
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param options - As in the forward pass.
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients of shape `[C]`, for γ = 1, β = 0
 *   when none were given).
 * @throws RangeError as {@link instanceNorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link instanceNorm}).
 * @example
 * ```ts
 * const { gradX } = instanceNormBackward(problemTensor(), onesLike(problemTensor()));
 * ```
 */
export function instanceNormBackward(x: TensorInput, gradY: TensorInput, options?: InstanceNormOptions): NormalizeGrads {
  const p = prepare("instanceNormBackward", x, options);
  const dy = toTensor(gradY, "instanceNormBackward: gradY");
  refuseGrad("instanceNormBackward", [p.spec.x, dy, p.gammaTensor, p.betaTensor]);
  return toGrads(p.spec, backward(p.spec, dy));
}
