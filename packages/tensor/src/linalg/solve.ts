/**
 * `solve`: linear systems by LU factorisation with partial pivoting.
 */
import { recordOp } from "../autodiff/tape";
import { sumTo } from "../broadcast";
import { neg } from "../elementwise";
import { kernels } from "../kernels/index";
import { formatShape } from "../internal/shape";
import { matmul, requireTensor } from "../matmul";
import { shapeSize, type Tensor } from "../tensor";
import { expandDims, squeeze, swapAxes } from "../views";
import {
  batchOffsets,
  broadcastBatch,
  makeTensor,
  readMatrix,
  requireFinite,
  resultDType,
  squareBatch,
} from "./common";

/** LU factors of one n×n matrix, or a thrown error naming `op` when it is singular. */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function factorOrThrow(
  op: string,
  a: Tensor,
  off: number,
  n: number,
  batchIndex: number,
  batchCount: number,
): { lu: Float64Array; pivots: Int32Array } {
  const lu = new Float64Array(n * n);
  readMatrix(a, off, n, n, lu);
  requireFinite(op, lu, n, batchIndex, batchCount);
  const pivots = new Int32Array(n);
  const info = kernels.luFactor(n, lu, pivots);
  if (info >= 0) {
    const where = batchCount > 1 ? ` of matrix ${batchIndex}` : "";
    throw new RangeError(`${op}: matrix is singular (zero pivot at column ${info}${where})`);
  }
  return { lu, pivots };
}

/**
 * Solve the linear system $A X = B$ (or $A x = b$) by LU factorisation with partial pivoting,
 * $P A = L U$.
 *
 * $$X = A^{-1} B$$
 *
 * - `a` has shape `[..., n, n]`.
 * - `b` is a vector `[n]` (NumPy 2 rule: only a 1-D `b` is a vector) giving `x` of shape
 *   `[..., n]`, or a matrix of right-hand sides `[..., n, k]` giving `[..., n, k]`.
 * - Batch axes broadcast (NumPy rule); a matrix shared by several right-hand sides is factored
 *   once.
 * - The factorisation is blocked (panels of 32 columns, trailing update on the packed matmul
 *   kernel), about 2n³/3 flops.
 *
 * Singular matrices: an exactly zero pivot throws (never a silent NaN or Infinity). A nearly
 * singular matrix is solved; the error in `x` then grows like cond(A)·ε. NaN or ±Infinity in `a`
 * throws; non-finite values in `b` propagate into `x`.
 *
 * Differentiable: with $G = \partial L/\partial X$,
 * $\nabla_B = A^{-\mathsf T} G$ and $\nabla_A = -\nabla_B X^{\mathsf T}$ (summed back over
 * broadcast batch axes).
 *
 * @param a - Coefficient matrices `[..., n, n]`.
 * @param b - Right-hand side(s): `[n]` or `[..., n, k]`.
 * @returns The solution, float32 only when both inputs are float32 (computed in float64).
 * @throws TypeError when an input is not a tensor.
 * @throws RangeError when `a` is not square, the shapes do not match
 *   (`solve: a [3,3] and b [4] do not match`), a matrix is singular
 *   (`solve: matrix is singular (zero pivot at column 4)`, 0-based column) or has a non-finite entry.
 * @example
 * ```ts
 * solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])).toArray(); // [2, 3]
 * ```
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const { n, batch: aBatch } = squareBatch("solve", "a", a);
  requireTensor("solve", "b", b);
  const isVector = b.ndim === 1;
  if (b.ndim === 0 || b.shape[isVector ? 0 : b.ndim - 2] !== n) {
    throw new RangeError(`solve: a ${formatShape(a.shape)} and b ${formatShape(b.shape)} do not match`);
  }
  const k = isVector ? 1 : b.shape[b.ndim - 1]!;
  const bBatch = isVector ? [] : b.shape.slice(0, -2);
  const batch = broadcastBatch("solve", a, aBatch, b, bBatch);
  const count = shapeSize(batch);
  const offA = batchOffsets(a, batch);
  const offB = batchOffsets(b, batch, isVector ? 1 : 2);
  const out = new Float64Array(count * n * k);
  const cache = new Map<number, { lu: Float64Array; pivots: Int32Array }>();
  const bStrideRow = b.strides[isVector ? 0 : b.ndim - 2]!;
  const bStrideCol = isVector ? 0 : b.strides[b.ndim - 1]!;
  for (let t = 0; t < count; t++) {
    const oa = offA[t]!;
    let f = cache.get(oa);
    if (f === undefined) {
      f = factorOrThrow("solve", a, oa, n, t, count);
      cache.set(oa, f);
    }
    const x = out.subarray(t * n * k, (t + 1) * n * k);
    const ob = offB[t]!;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) x[i * k + c] = b.data[ob + i * bStrideRow + c * bStrideCol]!;
    }
    kernels.luSolve(n, f.lu, f.pivots, x, k);
  }
  const shape = isVector ? [...batch, n] : [...batch, n, k];
  const result = makeTensor(out, shape, resultDType(a, b));
  recordOp("solve", [a, b], result, (g) => {
    // Work with matrix right-hand sides: a vector b is the column [n, 1].
    const gm = isVector ? expandDims(g, -1) : g;
    const xm = isVector ? expandDims(result, -1) : result;
    const gbm = solve(swapAxes(a, -1, -2), gm);
    const ga = neg(matmul(gbm, swapAxes(xm, -1, -2)));
    return [sumTo(ga, a.shape), sumTo(isVector ? squeeze(gbm, -1) : gbm, b.shape)];
  }, { differentiable: true });
  return result;
}

