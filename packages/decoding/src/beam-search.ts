import { logProbsMany, tokenId, type LanguageModel } from "./language-model";
import { lengthNormalizer, type LengthPenalty } from "./length-penalty";
import { checkSteps, decoded, type DecodeResult, type DecodedSequence } from "./sequence";
import { scanRow, TopK } from "./internal/top-k";

/** Options of {@link beamSearch}. With every optional feature off this is Algorithm 1 exactly. */
export interface BeamSearchOptions {
  /** B ≥ 1, the number of beams. */
  readonly beamWidth: number;
  /** T ≥ 1, the number of tokens to generate (the maximum, with `eos`). */
  readonly steps: number;
  /** End-of-sequence token: a beam that emits it becomes a finished hypothesis. @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
  /** Length normalisation of finished hypotheses (needs `eos`). @defaultValue `"none"` */
  readonly lengthPenalty?: LengthPenalty;
  /**
   * HuggingFace's stopping modes (need `eos`): `true` stops as soon as B hypotheses are finished;
   * `false` stops when the best running beam, scored at its current length, cannot beat the worst
   * finished one; `"never"` stops only when no running beam can beat it at any reachable length.
   * @defaultValue `false`
   */
  readonly earlyStopping?: boolean | "never";
  /** How many sequences to return, ≤ B. @defaultValue `beamWidth` */
  readonly numReturn?: number;
  /** Diverse beam search: split the B beams into G groups of B/G (G must divide B). @defaultValue `1` */
  readonly numGroups?: number;
  /** Hamming diversity: λ times the number of earlier groups that chose token j at this step is subtracted from a group's scores. @defaultValue `0` */
  readonly diversityPenalty?: number;
  /** Forbid any n-gram (of this size, `<BOS>` included) from occurring twice in a sequence; 0 = off. @defaultValue `0` */
  readonly noRepeatNgramSize?: number;
  /** Record every candidate of every step, what was kept or pruned and why the search stopped. @defaultValue `false` */
  readonly trace?: boolean;
}

/** One candidate (beam b, token j) of one step, as recorded by `trace`. */
export interface BeamTraceCandidate {
  readonly group: number;
  /** Index of the expanded beam in the step's `parents`. */
  readonly beam: number;
  readonly tokenId: number;
  readonly token: string;
  /** l_{t−1}⁽ᵇ⁾ + log p(w_t = j | w⁽ᵇ⁾_{0:t−1}). */
  readonly logProb: number;
  /** The selection score s_b(j) (= logProb unless diversity penalties or n-gram blocking apply). */
  readonly score: number;
  readonly status: "kept" | "finished" | "pruned";
  /** Rank among the group's candidates (0 = best) when it was in the selection window. */
  readonly rank?: number;
  /** Why a pruned candidate was pruned. */
  readonly reason?: string;
}

/** A beam (or a finished hypothesis) in a trace: tokens after `<BOS>`. */
export interface BeamTraceBeam {
  readonly group: number;
  readonly tokens: readonly string[];
  readonly logProb: number;
  readonly score: number;
}

/** One step t of a traced beam search. */
export interface BeamTraceStep {
  readonly step: number;
  /** The beams expanded at this step (t = 1: the single `<BOS>` beam per group). */
  readonly parents: readonly BeamTraceBeam[];
  /** Every candidate (b, j) considered, in (group, beam, token) order. */
  readonly candidates: readonly BeamTraceCandidate[];
  /** The running beams after this step. */
  readonly beams: readonly BeamTraceBeam[];
  /** Hypotheses finished (ended with `eos`) at this step. */
  readonly finished: readonly BeamTraceBeam[];
}

/** Why a beam search stopped. */
export type BeamStopReason = "max-steps" | "early-stopping" | "no-better-hypothesis" | "no-continuation";

/** What {@link beamSearch} returns. */
export interface BeamSearchResult extends DecodeResult {
  readonly stopReason: BeamStopReason;
  /** The number of steps taken (≤ T). */
  readonly stepsTaken: number;
  /** Present when `trace` was asked. */
  readonly trace?: readonly BeamTraceStep[];
}

