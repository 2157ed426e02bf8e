import { keepProbability, type KeepProbability } from "./keep-probability";
import { asMatrix, asVector, regression, type MatrixInput, type VectorInput } from "./internal/linear-input";

/**
 * The dropout loss for one mask (Question 4):
 * $$L(w) = \lVert y - (X \odot R)\,w\rVert^2 .$$
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param w - The d weights.
 * @param R - The n×d mask (1 = keep, 0 = drop; any real weights are accepted), e.g. from {@link dropoutMask}.
 * @returns The loss (a number).
 * @throws RangeError when the shapes disagree or an input is not finite.
 * @example
 * ```ts
 * dropoutLoss([[1, 2]], [3], [1, 1], [[1, 0]]); // => 4  (3 − 1·1)²
 * ```
 */
export function dropoutLoss(X: MatrixInput, y: VectorInput, w: VectorInput, R: MatrixInput): number {
  const op = "dropoutLoss";
  const r = regression(op, X, y);
  const ww = asVector(op, "w", w, r.d, "one weight per column of X");
  const mask = asMatrix(op, "R", R);
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
 * @param w - The d weights.
 * @param p - The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q).
 * @returns The expected loss (a number).
 * @throws RangeError when p ∉ (0, 1], the shapes disagree or an input is not finite.
 * @example
 * ```ts
 * expectedDropoutLoss([[1, 2]], [3], [1, 1], 0.5); // => 2.25 + 0.25·5 = 3.5
 * ```
 */
export function expectedDropoutLoss(X: MatrixInput, y: VectorInput, w: VectorInput, p: KeepProbability): number {
  const op = "expectedDropoutLoss";
  const keep = keepProbability(p, op);
  const r = regression(op, X, y);
  const ww = asVector(op, "w", w, r.d, "one weight per column of X");
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
