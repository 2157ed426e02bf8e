/**
 * Batch normalization over an (N, C, …) layout, with PyTorch's training/inference behaviour and
 * running statistics.
 */
import { assertNotDifferentiated, isTensor, readOptions, toTensor, type DType, type Tensor, type TensorInput, withDeprecatedField } from "@hw/tensor";
import { asTensorOf, backward, checkGradYShape, forwardRecorded, outTarget, paramValues, showShape, viewOf, type OutTarget, type Spec } from "./internal/core";
import { affine, nchw, perChannelShape } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

/**
 * Running statistics of a batch-norm layer (PyTorch's `running_mean`, `running_var` and
 * `num_batches_tracked`). Immutable: {@link batchNorm} returns an updated copy.
 */
export interface RunningStats {
  /** Running mean, one per channel. */
  readonly mean: Tensor;
  /** Running variance, one per channel — updated with the UNBIASED batch variance, as PyTorch does. */
  readonly variance: Tensor;
  /** Number of training batches seen (used by the cumulative average, `momentum: null`). */
  readonly count: number;
  /**
   * @deprecated Renamed to `variance`; removed in 0.2.0. (Objects hw returns carry it as a getter that
   * warns once; objects you build may still use it as a key, read with a warning.)
   */
  readonly var?: Tensor;
}

/** The 0.0 spelling of {@link RunningStats} (`var` for `variance`), still read with a deprecation warning. */
interface LegacyRunningStats {
  readonly mean: Tensor;
  /** @deprecated Use `variance`. */
  readonly var: Tensor;
  readonly count: number;
}

function runningStatsOf(op: string, mean: Tensor, variance: Tensor, count: number): RunningStats {
  return withDeprecatedField(op, { mean, variance, count }, "var", "variance");
}

/** Options of {@link initRunningStats}. */
export interface InitRunningStatsOptions {
  /** Element type of the statistics. @defaultValue "float64" */
  readonly dtype?: DType;
}

/**
 * Fresh running statistics for `channels` channels: mean 0, variance 1, count 0 (PyTorch's
 * initial values).
 *
 * @param channels - Number of channels C (a non-negative integer).
 * @param options - `dtype`.
 * @returns `{ mean: zeros(C), variance: ones(C), count: 0 }`.
 * @throws RangeError when `channels` is not a non-negative integer.
 * @example
 * ```ts
 * initRunningStats(2).variance.toArray(); // => [1, 1]
 * ```
 */
export function initRunningStats(channels: number, options?: InitRunningStatsOptions): RunningStats {
  const o = readOptions("initRunningStats", options, ["dtype"]);
  if (!Number.isInteger(channels) || channels < 0) {
    throw new RangeError(`initRunningStats: channels must be a non-negative integer, got ${String(channels)}`);
  }
  const dtype = o.dtype ?? "float64";
  if ((dtype as string) !== "float64" && (dtype as string) !== "float32") throw new TypeError(`initRunningStats: dtype must be "float64" or "float32", got ${JSON.stringify(dtype)}`);
  return runningStatsOf("initRunningStats", asTensorOf(new Float64Array(channels), [channels], dtype), asTensorOf(new Float64Array(channels).fill(1), [channels], dtype), 0);
}

/** Options of {@link batchNorm} and {@link batchNormBackward}. */
export interface BatchNormOptions extends AffineOptions {
  /**
   * Training mode normalizes with the batch's statistics (and updates `runningStats`); inference mode
   * (`false`) normalizes with `runningStats`, which is then required.
   * @defaultValue true
   */
  readonly training?: boolean;
  /**
   * Running statistics `{ mean, variance, count }` to use (inference) or update (training) — PyTorch's
   * `running_mean`, `running_var`, `num_batches_tracked`. Buffers, not parameters: they are never
   * differentiated (inside `grad` a tracked one is a NotDifferentiableError).
   * @defaultValue none
   */
  readonly runningStats?: RunningStats | LegacyRunningStats;
  /** @deprecated Renamed to {@link BatchNormOptions.runningStats}; removed in 0.2.0. */
  readonly running?: RunningStats | LegacyRunningStats;
  /**
   * PyTorch's convention: $\hat r \leftarrow (1-m)\,\hat r + m\,r_{\text{batch}}$, so a small
   * momentum means a slow average. `null` gives the cumulative average ($m = 1/\text{count}$).
   * Keras/TensorFlow use the opposite convention ($\hat r \leftarrow k\,\hat r + (1-k)\,r$, default
   * k = 0.99): convert with {@link momentumFromKeras}.
   * @defaultValue 0.1
   */
  readonly momentum?: number | null;
  /**
   * Write `y` into this tensor instead of a fresh array, and return it as `y`: contiguous, with the
   * input's shape and dtype (it may be `x` itself, for in place). A training loop that reuses one
   * buffer per step skips the cost of a fresh allocation — for large inputs mostly the operating
   * system's page faults on first write, several times the arithmetic of the pass. Not inside
   * `grad` (a tape cannot record a write into an existing tensor).
   * @defaultValue a fresh array
   */
  readonly out?: Tensor;
}

