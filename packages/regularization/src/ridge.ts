import { Tensor, readOptions, toTensor, type TensorInput } from "@hw/tensor";
import { choleskyInverseNorm1Estimate, kernels, norm1 } from "@hw/tensor/kernels";
import { asMatrix, asVector, penaltyValue, refuseGrad } from "./internal/linear-input";

/** Options of {@link ridge}. */
export interface RidgeOptions {
  /** The penalty λ ≥ 0 (scikit-learn's `alpha`). @defaultValue 1 (scikit-learn's default) */
  readonly lambda?: number;
  /**
   * Fit an unpenalized intercept: centre X and y by their (weighted) means, solve, and set
   * $b = \bar y - \bar x^\top w$ (scikit-learn's `fit_intercept`).
   * @defaultValue false (the problem set's model, as {@link ridgeSolution})
   */
  readonly fitIntercept?: boolean;
  /** Non-negative weights $s_i$ of the samples (length n): the loss is $\sum_i s_i\lVert y_i - x_i^\top w - b\rVert^2$. @defaultValue all 1 */
  readonly sampleWeight?: TensorInput;
}

/** The result of {@link ridge}. */
export interface RidgeFit {
  /** The weights: `[d]` for a vector y, `[d, k]` for a matrix Y of k targets (scikit-learn's `coef_.T`). */
  readonly w: Tensor;
  /** The intercept: a number for a vector y, `[k]` for k targets (0 without `fitIntercept`). */
  readonly intercept: number | Tensor;
  /** The penalty λ used. */
  readonly lambda: number;
  /** `"primal"`: $(X^\top X + \lambda I)w = X^\top y$ (n ≥ d); `"dual"`: $(XX^\top + \lambda I)a = y$, $w = X^\top a$ (n < d). */
  readonly form: "primal" | "dual";
  /** Hager's estimate of the 1-norm condition number of the system that was solved. */
  readonly condition: number;
}

const KEYS: readonly (keyof RidgeOptions)[] = ["lambda", "fitIntercept", "sampleWeight"];

/**
 * Ridge regression with an optional intercept, sample weights and several targets — equal to
 * scikit-learn's `Ridge(alpha=lambda, fit_intercept, solver="cholesky").fit(X, y, sample_weight)`:
 *
 * $$\min_{w,b}\ \sum_i s_i\,\lVert y_i - x_i^\top w - b\rVert^2 + \lambda\lVert w\rVert^2 .$$
 *
 * With `fitIntercept`, X and y are centred by their weighted means (the intercept is not
 * penalized); rows are then scaled by $\sqrt{s_i}$. For n ≥ d the primal normal equations
 * $(X^\top X + \lambda I)w = X^\top y$ are solved by Cholesky; for a wide X (n < d) the dual
 * $(XX^\top + \lambda I)a = y$, $w = X^\top a$ (an n×n system, so small λ keeps its digits). All k
 * targets share one factorization. The kernels are those of `@hw/tensor/kernels`.
 *
 * @param X - The n×d design matrix (finite).
 * @param y - The targets: n values, or an n×k matrix of k targets.
 * @param options - `lambda` (default 1), `fitIntercept` (default false), `sampleWeight`.
 * @returns `{ w, intercept, lambda, form, condition }`.
 * @throws RangeError for mismatched shapes, non-finite inputs, λ < 0, negative weights, weights
 *   summing to 0, or a system singular to working precision (naming the pivot); TypeError for an
 *   unknown option.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * ridge([[1, 0], [0, 1], [1, 1]], [1, 2, 3], { lambda: 1 }).w.toArray(); // => [0.875, 1.375]
 * ridge([[0], [1], [2]], [1, 3, 5], { lambda: 0, fitIntercept: true }).intercept; // => 1
 * ```
 */
