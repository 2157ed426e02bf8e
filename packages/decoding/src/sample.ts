import { createRng, tensor, type Rng } from "@hw/tensor";
import { tokenId, type LanguageModel } from "./language-model";
import { checkSteps, decoded, type DecodeResult } from "./sequence";

/** Options of {@link sample}. */
export interface SampleOptions {
  /** τ > 0: the log-probabilities are divided by τ (τ < 1 sharpens, τ > 1 flattens). @defaultValue `1` */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (ties with the k-th are kept); 0 = off. @defaultValue `0` */
  readonly topK?: number;
  /** Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p; 1 = off. @defaultValue `1` */
  readonly topP?: number;
  /** Seed of the generator (`createRng` of `@hw/tensor`), echoed in the result. @defaultValue `0` */
  readonly seed?: number | bigint;
  /** How many independent sequences to draw. @defaultValue `1` */
  readonly numSamples?: number;
  /** Stop a sequence after this token. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
}

/** What {@link sample} returns. */
export interface SampleResult extends DecodeResult {
  /** The seed used. */
  readonly seed: number | bigint;
}

/**
 * @internal The warped next-token distribution: probabilities (summing to 1) after, in this order,
 * temperature, top-k and top-p (HuggingFace's warper order).
 */
export function warpedProbabilities(row: Float64Array, temperature: number, topK: number, topP: number): Float64Array {
  const n = row.length;
  const z = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const v = row[j]!;
    z[j] = Number.isNaN(v) ? -Infinity : v / temperature; // NaN = impossible, as in every decoder
  }
  if (topK > 0 && topK < n) {
    const kth = Float64Array.from(z).sort().reverse()[topK - 1]!;
    for (let j = 0; j < n; j++) if (z[j]! < kth) z[j] = -Infinity;
  }
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (z[j]! > max) max = z[j]!;
  const p = new Float64Array(n);
  if (max === -Infinity) return p;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    p[j] = Math.exp(z[j]! - max);
    sum += p[j]!;
  }
  for (let j = 0; j < n; j++) p[j] = p[j]! / sum;
  if (topP < 1) {
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => p[b]! - p[a]! || a - b);
    let cum = 0;
    let keep = 0;
    while (keep < n && cum < topP) cum += p[order[keep++]!]!;
    for (let k = keep; k < n; k++) p[order[k]!] = 0;
    for (let j = 0; j < n; j++) p[j] = p[j]! / cum;
  }
  return p;
}

/**
 * Ancestral sampling with logit warpers. Each step draws $w_t \sim \tilde p(\cdot \mid w_{0:t-1})$,
 * where the warped distribution applies, in this order: temperature
 * $\tilde p_j \propto \exp(\log p_j / \tau)$, then top-k (keep the k largest), then top-p (keep the
 * smallest most-likely set whose mass reaches p), then renormalises. Randomness comes only from a
 * seeded generator. `logProb` is the model's own log-likelihood of the drawn sequence (unwarped).
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1.
 * @param options - `temperature`, `topK`, `topP`, `seed`, `numSamples`, `eos`.
 * @returns The drawn sequences (in draw order, not ranked) and the seed.
 * @throws RangeError for τ ≤ 0, a bad k or p, or a bad T.
 * @example
 * ```ts
 * sample(exampleTree, 3, { seed: 1, topK: 1 }).sequences[0].tokens; // => ["the", "cat", "is"] (top-1 = greedy)
 * ```
 */
export function sample(lm: LanguageModel, steps: number, options: SampleOptions = {}): SampleResult {
  checkSteps(steps, "sample");
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`sample: temperature must be finite and > 0, got ${temperature}`);
  const topK = options.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) throw new RangeError(`sample: topK must be an integer ≥ 0 (0 = off), got ${topK}`);
  const topP = options.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`sample: topP must be in (0, 1], got ${topP}`);
  const numSamples = options.numSamples ?? 1;
  if (!Number.isInteger(numSamples) || numSamples < 1) throw new RangeError(`sample: numSamples must be an integer ≥ 1, got ${numSamples}`);
  const eos = options.eos === undefined ? lm.eos : tokenId(lm.vocabulary, options.eos, "sample", "eos");
  const seed = options.seed ?? 0;
  const rng: Rng = createRng(seed);
  const sequences = Array.from({ length: numSamples }, () => {
    const prefix = [lm.bos];
    let logProb = 0;
    for (let t = 1; t <= steps; t++) {
      const row = lm.logProbs(prefix);
      const p = warpedProbabilities(row, temperature, topK, topP);
      if (!p.some((v) => v > 0)) break;
      const j = rng.categorical(tensor(Array.from(p))).item();
      prefix.push(j);
      logProb += row[j]!;
      if (j === eos) break;
    }
    return decoded(lm, prefix.slice(1), logProb);
  });
  return { sequences, seed };
}
