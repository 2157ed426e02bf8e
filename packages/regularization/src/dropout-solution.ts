import type { Tensor, TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { gramDiagonal, normalEquations, solvePenalized } from "./internal/normal-equations";

/** The result of {@link dropoutSolution}. */
export interface DropoutSolution {
  /** w_dropout, the minimizer of the expected dropout loss (length d). */
  readonly w: Tensor;
  /** p·w_dropout = (XᵀX + λΓ²)⁻¹Xᵀy: the weights to use on un-dropped inputs at test time. */
  readonly pw: Tensor;
  /** λ_dropout = (1 − p)/p. */
  readonly lambda: number;
  /** Γ²_jj = (XᵀX)_jj = ‖X[:, j]‖², the squared column norms (length d). */
  readonly gamma2: Tensor;
  /** The KEEP probability p that was used. */
  readonly p: number;
  /** Estimate of the 1-norm condition number of XᵀX + λΓ². */
  readonly condition: number;
}

/**
 * The minimizer of the expected input-dropout loss (Question 4.2). With p the probability of
 * KEEPING an input and Γ = diag(XᵀX)^½,
 * $$p\,w_{\text{dropout}} = (X^\top X + \lambda_{\text{dropout}}\Gamma^2)^{-1}X^\top y,
 *   \qquad \lambda_{\text{dropout}} = \frac{1-p}{p}.$$
 * This is a ridge regression on pw whose penalty on feature j is λΓ²_jj (data-dependent).
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param p - The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q). p = 1 gives least squares.
 * @returns `{ w, pw, lambda, gamma2, p, condition }` (vectors as rank-1 float64 Tensors).
 * @throws RangeError when p ∉ (0, 1], shapes disagree, an input is not finite, or the system is
 *   singular (e.g. an all-zero column of X, or p = 1 with XᵀX singular).
 * @throws NotDifferentiableError inside `grad` (solved in float64 kernels, no backward rule).
 * @example
 * ```ts
 * const s = dropoutSolution([[1, 0], [0, 1], [1, 1]], [1, 2, 3], 0.5);
 * s.lambda; // => 1
 * s.pw.toArray(); // => [0.7333…, 1.0667…]  (11/15, 16/15)
 * s.w.toArray(); // => [1.4667…, 2.1333…]  (pw / p)
 * ```
 */
export function dropoutSolution(X: TensorInput, y: TensorInput, p: KeepProbability): DropoutSolution {
  const op = "dropoutSolution";
  refuseGrad(op, [X, y]);
  const keep = resolveKeep(op, p);
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  const gamma2 = gramDiagonal(ne);
  const lambda = (1 - keep) / keep;
  const penalty = gamma2.map((g) => lambda * g);
  const { w: pw, condition } = solvePenalized(op, ne, penalty, `XᵀX + λΓ² (p = ${keep}, λ = ${lambda})`);
  const w = pw.map((v) => v / keep);
  return { w: vectorTensor(w), pw: vectorTensor(pw), lambda, gamma2: vectorTensor(gamma2), p: keep, condition };
}
