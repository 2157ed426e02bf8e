import type { LanguageModel } from "./language-model";

/** One decoded sequence w_{1:T} (without `<BOS>`), best first in every result. */
export interface DecodedSequence {
  /** Token ids w_1 … w_T (the `<BOS>` w_0 is not included). */
  readonly ids: readonly number[];
  /** The same tokens as strings. */
  readonly tokens: readonly string[];
  /** $\log p(w_{1:T} \mid w_0)$, natural log: the sum of `tokenLogProbs` from t = 1 to T, in that order. */
  readonly logProb: number;
  /**
   * The model's $\log p(w_t \mid w_{0:t-1})$ of each token, t = 1 … T (HuggingFace's transition
   * scores). `logProb` is their left-to-right sum, so the two always reconcile exactly.
   */
  readonly tokenLogProbs: readonly number[];
  /** The ranking score when it differs from `logProb` (beam search's length-normalised score). */
  readonly score?: number;
}

/** What every decoder returns: sequences best first. */
export interface DecodeResult {
  readonly sequences: readonly DecodedSequence[];
}

/**
 * @internal Build a DecodedSequence from the ids after `<BOS>` and their per-token log-probabilities;
 * `logProb` is their sum from left to right (the order in which every decoder accumulates it).
 */
export function decoded(lm: LanguageModel, ids: readonly number[], tokenLogProbs: readonly number[], score?: number): DecodedSequence {
  let logProb = 0;
  for (const v of tokenLogProbs) logProb += v;
  return {
    ids: [...ids],
    tokens: ids.map((i) => lm.vocabulary[i]!),
    logProb,
    tokenLogProbs: [...tokenLogProbs],
    ...(score === undefined ? {} : { score }),
  };
}
