/** The stable logistic function of `@hw/tensor/kernels`. */

/**
 * $\sigma(v) = 1/(1 + e^{-v})$ by the sign split ($e^{v}/(1+e^{v})$ for $v < 0$): no overflow for
 * any input, `sigmoid(±Infinity)` is 1 / 0 exactly, NaN propagates.
 *
 * @param v - any number
 * @returns $\sigma(v) \in [0, 1]$
 */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
