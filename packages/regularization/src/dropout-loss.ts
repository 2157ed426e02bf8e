import { readOptions, warnDeprecated, type TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { asMatrix, asVector, refuseGrad, regression } from "./internal/linear-input";

/** Options of {@link dropoutLoss}. */
export interface DropoutLossOptions {
  /** The d weights w (required). */
  readonly w: TensorInput;
  /** The n×d mask R (1 = keep, 0 = drop; any real weights are accepted), e.g. from `dropoutMask` (required). */
  readonly mask: TensorInput;
}

/** Options of {@link expectedDropoutLoss}. */
export interface ExpectedDropoutLossOptions {
  /** The d weights w (required). */
  readonly w: TensorInput;
  /** The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q) (required). */
  readonly p: KeepProbability;
}

function isOptionsObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !("shape" in value);
}

/** @internal Read `{ …required }` options, or the deprecated positional form `(X, y, a, b)`. */
// eslint-disable-next-line no-restricted-syntax -- shared by this package's deprecated positional forms, not exported from its index
export function requiredOptions<T extends object>(op: string, third: unknown, rest: readonly unknown[], keys: readonly (keyof T & string)[], legacy: string): T {
  if (!isOptionsObject(third) || rest.length > 0) {
    warnDeprecated(`${op}(X, y, ${legacy}) is deprecated and will be removed in the next minor version; use ${op}(X, y, { ${legacy} })`);
    return Object.fromEntries(keys.slice(0, 1 + rest.length).map((k, i) => [k, i === 0 ? third : rest[i - 1]])) as T;
  }
  const o = readOptions(op, third as T, keys);
  for (const k of keys.slice(0, legacy.split(",").length)) {
    if ((o as Record<string, unknown>)[k] === undefined) throw new TypeError(`${op}: options.${k} is required`);
  }
  return o;
}

/**
 * The dropout loss for one mask (Question 4):
 * $$L(w) = \lVert y - (X \odot R)\,w\rVert^2 .$$
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param options - `w` (the d weights) and `mask` (R, the n×d mask), both required. (The 0.0 form
 *   `dropoutLoss(X, y, w, R)` still works, with a deprecation warning.)
 * @returns The loss (a number).
 * @throws RangeError when the shapes disagree or an input is not finite; TypeError for an unknown or missing option.
 * @throws NotDifferentiableError inside `grad` (a number, with no backward rule).
 * @example
 * ```ts
 * dropoutLoss([[1, 2]], [3], { w: [1, 1], mask: [[1, 0]] }); // => 4  (3 − 1·1)²
 * ```
 */
export function dropoutLoss(X: TensorInput, y: TensorInput, options: DropoutLossOptions): number;
/** @deprecated Use `dropoutLoss(X, y, { w, mask: R })`. */
export function dropoutLoss(X: TensorInput, y: TensorInput, w: TensorInput, R: TensorInput): number;
export function dropoutLoss(X: TensorInput, y: TensorInput, ...args: unknown[]): number {
  const op = "dropoutLoss";
  const o = requiredOptions<DropoutLossOptions>(op, args[0], args.slice(1), ["w", "mask"], "w, mask");
  refuseGrad(op, [X, y, o.w, o.mask]);
  const r = regression(op, X, y);
  const ww = asVector(op, "w", o.w, r.d, "one weight per column of X");
  const mask = asMatrix(op, "mask", o.mask);
  if (mask.rows !== r.n || mask.cols !== r.d) {
    throw new RangeError(`${op}: the mask R must have the shape of X: X is [${r.n},${r.d}], R is [${mask.rows},${mask.cols}]`);
  }
  let loss = 0;
  for (let i = 0; i < r.n; i++) {
    let pred = 0;
    for (let j = 0; j < r.d; j++) pred += r.x[i * r.d + j]! * mask.data[i * r.d + j]! * ww[j]!;
    const e = r.y[i]! - pred;
    loss += e * e;
  }
  return loss;
}

/**
 * The expected dropout loss over masks R_ij ~ Bernoulli(p) i.i.d., p the probability of KEEPING an
 * input (Question 4.1), in closed form:
 * $$\mathbb{E}_R\big[\lVert y - (X\odot R)w\rVert^2\big] = \lVert y - pXw\rVert^2 + p(1-p)\lVert \Gamma w\rVert^2,
 *   \qquad \Gamma = \operatorname{diag}(X^\top X)^{1/2}.$$
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param options - `w` (the d weights) and `p` (the KEEP probability, or `{ drop: q }`), both
 *   required. (The 0.0 form `expectedDropoutLoss(X, y, w, p)` still works, with a deprecation warning.)
 * @returns The expected loss (a number).
 * @throws RangeError when p ∉ (0, 1], the shapes disagree or an input is not finite; TypeError for
 *   an unknown or missing option.
 * @throws NotDifferentiableError inside `grad` (a number, with no backward rule).
 * @example
 * ```ts
 * expectedDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5 }); // => 2.25 + 0.25·5 = 3.5
 * ```
 */
export function expectedDropoutLoss(X: TensorInput, y: TensorInput, options: ExpectedDropoutLossOptions): number;
/** @deprecated Use `expectedDropoutLoss(X, y, { w, p })`. */
export function expectedDropoutLoss(X: TensorInput, y: TensorInput, w: TensorInput, p: KeepProbability): number;
export function expectedDropoutLoss(X: TensorInput, y: TensorInput, ...args: unknown[]): number {
  const op = "expectedDropoutLoss";
  const o = requiredOptions<ExpectedDropoutLossOptions>(op, args[0], args.slice(1), ["w", "p"], "w, p");
  refuseGrad(op, [X, y, o.w]);
  const keep = resolveKeep(op, o.p);
  const r = regression(op, X, y);
  const ww = asVector(op, "w", o.w, r.d, "one weight per column of X");
  let fit = 0;
  const gw = new Float64Array(r.d);
  for (let i = 0; i < r.n; i++) {
    const row = i * r.d;
    let pred = 0;
    for (let j = 0; j < r.d; j++) {
      const xij = r.x[row + j]!;
      pred += xij * ww[j]!;
      gw[j] = gw[j]! + xij * xij;
    }
    const e = r.y[i]! - keep * pred;
    fit += e * e;
  }
  let penalty = 0;
  for (let j = 0; j < r.d; j++) penalty += gw[j]! * ww[j]! * ww[j]!;
  return fit + keep * (1 - keep) * penalty;
}
