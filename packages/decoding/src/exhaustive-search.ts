import { countSequences } from "./count-sequences";
import type { LanguageModel } from "./language-model";
import { checkSteps, decoded, type DecodeResult } from "./sequence";

/** Options of {@link exhaustiveSearch}. */
export interface ExhaustiveSearchOptions {
  /** Refuse when N^T exceeds this. @defaultValue `1_000_000` */
  readonly limit?: number;
  /** How many of the best sequences to return. @defaultValue `1` */
  readonly topK?: number;
  /** Called now and then with the number of prefixes expanded so far (for progress bars). */
  readonly onProgress?: (expanded: number) => void;
}

/** What {@link exhaustiveSearch} returns. */
export interface ExhaustiveSearchResult extends DecodeResult {
  /** N^T, the number of sequences searched (impossible branches are skipped but counted here). */
  readonly count: bigint;
  /** The number of complete sequences of non-zero probability that were scored. */
  readonly scored: number;
}

/**
 * The exact maximum-likelihood sequence (and the top k) by enumerating every continuation of
 * `<BOS>` of length T, depth first:
 *
 * $$w^*_{1:T} = \operatorname*{argmax}_{w_{1:T}} \sum_{t=1}^{T} \log p(w_t \mid w_{0:t-1}).$$
 *
 * Branches of probability 0 are skipped. Ties keep the lexicographically smaller id sequence first.
 * Cost O(T·N^T); refuses above `limit` sequences.
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1.
 * @param options - `limit`, `topK`, `onProgress`.
 * @returns The best `topK` sequences (fewer if fewer have non-zero probability), best first, and N^T.
 * @throws RangeError when N^T exceeds `limit` (the message quotes N^T), or for bad T / topK.
 * @example
 * ```ts
 * exhaustiveSearch(exampleTree, 3).sequences[0].tokens; // => ["red", "fox", "ran"]
 * ```
 */
export function exhaustiveSearch(lm: LanguageModel, steps: number, options: ExhaustiveSearchOptions = {}): ExhaustiveSearchResult {
  checkSteps(steps, "exhaustiveSearch");
  const limit = options.limit ?? 1_000_000;
  const topK = options.topK ?? 1;
  if (!Number.isInteger(topK) || topK < 1) throw new RangeError(`exhaustiveSearch: topK must be an integer ≥ 1, got ${topK}`);
  const n = lm.vocabulary.length;
  const count = countSequences(n, steps);
  if (count > BigInt(Math.floor(limit))) {
    throw new RangeError(`exhaustiveSearch: N^T = ${n}^${steps} = ${count} sequences exceeds the limit ${limit} (raise limit, or use viterbi/beamSearch)`);
  }
  const bestIds: number[][] = [];
  const bestLp: number[] = [];
  const prefix: number[] = [lm.bos];
  let scored = 0;
  let expanded = 0;
  const onProgress = options.onProgress;
  const visit = (logProb: number): void => {
    const row = lm.logProbs(prefix);
    expanded++;
    if (onProgress !== undefined && (expanded & 1023) === 0) onProgress(expanded);
    const last = prefix.length === steps;
    for (let j = 0; j < n; j++) {
      const lp = row[j]!;
      if (lp === -Infinity || Number.isNaN(lp)) continue;
      const total = logProb + lp;
      if (!last) {
        prefix.push(j);
        visit(total);
        prefix.pop();
        continue;
      }
      scored++;
      if (bestLp.length === topK && !(total > bestLp[topK - 1]!)) continue;
      let pos = bestLp.length;
      while (pos > 0 && bestLp[pos - 1]! < total) pos--;
      bestLp.splice(pos, 0, total);
      bestIds.splice(pos, 0, [...prefix.slice(1), j]);
      if (bestLp.length > topK) {
        bestLp.pop();
        bestIds.pop();
      }
    }
  };
  visit(0);
  return {
    sequences: bestIds.map((ids, k) => decoded(lm, ids, bestLp[k]!)),
    count,
    scored,
  };
}
