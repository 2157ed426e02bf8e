import { createRng, readOptions, tensor, type Rng } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { checkLanguageModel, integerArg, numberArg, resolveToken, seedArg, show, stepsArg } from "./internal/validate";
import { CONTROL_OPTIONS, processRow, readControls } from "./internal/controls";

/** Options of {@link sample}. */
export interface SampleOptions {
  /**
   * τ > 0: the log-probabilities are divided by τ (τ < 1 sharpens, τ > 1 flattens). As τ → 0 the
   * draw becomes the most likely token (the greedy choice; exact ties split evenly): any τ > 0,
   * however small (1e-310 included), gives that limit rather than underflowing. @defaultValue `1`
   */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (ties with the k-th are kept); 0 = off (deprecated alias `topk`). @defaultValue `0` */
  readonly topK?: number;
  /** Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p; 1 = off. @defaultValue `1` */
  readonly topP?: number;
  /** min-p: keep tokens whose probability is at least minP times the most likely token's, in [0, 1]; 0 = off. @defaultValue `0` */
  readonly minP?: number;
  /** Locally typical sampling mass in (0, 1]; 1 = off. @defaultValue `1` */
  readonly typicalP?: number;
  /** ε-sampling: drop tokens of probability below ε, in [0, 1); 0 = off. @defaultValue `0` */
  readonly epsilonCutoff?: number;
  /** η-sampling: drop tokens below min(η, √η·exp(−entropy)), η in [0, 1); 0 = off. @defaultValue `0` */
  readonly etaCutoff?: number;
  /** Seed of the generator (`createRng` of `@hw/tensor`), echoed in the result. @defaultValue `0` */
  readonly seed?: number | bigint;
  /** How many independent sequences to draw (deprecated alias `numSamples`). @defaultValue `1` */
  readonly numReturnSequences?: number;
  /** @deprecated Use `numReturnSequences` (warns once). */
  readonly numSamples?: number;
  /** @deprecated Use `topK` (warns once). */
  readonly topk?: number;
  /** Stop a sequence after this token. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
  /** CTRL's repetition penalty θ > 0 over the whole history (`<BOS>` included), applied to the log-probabilities before the warpers; 1 = off. @defaultValue `1` */
  readonly repetitionPenalty?: number;
  /** `eos` is masked until this many tokens have been generated (needs `eos`; at most `steps`). @defaultValue `0` */
  readonly minNewTokens?: number;
  /** Token sequences never generated: each a token (string or id) or an array of tokens. @defaultValue `[]` */
  readonly badWords?: readonly (string | number | readonly (string | number)[])[];
}

/** What {@link sample} returns. */
export interface SampleResult extends DecodeResult {
  /** The seed used. */
  readonly seed: number | bigint;
}

/** @internal The warpers of {@link sample}, validated. */
export interface Warpers {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly minP: number;
  readonly typicalP: number;
  readonly epsilonCutoff: number;
  readonly etaCutoff: number;
}

/** Keep only `keep(j)` tokens (and `always`, by default the most likely one), then renormalise. */
function restrict(p: Float64Array, keep: (j: number) => boolean, always?: number): void {
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[best]!) best = j;
  if (always !== undefined) best = always;
  let sum = 0;
  for (let j = 0; j < p.length; j++) {
    if (j !== best && !keep(j)) p[j] = 0;
    sum += p[j]!;
  }
  for (let j = 0; j < p.length; j++) p[j] = p[j]! / sum;
}

function entropy(p: Float64Array): number {
  let h = 0;
  for (const v of p) if (v > 0) h -= v * Math.log(v);
  return h;
}

/**
 * @internal The warped next-token distribution: probabilities (summing to 1) after, in this order
 * (HuggingFace `generate`'s warper order), temperature, top-k, top-p, min-p, typical-p, ε-cutoff
 * and η-cutoff, each renormalising and never removing the most likely token (typical-p: the most
 * typical one).
 */
