/**
 * `normalize`: the one axis-driven core behind batch, layer, instance and group normalization.
 */
import { assertNotDifferentiated, readOptions, toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import { asTensorOf, backward, checkAxes, checkEps, forwardRecorded, showShape, viewOf, type Backward, type Forward, type Spec } from "./internal/core";
import { withDeprecatedField } from "./internal/deprecated";

/** The options every normalization shares: `eps` and the affine parameters. */
export interface AffineOptions {
  /**
   * Added to the variance inside the square root: $1/\sqrt{\sigma^2 + \epsilon}$ (as PyTorch; the
   * TensorFlow.js docs write it outside, which is not what it computes either).
   * @defaultValue 1e-5
   */
  readonly eps?: number;
  /** Scale $\gamma$ (a tensor or nested arrays). @defaultValue no scale (γ = 1) */
  readonly gamma?: TensorInput;
  /** Shift $\beta$ (a tensor or nested arrays). @defaultValue no shift (β = 0) */
  readonly beta?: TensorInput;
}

/** @internal The keys of {@link AffineOptions}, for `readOptions`. */
export const AFFINE_KEYS = ["eps", "gamma", "beta"] as const;

/** Options of {@link normalize}. */
export interface NormalizeOptions extends AffineOptions {
  /** The axes pooled into each statistic (negative axes count from the end). */
  readonly axes: number | readonly number[];
}

/** What every forward normalization returns. */
export interface NormalizeResult {
  /** The normalized output $y = \gamma\hat x + \beta$, shaped and typed as the input. */
  readonly y: Tensor;
  /** The mean of each pooled group, over the kept axes. */
  readonly mean: Tensor;
  /**
   * The biased variance (divided by the number $n$ of pooled elements, as in the problem set) of
   * each pooled group — the one normalization uses. In batch norm's inference mode, the running
   * variance.
   */
  readonly variance: Tensor;
  /** @deprecated Renamed to `variance` (the vocabulary's one name); removed in 0.2.0. */
  readonly var: Tensor;
}

/** What every backward pass returns. */
export interface NormalizeGrads {
  /** $\partial L/\partial x$, shaped and typed as the input. */
  readonly gradX: Tensor;
  /** $\partial L/\partial\gamma$, shaped as γ (float64). */
  readonly gradGamma: Tensor;
  /** $\partial L/\partial\beta$, shaped as β (float64). */
  readonly gradBeta: Tensor;
}

/** @internal Build the public result of a forward pass. */
export function toResult<E extends object = object>(spec: Spec, f: Forward, extra?: E): NormalizeResult & E {
  const result = {
    y: f.y,
    mean: asTensorOf(f.mean, spec.statShape, spec.x.dtype),
    variance: asTensorOf(f.var, spec.statShape, spec.x.dtype),
    ...extra,
  } as { y: Tensor; mean: Tensor; variance: Tensor } & E;
  return withDeprecatedField(spec.op, result, "var", "variance");
}

/** @internal Build the public gradients of a backward pass. */
export function toGrads(spec: Spec, b: Backward): NormalizeGrads {
  return {
    gradX: b.gradX,
    gradGamma: asTensorOf(b.gradGamma, spec.paramPublicShape, "float64"),
    gradBeta: asTensorOf(b.gradBeta, spec.paramPublicShape, "float64"),
  };
}

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

function prepare(op: string, xIn: TensorInput, optionsIn: NormalizeOptions): Prepared {
  const options = readOptions(op, optionsIn, ["axes", ...AFFINE_KEYS]);
  const x = toTensor(xIn, `${op}: x`);
  if ((options.axes as unknown) === undefined) throw new TypeError(`${op}: options.axes is required (the axes to pool), got ${JSON.stringify(optionsIn)}`);
  const axes = checkAxes(op, options.axes, x.ndim);
  const eps = checkEps(op, options.eps);
  const gammaTensor = options.gamma === undefined ? null : toTensor(options.gamma, `${op}: gamma`);
  const betaTensor = options.beta === undefined ? null : toTensor(options.beta, `${op}: beta`);
  if (gammaTensor && betaTensor && showShape(gammaTensor.shape) !== showShape(betaTensor.shape)) {
    throw new RangeError(`${op}: gamma has shape ${showShape(gammaTensor.shape)} but beta has shape ${showShape(betaTensor.shape)}`);
  }
  const paramShape = (gammaTensor ?? betaTensor)?.shape ?? [];
  const lead = x.ndim - paramShape.length;
  if (lead < 0 || paramShape.some((d, i) => d !== 1 && d !== x.shape[lead + i])) {
    throw new RangeError(`${op}: gamma/beta of shape ${showShape(paramShape)} do not broadcast to the input shape ${showShape(x.shape)}`);
  }
  const values = (t: Tensor | null): Float64Array | null => {
    if (!t) return null;
    const c = t.contiguous();
    return Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
  };
  const reduced = x.shape.map((_, k) => axes.includes(k));
  const spec: Spec = {
    op,
    x,
    view: viewOf(x),
    reduced,
    paramShape,
    paramPublicShape: paramShape,
    gamma: values(gammaTensor),
    beta: values(betaTensor),
    eps,
    statShape: x.shape.filter((_, k) => !reduced[k]),
  };
  return { spec, gammaTensor, betaTensor };
}

/**
 * Normalize over any set of axes, then apply an optional broadcast affine map:
 *
 * $$\mu = \frac1n\sum_{i\in\text{pool}} x_i,\quad \sigma^2 = \frac1n\sum_{i\in\text{pool}}(x_i-\mu)^2,\quad
 * y = \gamma\,\frac{x-\mu}{\sqrt{\sigma^2+\epsilon}} + \beta$$
 *
 * where the pool of an element is every element sharing its indices on the kept axes. The presets
 * {@link batchNorm}, {@link layerNorm}, {@link instanceNorm} and {@link groupNorm} are this with
 * fixed axes. The mean and variance take two passes (never $E[x^2]-E[x]^2$). Works on any view
 * (non-contiguous, broadcast); `y` is contiguous. Differentiable under `grad` from `@hw/tensor`
 * with the analytic backward of {@link normalizeBackward}.
 *
 * @param x - The input (a tensor, or nested arrays read as float64).
 * @param options - `axes` to pool; `eps`; `gamma`/`beta` broadcast against `x` (NumPy rules,
 *   aligned to the right: `[C, 1, 1]` is per channel of an `[N, C, H, W]` input).
 * @returns `{ y, mean, variance }`: `mean`/`variance` are shaped by the kept axes (`var` is a
 *   deprecated alias of `variance`).
 * @throws RangeError for a bad axis, a negative or non-finite `eps`, or `gamma`/`beta` that do not
 *   broadcast; TypeError for input that is not numeric, a missing `axes` or an unknown option.
 * @example
 * ```ts
 * const { y, mean } = normalize([[1, 2, 3], [2, 4, 6]], { axes: 1, eps: 0 });
 * mean.toArray(); // => [2, 4]
 * y.toArray();    // => [[-1.2247…, 0, 1.2247…], [-1.2247…, 0, 1.2247…]]
 * ```
 */
export function normalize(x: TensorInput, options: NormalizeOptions): NormalizeResult {
  const { spec, gammaTensor, betaTensor } = prepare("normalize", x, options);
  return toResult(spec, forwardRecorded(spec, gammaTensor, betaTensor));
}

/**
 * The analytic backward pass of {@link normalize}: with $\hat x = (x-\mu)/\sqrt{\sigma^2+\epsilon}$,
 * $g = \gamma\,\bar y$ and $n$ elements per pool,
 *
 * $$\bar x = \frac{1}{\sqrt{\sigma^2+\epsilon}}\Big(g - \overline{g} - \hat x\,\overline{g\hat x}\Big),\qquad
 * \bar\gamma = \sum \bar y\,\hat x,\qquad \bar\beta = \sum \bar y$$
 *
 * with $\overline{\,\cdot\,}$ the mean over the pool and the parameter sums over the axes γ broadcasts
 * along. The statistics are recomputed from `x` (two passes), so no cache is needed.
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, the shape of `x` (any strides).
 * @param options - The forward options.
 * @returns `{ gradX, gradGamma, gradBeta }`; the parameter gradients have γ's shape (a scalar `[]`
 *   when no γ/β was given: the gradient for an implicit scalar γ = 1, β = 0).
 * @throws RangeError as {@link normalize}, and when `gradY`'s shape differs from `x`'s.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link normalize}).
 * @example
 * ```ts
 * const { gradX } = normalizeBackward([[1, 2, 3]], [[1, 0, 0]], { axes: 1 });
 * ```
 */
export function normalizeBackward(x: TensorInput, gradY: TensorInput, options: NormalizeOptions): NormalizeGrads {
  const { spec, gammaTensor, betaTensor } = prepare("normalizeBackward", x, options);
  const dy = toTensor(gradY, "normalizeBackward: gradY");
  refuseGrad("normalizeBackward", [spec.x, dy, gammaTensor, betaTensor]);
  return toGrads(spec, backward(spec, dy));
}

/** @internal The guard of the analytic backward functions: they return gradients and have no backward of their own. */
export function refuseGrad(op: string, tensors: readonly (Tensor | null)[]): void {
  assertNotDifferentiated(op, tensors.filter((t) => t !== null), `it returns gradients; differentiate the forward function with grad instead`);
}
