import { Tensor, readOptions, type TensorInput } from "@hw/tensor";
import { kernels } from "@hw/tensor/kernels";
import { penaltyValue, refuseGrad } from "./internal/linear-input";
import { ridge, ridgeDesign, type RidgeFit } from "./ridge";

/** Options of {@link ridgeCV}. */
export interface RidgeCVOptions {
  /** The grid of penalties λ to compare (each ≥ 0; λ = 0 needs a non-singular system). */
  readonly lambdas: readonly number[];
  /** Fit an unpenalized intercept (as {@link ridge}). @defaultValue false */
  readonly fitIntercept?: boolean;
  /** Non-negative sample weights (as {@link ridge}). @defaultValue all 1 */
  readonly sampleWeight?: TensorInput;
}

/** The result of {@link ridgeCV}: the fit at the chosen λ and the leave-one-out errors of every λ. */
export interface RidgeCVResult extends RidgeFit {
  /** The λ of the grid with the smallest mean squared leave-one-out error (the first on ties). */
  readonly lambda: number;
  /**
   * The squared leave-one-out errors, `[L, n]` (or `[L, n, k]` for k targets), one row per λ of
   * the grid: $\big(\sqrt{s_i}\,(y_i - \hat y_{-i})\big)^2$ — scikit-learn's `cv_values_` with its λ axis first.
   */
  readonly looSquaredErrors: Tensor;
  /** Their mean over samples (and targets), one per λ: `[L]` (scikit-learn's `best_score_` is minus the smallest). */
  readonly looMeanSquaredErrors: Tensor;
}

/**
 * Ridge regression with λ chosen by exact leave-one-out cross-validation over a grid — scikit-learn's
 * `RidgeCV(alphas=lambdas, fit_intercept)` with its default efficient leave-one-out (`cv=None`). No
 * refitting per sample: with the hat matrix $H = X(X^\top X + \lambda I)^{-1}X^\top$ (of the centred,
 * $\sqrt{s}$-scaled problem, plus the unpenalized intercept's $s_i/\sum s$), the leave-one-out residual is
 *
 * $$y_i - \hat y_{-i} = \frac{y_i - \hat y_i}{1 - H_{ii}}$$
 *
 * (for a wide X, n < d, through the dual $H = I - \lambda(XX^\top + \lambda I)^{-1}$). One Cholesky
 * per λ; the chosen λ is then fitted by {@link ridge}.
 *
 * @param X - The n×d design matrix (finite, n ≥ 2).
 * @param y - n targets, or an n×k matrix.
 * @param options - `lambdas` (required), `fitIntercept`, `sampleWeight`.
 * @returns The {@link ridge} fit at the chosen λ, with `looSquaredErrors` and `looMeanSquaredErrors`.
 * @throws RangeError as {@link ridge}, for an empty grid, or when a point has leverage 1 (its
 *   leave-one-out prediction is undefined); TypeError for an unknown option.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * const cv = ridgeCV(X, y, { lambdas: [0.1, 1, 10], fitIntercept: true });
 * cv.lambda; // the λ with the smallest mean squared leave-one-out error
 * ```
 */