export function warpedProbabilities(row: Float64Array, warpers: Partial<Warpers> = {}): Float64Array {
  const { temperature = 1, topK = 0, topP = 1, minP = 0, typicalP = 1, epsilonCutoff = 0, etaCutoff = 0 } = warpers;
  const n = row.length;
  const z = new Float64Array(n);
  // Shift by the row maximum before dividing by τ (softmax is shift-invariant): the best token gets
  // z = 0 exactly, so a tiny τ tends to the greedy choice instead of underflowing every token to 0.
  let top = -Infinity;
  for (let j = 0; j < n; j++) if (row[j]! > top) top = row[j]!;
  for (let j = 0; j < n; j++) {
    const v = row[j]!;
    z[j] = Number.isNaN(v) || v === -Infinity ? -Infinity : v === top ? 0 : (v - top) / temperature; // NaN = impossible, as in every decoder
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
  if (minP > 0) {
    // min-p: drop tokens below minP times the most likely token's probability.
    const threshold = minP * Math.max(...p);
    restrict(p, (j) => p[j]! >= threshold);
  }
  if (typicalP < 1) {
    // Locally typical sampling: rank tokens by |−log p_j − H(p)|, keep the most typical ones until
    // their mass reaches typicalP (the token that crosses it included; ties with it kept).
    const h = entropy(p);
    const dev = (j: number): number => Math.abs(-Math.log(p[j]!) - h);
    const order = Array.from({ length: n }, (_, j) => j)
      .filter((j) => p[j]! > 0)
      .sort((a, b) => dev(a) - dev(b) || a - b);
    let cum = 0;
    let last = 0;
    while (last < order.length - 1 && cum + p[order[last]!]! < typicalP) cum += p[order[last++]!]!;
    const cut = dev(order[last]!);
    // As in HuggingFace, the most typical token (not necessarily the most likely) always stays.
    restrict(p, (j) => p[j]! > 0 && dev(j) <= cut, order[0]);
  }
  if (epsilonCutoff > 0) restrict(p, (j) => p[j]! >= epsilonCutoff);
  if (etaCutoff > 0) {
    // η-sampling: the cut-off min(η, √η·exp(−H(p))) adapts to the entropy.
    const eta = Math.min(etaCutoff, Math.sqrt(etaCutoff) * Math.exp(-entropy(p)));
    restrict(p, (j) => p[j]! >= eta);
  }
  return p;
}

/**
 * Ancestral sampling with logit warpers. Each step draws $w_t \sim \tilde p(\cdot \mid w_{0:t-1})$,
 * where the warped distribution applies, in this order (HuggingFace `generate`'s): the processors
 * `repetitionPenalty`, `badWords`, `minNewTokens` on the log-probabilities, then temperature
 * $\tilde p_j \propto \exp(\log p_j / \tau)$, top-k (keep the k largest), top-p (keep the
 * smallest most-likely set whose mass reaches p), min-p, typical-p, ε-cutoff, η-cutoff — each
 * renormalising and never removing the most likely token. Randomness comes only from a
 * seeded generator. `logProb` is the model's own log-likelihood of the drawn sequence (unwarped).
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1.
 * @param options - `temperature`, `topK`, `topP`, `minP`, `typicalP`, `epsilonCutoff`, `etaCutoff`, `seed`, `numReturnSequences`, `eos`, `repetitionPenalty`, `minNewTokens`, `badWords` (deprecated aliases: `topk`, `numSamples`).
 * @returns The drawn sequences (in draw order, not ranked) and the seed.
 * @throws RangeError for τ ≤ 0 or non-finite, a bad k or p, or a bad T; TypeError for an unknown option or a value of the wrong type.
 * @example
 * ```ts
 * sample(exampleTree, 3, { seed: 1, topK: 1 }).sequences[0].tokens; // => ["the", "cat", "is"] (top-1 = greedy)
 * ```
 */
export function sample(lm: LanguageModel, steps: number, options?: SampleOptions): SampleResult {
  checkLanguageModel("sample", lm);
  stepsArg("sample", steps);
  const o = readOptions("sample", options, ["temperature", "topK", "topP", "minP", "typicalP", "epsilonCutoff", "etaCutoff", "seed", "numReturnSequences", "eos", ...CONTROL_OPTIONS], {
    topk: "topK",
    numSamples: "numReturnSequences",
  });
  const temperature = numberArg("sample", "temperature", o.temperature, 1, { exclusiveMin: 0 });
  const topK = integerArg("sample", "topK", o.topK, 0, 0);
  const topP = numberArg("sample", "topP", o.topP, 1, { exclusiveMin: 0, max: 1 });
  const minP = numberArg("sample", "minP", o.minP, 0, { min: 0, max: 1 });
  const typicalP = numberArg("sample", "typicalP", o.typicalP, 1, { exclusiveMin: 0, max: 1 });
  const epsilonCutoff = numberArg("sample", "epsilonCutoff", o.epsilonCutoff, 0, { min: 0, max: 1 });
  if (epsilonCutoff === 1) throw new RangeError("sample: epsilonCutoff must be in [0, 1), got 1");
  const etaCutoff = numberArg("sample", "etaCutoff", o.etaCutoff, 0, { min: 0, max: 1 });
  if (etaCutoff === 1) throw new RangeError("sample: etaCutoff must be in [0, 1), got 1");
  const warpers: Warpers = { temperature, topK, topP, minP, typicalP, epsilonCutoff, etaCutoff };
  const numSamples = integerArg("sample", "numReturnSequences", o.numReturnSequences, 1, 1);
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "sample", "eos");
  const controls = readControls("sample", o, lm, eos, steps);
  const seed = seedArg("sample", o.seed);
  const rng: Rng = createRng(seed);
  const sequences = Array.from({ length: numSamples }, () => {
    const prefix = [lm.bos];
    const scores: number[] = [];
    for (let t = 1; t <= steps; t++) {
      const row: unknown = lm.logProbs(prefix);
      if (!(row instanceof Float64Array) || row.length !== lm.vocabulary.length) {
        throw new RangeError(`sample: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${lm.vocabulary.length} values`);
      }
      const p = warpedProbabilities(processRow(controls, row, prefix, t - 1), warpers);
      if (!p.some((v) => v > 0)) break;
      const j = rng.categorical(tensor(Array.from(p))).item();
      prefix.push(j);
      scores.push(row[j]!);
      if (j === eos) break;
    }
    return decoded(lm, prefix.slice(1), scores);
  });
  return { sequences, seed };
}
