import type { LanguageModel } from "./language-model";

/** One decoded sequence w_{1:T} (without `<BOS>`), best first in every result. */
export interface DecodedSequence {
  /** Token ids w_1 … w_T (the `<BOS>` w_0 is not included). */
  readonly ids: readonly number[];
  /** The same tokens as strings. */
  readonly tokens: readonly string[];
  /** $\log p(w_{1:T} \mid w_0)$, natural log (summed step by step, t = 1 … T). */
  readonly logProb: number;
  /** The ranking score when it differs from `logProb` (beam search's length-normalised score). */
  readonly score?: number;
}

/** What every decoder returns: sequences best first. */
export interface DecodeResult {
  readonly sequences: readonly DecodedSequence[];
}

/** @internal Build a DecodedSequence from ids after `<BOS>`. */
export function decoded(lm: LanguageModel, ids: readonly number[], logProb: number, score?: number): DecodedSequence {
  return {
    ids: [...ids],
    tokens: ids.map((i) => lm.vocabulary[i]!),
    logProb,
    ...(score === undefined ? {} : { score }),
  };
}
