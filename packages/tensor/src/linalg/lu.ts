/**
 * `lu`: the LU factorisation with partial pivoting of a square matrix.
 */
import { assertNotDifferentiated } from "../autodiff/tape";
import { type Tensor } from "../tensor";
import { factorOrThrow } from "./solve";
import { makeTensor, squareBatch } from "./common";

/** The result of {@link lu}. */
export interface LuResult {
  /**
   * The packed factors, LAPACK `getrf` layout: the strict lower triangle holds $L$ (unit diagonal
   * not stored), the upper triangle holds $U$.
   */
  readonly lu: Tensor;
  /** Row swaps, 0-based: at step i, row i was exchanged with row `pivots[i]` (applied in order). */
  readonly pivots: readonly number[];
}

/**
 * LU factorisation with partial pivoting of an n×n matrix, $P A = L U$, the factorisation
 * behind {@link solve}, `det` and `inv`. Not differentiable: inside `grad` it throws
 * `NotDifferentiableError` (differentiate `solve`, `det` or `inv` instead).
 *
 * @param a - A square 2-D matrix.
 * @returns `{ lu, pivots }` as LAPACK `getrf` returns them (0-based pivots).
 * @throws TypeError when `a` is not a tensor.
 * @throws RangeError when `a` is not a square 2-D matrix, is singular
 *   (`lu: matrix is singular (zero pivot at column 2)`) or has a non-finite entry.
 * @example
 * ```ts
 * const { lu: f, pivots } = lu(tensor([[1, 2], [3, 4]]));
 * f.toArray(); // [[3, 4], [0.3333333333333333, 0.6666666666666667]]
 * pivots;      // [1, 1]
 * ```
 */
export function lu(a: Tensor): LuResult {
  const { n, batch } = squareBatch("lu", "a", a);
  assertNotDifferentiated("lu", [a], "packed factors with integer pivots; differentiate solve, det or inv instead");
  if (batch.length > 0) throw new RangeError(`lu: expected a 2-D matrix, got shape [${a.shape.join(",")}]`);
  const f = factorOrThrow("lu", a, a.offset, n, 0, 1);
  return { lu: makeTensor(f.lu, [n, n], a.dtype), pivots: Array.from(f.pivots) };
}
