/**
 * `squaredLoss`: the loss of Question 1.
 */
import { div, readOptions, square, sub, sum, toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import { finiteGuard } from "./internal/finite";
import { flat } from "./internal/prepare";

/** Options of {@link squaredLoss}. */
export interface SquaredLossOptions {
  /**
   * `"sum"`: $\sum_t \lVert z_t - y_t\rVert_2^2$, as in the problem set. `"mean"`: the same divided
   * by the number of elements of `y` (PyTorch's `MSELoss` default).
   * @defaultValue `"sum"`
   */
  readonly reduction?: "sum" | "mean";
}

/**
 * The squared loss of Question 1 (no ½, no mean by default):
 *
 * $$L = \sum_t L_t,\qquad L_t = \lVert z_t - y_t \rVert_2^2 .$$
 *
 * Built from `@hw/tensor` ops, so it is differentiable inside `grad`.
 *
 * @param y - outputs (any shape)
 * @param z - targets, the same shape
 * @param options - {@link SquaredLossOptions}
 * @returns a 0-d float64 tensor
 * @throws RangeError when the shapes differ: `squaredLoss: y and z must have the same shape, got [3,2] and [3,1]`,
 *   or when finite y and z overflow: `squaredLoss: the loss overflowed to Infinity although every input is finite …`
 * @example
 * ```ts
 * squaredLoss([[1, 2]], [[0, 0]]).item();                       // => 5
 * squaredLoss([[1, 2]], [[0, 0]], { reduction: "mean" }).item(); // => 2.5
 * ```
 */
export function squaredLoss(y: TensorInput, z: TensorInput, options?: SquaredLossOptions): Tensor {
  const o = readOptions("squaredLoss", options, ["reduction"]);
  const yt = toTensor(y, "squaredLoss: y");
  const zt = toTensor(z, "squaredLoss: z");
  const same = yt.ndim === zt.ndim && yt.shape.every((d, i) => d === zt.shape[i]);
  if (!same) {
    throw new RangeError(`squaredLoss: y and z must have the same shape, got [${yt.shape.join(",")}] and [${zt.shape.join(",")}]`);
  }
  const reduction = o.reduction ?? "sum";
  if ((reduction as string) !== "sum" && (reduction as string) !== "mean") {
    throw new TypeError(`squaredLoss: reduction must be "sum" or "mean", got ${JSON.stringify(reduction)}`);
  }
  const total = sum(square(sub(zt, yt)));
  const loss = reduction === "mean" ? div(total, yt.size) : total;
  finiteGuard("squaredLoss", [flat(yt), flat(zt)]).check("the loss", loss.item());
  return loss;
}
