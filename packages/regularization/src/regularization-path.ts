import { keepProbability } from "./keep-probability";
import { penaltyValue, regression, type MatrixInput, type VectorInput } from "./internal/linear-input";
import { gramDiagonal, normalEquations, solvePenalized } from "./internal/normal-equations";

/** One point of {@link dropoutPath}. */
export interface DropoutPathPoint {
  /** The KEEP probability p. */
  readonly p: number;
  /** λ_dropout = (1 − p)/p. */
  readonly lambda: number;
  /** w_dropout at this p. */
  readonly w: Float64Array;
  /** p·w_dropout at this p. */
  readonly pw: Float64Array;
}

/** One point of {@link ridgePath}. */
export interface RidgePathPoint {
  readonly lambda: number;
  /** w_L2 at this λ. */
  readonly w: Float64Array;
}

/**
 * The dropout regularization path: w_dropout for each KEEP probability p in `ps` (XᵀX is formed once).
 * $$p\,w_{\text{dropout}}(p) = \big(X^\top X + \tfrac{1-p}{p}\Gamma^2\big)^{-1}X^\top y$$
 *
 * @param X - The n×d design matrix.
 * @param y - The n targets.
 * @param ps - KEEP probabilities, each in (0, 1].
 * @returns One {@link DropoutPathPoint} per p, in the given order.
 * @throws RangeError as {@link dropoutSolution} does, naming the offending p.
 * @example
 * ```ts
 * dropoutPath([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [0.5, 1]).map((pt) => pt.lambda); // => [1, 0]
 * ```
 */
export function dropoutPath(X: MatrixInput, y: VectorInput, ps: readonly number[]): DropoutPathPoint[] {
  const op = "dropoutPath";
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  const gamma2 = gramDiagonal(ne);
  return ps.map((p) => {
    const keep = keepProbability(p, op);
    const lambda = (1 - keep) / keep;
    const pw = solvePenalized(op, ne, gamma2.map((g) => lambda * g), `XᵀX + λΓ² (p = ${keep})`).w;
    return { p: keep, lambda, w: pw.map((v) => v / keep), pw };
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
 * @example
 * ```ts
 * ridgePath([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [0, 1]).map((pt) => pt.lambda); // => [0, 1]
 * ```
 */
export function ridgePath(X: MatrixInput, y: VectorInput, lambdas: readonly number[]): RidgePathPoint[] {
  const op = "ridgePath";
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  return lambdas.map((l) => {
    const lambda = penaltyValue(op, "lambda", l);
    return { lambda, w: solvePenalized(op, ne, new Float64Array(r.d).fill(lambda), `XᵀX + λI (λ = ${lambda})`).w };
  });
}
