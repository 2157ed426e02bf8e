import { createRng, readOptions, warnDeprecated, type Tensor, type TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { refuseGrad, regression, vectorTensor } from "./internal/linear-input";

/** Options of {@link trainDropoutRegression}. */
export interface TrainDropoutOptions {
  /** The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q) (required). */
  readonly p: KeepProbability;
  /**
   * Step size of SGD on the per-row mean loss (1/b)‖y_B − (X_B ⊙ R)w‖².
   * @defaultValue n / (2 Σ_j Γ²_jj) — a step below 1/L for the mean loss's curvature bound.
   */
  readonly lr?: number;
  /**
   * Passes over the data.
   * @defaultValue 2000
   */
  readonly epochs?: number;
  /**
   * Rows per step (a fresh mask is drawn for each step).
   * @defaultValue n (full batch)
   */
  readonly batchSize?: number;
  /**
   * Seed of `createRng(seed)` (masks and row order); echoed in the result.
   * @defaultValue 0
   */
  readonly seed?: number;
}

/** The result of {@link trainDropoutRegression}. */
export interface TrainDropoutResult {
  /** The Polyak average of the iterates over the second half of training (the estimate of w_dropout). */
  readonly w: Tensor;
  /** The last iterate. */
  readonly wLast: Tensor;
  /** The expected dropout loss (closed form, Question 4.1) of the averaged weights after each epoch. */
  readonly history: Tensor;
  readonly lr: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The KEEP probability p. */
  readonly p: number;
}

/**
 * Train linear regression with input dropout by stochastic gradient descent, drawing a fresh mask
 * R ~ Bernoulli(p) (p the probability of KEEPING an input) for every step:
 * $$w \leftarrow w + \frac{2\eta}{b}\,(X_B\odot R)^\top\big(y_B - (X_B\odot R)w\big).$$
 * The stochastic gradient is unbiased for the gradient of E_R[L(w)], so the (averaged) iterates
 * converge to the closed-form minimizer w_dropout of Question 4.2 — training optimizes the expectation.
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param options - `p`, the KEEP probability (required); `lr`, `epochs`, `batchSize`, `seed`. (The
 *   0.0 form `trainDropoutRegression(X, y, p, options)` still works, with a deprecation warning.)
 * @returns The averaged and last weights, the loss history and the settings used.
 * @throws RangeError for p ∉ (0, 1], a non-positive or non-finite `lr`, a bad `epochs`/`batchSize`/`seed`,
 *   mismatched shapes or non-finite inputs, and when training diverges (the message suggests a smaller lr);
 *   TypeError for an unknown or missing option.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * const fit = trainDropoutRegression(X, y, { p: 0.8, epochs: 4000, seed: 1 });
 * fit.w.toArray(); // ≈ dropoutSolution(X, y, 0.8).w.toArray()
 * ```
 */
export function trainDropoutRegression(X: TensorInput, y: TensorInput, options: TrainDropoutOptions): TrainDropoutResult;
/** @deprecated Use `trainDropoutRegression(X, y, { p, ...options })`. */
export function trainDropoutRegression(X: TensorInput, y: TensorInput, p: KeepProbability, options?: Omit<TrainDropoutOptions, "p">): TrainDropoutResult;
export function trainDropoutRegression(X: TensorInput, y: TensorInput, ...args: unknown[]): TrainDropoutResult {
  const op = "trainDropoutRegression";
  const third = args[0] as TrainDropoutOptions | KeepProbability;
  const fourth = args[1] as object | undefined;
  const legacy = typeof third === "number" || fourth !== undefined || (typeof third === "object" && ("keep" in third || "drop" in third));
  if (legacy) warnDeprecated(`${op}(X, y, p, options) is deprecated and will be removed in the next minor version; use ${op}(X, y, { p, ...options })`);
  const given = legacy ? { ...(fourth ?? {}), p: third as KeepProbability } : (third);
  const options = readOptions(op, given, ["p", "lr", "epochs", "batchSize", "seed"]);
  if ((options.p as unknown) === undefined) throw new TypeError(`${op}: options.p is required (the KEEP probability)`);
  refuseGrad(op, [X, y]);
  const keep = resolveKeep(op, options.p);
  const r = regression(op, X, y);
  const { n, d, x } = r;
  let gammaSum = 0;
  for (let k = 0; k < x.length; k++) gammaSum += x[k]! * x[k]!;
  const lr = options.lr ?? (gammaSum > 0 ? n / (2 * gammaSum) : 1);
  const epochs = options.epochs ?? 2000;
  const batchSize = options.batchSize ?? n;
  const seed = options.seed ?? 0;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`${op}: lr must be a finite number > 0, got ${lr}`);
  if (!Number.isSafeInteger(epochs) || epochs < 1) throw new RangeError(`${op}: epochs must be an integer ≥ 1, got ${epochs}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new RangeError(`${op}: batchSize must be an integer in [1, ${n}] (n = ${n}), got ${batchSize}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${op}: seed must be a safe integer, got ${seed}`);
  const rng = createRng(seed);
  const w = new Float64Array(d);
  const avg = new Float64Array(d);
  const g = new Float64Array(d);
  const gamma2 = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) gamma2[j] = gamma2[j]! + x[i * d + j]! ** 2;
  const history = new Float64Array(epochs);
  const start = Math.floor(epochs / 2);
  let averaged = 0;
  const rowMask = new Float64Array(d);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = batchSize === n ? null : rng.permutation(n);
    for (let b0 = 0; b0 < n; b0 += batchSize) {
      const b1 = Math.min(n, b0 + batchSize);
      const mask = rng.bernoulli([b1 - b0, d], keep).data;
      g.fill(0);
      for (let t = b0; t < b1; t++) {
        const i = order === null ? t : order[t]!;
        const row = i * d;
        let pred = 0;
        for (let j = 0; j < d; j++) {
          const xr = x[row + j]! * mask[(t - b0) * d + j]!;
          rowMask[j] = xr;
          pred += xr * w[j]!;
        }
        const e = r.y[i]! - pred;
        for (let j = 0; j < d; j++) g[j] = g[j]! + rowMask[j]! * e;
      }
      const step = (2 * lr) / (b1 - b0);
      for (let j = 0; j < d; j++) w[j] = w[j]! + step * g[j]!;
    }
    if (epoch >= start) {
      averaged++;
      for (let j = 0; j < d; j++) avg[j] = avg[j]! + (w[j]! - avg[j]!) / averaged;
    }
    const current = epoch >= start ? avg : w;
    let fit = 0;
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let j = 0; j < d; j++) pred += x[i * d + j]! * current[j]!;
      fit += (r.y[i]! - keep * pred) ** 2;
    }
    let pen = 0;
    for (let j = 0; j < d; j++) pen += gamma2[j]! * current[j]! ** 2;
    const loss = fit + keep * (1 - keep) * pen;
    if (!Number.isFinite(loss)) {
      throw new RangeError(`${op}: training diverged at epoch ${epoch + 1} (loss ${loss}) with lr = ${lr}; use a smaller lr`);
    }
    history[epoch] = loss;
  }
  return { w: vectorTensor(avg), wLast: vectorTensor(w), history: vectorTensor(history), lr, epochs, batchSize, seed, p: keep };
}