/** Options of {@link batchNormBackward}: the forward options, plus the saved statistics and an output. */
export interface BatchNormBackwardOptions extends Omit<BatchNormOptions, "out"> {
  /**
   * The forward pass's batch statistics `{ mean, variance }` (shape `[C]`, the biased variance; the
   * result of {@link batchNorm} itself fits), as PyTorch saves them for its backward. Given, the
   * backward skips recomputing them (one read of x less). Training mode only: inference uses
   * `runningStats`.
   * @defaultValue recomputed from x
   */
  readonly saved?: { readonly mean: TensorInput; readonly variance: TensorInput };
  /**
   * Write the input gradient into `out.gradX` (contiguous, the input's shape and dtype; it may be
   * `gradY` itself) instead of a fresh array, and return it as `gradX`. Not inside `grad`.
   * @defaultValue a fresh array
   */
  readonly out?: { readonly gradX?: Tensor };
}

/** The result of {@link batchNorm}. */
export interface BatchNormResult extends NormalizeResult {
  /**
   * The updated running statistics (training with `runningStats` given), the same ones (inference),
   * or undefined when no `runningStats` was given.
   */
  readonly runningStats: RunningStats | undefined;
  /** @deprecated Renamed to `runningStats`; removed in 0.2.0. */
  readonly running: RunningStats | undefined;
}

const BATCH_NORM_KEYS: readonly (keyof BatchNormOptions)[] = [...AFFINE_KEYS, "training", "runningStats", "momentum", "out"];
const BATCH_NORM_BACKWARD_KEYS: readonly (keyof BatchNormBackwardOptions)[] = [...AFFINE_KEYS, "training", "runningStats", "momentum", "saved", "out"];
const BATCH_NORM_ALIASES = { running: "runningStats" } as const;

/**
 * PyTorch's momentum for a Keras/TensorFlow momentum: $m = 1 - k$ (Keras's default 0.99 is
 * PyTorch's 0.01; PyTorch's default 0.1 is Keras's 0.9).
 *
 * @param kerasMomentum - The weight Keras gives the OLD running value, in [0, 1].
 * @returns The weight PyTorch (and hw) give the NEW batch value.
 * @throws RangeError outside [0, 1].
 * @example
 * ```ts
 * momentumFromKeras(0.99); // => 0.01 (up to rounding)
 * ```
 */
export function momentumFromKeras(kerasMomentum: number): number {
  if (!(kerasMomentum >= 0 && kerasMomentum <= 1)) {
    throw new RangeError(`momentumFromKeras: momentum must be in [0, 1], got ${String(kerasMomentum)}`);
  }
  return 1 - kerasMomentum;
}

/**
 * Keras/TensorFlow's momentum for a PyTorch (hw) momentum: $k = 1 - m$.
 *
 * @param momentum - The weight of the new batch value, in [0, 1].
 * @returns The weight of the old running value.
 * @throws RangeError outside [0, 1].
 * @example
 * ```ts
 * momentumToKeras(0.1); // => 0.9
 * ```
 */
export function momentumToKeras(momentum: number): number {
  if (!(momentum >= 0 && momentum <= 1)) {
    throw new RangeError(`momentumToKeras: momentum must be in [0, 1], got ${String(momentum)}`);
  }
  return 1 - momentum;
}