interface Beam {
  readonly ids: number[];
  readonly logProb: number;
  readonly score: number;
}

interface Hypothesis {
  readonly ids: number[];
  readonly logProb: number;
  readonly score: number;
}

function insertHypothesis(store: Hypothesis[], hyp: Hypothesis, capacity: number): boolean {
  if (store.length === capacity && !(hyp.score > store[capacity - 1]!.score)) return false;
  let pos = store.length;
  while (pos > 0 && store[pos - 1]!.score < hyp.score) pos--;
  store.splice(pos, 0, hyp);
  if (store.length > capacity) store.pop();
  return true;
}

function bannedTokens(ids: readonly number[], size: number): Set<number> {
  const banned = new Set<number>();
  const len = ids.length;
  if (size < 1 || len < size) return banned;
  // The last size−1 tokens; any earlier occurrence of them followed by x bans x.
  for (let start = 0; start + size - 1 < len; start++) {
    let match = true;
    for (let k = 0; k < size - 1; k++) {
      if (ids[start + k] !== ids[len - size + 1 + k]) {
        match = false;
        break;
      }
    }
    if (match && start + size - 1 < len) banned.add(ids[start + size - 1]!);
  }
  return banned;
}

function integer(v: number, name: string, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`beamSearch: ${name} must be an integer ≥ ${min}, got ${v}`);
}

/**
 * Beam search (Algorithm 1 of Question 2.3). B beams start as `<BOS>` with log-likelihood 0
 * (identical beams are expanded once); at step t every beam b scores every token j,
 *
 * $$s_b(j) = l^{(b)}_{t-1} + \log p\big(w_t = j \mid w^{(b)}_{0:t-1}\big),$$
 *
 * and the B best pairs (b′, j) become the new beams (prefix of b′ plus j, $l_t = s_{b'}(j)$). Ties are
 * broken by score, then beam index, then token index; candidates of probability 0 are never kept.
 * Cost per step: O(B·N) scoring with a partial top-B selection (O(1) for a rejected candidate,
 * O(B) for an accepted one) instead of an O(BN log BN) sort; memory O(T·B).
 *
 * Optional, HuggingFace-style: `eos` with finished-hypothesis stores, `lengthPenalty`,
 * `earlyStopping`, `numReturn`, diverse beam search (`numGroups`, `diversityPenalty`) and
 * `noRepeatNgramSize`. An option that would have no effect is an error.
 *
 * @param lm - Any {@link LanguageModel} (its `logProbsBatch` is used when present).
 * @param options - See {@link BeamSearchOptions}; `beamWidth` and `steps` are required.
 * @returns `numReturn` sequences, best first (by length-normalised score), with the stop reason and, on request, the trace.
 * @throws RangeError for B < 1, T < 1, numReturn > B, a group count not dividing B, an unknown eos, or an option without effect.
 * @example
 * ```ts
 * beamSearch(exampleTree, { beamWidth: 2, steps: 3 }).sequences.map((s) => s.tokens.join(" "));
 * // => ["a red fox", "a red car"]
 * ```
 */
