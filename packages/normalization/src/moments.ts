/** `moments`: the mean and variance over a set of axes, in two passes. */
import type { Tensor } from "@hw/tensor";
import { asTensorOf, checkAxes, statistics, toTensor, viewOf, type Input } from "./internal/core";

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

/** The result of {@link moments}. */
export interface Moments {
  readonly mean: Tensor;
  readonly var: Tensor;
}

/**
 * Mean and variance over `axes` (two passes: the mean, then the squared deviations from it):
 *
 * $$\mu = \frac1n\sum_i x_i,\qquad \sigma^2 = \frac{1}{n-c}\sum_i (x_i-\mu)^2$$
 *
 * with $c$ the `correction`. An empty pool gives NaN means; $n - c \le 0$ gives a NaN variance.
 *
 * @param x - The input (a tensor, or nested arrays read as float64).
 * @param axes - The axes to pool (one, or several; negative count from the end).
 * @param options - `correction` (default 0, biased) and `keepDims`.
 * @returns `{ mean, var }` shaped by the kept axes, in the input's dtype.
 * @throws RangeError for an out-of-range or repeated axis or a negative or non-finite correction.
 * @example
 * ```ts
 * moments(problemTensor(), [0, 2]).mean.toArray(); // => [2.5, 2.5833…]  (batch norm's μ)
 * ```
 */
export function moments(x: Input, axes: number | readonly number[], options: MomentsOptions = {}): Moments {
  const op = "moments";
  const t = toTensor(op, x, "x");
  const list = checkAxes(op, axes, t.ndim);
  const correction = options.correction ?? 0;
  if (!Number.isFinite(correction) || correction < 0) {
    throw new RangeError(`moments: correction must be a finite number ≥ 0, got ${String(correction)}`);
  }
  const reduced = t.shape.map((_, k) => list.includes(k));
  const { mean, var: biased, plan } = statistics({
    op,
    x: t,
    view: viewOf(t),
    reduced,
    paramShape: [],
    paramPublicShape: [],
    gamma: null,
    beta: null,
    eps: 0,
    statShape: [],
  });
  const n = plan.pooled;
  const denominator = n - correction;
  const v = new Float64Array(biased.length);
  for (let i = 0; i < v.length; i++) v[i] = denominator > 0 ? (biased[i]! * n) / denominator : Number.NaN;
  const shape = options.keepDims === true ? t.shape.map((d, k) => (reduced[k] ? 1 : d)) : t.shape.filter((_, k) => !reduced[k]);
  return { mean: asTensorOf(mean, shape, t.dtype), var: asTensorOf(v, shape, t.dtype) };
}