export function ridgeCV(X: TensorInput, y: TensorInput, options: RidgeCVOptions): RidgeCVResult {
  const op = "ridgeCV";
  const o = readOptions(op, options, ["lambdas", "fitIntercept", "sampleWeight"]);
  refuseGrad(op, [X, y, o.sampleWeight]);
  if (!Array.isArray(o.lambdas) || o.lambdas.length === 0) {
    throw new RangeError(`${op}: options.lambdas must be a non-empty array of penalties ≥ 0, got ${JSON.stringify(o.lambdas)}`);
  }
  const lambdas = o.lambdas.map((l: number) => penaltyValue(op, "lambdas[]", l));
  const { xs, ys, n, d, k, sw, total, vector } = ridgeDesign(op, X, y, o);
  if (n < 2) throw new RangeError(`${op}: leave-one-out needs at least 2 samples, got n = ${n}`);
  const intercept = o.fitIntercept === true;
  const dual = n < d;
  const size = dual ? n : d;
  const base = new Float64Array(size * size);
  if (dual) kernels.gram(d, n, xs, 1, d, 0, base, 0); // XXᵀ
  else kernels.gram(n, d, xs, d, 1, 0, base, 0); // XᵀX
  const L = lambdas.length;
  const errors = new Float64Array(L * n * k);
  const means = new Float64Array(L);
  const a = new Float64Array(size * size);
  for (let t = 0; t < L; t++) {
    const lambda = lambdas[t]!;
    a.set(base);
    for (let j = 0; j < size; j++) a[j * size + j] = a[j * size + j]! + lambda;
    const failed = kernels.choleskyFactor(size, a, 0, size * Number.EPSILON);
    if (failed >= 0) throw new RangeError(`${op}: the system for λ = ${lambda} is singular to working precision (Cholesky pivot ${failed + 1} of ${size}); use λ > 0`);
    const hii = new Float64Array(n);
    const resid = new Float64Array(n * k);
    if (dual) {
      // (K + λI)⁻¹ by columns: H = I − λ(K+λI)⁻¹, residual = λ(K+λI)⁻¹y.
      const inv = new Float64Array(n * n);
      for (let i = 0; i < n; i++) inv[i * n + i] = 1;
      kernels.choleskySolve(n, n, a, 0, inv, 0);
      const r = Float64Array.from(ys);
      kernels.choleskySolve(n, k, a, 0, r, 0);
      for (let i = 0; i < n; i++) {
        hii[i] = 1 - lambda * inv[i * n + i]!;
        for (let c = 0; c < k; c++) resid[i * k + c] = lambda * r[i * k + c]!;
      }
    } else {
      // M = (XᵀX + λI)⁻¹Xᵀ (d×n); H_ii = x_iᵀ M[:, i]; residual = y − X(M y).
      const m = new Float64Array(d * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j * n + i] = xs[i * d + j]!;
      kernels.choleskySolve(d, n, a, 0, m, 0);
      const beta = new Float64Array(d * k);
      kernels.gemm(d, k, n, 1, m, 0, n, 1, ys, 0, k, 1, beta, 0, k);
      const fitted = new Float64Array(n * k);
      kernels.gemm(n, k, d, 1, xs, 0, d, 1, beta, 0, k, 1, fitted, 0, k);
      for (let i = 0; i < n; i++) {
        let h = 0;
        for (let j = 0; j < d; j++) h += xs[i * d + j]! * m[j * n + i]!;
        hii[i] = h;
        for (let c = 0; c < k; c++) resid[i * k + c] = ys[i * k + c]! - fitted[i * k + c]!;
      }
    }
    let acc = 0;
    for (let i = 0; i < n; i++) {
      // The unpenalized intercept column √s is orthogonal to the centred columns: it adds s_i/Σs.
      const h = hii[i]! + (intercept ? (sw?.[i] ?? 1) / total : 0);
      if (!(1 - h > 1e-12)) throw new RangeError(`${op}: sample ${i} has leverage ${h} ≈ 1 at λ = ${lambda}: its leave-one-out prediction is undefined`);
      for (let c = 0; c < k; c++) {
        const e = resid[i * k + c]! / (1 - h);
        errors[(t * n + i) * k + c] = e * e;
        acc += e * e;
      }
    }
    means[t] = acc / (n * k);
  }
  let best = 0;
  for (let t = 1; t < L; t++) if (means[t]! < means[best]!) best = t;
  const fit = ridge(X, y, { lambda: lambdas[best]!, ...(o.fitIntercept === undefined ? {} : { fitIntercept: o.fitIntercept }), ...(o.sampleWeight === undefined ? {} : { sampleWeight: o.sampleWeight }) });
  return {
    ...fit,
    looSquaredErrors: new Tensor(errors, vector ? [L, n] : [L, n, k]),
    looMeanSquaredErrors: new Tensor(means, [L]),
  };
}
