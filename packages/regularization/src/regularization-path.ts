import type { Tensor, TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { penaltyValue, refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { gramDiagonal, normalEquations, solvePenalized } from "./internal/normal-equations";

/** One point of {@link dropoutPath}. */
export interface DropoutPathPoint {
  /** The KEEP probability p. */
  readonly p: number;
  /** λ_dropout = (1 − p)/p. */
  readonly lambda: number;
  /** w_dropout at this p. */
  readonly w: Tensor;
  /** p·w_dropout at this p. */
  readonly pw: Tensor;
}

/** One point of {@link ridgePath}. */
export interface RidgePathPoint {
  readonly lambda: number;
  /** w_L2 at this λ. */
  readonly w: Tensor;
}

/**
 * The dropout regularization path: w_dropout for each KEEP probability p in `ps` (XᵀX is formed once).
 * $$p\,w_{\text{dropout}}(p) = \big(X^\top X + \tfrac{1-p}{p}\Gamma^2\big)^{-1}X^\top y$$
 *
 * @param X - The n×d design matrix.
 * @param y - The n targets.
 * @param ps - KEEP probabilities, each in (0, 1] (or `{ drop: q }`).
 * @returns One {@link DropoutPathPoint} per p, in the given order.
 * @throws RangeError as {@link dropoutSolution} does, naming the offending p.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * dropoutPath([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [0.5, 1]).map((pt) => pt.lambda); // => [1, 0]
 * ```
 */
export function dropoutPath(X: TensorInput, y: TensorInput, ps: readonly KeepProbability[]): DropoutPathPoint[] {
  const op = "dropoutPath";
  refuseGrad(op, [X, y]);
  if (!Array.isArray(ps)) throw new TypeError(`${op}: ps must be an array of KEEP probabilities, got ${typeof ps}`);
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  const gamma2 = gramDiagonal(ne);
  return ps.map((p) => {
    const keep = resolveKeep(op, p);
    const lambda = (1 - keep) / keep;
    const pw = solvePenalized(op, ne, gamma2.map((g) => lambda * g), `XᵀX + λΓ² (p = ${keep})`).w;
    return { p: keep, lambda, w: vectorTensor(pw.map((v) => v / keep)), pw: vectorTensor(pw) };
  });
}

/**
 * The ridge regularization path: w_L2 = (XᵀX + λI)⁻¹Xᵀy for each λ in `lambdas` (XᵀX formed once).
 *
 * @param X - The n×d design matrix.
 * @param y - The n targets.
 * @param lambdas - Penalties, each ≥ 0.
 * @returns One {@link RidgePathPoint} per λ, in the given order.
 * @throws RangeError as {@link ridgeSolution} does, naming the offending λ.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * ridgePath([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [0, 1]).map((pt) => pt.lambda); // => [0, 1]
 * ```
 */
export function ridgePath(X: TensorInput, y: TensorInput, lambdas: readonly number[]): RidgePathPoint[] {
  const op = "ridgePath";
  refuseGrad(op, [X, y]);
  if (!Array.isArray(lambdas)) throw new TypeError(`${op}: lambdas must be an array of penalties, got ${typeof lambdas}`);
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  return lambdas.map((l: number) => {
    const lambda = penaltyValue(op, "lambda", l);
    return { lambda, w: vectorTensor(solvePenalized(op, ne, new Float64Array(r.d).fill(lambda), `XᵀX + λI (λ = ${lambda})`).w) };
  });
}
