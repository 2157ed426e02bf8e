/**
 * `cholesky`: the Cholesky factorisation of symmetric positive-definite matrices.
 */
import { recordOp } from "../autodiff/tape";
import { add, mul } from "../elementwise";
import { matmul } from "../matmul";
import { shapeSize, type Tensor } from "../tensor";
import { swapAxes } from "../views";
import { batchOffsets, makeTensor, readMatrix, squareBatch, triangle } from "./common";
import { solveTriangular } from "./solve-triangular";
import { kernels } from "../kernels/index";

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor $U = L^{\mathsf T}$ with $A = U^{\mathsf T} U$. @defaultValue false */
  readonly upper?: boolean;
  /**
   * Symmetry check: every $|a_{ij} - a_{ji}|$ must be at most `symmetryTolerance` times
   * $\max_{kl}|a_{kl}|$. Only the lower triangle is used in the computation.
   * @defaultValue 1e-10
   */
  readonly symmetryTolerance?: number;
}

/**
 * The Cholesky factor of a symmetric positive-definite matrix (or of each matrix of a batch):
 * lower triangular $L$ with positive diagonal and $A = L L^{\mathsf T}$ (Cholesky–Crout order,
 * n³/3 flops, reading the lower triangle).
 *
 * $$l_{jj} = \sqrt{a_{jj} - \textstyle\sum_{p<j} l_{jp}^2}, \qquad
 *   l_{ij} = \Big(a_{ij} - \textstyle\sum_{p<j} l_{ip} l_{jp}\Big) / l_{jj} \quad (i > j)$$
 *
 * Differentiable (Murray 2016, as in PyTorch): with $\bar L = \mathrm{tril}(\partial L/\partial L)$
 * and $\Phi$ taking the lower triangle with the diagonal halved,
 * $P = \Phi(L^{\mathsf T} \bar L)$, $S = L^{-\mathsf T} P L^{-1}$ and
 * $\nabla_A = \tfrac12 (S + S^{\mathsf T})$ (symmetric, since $A$ is).
 *
 * @param a - Symmetric positive-definite matrices `[..., n, n]`.
 * @param options - {@link CholeskyOptions}.
 * @returns `L` (or `U = Lᵀ` with `upper: true`), same shape and dtype as `a`.
 * @throws TypeError when `a` is not a tensor.
 * @throws RangeError when `a` is not square, not symmetric within the tolerance, has a non-finite
 *   entry, or is not positive definite: `cholesky: matrix is not positive definite (pivot 3 is -0.25)`
 *   (0-based pivot; the value is the Schur complement $a_{jj} - \sum_p l_{jp}^2$).
 * @example
 * ```ts
 * cholesky(tensor([[4, 2], [2, 5]])).toArray(); // [[2, 0], [1, 2]]
 * ```
 */
export function cholesky(a: Tensor, options: CholeskyOptions = {}): Tensor {
  const { upper = false, symmetryTolerance = 1e-10 } = options;
  const { n, batch } = squareBatch("cholesky", "a", a);
  if (!(symmetryTolerance >= 0)) {
    throw new RangeError(`cholesky: symmetryTolerance must be >= 0, got ${symmetryTolerance}`);
  }
  const count = shapeSize(batch);
  const offsets = batchOffsets(a, batch);
  const out = new Float64Array(count * n * n);
  const m = new Float64Array(n * n);
  for (let t = 0; t < count; t++) {
    const where = count > 1 ? ` of matrix ${t}` : "";
    readMatrix(a, offsets[t]!, n, n, m);
    let maxAbs = 0;
    for (let i = 0; i < n * n; i++) {
      const v = m[i]!;
      if (!Number.isFinite(v)) {
        throw new RangeError(`cholesky: matrix has a non-finite entry ${v} at [${Math.floor(i / n)},${i % n}]${where}`);
      }
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const d = Math.abs(m[i * n + j]! - m[j * n + i]!);
        if (d > symmetryTolerance * maxAbs) {
          throw new RangeError(
            `cholesky: matrix is not symmetric (a[${i},${j}] = ${m[i * n + j]} but a[${j},${i}] = ${m[j * n + i]})${where}`,
          );
        }
      }
    }
    const base = t * n * n;
    out.set(m, base);
    const failed = kernels.choleskyFactor(n, out, base, 0);
    if (failed >= 0) {
      const s = out[base + failed * n + failed]!;
      throw new RangeError(`cholesky: matrix is not positive definite (pivot ${failed} is ${s})${where}`);
    }
  }
  const lower = makeTensor(out, a.shape, a.dtype);
  const result = upper ? swapAxes(lower, -1, -2).contiguous() : lower;
  recordOp("cholesky", [a], result, (g) => {
    const gl = triangle(upper ? swapAxes(g, -1, -2) : g, true, 1);
    const phi = triangle(matmul(swapAxes(lower, -1, -2), gl), true, 0.5);
    // S = L⁻ᵀ P L⁻¹ = (L⁻ᵀ (L⁻ᵀ P)ᵀ)ᵀ.
    const x = solveTriangular(lower, phi, { lower: true, transpose: true });
    const s = swapAxes(solveTriangular(lower, swapAxes(x, -1, -2), { lower: true, transpose: true }), -1, -2);
    return [mul(add(s, swapAxes(s, -1, -2)), 0.5)];
  });
  return result;
}
