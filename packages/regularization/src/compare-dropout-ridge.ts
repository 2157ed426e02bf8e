import { readOptions, warnDeprecated, type Tensor, type TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { penaltyValue, refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { gramDiagonal, normalEquations, solvePenalized } from "./internal/normal-equations";

/** Options of {@link compareDropoutRidge}. */
export interface CompareDropoutRidgeOptions {
  /** The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q) (required). */
  readonly p: KeepProbability;
  /**
   * The ridge penalty λ to compare with.
   * @defaultValue λ_dropout · mean_j Γ²_jj — the isotropic penalty with the same average strength as
   * dropout's, so that only the per-feature distribution of the penalty differs.
   */
  readonly lambda?: number;
}

/** One feature's row of the Question 4.4 table. */
export interface FeatureComparison {
  /** Column index j. */
  readonly feature: number;
  /** ‖X[:, j]‖ = Γ_jj. */
  readonly columnNorm: number;
  /** Dropout's effective penalty on (pw)_j: λ_dropout · Γ²_jj. */
  readonly dropoutPenalty: number;
  /** Ridge's penalty on w_j: λ (the same for every feature). */
  readonly ridgePenalty: number;
  /** (w_dropout)_j. */
  readonly wDropout: number;
  /** p·(w_dropout)_j. */
  readonly pwDropout: number;
  /** (w_L2)_j. */
  readonly wRidge: number;
}

/** The result of {@link compareDropoutRidge}. */
export interface DropoutRidgeComparison {
  /** The KEEP probability p. */
  readonly p: number;
  /** λ_dropout = (1 − p)/p. */
  readonly lambdaDropout: number;
  /** The ridge λ compared with. */
  readonly lambdaRidge: number;
  /** 1/p: the factor between the dropout minimizer w and the ridge-like solution pw. */
  readonly scale: number;
  /** Γ²_jj (length d). */
  readonly gamma2: Tensor;
  /** λ_dropout Γ²_jj (length d). */
  readonly dropoutPenalty: Tensor;
  /** w_dropout (length d). */
  readonly wDropout: Tensor;
  /** p·w_dropout (length d). */
  readonly pwDropout: Tensor;
  /** w_L2 (length d). */
  readonly wRidge: Tensor;
  /** The same numbers, one row per feature. */
  readonly features: readonly FeatureComparison[];
}

/**
 * The side-by-side numbers of Question 4.4. Dropout with KEEP probability p is a ridge regression on
 * pw with the data-dependent per-feature penalty λ_dropout Γ²_jj, and its minimizer is rescaled by 1/p;
 * L2 weight decay penalizes every w_j by the same λ:
 * $$p\,w_{\text{dropout}} = (X^\top X + \lambda_{\text{dropout}}\Gamma^2)^{-1}X^\top y, \qquad
 *   w_{L2} = (X^\top X + \lambda I)^{-1}X^\top y.$$
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param options - `p`, the KEEP probability (required), and the ridge `lambda` (default:
 *   λ_dropout · mean Γ²). (The 0.0 form `compareDropoutRidge(X, y, p, { lambda })` still works, with a
 *   deprecation warning.)
 * @returns The comparison (vectors as rank-1 float64 Tensors) and one row per feature.
 * @throws RangeError when p ∉ (0, 1], λ < 0, shapes disagree, an input is not finite, or a system is
 *   singular; TypeError for an unknown or missing option.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * const c = compareDropoutRidge([[1, 0], [0, 3], [1, 1]], [1, 2, 3], { p: 0.5, lambda: 1 });
 * c.dropoutPenalty.toArray(); // => [2, 10] (feature 1 has the larger norm: shrunk more)
 * ```
 */
export function compareDropoutRidge(X: TensorInput, y: TensorInput, options: CompareDropoutRidgeOptions): DropoutRidgeComparison;
/** @deprecated Use `compareDropoutRidge(X, y, { p, ...options })`. */
export function compareDropoutRidge(X: TensorInput, y: TensorInput, p: KeepProbability, options?: Omit<CompareDropoutRidgeOptions, "p">): DropoutRidgeComparison;
export function compareDropoutRidge(X: TensorInput, y: TensorInput, ...args: unknown[]): DropoutRidgeComparison {
  const op = "compareDropoutRidge";
  const third = args[0] as CompareDropoutRidgeOptions | KeepProbability;
  const fourth = args[1] as object | undefined;
  const legacy = typeof third === "number" || fourth !== undefined || (typeof third === "object" && ("keep" in third || "drop" in third));
  if (legacy) warnDeprecated(`${op}(X, y, p, options) is deprecated and will be removed in the next minor version; use ${op}(X, y, { p, ...options })`);
  const given = legacy ? { ...(fourth ?? {}), p: third as KeepProbability } : (third);
  const options = readOptions(op, given, ["p", "lambda"]);
  if ((options.p as unknown) === undefined) throw new TypeError(`${op}: options.p is required (the KEEP probability)`);
  refuseGrad(op, [X, y]);
  const keep = resolveKeep(op, options.p);
  const r = regression(op, X, y);
  const ne = normalEquations(r);
  const gamma2 = gramDiagonal(ne);
  const lambdaDropout = (1 - keep) / keep;
  const meanGamma2 = gamma2.reduce((s, g) => s + g, 0) / r.d;
  const lambdaRidge = options.lambda === undefined ? lambdaDropout * meanGamma2 : penaltyValue(op, "lambda", options.lambda);
  const dropoutPenalty = gamma2.map((g) => lambdaDropout * g);
  const pwDropout = solvePenalized(op, ne, dropoutPenalty, `XᵀX + λΓ² (p = ${keep})`).w;
  const wDropout = pwDropout.map((v) => v / keep);
  const wRidge = solvePenalized(op, ne, new Float64Array(r.d).fill(lambdaRidge), `XᵀX + λI (λ = ${lambdaRidge})`).w;
  const features: FeatureComparison[] = [];
  for (let j = 0; j < r.d; j++) {
    features.push({
      feature: j,
      columnNorm: Math.sqrt(gamma2[j]!),
      dropoutPenalty: dropoutPenalty[j]!,
      ridgePenalty: lambdaRidge,
      wDropout: wDropout[j]!,
      pwDropout: pwDropout[j]!,
      wRidge: wRidge[j]!,
    });
  }
  return {
    p: keep,
    lambdaDropout,
    lambdaRidge,
    scale: 1 / keep,
    gamma2: vectorTensor(gamma2),
    dropoutPenalty: vectorTensor(dropoutPenalty),
    wDropout: vectorTensor(wDropout),
    pwDropout: vectorTensor(pwDropout),
    wRidge: vectorTensor(wRidge),
    features,
  };
}
