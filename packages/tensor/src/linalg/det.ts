/**
 * `det` and `slogdet`: determinants from the LU factorisation.
 */
import { recordOp } from "../autodiff/tape";
import { mul } from "../elementwise";
import { kernels } from "../kernels/index";
import { shapeSize, type Tensor } from "../tensor";
import { expandDims, swapAxes } from "../views";
import { batchOffsets, makeTensor, readMatrix, squareBatch } from "./common";
import { inv } from "./inv";

/** Sign and log|det| of each matrix; sign 0 and −Infinity for singular, NaN for non-finite input. */
function signLogDet(
  op: string,
  a: Tensor,
): { batch: number[]; sign: Float64Array; logAbs: Float64Array; det: Float64Array } {
  const { n, batch } = squareBatch(op, "a", a);
  const count = shapeSize(batch);
  const offsets = batchOffsets(a, batch);
  const sign = new Float64Array(count);
  const logAbs = new Float64Array(count);
  const dets = new Float64Array(count);
  const lu = new Float64Array(n * n);
  const pivots = new Int32Array(n);
  for (let t = 0; t < count; t++) {
    readMatrix(a, offsets[t]!, n, n, lu);
    if (!lu.every(Number.isFinite)) {
      sign[t] = NaN;
      logAbs[t] = NaN;
      dets[t] = NaN;
      continue;
    }
    if (kernels.luFactor(n, lu, pivots) >= 0) {
      sign[t] = 0;
      logAbs[t] = -Infinity;
      continue;
    }
    let s = 1;
    let l = 0;
    let d = 1;
    for (let i = 0; i < n; i++) {
      const u = lu[i * n + i]!;
      if (pivots[i] !== i) s = -s;
      if (u < 0) s = -s;
      l += Math.log(Math.abs(u));
      d *= u;
    }
    sign[t] = s;
    logAbs[t] = l;
    dets[t] = s * Math.abs(d); // (−1)^swaps · Π u_ii, the sign tracked separately
  }
  return { batch, sign, logAbs, det: dets };
}

/** The result of {@link slogdet}. */
export interface SlogdetResult {
  /** The sign of the determinant: 1, −1, or 0 for a singular matrix (NaN for non-finite input). */
  readonly sign: Tensor;
  /** $\log|\det A|$ (−Infinity for a singular matrix). */
  readonly logAbsDet: Tensor;
}

/**
 * The determinant of a square matrix (or of each matrix of a batch), from $PA = LU$:
 * $\det A = (-1)^{\#\text{swaps}} \prod_i u_{ii}$. The product can overflow or underflow for large
 * n; {@link slogdet} cannot. A singular matrix gives 0 (not an error); NaN or ±Infinity in `a`
 * gives NaN. The determinant of a 0×0 matrix is 1.
 *
 * $$\det A = \sum_{\sigma} \operatorname{sgn}(\sigma) \prod_i a_{i\sigma(i)}$$
 *
 * Differentiable (Jacobi's formula): $\nabla_A = g \det(A)\, A^{-\mathsf T}$. The gradient needs
 * $A^{-1}$, so it throws for a singular matrix.
 *
 * @param a - Square matrices `[..., n, n]`.
 * @returns The determinants, shape `[...]` (0-d for one matrix).
 * @throws TypeError when `a` is not a tensor.
 * @throws RangeError when `a` is not square.
 * @example
 * ```ts
 * det(tensor([[1, 2], [3, 4]])).item(); // -2
 * ```
 */
export function det(a: Tensor): Tensor {
  const { batch, det: d } = signLogDet("det", a);
  const result = makeTensor(d, batch, a.dtype);
  recordOp("det", [a], result, (g) => [
    mul(expandDims(expandDims(mul(g, result), -1), -1), swapAxes(inv(a), -1, -2)),
  ]);
  return result;
}

/**
 * Sign and natural log of the absolute determinant, without overflow:
 * $\det A = \mathrm{sign} \cdot e^{\mathrm{logAbsDet}}$.
 *
 * $$\log|\det A| = \sum_i \log|u_{ii}|$$
 *
 * A singular matrix gives sign 0 and logAbsDet −Infinity; NaN or ±Infinity in `a` gives NaN.
 *
 * Differentiable in `logAbsDet`: $\nabla_A = g\, A^{-\mathsf T}$ (sign has no gradient).
 *
 * @param a - Square matrices `[..., n, n]`.
 * @returns `{ sign, logAbsDet }`, each of shape `[...]`.
 * @throws TypeError when `a` is not a tensor.
 * @throws RangeError when `a` is not square.
 * @example
 * ```ts
 * const { sign, logAbsDet } = slogdet(tensor([[1, 2], [3, 4]]));
 * sign.item();      // -1
 * logAbsDet.item(); // 0.6931471805599453 (log 2)
 * ```
 */
export function slogdet(a: Tensor): SlogdetResult {
  const { batch, sign, logAbs } = signLogDet("slogdet", a);
  const logAbsDet = makeTensor(logAbs, batch, a.dtype);
  recordOp("slogdet", [a], logAbsDet, (g) => [mul(expandDims(expandDims(g, -1), -1), swapAxes(inv(a), -1, -2))]);
  return { sign: makeTensor(sign, batch, a.dtype), logAbsDet };
}
