import { createRng, readOptions, warnDeprecated, type TensorInput, withDeprecatedField } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { hexDigits } from "./internal/bernoulli-bits";
import { asVector, refuseGrad, regression } from "./internal/linear-input";

/** Options of {@link monteCarloDropoutLoss}. */
export interface MonteCarloOptions {
  /** The d weights w (required). */
  readonly w: TensorInput;
  /** The KEEP probability p ∈ (0, 1] (or `{ drop: q }` with p = 1 − q) (required). */
  readonly p: KeepProbability;
  /**
   * Number of independent masks R (each n×d). Memory does not grow with it (the losses are
   * streamed into a running mean and variance).
   * @defaultValue 10000
   */
  readonly numSamples?: number;
  /** @deprecated Renamed to {@link MonteCarloOptions.numSamples}; removed in 0.2.0. */
  readonly samples?: number;
  /**
   * Seed of the `@hw/tensor` generator (`createRng(seed)`); echoed in the result.
   * @defaultValue 0
   */
  readonly seed?: number;
  /** Called every few hundred samples with the number done (for progress bars). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The result of {@link monteCarloDropoutLoss}. */
export interface MonteCarloEstimate {
  /** The sample mean of L(w; R) over the masks. */
  readonly mean: number;
  /** Its standard error s/√S (s the sample standard deviation, two-pass, 1/(S−1)). */
  readonly stderr: number;
  /** The 95% normal-approximation confidence interval mean ± 1.96·stderr. */
  readonly interval: readonly [number, number];
  /** S, the number of masks. */
  readonly numSamples: number;
  /** @deprecated Renamed to `numSamples`; removed in 0.2.0. */
  readonly samples: number;
  /** The seed used. */
  readonly seed: number;
  /** The KEEP probability p used. */
  readonly p: number;
}

/**
 * A Monte Carlo estimate of the expected dropout loss (the quantity of Question 4.1), with masks
 * R_ij ~ Bernoulli(p) i.i.d. and p the probability of KEEPING an input:
 * $$\hat L = \frac1S\sum_{s=1}^S \lVert y - (X\odot R^{(s)})w\rVert^2 \approx \mathbb{E}_R[L(w)].$$
 * Masks are drawn from `createRng(seed)` of `@hw/tensor` with a bit-efficient Bernoulli sampler
 * (a uniform's hexadecimal digits compared with those of p: about 4.3 random bits per draw); the run
 * is reproducible for a fixed seed. The losses are streamed (Welford's running mean and variance), so
 * memory is O(n·d) whatever the number of samples.
 *
 * @param X - The n×d design matrix (Tensor or nested arrays; finite).
 * @param y - The n targets.
 * @param options - `w` and `p` (required), `numSamples` (default 10000), `seed` (default 0),
 *   `onProgress`. (The 0.0 form `monteCarloDropoutLoss(X, y, w, p, options)` still works, with a
 *   deprecation warning; so does the option `samples`.)
 * @returns `{ mean, stderr, interval, numSamples, seed, p }`.
 * @throws RangeError when p ∉ (0, 1], `numSamples` is not an integer ≥ 2, the seed is not an integer,
 *   shapes disagree or an input is not finite; TypeError for an unknown or missing option.
 * @throws NotDifferentiableError inside `grad` (a sampled number, with no backward rule).
 * @example
 * ```ts
 * const mc = monteCarloDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5, numSamples: 100000, seed: 1 });
 * mc.mean; // ≈ 3.5 = expectedDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5 })
 * ```
 */
export function monteCarloDropoutLoss(X: TensorInput, y: TensorInput, options: MonteCarloOptions): MonteCarloEstimate;
/** @deprecated Use `monteCarloDropoutLoss(X, y, { w, p, ...options })`. */
// eslint-disable-next-line no-restricted-syntax -- the deprecated positional form, kept until 0.2.0
export function monteCarloDropoutLoss(X: TensorInput, y: TensorInput, w: TensorInput, p: KeepProbability, options?: Omit<MonteCarloOptions, "w" | "p">): MonteCarloEstimate;
export function monteCarloDropoutLoss(X: TensorInput, y: TensorInput, ...args: unknown[]): MonteCarloEstimate {
  const op = "monteCarloDropoutLoss";
  const third = args[0];
  const rest = args.slice(1);
  let given: MonteCarloOptions;
  if (rest.length > 0) {
    warnDeprecated(`${op}(X, y, w, p, options) is deprecated and will be removed in the next minor version; use ${op}(X, y, { w, p, ...options })`);
    const extra = rest[1] === undefined ? {} : rest[1];
    if (typeof extra !== "object" || extra === null) throw new TypeError(`${op}: options must be an object, got ${typeof extra}`);
    given = { ...(extra), w: third as TensorInput, p: rest[0] as KeepProbability };
  } else {
    given = third as MonteCarloOptions;
  }
  const options = readOptions(op, given, ["w", "p", "numSamples", "seed", "onProgress"], { samples: "numSamples" });
  if ((options.w as unknown) === undefined) throw new TypeError(`${op}: options.w is required (the d weights)`);
  if ((options.p as unknown) === undefined) throw new TypeError(`${op}: options.p is required (the KEEP probability)`);
  refuseGrad(op, [X, y, options.w]);
  const keep = resolveKeep(op, options.p);
  const samples = options.numSamples ?? 10000;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(samples) || samples < 2) {
    throw new RangeError(`${op}: numSamples must be an integer ≥ 2, got ${samples}`);
  }
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${op}: seed must be a safe integer, got ${seed}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new TypeError(`${op}: onProgress must be a function (done, total) => void, got ${typeof options.onProgress}`);
  }
  const r = regression(op, X, y);
  const ww = asVector(op, "w", options.w, r.d, "one weight per column of X");
  const { n, d } = r;
  // a_ij = X_ij w_j: the masked prediction of row i is the sum of the kept a_ij.
  const a = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) a[i * d + j] = r.x[i * d + j]! * ww[j]!;
  // Welford's running mean and sum of squared deviations: O(1) memory in the number of samples.
  let mean = 0;
  let ss = 0;
  const rng = createRng(seed);
  const digits = hexDigits(keep);
  const first = digits[0]!;
  const nd = digits.length;
  const y0 = r.y;
  const every = Math.max(1, Math.floor(samples / 100));
  // The steps of BernoulliBits.next(), inlined: one 4-bit digit per draw, 8 per generator call.
  let word = 0;
  let left = 0;
  for (let s = 0; s < samples; s++) {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let pred = 0;
      for (let j = 0; j < d; j++) {
        if (left === 0) {
          word = rng.nextUint32();
          left = 8;
        }
        const u = word & 15;
        word >>>= 4;
        left--;
        // keep iff u < first digit of p (branch-free: the sign bit of u − first) …
        pred += a[row + j]! * ((u - first) >>> 31);
        // … and on a tie (1 in 16) compare the following digits.
        if (u === first) {
          for (let k = 1; k < nd; k++) {
            if (left === 0) {
              word = rng.nextUint32();
              left = 8;
            }
            const v = word & 15;
            word >>>= 4;
            left--;
            const dk = digits[k]!;
            if (v !== dk) {
              if (v < dk) pred += a[row + j]!;
              break;
            }
          }
        }
      }
      const e = y0[i]! - pred;
      loss += e * e;
    }
    const delta = loss - mean;
    mean += delta / (s + 1);
    ss += delta * (loss - mean);
    if (options.onProgress !== undefined && (s + 1) % every === 0) options.onProgress(s + 1, samples);
  }
  const stderr = Math.sqrt(ss / (samples - 1) / samples);
  const estimate = { mean, stderr, interval: [mean - 1.96 * stderr, mean + 1.96 * stderr] as const, numSamples: samples, seed, p: keep };
  return withDeprecatedField(op, estimate, "samples", "numSamples");
}
