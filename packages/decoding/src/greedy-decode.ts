import { readOptions } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { checkLanguageModel, resolveToken, show, stepsArg } from "./internal/validate";

/** Options of {@link greedyDecode}. */
export interface GreedyDecodeOptions {
  /** Stop after emitting this token. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
}

/**
 * Greedy decoding: at each step take the single most likely next token,
 * $w_t = \operatorname*{argmax}_j \log p(w_t = j \mid w_{0:t-1})$ (ties: the lower token id).
 * Stops early after `eos` or when no token has non-zero probability.
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1, the maximum number of tokens.
 * @param options - `eos`.
 * @returns One sequence with its log-likelihood.
 * @throws RangeError for a bad T or an unknown `eos`; TypeError for an unknown option.
 * @example
 * ```ts
 * greedyDecode(exampleTree, 3).sequences[0]; // => tokens ["the", "cat", "is"], logProb ln 0.08
 * ```
 */
export function greedyDecode(lm: LanguageModel, steps: number, options?: GreedyDecodeOptions): DecodeResult {
  checkLanguageModel("greedyDecode", lm);
  stepsArg("greedyDecode", steps);
  const o = readOptions("greedyDecode", options, ["eos"]);
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "greedyDecode", "eos");
  const prefix = [lm.bos];
  let logProb = 0;
  for (let t = 1; t <= steps; t++) {
    const row: unknown = lm.logProbs(prefix);
    if (!(row instanceof Float64Array) || row.length !== lm.vocabulary.length) {
      throw new RangeError(`greedyDecode: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${lm.vocabulary.length} values`);
    }
    let best = -Infinity;
    let arg = -1;
    for (let j = 0; j < row.length; j++) {
      const v = row[j]!;
      if (v > best) {
        best = v;
        arg = j;
      }
    }
    if (arg < 0) break;
    prefix.push(arg);
    logProb += best;
    if (arg === eos) break;
  }
  return { sequences: [decoded(lm, prefix.slice(1), logProb)] };
}
