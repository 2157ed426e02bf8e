/**
 * `solveTriangular`: forward and backward substitution.
 */
import { recordOp } from "../autodiff/tape";
import { sumTo } from "../broadcast";
import { neg } from "../elementwise";
import { kernels } from "../kernels/index";
import { formatShape } from "../internal/shape";
import { matmul, requireTensor } from "../matmul";
import { shapeSize, type Tensor } from "../tensor";
import { expandDims, squeeze, swapAxes } from "../views";
import { batchOffsets, broadcastBatch, makeTensor, resultDType, squareBatch, triangle } from "./common";

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions {
  /** Use the lower triangle of `a` (else the upper). The other triangle is never read. @defaultValue true */
  readonly lower?: boolean;
  /** Solve $A^{\mathsf T} X = B$ instead of $A X = B$. @defaultValue false */
  readonly transpose?: boolean;
  /** Take the diagonal of `a` as all ones (it is not read). @defaultValue false */
  readonly unitDiagonal?: boolean;
}

/**
 * Solve $\mathrm{op}(A) X = B$ for triangular $A$ by substitution, with
 * $\mathrm{op}(A) = A$ or $A^{\mathsf T}$ (about n²·k flops).
 *
 * $$x_i = \Big(b_i - \sum_{j < i} a_{ij} x_j\Big) / a_{ii} \quad \text{(lower, forward substitution)}$$
 *
 * Shapes as in {@link solve}: `a` is `[..., n, n]`, `b` a vector `[n]` or `[..., n, k]`, batch
 * axes broadcast. Only the chosen triangle of `a` is read.
 *
 * Differentiable: with $G = \partial L/\partial X$, $\nabla_B = \mathrm{op}(A)^{-\mathsf T} G$ and
 * $\nabla_{\mathrm{op}(A)} = -\nabla_B X^{\mathsf T}$, restricted to the triangle that was read
 * (strictly, when `unitDiagonal`).
 *
 * @param a - Triangular matrices `[..., n, n]`.
 * @param b - Right-hand side(s): `[n]` or `[..., n, k]`.
 * @param options - {@link SolveTriangularOptions}.
 * @returns The solution, shaped like `b` with the broadcast batch axes.
 * @throws TypeError when an input is not a tensor.
 * @throws RangeError when the shapes do not match, a diagonal entry is zero
 *   (`solveTriangular: matrix is singular (zero diagonal at row 2)`) or a read entry of `a` is
 *   not finite.
 * @example
 * ```ts
 * solveTriangular(tensor([[2, 0], [1, 1]]), tensor([4, 3])).toArray(); // [2, 1]
 * ```
 */
export function solveTriangular(a: Tensor, b: Tensor, options: SolveTriangularOptions = {}): Tensor {
  const { lower = true, transpose = false, unitDiagonal = false } = options;
  const op = "solveTriangular";
  const { n, batch: aBatch } = squareBatch(op, "a", a);
  requireTensor(op, "b", b);
  const isVector = b.ndim === 1;
  if (b.ndim === 0 || b.shape[isVector ? 0 : b.ndim - 2] !== n) {
    throw new RangeError(`${op}: a ${formatShape(a.shape)} and b ${formatShape(b.shape)} do not match`);
  }
  const k = isVector ? 1 : b.shape[b.ndim - 1]!;
  const batch = broadcastBatch(op, a, aBatch, b, isVector ? [] : b.shape.slice(0, -2));
  const count = shapeSize(batch);
  const offA = batchOffsets(a, batch);
  const offB = batchOffsets(b, batch, isVector ? 1 : 2);
  // op(A) as a row-major work matrix; reading Aᵀ flips which triangle it is.
  const effLower = lower !== transpose;
  const rs = a.strides[a.ndim - 2]!;
  const cs = a.strides[a.ndim - 1]!;
  const [rowStride, colStride] = transpose ? [cs, rs] : [rs, cs];
  const work = new Float64Array(n * n);
  const out = new Float64Array(count * n * k);
  const bRow = b.strides[isVector ? 0 : b.ndim - 2]!;
  const bCol = isVector ? 0 : b.strides[b.ndim - 1]!;
  for (let t = 0; t < count; t++) {
    const oa = offA[t]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const inside = effLower ? j < i : j > i;
        const v = inside ? a.data[oa + i * rowStride + j * colStride]! : i === j && !unitDiagonal ? a.data[oa + i * (rowStride + colStride)]! : 0;
        if (!Number.isFinite(v)) {
          throw new RangeError(`${op}: matrix has a non-finite entry ${v} at [${transpose ? j : i},${transpose ? i : j}]`);
        }
        if (i === j && !unitDiagonal && v === 0) {
          throw new RangeError(`${op}: matrix is singular (zero diagonal at row ${i}${count > 1 ? ` of matrix ${t}` : ""})`);
        }
        work[i * n + j] = v;
      }
    }
    const x = out.subarray(t * n * k, (t + 1) * n * k);
    const ob = offB[t]!;
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[i * k + c] = b.data[ob + i * bRow + c * bCol]!;
    if (effLower) kernels.trsmLower(n, k, work, n, x, k, unitDiagonal);
    else kernels.trsmUpper(n, k, work, n, x, k, unitDiagonal);
  }
  const result = makeTensor(out, isVector ? [...batch, n] : [...batch, n, k], resultDType(a, b));
  recordOp(op, [a, b], result, (g) => {
    const gm = isVector ? expandDims(g, -1) : g;
    const xm = isVector ? expandDims(result, -1) : result;
    const gbm = solveTriangular(a, gm, { lower, transpose: !transpose, unitDiagonal });
    const gOp = neg(matmul(gbm, swapAxes(xm, -1, -2))); // gradient w.r.t. op(A)
    const gFull = transpose ? swapAxes(gOp, -1, -2) : gOp;
    const ga = triangle(gFull, lower, unitDiagonal ? 0 : 1);
    return [sumTo(ga, a.shape), sumTo(isVector ? squeeze(gbm, -1) : gbm, b.shape)];
  });
  return result;
}