export function ridge(X: TensorInput, y: TensorInput, options?: RidgeOptions): RidgeFit {
  const op = "ridge";
  const o = readOptions(op, options, KEYS);
  refuseGrad(op, [X, y, o.sampleWeight]);
  const lambda = penaltyValue(op, "lambda", o.lambda ?? 1);
  const { xs, ys, n, d, k, xm, ym, vector } = ridgeDesign(op, X, y, o);
  const form = n < d ? "dual" : "primal";
  const size = form === "dual" ? n : d;
  const a = new Float64Array(size * size);
  const rhs = new Float64Array(size * k);
  if (form === "primal") {
    kernels.gram(n, d, xs, d, 1, 0, a, 0); // XᵀX
    kernels.gemm(d, k, n, 1, xs, 0, 1, d, ys, 0, k, 1, rhs, 0, k); // XᵀY
  } else {
    kernels.gram(d, n, xs, 1, d, 0, a, 0); // XXᵀ
    rhs.set(ys);
  }
  for (let j = 0; j < size; j++) a[j * size + j] = a[j * size + j]! + lambda;
  const anorm = norm1(size, size, a, 0);
  const diagonal = Float64Array.from({ length: size }, (_, j) => a[j * size + j]!);
  const failed = kernels.choleskyFactor(size, a, 0, size * Number.EPSILON);
  if (failed >= 0) {
    const system = form === "primal" ? `XᵀX + λI (λ = ${lambda})` : `XXᵀ + λI (λ = ${lambda}, the dual form for n = ${n} < d = ${d})`;
    throw new RangeError(
      `${op}: ${system} is singular to working precision (Cholesky pivot ${failed + 1} of ${size} is not > ${size}ε·${diagonal[failed]!.toPrecision(3)}): ` +
        `${form === "primal" ? `feature ${failed} is zero or a combination of features 0..${Math.max(0, failed - 1)}` : `sample ${failed} is a combination of samples 0..${Math.max(0, failed - 1)}`}; use λ > 0`,
    );
  }
  kernels.choleskySolve(size, k, a, 0, rhs, 0);
  let w: Float64Array;
  if (form === "primal") w = rhs;
  else {
    w = new Float64Array(d * k);
    kernels.gemm(d, k, n, 1, xs, 0, 1, d, rhs, 0, k, 1, w, 0, k); // w = Xᵀa
  }
  const b = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    if (o.fitIntercept !== true) continue;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += xm[j]! * w[j * k + c]!;
    b[c] = ym[c]! - dot;
  }
  const condition = anorm * choleskyInverseNorm1Estimate(size, a, 0, new Float64Array(3 * size));
  return {
    w: new Tensor(w, vector ? [d] : [d, k]),
    intercept: vector ? b[0]! : new Tensor(b, [k]),
    lambda,
    form,
    condition,
  };
}

/** @internal The centred (fitIntercept) and √s-scaled design and targets of a ridge problem. */
export interface RidgeDesign {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** Weighted column means of X and y (zeros without fitIntercept). */
  readonly xm: Float64Array;
  readonly ym: Float64Array;
  /** The sample weights (null: all 1) and their total. */
  readonly sw: Float64Array | null;
  readonly total: number;
  /** y was a vector (results drop the target axis). */
  readonly vector: boolean;
}

/** @internal Validate and prepare X, y and the weights (shared by {@link ridge} and `ridgeCV`). */
export function ridgeDesign(op: string, X: TensorInput, y: TensorInput, o: { readonly fitIntercept?: boolean; readonly sampleWeight?: TensorInput }): RidgeDesign {
  const fitIntercept = o.fitIntercept ?? false;
  if (typeof fitIntercept !== "boolean") throw new TypeError(`${op}: fitIntercept must be a boolean, got ${JSON.stringify(fitIntercept)}`);
  const m = asMatrix(op, "X", X);
  const { rows: n, cols: d } = m;
  if (n === 0 || d === 0) throw new RangeError(`${op}: X must have at least one row and one column, got shape [${n},${d}]`);
  const yt = toTensor(y, `${op}: y`);
  if ((yt.ndim !== 1 && yt.ndim !== 2) || yt.shape[0] !== n) {
    throw new RangeError(`${op}: y must have n = ${n} rows (shape [${n}] or [${n}, k]) to match X [${n},${d}], got shape [${yt.shape.join(",")}]`);
  }
  const k = yt.ndim === 1 ? 1 : yt.shape[1]!;
  const ys = yt.ndim === 1 ? asVector(op, "y", yt, n) : asMatrix(op, "y", yt).data;
  const sw = o.sampleWeight === undefined ? null : asVector(op, "sampleWeight", o.sampleWeight, n, "one weight per row of X");
  if (sw !== null) {
    sw.forEach((s, i) => {
      if (s < 0) throw new RangeError(`${op}: sampleWeight[${i}] must be ≥ 0, got ${s}`);
    });
  }
  const xs = Float64Array.from(m.data);
  // Weighted means and centring (fitIntercept), then the √s row scaling.
  const xm = new Float64Array(d);
  const ym = new Float64Array(k);
  if (fitIntercept) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = sw?.[i] ?? 1;
      total += s;
      for (let j = 0; j < d; j++) xm[j] = xm[j]! + s * xs[i * d + j]!;
      for (let c = 0; c < k; c++) ym[c] = ym[c]! + s * ys[i * k + c]!;
    }
    if (!(total > 0)) throw new RangeError(`${op}: the sample weights sum to ${total}; the (weighted) means for the intercept are undefined`);
    for (let j = 0; j < d; j++) xm[j] = xm[j]! / total;
    for (let c = 0; c < k; c++) ym[c] = ym[c]! / total;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) xs[i * d + j] = xs[i * d + j]! - xm[j]!;
      for (let c = 0; c < k; c++) ys[i * k + c] = ys[i * k + c]! - ym[c]!;
    }
  }
  if (sw !== null) {
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(sw[i]!);
      for (let j = 0; j < d; j++) xs[i * d + j] = xs[i * d + j]! * r;
      for (let c = 0; c < k; c++) ys[i * k + c] = ys[i * k + c]! * r;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += sw?.[i] ?? 1;
  return { xs, ys, n, d, k, xm, ym, sw, total, vector: yt.ndim === 1 };
}
