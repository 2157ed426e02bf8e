/** `moments`: the mean and variance over a set of axes — `@hw/tensor`'s one differentiable `moments`. */
import { moments as tensorMoments, readOptions, toTensor, type Moments as TensorMoments, type Tensor, type TensorInput } from "@hw/tensor";
import { withDeprecatedField } from "./internal/deprecated";

/** Options of {@link moments}. */
export interface MomentsOptions {
  /**
   * Subtracted from the count in the variance's denominator: 0 (the default) gives the biased
   * variance $\frac1n\sum(x-\mu)^2$ of the problem set and of normalization; 1 gives the unbiased
   * sample variance (PyTorch's `unbiased=True`, used for running statistics).
   * @defaultValue 0
   */
  readonly correction?: number;
  /** Keep the reduced axes as size-1 axes. @defaultValue false */
  readonly keepDims?: boolean;
}

/** The result of {@link moments}: `@hw/tensor`'s `{ mean, variance }`. */
export interface Moments extends TensorMoments {
  /** @deprecated Renamed to `variance` (the vocabulary's one name); removed in 0.2.0. */
  readonly var: Tensor;
}

const KEYS: readonly (keyof MomentsOptions)[] = ["correction", "keepDims"];

/**
 * Mean and variance over `axes` (two passes: the mean, then the squared deviations from it):
 *
 * $$\mu = \frac1n\sum_i x_i,\qquad \sigma^2 = \frac{1}{n-c}\sum_i (x_i-\mu)^2$$
 *
 * with $c$ the `correction`. An empty pool gives NaN means; $n - c \le 0$ gives a NaN variance.
 * This is `moments` of `@hw/tensor` (one implementation, differentiable under `grad`: both
 * outputs record their backward rules), taking nested arrays as well as tensors.
 *
 * @param x - The input (a tensor, or nested arrays read as float64).
 * @param axes - The axes to pool (one, or several; negative count from the end). @defaultValue every axis
 * @param options - `correction` (default 0, biased) and `keepDims`.
 * @returns `{ mean, variance }` shaped by the kept axes, in the input's dtype (`var` is a deprecated
 *   alias of `variance`).
 * @throws RangeError for an out-of-range or repeated axis or a negative or non-finite correction;
 *   TypeError for an unknown option.
 * @example
 * ```ts
 * moments(problemTensor(), [0, 2]).mean.toArray(); // => [2.5, 2.5833…]  (batch norm's μ)
 * ```
 */
export function moments(x: TensorInput, axes?: number | readonly number[], options?: MomentsOptions): Moments {
  const o = readOptions("moments", options, KEYS);
  const r = tensorMoments(toTensor(x, "moments: x"), axes, o);
  return withDeprecatedField("moments", { mean: r.mean, variance: r.variance }, "var", "variance");
}
