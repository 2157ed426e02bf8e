import type { Tensor, TensorInput } from "@hw/tensor";
import { penaltyValue, refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { normalEquations, solvePenalized } from "./internal/normal-equations";

/** The result of {@link ridgeSolution}. */
export interface RidgeSolution {
  /** w_L2 (length d). */
  readonly w: Tensor;
  /** The penalty λ that was used. */
  readonly lambda: number;
  /** Estimate of the 1-norm condition number of XᵀX + λI (see {@link TikhonovSolution.condition}). */
  readonly condition: number;
}

/**
 * L2-regularized least squares (ridge, weight decay; Question 4.3): the minimizer of
 * $$\lVert y - Xw\rVert^2 + \lambda\lVert w\rVert^2, \qquad w_{L2} = (X^\top X + \lambda I)^{-1}X^\top y.$$
 * No intercept (as scikit-learn's `Ridge(fit_intercept=False)`). Cholesky solve of the normal
 * equations; λ = 0 is ordinary least squares and needs XᵀX to be non-singular.
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param lambda - The penalty λ ≥ 0.
 * @returns `{ w, lambda, condition }` with `w` a rank-1 float64 Tensor.
 * @throws RangeError when shapes disagree, an input is not finite, λ < 0, or XᵀX + λI is singular.
 * @throws NotDifferentiableError inside `grad` (solved in float64 kernels, no backward rule).
 * @example
 * ```ts
 * ridgeSolution([[1, 0], [0, 1], [1, 1]], [1, 2, 3], 1).w.toArray(); // => [0.875, 1.375]
 * ```
 */
export function ridgeSolution(X: TensorInput, y: TensorInput, lambda: number): RidgeSolution {
  const op = "ridgeSolution";
  refuseGrad(op, [X, y]);
  const r = regression(op, X, y);
  const lam = penaltyValue(op, "lambda", lambda);
  const { w, condition } = solvePenalized(op, normalEquations(r), new Float64Array(r.d).fill(lam), `XᵀX + λI (λ = ${lam})`);
  return { w: vectorTensor(w), lambda: lam, condition };
}
