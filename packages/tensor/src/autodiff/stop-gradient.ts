/** `stopGradient`: cut the autodiff graph. */
import { isTensor, Tensor } from "../tensor";
import { describeValue } from "./buffers";

/**
 * The same values as `x`, seen by autodiff as a constant: $\nabla_x \,\mathrm{stopGradient}(x) = 0$.
 *
 * Returns a fresh view of `x`'s data (no copy) that no tape tracks, so nothing computed from it
 * sends gradient back to `x`. Outside {@link grad} it is just a view.
 *
 * @param x - any tensor
 * @returns an untracked view with `x`'s shape, dtype and values
 * @throws TypeError when `x` is not a tensor
 * @example
 * ```ts
 * // d/dx [x · stopGradient(x)] = stopGradient(x) = x, not 2x
 * grad((x: Tensor) => sum(mul(x, stopGradient(x))))(tensor([3])); // => tensor([3])
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  if (!isTensor(x)) throw new TypeError(`stopGradient: expected a tensor, got ${describeValue(x)}`);
  return new Tensor(x.data, x.shape, x.strides, x.offset);
}
