/**
 * `inv`: the matrix inverse.
 */
import { recordOp } from "../autodiff/tape";
import { neg } from "../elementwise";
import { kernels } from "../kernels/index";
import { matmul } from "../matmul";
import { shapeSize, type Tensor } from "../tensor";
import { swapAxes } from "../views";
import { batchOffsets, makeTensor, squareBatch } from "./common";
import { factorOrThrow } from "./solve";

/**
 * The inverse of a square matrix (or of each matrix of a batch), by LU factorisation with
 * partial pivoting and n solves against the identity. To apply $A^{-1}$ to a vector or matrix,
 * {@link solve} is cheaper and more accurate.
 *
 * $$A A^{-1} = A^{-1} A = I$$
 *
 * Differentiable: with $Y = A^{-1}$ and $G = \partial L/\partial Y$,
 * $\nabla_A = -Y^{\mathsf T} G\, Y^{\mathsf T}$.
 *
 * @param a - Square matrices `[..., n, n]`.
 * @returns The inverses, same shape and dtype.
 * @throws TypeError when `a` is not a tensor.
 * @throws RangeError when `a` is not square, is singular
 *   (`inv: matrix is singular (zero pivot at column 1)`, 0-based) or has a non-finite entry.
 * @example
 * ```ts
 * inv(tensor([[4, 7], [2, 6]])).toArray(); // [[0.6000000000000001, -0.7000000000000001], [-0.2, 0.4]]
 * ```
 */
export function inv(a: Tensor): Tensor {
  const { n, batch } = squareBatch("inv", "a", a);
  const count = shapeSize(batch);
  const offsets = batchOffsets(a, batch);
  const out = new Float64Array(count * n * n);
  for (let t = 0; t < count; t++) {
    const f = factorOrThrow("inv", a, offsets[t]!, n, t, count);
    const x = out.subarray(t * n * n, (t + 1) * n * n);
    for (let i = 0; i < n; i++) x[i * n + i] = 1;
    kernels.luSolve(n, f.lu, f.pivots, x, n);
  }
  const result = makeTensor(out, a.shape, a.dtype);
  recordOp("inv", [a], result, (g) => {
    const yt = swapAxes(result, -1, -2);
    return [neg(matmul(matmul(yt, g), yt))];
  });
  return result;
}
