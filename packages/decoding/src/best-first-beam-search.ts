import { readOptions } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { checkLanguageModel, integerArg, resolveToken, show, stepsArg } from "./internal/validate";

/** Options of {@link bestFirstBeamSearch}. */
export interface BestFirstBeamSearchOptions {
  /** B ≥ 1: at most B hypotheses of each length are expanded (required). */
  readonly beamWidth: number;
  /** A hypothesis ending with this token is complete. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
  /** How many complete hypotheses to return, ≤ B. @defaultValue `beamWidth` */
  readonly numReturnSequences?: number;
}

/** What {@link bestFirstBeamSearch} returns. */
export interface BestFirstBeamSearchResult extends DecodeResult {
  /** How many hypotheses were expanded (= calls of `lm.logProbs`). */
  readonly expansions: number;
}

/** A binary heap of node ids, `before(a, b)` = a pops first. */
class Heap {
  private readonly items: number[] = [];
  constructor(private readonly before: (a: number, b: number) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Best-first beam search (Meister, Vieira & Cotterell 2020, "Best-First Beam Search", TACL):
 * hypotheses are popped from one priority queue in order of their log-probability
 * $l(w_{0:t}) = \sum_{s \le t} \log p(w_s \mid w_{0:s-1})$ (ties: shorter first, then the rank of the
 * parent among the popped hypotheses of its length, then the token id — Algorithm 1's tie order);
 * at most B hypotheses of each length t are popped (the beam constraint); a popped hypothesis is
 * expanded (one `lm.logProbs` call, its continuations pushed) unless it is complete (T tokens, or
 * ending with `eos`), in which case it is returned. The search stops once `numReturnSequences`
 * complete hypotheses are popped.
 *
 * Because log-probabilities never increase along a sequence (the score is monotone), every
 * hypothesis popped before a complete one scores at least as high, so without `eos` the result is
 * exactly Algorithm 1's (`beamSearch(lm, T, { beamWidth })`, ranked the same), found with never
 * more expansions: exactly Algorithm 1's beams that score at least the B-th result are expanded,
 * and a beam below it (which cannot lead to a result) is not. `expansions` reports the count. (With `eos`, a finished hypothesis keeps
 * its slot among the B of its length, as in Meister et al., which differs from `beamSearch`'s
 * HuggingFace-style finished-hypothesis store.)
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1, the (maximum) number of tokens.
 * @param options - `beamWidth` (required), `eos`, `numReturnSequences`.
 * @returns The complete hypotheses, best first, and the number of expansions.
 * @throws RangeError for B < 1, T < 1, numReturnSequences outside [1, B] or an unknown eos; TypeError for an unknown option.
 * @example
 * ```ts
 * bestFirstBeamSearch(exampleTree, 3, { beamWidth: 2 }).sequences.map((s) => s.tokens.join(" "));
 * // => ["a red fox", "a red car"], the same as beamSearch
 * ```
 */
export function bestFirstBeamSearch(lm: LanguageModel, steps: number, options: BestFirstBeamSearchOptions): BestFirstBeamSearchResult {
  checkLanguageModel("bestFirstBeamSearch", lm);
  const T = stepsArg("bestFirstBeamSearch", steps);
  if (typeof options !== "object" || (options as unknown) === null) {
    throw new TypeError(`bestFirstBeamSearch: options with beamWidth are required, e.g. bestFirstBeamSearch(lm, steps, { beamWidth: 2 }); got ${show(options)}`);
  }
  const o = readOptions("bestFirstBeamSearch", options, ["beamWidth", "eos", "numReturnSequences"]);
  const B = integerArg("bestFirstBeamSearch", "beamWidth B", o.beamWidth, 1);
  const numReturn = integerArg("bestFirstBeamSearch", "numReturnSequences", o.numReturnSequences, 1, B);
  if (numReturn > B) throw new RangeError(`bestFirstBeamSearch: numReturnSequences ${numReturn} > beamWidth ${B}`);
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "bestFirstBeamSearch", "eos");
  const n = lm.vocabulary.length;
  const order = lm.markovOrder;
  const window = order !== undefined && Number.isInteger(order) && order >= 0 ? order : Infinity;

  // Nodes of the search tree: parent, token, depth, cumulative and per-token log-probability,
  // and the rank of the parent among the popped nodes of its depth.
  const parent: number[] = [-1];
  const token: number[] = [lm.bos];
  const depth: number[] = [0];
  const score: number[] = [0];
  const tokenScore: number[] = [0];
  const parentRank: number[] = [0];
  const rank: number[] = [0];
  const ids = (node: number, last = Infinity): number[] => {
    const out: number[] = [];
    for (let v = node, k = 0; v > 0 && k < last; v = parent[v]!, k++) out.push(token[v]!);
    out.push(lm.bos);
    return out.reverse();
  };
  const heap = new Heap(
    (a, b) =>
      score[a]! > score[b]! ||
      (score[a] === score[b] && (depth[a]! < depth[b]! || (depth[a] === depth[b] && (parentRank[a]! < parentRank[b]! || (parentRank[a] === parentRank[b] && token[a]! < token[b]!))))),
  );
  heap.push(0);
  const popped = new Array<number>(T + 1).fill(0);
  const results: number[] = [];
  let expansions = 0;
  while (heap.size > 0 && results.length < numReturn) {
    const node = heap.pop();
    const d = depth[node]!;
    if (popped[d]! >= B) continue;
    rank[node] = popped[d]!;
    popped[d] = popped[d]! + 1;
    if (d === T || (d > 0 && token[node] === eos)) {
      results.push(node);
      continue;
    }
    const row: unknown = lm.logProbs(ids(node, window));
    expansions++;
    if (!(row instanceof Float64Array) || row.length !== n) {
      throw new RangeError(`bestFirstBeamSearch: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${n} values`);
    }
    for (let j = 0; j < n; j++) {
      const v = row[j]!;
      if (!(v > -Infinity)) continue;
      const k = parent.length;
      parent.push(node);
      token.push(j);
      depth.push(d + 1);
      score.push(score[node]! + v);
      tokenScore.push(v);
      parentRank.push(rank[node]);
      rank.push(0);
      heap.push(k);
    }
  }
  const sequences = results.map((node) => {
    const path = ids(node).slice(1);
    const terms: number[] = [];
    for (let v = node; v > 0; v = parent[v]!) terms.push(tokenScore[v]!);
    return decoded(lm, path, terms.reverse());
  });
  return { sequences, expansions };
}