export function beamSearch(lm: LanguageModel, options: BeamSearchOptions): BeamSearchResult {
  const B = options.beamWidth;
  integer(B, "beamWidth B", 1);
  checkSteps(options.steps, "beamSearch");
  const T = options.steps;
  const n = lm.vocabulary.length;
  const eos = options.eos === undefined ? lm.eos : tokenId(lm.vocabulary, options.eos, "beamSearch", "eos");
  const numReturn = options.numReturn ?? B;
  integer(numReturn, "numReturn", 1);
  if (numReturn > B) throw new RangeError(`beamSearch: numReturn ${numReturn} > beamWidth ${B} (at most B hypotheses are kept)`);
  const G = options.numGroups ?? 1;
  integer(G, "numGroups", 1);
  if (B % G !== 0) throw new RangeError(`beamSearch: numGroups ${G} does not divide beamWidth ${B}`);
  const Bg = B / G;
  const lambda = options.diversityPenalty ?? 0;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`beamSearch: diversityPenalty must be finite and ≥ 0, got ${lambda}`);
  if (lambda > 0 && G === 1) throw new RangeError(`beamSearch: diversityPenalty ${lambda} has no effect with numGroups = 1`);
  const ngram = options.noRepeatNgramSize ?? 0;
  integer(ngram, "noRepeatNgramSize", 0);
  if (ngram > T) throw new RangeError(`beamSearch: noRepeatNgramSize ${ngram} has no effect with steps ${T} (a sequence of T + 1 tokens cannot repeat an ${ngram}-gram)`);
  const normalizer = lengthNormalizer(options.lengthPenalty ?? "none");
  if (eos === undefined) {
    if (!normalizer.constant) {
      throw new RangeError(`beamSearch: lengthPenalty ${normalizer.name} has no effect without eos (every hypothesis has length T = ${T})`);
    }
    if (options.earlyStopping !== undefined) {
      throw new RangeError(`beamSearch: earlyStopping ${String(options.earlyStopping)} has no effect without eos (no hypothesis finishes before T)`);
    }
  }
  const earlyStopping = options.earlyStopping ?? false;
  const tracing = options.trace === true;
  const lp = normalizer.divisor;

  const running: Beam[][] = Array.from({ length: G }, () => [{ ids: [lm.bos], logProb: 0, score: 0 }]);
  const stores: Hypothesis[][] = Array.from({ length: G }, () => []);
  const done: boolean[] = new Array<boolean>(G).fill(false);
  const tops = Array.from({ length: G }, () => new TopK(eos === undefined ? Bg : 2 * Bg));
  const chosen = lambda > 0 ? new Float64Array(n) : undefined;
  const trace: BeamTraceStep[] = [];
  const asTrace = (g: number, h: { ids: readonly number[]; logProb: number; score: number }, dropFirst: boolean): BeamTraceBeam => ({
    group: g,
    tokens: (dropFirst ? h.ids.slice(1) : h.ids).map((i) => lm.vocabulary[i]!),
    logProb: h.logProb,
    score: h.score,
  });
  let stopReason: BeamStopReason = "max-steps";
  let stepsTaken = 0;

  for (let t = 1; t <= T; t++) {
    const active = running.map((_, g) => g).filter((g) => !done[g] && running[g]!.length > 0);
    if (active.length === 0) break;
    stepsTaken = t;
    const prefixes = active.flatMap((g) => running[g]!.map((b) => b.ids));
    const rows = logProbsMany(lm, prefixes);
    chosen?.fill(0);
    const parents: BeamTraceBeam[] = [];
    const candidates: BeamTraceCandidate[] = [];
    const kept: BeamTraceBeam[] = [];
    const finished: BeamTraceBeam[] = [];
    let rowAt = 0;
    for (const g of active) {
      const beams = running[g]!;
      const groupRows = rows.slice(rowAt, rowAt + beams.length);
      rowAt += beams.length;
      const top = tops[g]!;
      top.reset();
      const bans = ngram > 0 ? beams.map((b) => bannedTokens(b.ids, ngram)) : undefined;
      // Counts of tokens chosen by the earlier groups at this step (Hamming diversity).
      const pen = chosen === undefined ? undefined : Float64Array.from(chosen);
      for (let b = 0; b < beams.length; b++) {
        const row = groupRows[b]!;
        if (row.length !== n) throw new RangeError(`beamSearch: logProbs returned ${row.length} values, expected N = ${n}`);
        const base = beams[b]!.score;
        if (pen === undefined && bans === undefined) {
          scanRow(top, base, row, b);
          continue;
        }
        const ban = bans?.[b];
        for (let j = 0; j < n; j++) {
          let s = base + row[j]! - (pen === undefined ? 0 : lambda * pen[j]!);
          if (ban?.has(j) === true) s = -Infinity;
          if (s > top.threshold) top.push(s, b, j);
        }
      }
      const parentOffset = parents.length;
      const status = new Map<number, { status: "kept" | "finished" | "pruned"; rank: number; reason?: string }>();
      const next: Beam[] = [];
      for (let r = 0; r < top.size; r++) {
        const b = top.beams[r]!;
        const j = top.tokens[r]!;
        const parent = beams[b]!;
        const logProb = parent.logProb + groupRows[b]![j]!;
        const key = b * n + j;
        if (j === eos) {
          if (r < Bg) {
            const ids = [...parent.ids.slice(1), j];
            const hyp = { ids, logProb, score: logProb / lp(ids.length) };
            const entered = insertHypothesis(stores[g]!, hyp, Bg);
            status.set(key, entered ? { status: "finished", rank: r } : { status: "pruned", rank: r, reason: "finished, but worse than the B stored hypotheses" });
            if (tracing && entered) finished.push(asTrace(g, hyp, false));
          } else {
            status.set(key, { status: "pruned", rank: r, reason: "eos ranked outside the top B" });
          }
        } else if (next.length < Bg) {
          next.push({ ids: [...parent.ids, j], logProb, score: top.scores[r]! });
          status.set(key, { status: "kept", rank: r });
          if (chosen !== undefined) chosen[j] = chosen[j]! + 1;
        } else {
          status.set(key, { status: "pruned", rank: r, reason: "outside the top B" });
        }
      }
      if (tracing) {
        beams.forEach((b) => parents.push(asTrace(g, b, true)));
        for (let b = 0; b < beams.length; b++) {
          const row = groupRows[b]!;
          const ban = bans?.[b];
          for (let j = 0; j < n; j++) {
            const logProb = beams[b]!.logProb + row[j]!;
            const banned = ban?.has(j) === true;
            const score = banned ? -Infinity : beams[b]!.score + row[j]! - (pen === undefined ? 0 : lambda * pen[j]!);
            const st = status.get(b * n + j);
            const reason = st?.reason ?? (row[j] === -Infinity ? "impossible (probability 0)" : banned ? `repeats a ${ngram}-gram` : "outside the top B");
            candidates.push({
              group: g,
              beam: parentOffset + b,
              tokenId: j,
              token: lm.vocabulary[j]!,
              logProb,
              score: st === undefined ? score : top.scores[st.rank]!,
              status: st?.status ?? "pruned",
              ...(st === undefined ? {} : { rank: st.rank }),
              ...(st?.status === "pruned" || st === undefined ? { reason } : {}),
            });
          }
        }
        next.forEach((b) => kept.push(asTrace(g, b, true)));
      }
      running[g] = next;
      const store = stores[g]!;
      if (next.length === 0) {
        done[g] = true;
        stopReason = "no-continuation";
      } else if (eos !== undefined && store.length === Bg) {
        const worst = store[Bg - 1]!.score;
        const best = Math.max(...next.map((b) => b.logProb));
        if (earlyStopping === true) {
          done[g] = true;
          stopReason = "early-stopping";
        } else {
          const attainable = earlyStopping === "never" && t < T ? Math.max(best / lp(t + 1), best / lp(T)) : best / lp(t);
          if (worst >= attainable) {
            done[g] = true;
            stopReason = "no-better-hypothesis";
          }
        }
      }
    }
    if (tracing) trace.push({ step: t, parents, candidates, beams: kept, finished });
    if (done.every(Boolean)) break;
    if (t === T) stopReason = "max-steps";
  }

  for (let g = 0; g < G; g++) {
    if (done[g]) continue;
    for (const b of running[g]!) {
      const ids = b.ids.slice(1);
      insertHypothesis(stores[g]!, { ids, logProb: b.logProb, score: b.logProb / lp(ids.length) }, Bg);
    }
  }
  const all = stores.flat();
  const order = all.map((_, k) => k).sort((a, b) => all[b]!.score - all[a]!.score || a - b);
  const sequences: DecodedSequence[] = order
    .slice(0, numReturn)
    .map((k) => all[k]!)
    .map((h) => decoded(lm, h.ids, h.logProb, normalizer.constant ? undefined : h.score));
  return { sequences, stopReason, stepsTaken, ...(tracing ? { trace } : {}) };
}
