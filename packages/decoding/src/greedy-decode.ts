import { readOptions } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { checkLanguageModel, resolveToken, show, stepsArg } from "./internal/validate";
import { CONTROL_OPTIONS, processRow, readControls } from "./internal/controls";

/** Options of {@link greedyDecode}. */
export interface GreedyDecodeOptions {
  /** Stop after emitting this token. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
  /**
   * CTRL's repetition penalty θ > 0 over the whole history (`<BOS>` included): the log-probability
   * v of a token already in the prefix becomes θ·v (v < 0) or v/θ (v > 0) before the argmax; 1 = off. @defaultValue `1`
   */
  readonly repetitionPenalty?: number;
  /** `eos` is masked until this many tokens have been generated (needs `eos`; at most `steps`). @defaultValue `0` */
  readonly minNewTokens?: number;
  /** Token sequences never generated: each a token (string or id) or an array of tokens; the last token of a phrase is banned after the rest of it. @defaultValue `[]` */
  readonly badWords?: readonly (string | number | readonly (string | number)[])[];
}

/**
 * Greedy decoding: at each step take the single most likely next token,
 * $w_t = \operatorname*{argmax}_j \log p(w_t = j \mid w_{0:t-1})$ (ties: the lower token id).
 * Stops early after `eos` or when no token has non-zero probability. The controls
 * `repetitionPenalty`, `badWords` and `minNewTokens` change the row the argmax is taken over
 * (in that order, HuggingFace's); `tokenLogProbs` and `logProb` stay the model's own.
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1, the maximum number of tokens.
 * @param options - `eos`, `repetitionPenalty`, `minNewTokens`, `badWords`.
 * @returns One sequence with its log-likelihood.
 * @throws RangeError for a bad T, an unknown `eos`, `repetitionPenalty` ≤ 0, `minNewTokens` > T or without `eos`, an unknown bad word; TypeError for an unknown option.
 * @example
 * ```ts
 * greedyDecode(exampleTree, 3).sequences[0]; // => tokens ["the", "cat", "is"], logProb ln 0.08
 * ```
 */
export function greedyDecode(lm: LanguageModel, steps: number, options?: GreedyDecodeOptions): DecodeResult {
  checkLanguageModel("greedyDecode", lm);
  stepsArg("greedyDecode", steps);
  const o = readOptions("greedyDecode", options, ["eos", ...CONTROL_OPTIONS]);
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "greedyDecode", "eos");
  const controls = readControls("greedyDecode", o, lm, eos, steps);
  const prefix = [lm.bos];
  const scores: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const row: unknown = lm.logProbs(prefix);
    if (!(row instanceof Float64Array) || row.length !== lm.vocabulary.length) {
      throw new RangeError(`greedyDecode: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${lm.vocabulary.length} values`);
    }
    const processed = processRow(controls, row, prefix, t - 1);
    let best = -Infinity;
    let arg = -1;
    for (let j = 0; j < processed.length; j++) {
      const v = processed[j]!;
      if (v > best) {
        best = v;
        arg = j;
      }
    }
    if (arg < 0) break;
    prefix.push(arg);
    scores.push(row[arg]!);
    if (arg === eos) break;
  }
  return { sequences: [decoded(lm, prefix.slice(1), scores)] };
}
