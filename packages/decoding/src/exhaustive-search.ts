import { readOptions } from "@hw/tensor";
import { countSequences } from "./count-sequences";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { callbackArg, checkLanguageModel, integerArg, numberArg, show, stepsArg } from "./internal/validate";

/** Options of {@link exhaustiveSearch}. */
export interface ExhaustiveSearchOptions {
  /** Refuse when N^T exceeds this. @defaultValue `1_000_000` */
  readonly limit?: number;
  /** How many of the best sequences to return (deprecated alias `topK`). @defaultValue `1` */
  readonly numReturnSequences?: number;
  /** @deprecated Use `numReturnSequences` (warns once). */
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
 * @param options - `limit`, `numReturnSequences` (deprecated alias `topK`), `onProgress`.
 * @returns The best `numReturnSequences` sequences (fewer if fewer have non-zero probability), best first, and N^T.
 * @throws RangeError when N^T exceeds `limit` (the message quotes N^T), or for bad T / numReturnSequences; TypeError for an unknown option.
 * @example
 * ```ts
 * exhaustiveSearch(exampleTree, 3).sequences[0].tokens; // => ["red", "fox", "ran"]
 * ```
 */
export function exhaustiveSearch(lm: LanguageModel, steps: number, options?: ExhaustiveSearchOptions): ExhaustiveSearchResult {
  checkLanguageModel("exhaustiveSearch", lm);
  const T = stepsArg("exhaustiveSearch", steps);
  const o = readOptions("exhaustiveSearch", options, ["limit", "numReturnSequences", "onProgress"], { topK: "numReturnSequences" });
  const limit = numberArg("exhaustiveSearch", "limit", o.limit, 1_000_000, { min: 0 });
  const topK = integerArg("exhaustiveSearch", "numReturnSequences", o.numReturnSequences, 1, 1);
  const onProgress = callbackArg("exhaustiveSearch", "onProgress", o.onProgress) as ((expanded: number) => void) | undefined;
  const n = lm.vocabulary.length;
  // Compare in log space first: N^T itself may be too large to compute.
  if (T * Math.log10(n) > Math.log10(Math.max(limit, 1)) + 1) {
    throw new RangeError(
      `exhaustiveSearch: N^T = ${n}^${T} ≈ 10^${Math.floor(T * Math.log10(n))} sequences exceeds the limit ${limit} (raise limit, or use viterbi/beamSearch)`,
    );
  }
  const count = countSequences(n, T);
  if (count > BigInt(Math.floor(limit))) {
    throw new RangeError(`exhaustiveSearch: N^T = ${n}^${T} = ${count} sequences exceeds the limit ${limit} (raise limit, or use viterbi/beamSearch)`);
  }
  const bestIds: number[][] = [];
  const bestLp: number[] = [];
  let scored = 0;
  let expanded = 0;
  // Depth-first over an explicit stack (no recursion: T may be large when N = 1).
  const prefix: number[] = [lm.bos];
  const rows: Float64Array[] = [];
  const nextToken: number[] = [];
  const base: number[] = [];
  const expand = (logProb: number): void => {
    const row: unknown = lm.logProbs(prefix);
    if (!(row instanceof Float64Array) || row.length !== n) {
      throw new RangeError(`exhaustiveSearch: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${n} values`);
    }
    expanded++;
    if (onProgress !== undefined && (expanded & 1023) === 0) onProgress(expanded);
    rows.push(row);
    nextToken.push(0);
    base.push(logProb);
  };
  expand(0);
  while (rows.length > 0) {
    const d = rows.length - 1;
    const row = rows[d]!;
    const j = nextToken[d]!;
    if (j === n) {
      rows.pop();
      nextToken.pop();
      base.pop();
      prefix.pop();
      continue;
    }
    nextToken[d] = j + 1;
    const lp = row[j]!;
    if (lp === -Infinity || Number.isNaN(lp)) continue;
    const total = base[d]! + lp;
    if (prefix.length < T) {
      prefix.push(j);
      expand(total);
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
  return {
    sequences: bestIds.map((ids, k) => decoded(lm, ids, bestLp[k]!)),
    count,
    scored,
  };
}
