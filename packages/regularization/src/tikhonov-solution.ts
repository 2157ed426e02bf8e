import type { Tensor, TensorInput } from "@hw/tensor";
import { asVector, penaltyValue, refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { normalEquations, solvePenalized } from "./internal/normal-equations";

/** The result of {@link tikhonovSolution}. */
export interface TikhonovSolution {
  /** The minimizer w (length d). */
  readonly w: Tensor;
  /** The diagonal penalty that was used (length d). */
  readonly penalty: Tensor;
  /**
   * Estimate of the 1-norm condition number κ₁(XᵀX + diag(penalty)) (Hager's estimator on the
   * Cholesky factor; a lower bound usually within a factor 3). Above ~1e12 expect few correct digits.
   */
  readonly condition: number;
}

/**
 * Generalized (Tikhonov) ridge regression with a diagonal penalty: the minimizer of
 * $$\lVert y - Xw\rVert^2 + \sum_j \pi_j w_j^2, \qquad w = (X^\top X + \operatorname{diag}(\pi))^{-1} X^\top y.$$
 * Ridge is π = λ·1 and input dropout (for pw) is π = λ_dropout·diag(XᵀX), so both are instances of it.
 *
 * Solved by a Cholesky factorization of XᵀX + diag(π); the 1-norm condition estimate is returned.
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param penalty - The per-feature penalties π_j ≥ 0 (length d), or one number for all features.
 * @returns `{ w, penalty, condition }` with `w` and `penalty` rank-1 float64 Tensors.
 * @throws RangeError when shapes disagree, an input is not finite, a penalty is negative, or the
 *   system is singular to working precision (the message names the failing Cholesky pivot / feature).
 * @throws TypeError when an input is not a numeric array.
 * @throws NotDifferentiableError inside `grad` (solved in float64 kernels, no backward rule).
 * @example
 * ```ts
 * tikhonovSolution([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [1, 0]).w.toArray(); // => [0.6, 2.2]
 * ```
 */
export function tikhonovSolution(X: TensorInput, y: TensorInput, penalty: TensorInput): TikhonovSolution {
  const op = "tikhonovSolution";
  refuseGrad(op, [X, y, penalty]);
  const r = regression(op, X, y);
  let pi: Float64Array;
  if (typeof penalty === "number") {
    pi = new Float64Array(r.d).fill(penaltyValue(op, "penalty", penalty));
  } else {
    pi = asVector(op, "penalty", penalty, r.d, "one penalty per column of X");
    pi.forEach((v, j) => {
      if (v < 0) throw new RangeError(`${op}: penalty[${j}] must be ≥ 0, got ${v}`);
    });
  }
  const { w, condition } = solvePenalized(op, normalEquations(r), pi, "XᵀX + diag(penalty)");
  return { w: vectorTensor(w), penalty: vectorTensor(pi), condition };
}