/** @internal Running statistics read and checked against C channels. */
export interface ReadRunning {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  readonly count: number;
  readonly meanTensor: Tensor;
  readonly varianceTensor: Tensor;
}

/** @internal Read `{ mean, variance, count }` (buffers: refused inside `grad`), one value per channel. */
export function readRunningStats(op: string, value: unknown, channels: number): ReadRunning {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${op}: runningStats must be { mean, variance, count }, got ${value === null ? "null" : typeof value}`);
  }
  const r = readOptions(`${op}: runningStats`, value as RunningStats, ["mean", "variance", "count"], { var: "variance" });
  const count = r.count;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`${op}: runningStats.count must be a non-negative integer, got ${String(count)}`);
  const meanT = toTensor(r.mean, `${op}: runningStats.mean`);
  const varT = toTensor(r.variance, `${op}: runningStats.variance`);
  assertNotDifferentiated(op, [meanT, varT], "running statistics are buffers, not parameters");
  return {
    mean: paramValues(op, "runningStats.mean", meanT, [channels], "one per channel").values,
    var: paramValues(op, "runningStats.variance", varT, [channels], "one per channel").values,
    count,
    meanTensor: meanT,
    varianceTensor: varT,
  };
}

/** @internal The update weight of PyTorch's `momentum` (null: the cumulative average 1/count). */
export function momentumWeight(op: string, momentum: number | null | undefined, fallback: number, count: number): number {
  const m = momentum === undefined ? fallback : momentum;
  if (m !== null && (typeof m !== "number" || !(m >= 0 && m <= 1))) throw new RangeError(`${op}: momentum must be in [0, 1] or null, got ${String(m)}`);
  return m ?? 1 / count;
}

/** @internal Running statistics in the dtype of the ones given. */
export function newRunningStats(op: string, next: { mean: Float64Array; variance: Float64Array; count: number }, like: ReadRunning): RunningStats {
  const { mean, variance, count } = next;
  const dtype = like.meanTensor.dtype;
  return runningStatsOf(op, asTensorOf(mean, [mean.length], dtype), asTensorOf(variance, [variance.length], dtype), count);
}

/** @internal The same running statistics as a result value. */
export function sameRunningStats(op: string, r: ReadRunning): RunningStats {
  return runningStatsOf(op, r.meanTensor, r.varianceTensor, r.count);
}

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
  readonly channels: number;
  readonly training: boolean;
  readonly running: ReadRunning | null;
  readonly options: BatchNormOptions & BatchNormBackwardOptions;
}

function prepare(op: string, xIn: TensorInput, optionsIn: BatchNormOptions | BatchNormBackwardOptions | undefined, keys: readonly string[]): Prepared {
  const options = readOptions(op, optionsIn as BatchNormOptions & BatchNormBackwardOptions, keys as (keyof (BatchNormOptions & BatchNormBackwardOptions))[], BATCH_NORM_ALIASES);
  const x = nchw(op, xIn, 2, "(N, C, …)");
  const channels = x.shape[1]!;
  const a = affine(op, options, [channels], "one per channel");
  const training = options.training ?? true;
  if (typeof training !== "boolean") throw new TypeError(`${op}: training must be a boolean, got ${JSON.stringify(training)}`);
  const running = options.runningStats === undefined ? null : readRunningStats(op, options.runningStats, channels);
  const pooled = x.size / Math.max(channels, 1);
  if (training && pooled <= 1 && x.size > 0) {
    throw new RangeError(`${op}: expected more than 1 value per channel when training, got input shape ${showShape(x.shape)}`);
  }
  if (!training && running === null) {
    throw new RangeError(`${op}: inference (training: false) needs running statistics (options.runningStats)`);
  }
  const spec: Spec = {
    op,
    x,
    view: viewOf(x),
    reduced: x.shape.map((_, k) => k !== 1),
    paramShape: perChannelShape(channels, x.ndim),
    paramPublicShape: [channels],
    gamma: a.gamma,
    beta: a.beta,
    eps: a.eps,
    statShape: [channels],
    ...(!training && running ? { fixed: { mean: running.mean, var: running.var } } : {}),
  };
  return { spec, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor, channels, training, running, options };
}

/**
 * Batch normalization of an (N, C, …) input: statistics per channel over the batch and every
 * spatial axis,
 *
 * $$\mu_c = \frac1n\sum_{b,f} x_{b,c,f},\quad \sigma_c^2 = \frac1n\sum_{b,f}(x_{b,c,f}-\mu_c)^2,\quad
 * y = \gamma_c\frac{x-\mu_c}{\sqrt{\sigma_c^2+\epsilon}} + \beta_c .$$
 *
 * Training mode (the default) uses the batch statistics (biased $\sigma^2$) and, when `runningStats` is
 * given, returns it updated as PyTorch does:
 * $\hat\mu \leftarrow (1-m)\hat\mu + m\mu$, $\hat\sigma^2 \leftarrow (1-m)\hat\sigma^2 + m\,\tfrac{n}{n-1}\sigma^2$
 * (the UNBIASED variance goes into the running average). Inference mode uses `runningStats`.
 *
 * @param x - Input of shape `[N, C]` or `[N, C, …spatial]`.
 * @param options - `eps`, per-channel `gamma`/`beta` (length C), `training`, `runningStats`
 *   (`running` is a deprecated alias), `momentum`, and `out`: a tensor to write `y` into.
 * @returns `{ y, mean, variance, runningStats }`: `mean`/`variance` have shape `[C]` (the batch's in
 *   training, the running ones in inference). `var` and `running` are deprecated aliases.
 * @throws RangeError for rank < 2, parameters or running statistics not of length C, a training
 *   batch with one value per channel, inference without `runningStats`, or a momentum outside [0, 1];
 *   TypeError for an unknown option.
 * @example
 * ```ts
 * const { mean, variance: v } = batchNorm(problemTensor());
 * mean.toArray(); // => [2.5, 2.5833…]
 * v.toArray();    // => [0.5833…, 1.0763…]
 * ```
 */
export function batchNorm(x: TensorInput, options?: BatchNormOptions): BatchNormResult {
  const p = prepare("batchNorm", x, options, BATCH_NORM_KEYS);
  const momentum = p.options.momentum;
  momentumWeight("batchNorm", momentum, 0.1, 1);
  let into: OutTarget | undefined;
  if (p.options.out !== undefined) {
    assertNotDifferentiated("batchNorm", [p.spec.x, p.gammaTensor, p.betaTensor, p.options.out], "options.out writes into an existing tensor; leave it out inside grad");
    into = outTarget("batchNorm", "options.out", p.options.out, p.spec.x, [["x", p.spec.x]]);
  }
  const f = forwardRecorded(p.spec, p.gammaTensor, p.betaTensor, into);
  let running: RunningStats | undefined;
  if (p.running !== null) {
    if (!p.training) {
      running = sameRunningStats("batchNorm", p.running);
    } else {
      const count = p.running.count + 1;
      const w = momentumWeight("batchNorm", momentum, 0.1, count);
      const n = p.spec.x.size / p.channels;
      const mean = new Float64Array(p.channels);
      const variance = new Float64Array(p.channels);
      for (let c = 0; c < p.channels; c++) {
        mean[c] = (1 - w) * p.running.mean[c]! + w * f.mean[c]!;
        variance[c] = (1 - w) * p.running.var[c]! + w * ((f.var[c]! * n) / (n - 1));
      }
      running = newRunningStats("batchNorm", { mean, variance, count }, p.running);
    }
  }
  const result = toResult(p.spec, f, { runningStats: running });
  return withDeprecatedField("batchNorm", result, "running", "runningStats");
}

/**
 * The analytic backward pass of {@link batchNorm}. Training mode (the statistics depend on x):
 *
 * $$\bar x_{b,c,f} = \frac{1}{\sqrt{\sigma_c^2+\epsilon}}\Big(g - \frac1n\sum_{b,f} g - \hat x\,\frac1n\sum_{b,f} g\,\hat x\Big),\quad g = \gamma_c\bar y,$$
 *
 * $\bar\gamma_c = \sum_{b,f}\bar y\,\hat x$, $\bar\beta_c = \sum_{b,f}\bar y$. Inference mode (the
 * running statistics are constants): $\bar x = \gamma_c\,\bar y/\sqrt{\hat\sigma_c^2+\epsilon}$.
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param options - The forward options (`momentum` and `out` are ignored), plus `saved`: the
 *   forward's `{ mean, variance }` (skips recomputing them), and `out: { gradX }`: a tensor to write
 *   the input gradient into.
 * @returns `{ gradX, gradGamma, gradBeta }` (the parameter gradients have shape `[C]`).
 * @throws RangeError as {@link batchNorm}, for a `gradY` of another shape, `saved` statistics not of
 *   length C (or in inference mode), and an `out.gradX` of another shape or overlapping an input;
 *   TypeError for an `out.gradX` of another dtype.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link batchNorm}).
 * @example
 * ```ts
 * const { gradGamma } = batchNormBackward(problemTensor(), onesLike(problemTensor()));
 * // A training step reusing the forward statistics and one gradient buffer:
 * const forward = batchNorm(x, { gamma, beta, out: yBuffer });
 * batchNormBackward(x, gradY, { gamma, beta, saved: forward, out: { gradX: gradXBuffer } });
 * ```
 */
export function batchNormBackward(x: TensorInput, gradY: TensorInput, options?: BatchNormBackwardOptions): NormalizeGrads {
  const op = "batchNormBackward";
  const p = prepare(op, x, options, BATCH_NORM_BACKWARD_KEYS);
  const dy = toTensor(gradY, `${op}: gradY`);
  refuseGrad(op, [p.spec.x, dy, p.gammaTensor, p.betaTensor]);
  const saved = p.options.saved === undefined ? undefined : savedStats(op, p.options.saved, p.channels, p.training);
  let into: OutTarget | undefined;
  const out: unknown = p.options.out;
  if (out !== undefined) {
    if (typeof out !== "object" || out === null || isTensor(out) || Array.isArray(out)) {
      const what = isTensor(out) ? "a Tensor (the forward's out option? here it is { gradX })" : out === null ? "null" : typeof out;
      throw new TypeError(`${op}: options.out must be { gradX: Tensor }, got ${what}`);
    }
    const o = readOptions(`${op}: options.out`, out as { gradX?: Tensor }, ["gradX"]);
    if (o.gradX !== undefined) {
      refuseGrad(op, [o.gradX]);
      checkGradYShape(op, dy, p.spec.x); // before the out check, so a wrong gradY is named first
      into = outTarget(op, "options.out.gradX", o.gradX, p.spec.x, [["x", p.spec.x], ["gradY", dy]]);
    }
  }
  return toGrads(p.spec, backward(p.spec, dy, saved, into));
}

/** Read `saved: { mean, variance }` (one value per channel; variance ≥ 0), training mode only. */
function savedStats(op: string, value: unknown, channels: number, training: boolean): { mean: Float64Array; var: Float64Array } {
  if (!training) {
    throw new RangeError(`${op}: options.saved holds batch statistics, but training is false (inference normalizes with runningStats)`);
  }
  if (typeof value !== "object" || value === null || isTensor(value) || Array.isArray(value)) {
    throw new TypeError(`${op}: options.saved must be { mean, variance } (the result of batchNorm fits), got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  const s = value as { mean?: TensorInput; variance?: TensorInput };
  if (s.mean === undefined || s.variance === undefined) {
    throw new TypeError(`${op}: options.saved must have both mean and variance (the result of batchNorm fits)`);
  }
  const meanT = toTensor(s.mean, `${op}: saved.mean`);
  const varT = toTensor(s.variance, `${op}: saved.variance`);
  refuseGrad(op, [meanT, varT]);
  const mean = paramValues(op, "saved.mean", meanT, [channels], "one per channel").values;
  const variance = paramValues(op, "saved.variance", varT, [channels], "one per channel").values;
  variance.forEach((v, c) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${op}: saved.variance[${c}] must be finite and ≥ 0, got ${String(v)}`);
  });
  mean.forEach((m, c) => {
    if (!Number.isFinite(m)) throw new RangeError(`${op}: saved.mean[${c}] must be finite, got ${String(m)}`);
  });
  return { mean, var: variance };
}
