import { readOptions, warnDeprecated } from "@hw/tensor";
import { logProbsMany, type LanguageModel } from "./language-model";
import { readLengthPenalty, type LengthPenalty } from "./length-penalty";
import { decoded, type DecodeResult, type DecodedSequence } from "./sequence";
import { scanRow, TopK } from "./internal/top-k";
import { CONTROL_OPTIONS, MAX_FORCED_PHRASES, processRow, readControls, readPhrases, tokensToFulfil } from "./internal/controls";
import { booleanArg, checkLanguageModel, checkMemory, DEFAULT_MAX_MEMORY, integerArg, numberArg, resolveToken, show, stepsArg } from "./internal/validate";

/** Options of {@link beamSearch}. With every optional feature off this is Algorithm 1 exactly. */
export interface BeamSearchOptions {
  /** B ≥ 1, the number of beams (required). */
  readonly beamWidth: number;
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
  /** How many sequences to return, ≤ B (deprecated alias `numReturn`). @defaultValue `beamWidth` */
  readonly numReturnSequences?: number;
  /** Diverse beam search: split the B beams into G groups of B/G (G must divide B; deprecated alias `numGroups`). @defaultValue `1` */
  readonly numBeamGroups?: number;
  /** @deprecated Use `numReturnSequences` (warns once). */
  readonly numReturn?: number;
  /** @deprecated Use `numBeamGroups` (warns once). */
  readonly numGroups?: number;
  /** Hamming diversity: λ times the number of earlier groups that chose token j at this step is subtracted from a group's scores. @defaultValue `0` */
  readonly diversityPenalty?: number;
  /** Forbid any n-gram (of this size, `<BOS>` included) from occurring twice in a sequence; 0 = off. @defaultValue `0` */
  readonly noRepeatNgramSize?: number;
  /**
   * CTRL's repetition penalty θ > 0 over the whole history (`<BOS>` included): the log-probability
   * v of a token already in the beam's prefix becomes θ·v (v < 0) or v/θ (v > 0); the beams are
   * ranked by the sums of these processed terms (HuggingFace's beam scores); 1 = off. @defaultValue `1`
   */
  readonly repetitionPenalty?: number;
  /** `eos` is masked until this many tokens have been generated (needs `eos`; at most `steps`). @defaultValue `0` */
  readonly minNewTokens?: number;
  /** Token sequences never generated: each a token (string or id) or an array of tokens; the last token of a phrase is banned after the rest of it. @defaultValue `[]` */
  readonly badWords?: readonly (string | number | readonly (string | number)[])[];
  /**
   * Constrained beam search: every returned hypothesis contains each of these phrases (a token or
   * an array of tokens, contiguous, at most 7 phrases). A continuation is kept only when the
   * phrases still missing fit in the remaining steps (the shortest completion, exact), and `eos`
   * only once all are present. @defaultValue `[]`
   */
  readonly forceWords?: readonly (string | number | readonly (string | number)[])[];
  /** Record every candidate of every step, what was kept or pruned and why the search stopped. @defaultValue `false` */
  readonly trace?: boolean;
  /** Refuse, before starting, when the beams' shared prefix tree could take more than this many bytes (2·B·T nodes of 20 bytes). @defaultValue `2e9` (2 GB) */
  readonly maxMemory?: number;
}

/** The form `beamSearch(lm, { beamWidth, steps, … })` of 0.0.x. @deprecated Call `beamSearch(lm, steps, { beamWidth, … })`. */
export interface LegacyBeamSearchOptions extends BeamSearchOptions {
  readonly steps: number;
}

const BEAM_OPTIONS = [
  "beamWidth",
  "eos",
  "lengthPenalty",
  "earlyStopping",
  "numReturnSequences",
  "numBeamGroups",
  "diversityPenalty",
  "noRepeatNgramSize",
  ...CONTROL_OPTIONS,
  "forceWords",
  "trace",
  "maxMemory",
] as const satisfies readonly (keyof BeamSearchOptions)[];
const BEAM_ALIASES = { numReturn: "numReturnSequences", numGroups: "numBeamGroups" } as const;

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

/**
 * The beams' prefixes as one shared tree (a trie of nodes `parent`/`token` in growable integer
 * arrays): extending a beam adds one node, so T steps cost O(B·T) memory and no prefix is copied.
 */
class PrefixTree {
  parent: Int32Array;
  token: Int32Array;
  depth: Int32Array;
  /** log p(token | the prefix of its parent): the per-token score. */
  score: Float64Array;
  size = 1;

  constructor(bos: number, capacity: number) {
    this.parent = new Int32Array(capacity);
    this.token = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
    this.score = new Float64Array(capacity);
    this.parent[0] = -1;
    this.token[0] = bos;
  }

  add(parent: number, token: number, score: number): number {
    if (this.size === this.parent.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.parent = grow(this.parent);
      this.token = grow(this.token);
      this.depth = grow(this.depth);
      const scores = new Float64Array(this.score.length * 2);
      scores.set(this.score);
      this.score = scores;
    }
    const k = this.size++;
    this.parent[k] = parent;
    this.token[k] = token;
    this.depth[k] = this.depth[parent]! + 1;
    this.score[k] = score;
    return k;
  }

  /** The per-token log-probabilities w_1 … w_t of a node's prefix. */
  scores(node: number): number[] {
    const d = this.depth[node]!;
    const out = new Array<number>(d);
    for (let k = d - 1, v = node; k >= 0; k--, v = this.parent[v]!) out[k] = this.score[v]!;
    return out;
  }

  /** The ids w_0 … w_t of a node (w_0 = `<BOS>`), or only `<BOS>` and the last `last` tokens. */
  ids(node: number, last = Infinity): number[] {
    const d = this.depth[node]!;
    const m = Math.min(d, last);
    const out = new Array<number>(m + 1);
    for (let k = m, v = node; k >= 1; k--, v = this.parent[v]!) out[k] = this.token[v]!;
    out[0] = this.token[0]!;
    return out;
  }
}

interface Beam {
  readonly node: number;
  readonly logProb: number;
  /** The sum of the processed per-token terms (= logProb when no control applies). */
  readonly processed: number;
  readonly score: number;
}

interface Hypothesis {
  readonly node: number;
  /** Generated tokens (the eos included). */
  readonly length: number;
  readonly logProb: number;
  readonly processed: number;
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
    if (match) banned.add(ids[start + size - 1]!);
  }
  return banned;
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
 * O(B) for an accepted one) instead of an O(BN log BN) sort. The beams share their prefixes in one
 * tree (one node per kept token, O(B·T) memory in all); a model with `markovOrder` k is handed
 * only `<BOS>` and the last k tokens, so T steps cost O(T·B·(N + k)) — linear in T. A model
 * without `markovOrder` (a tree or RNN LM) is handed the whole prefix, O(t) per beam at step t.
 *
 * Optional, HuggingFace-style: `eos` with finished-hypothesis stores, `lengthPenalty`,
 * `earlyStopping`, `numReturnSequences`, diverse beam search (`numBeamGroups`, `diversityPenalty`)
 * and `noRepeatNgramSize`. An option that would have no effect is an error.
 *
 * The 0.0.x form `beamSearch(lm, { beamWidth, steps, … })` still works, with a one-time deprecation warning.
 *
 * @param lm - Any {@link LanguageModel} (its `logProbsBatch` is used when present).
 * @param steps - T ≥ 1, the number of tokens to generate (the maximum, with `eos`).
 * @param options - See {@link BeamSearchOptions}; `beamWidth` is required.
 * @returns `numReturnSequences` sequences, best first (by length-normalised score), with the stop reason and, on request, the trace.
 * @throws RangeError for B < 1, T < 1, numReturnSequences > B, a group count not dividing B, an unknown eos, an option without effect, or a prefix tree above `maxMemory`; TypeError for an unknown option or a value of the wrong type.
 * @example
 * ```ts
 * beamSearch(exampleTree, 3, { beamWidth: 2 }).sequences.map((s) => s.tokens.join(" "));
 * // => ["a red fox", "a red car"]
 * ```
 */
export function beamSearch(lm: LanguageModel, steps: number, options: BeamSearchOptions): BeamSearchResult;
/**
 * Deprecated form (warns once at run time; removed in 0.2.0): call `beamSearch(lm, steps, { beamWidth, … })`.
 * (Not tagged `@deprecated` so that importing `beamSearch` itself does not trip lint rules.)
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form's own overload
export function beamSearch(lm: LanguageModel, options: LegacyBeamSearchOptions): BeamSearchResult;
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the implementation accepts the deprecated form
export function beamSearch(lm: LanguageModel, steps: number | LegacyBeamSearchOptions, options?: BeamSearchOptions): BeamSearchResult {
  checkLanguageModel("beamSearch", lm);
  let T: number;
  let given: BeamSearchOptions | undefined = options;
  if (typeof steps === "object" && (steps as unknown) !== null && options === undefined) {
    warnDeprecated("beamSearch: the form beamSearch(lm, { beamWidth, steps }) is deprecated and will be removed in the next minor version; call beamSearch(lm, steps, { beamWidth })");
    const { steps: legacySteps, ...rest } = steps;
    T = stepsArg("beamSearch", legacySteps);
    given = rest;
  } else {
    T = stepsArg("beamSearch", steps);
  }
  if (given === undefined) throw new TypeError("beamSearch: options with beamWidth are required, e.g. beamSearch(lm, steps, { beamWidth: 2 }); got undefined");
  const o = readOptions("beamSearch", given, BEAM_OPTIONS, BEAM_ALIASES);
  const B = integerArg("beamSearch", "beamWidth B", o.beamWidth, 1);
  const n = lm.vocabulary.length;
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "beamSearch", "eos");
  const numReturn = integerArg("beamSearch", "numReturnSequences", o.numReturnSequences, 1, B);
  if (numReturn > B) throw new RangeError(`beamSearch: numReturnSequences ${numReturn} > beamWidth ${B} (at most B hypotheses are kept)`);
  const G = integerArg("beamSearch", "numBeamGroups", o.numBeamGroups, 1, 1);
  if (B % G !== 0) throw new RangeError(`beamSearch: numBeamGroups ${G} does not divide beamWidth ${B}`);
  const Bg = B / G;
  const lambda = numberArg("beamSearch", "diversityPenalty", o.diversityPenalty, 0, { min: 0 });
  if (lambda > 0 && G === 1) throw new RangeError(`beamSearch: diversityPenalty ${lambda} has no effect with numBeamGroups = 1`);
  const ngram = integerArg("beamSearch", "noRepeatNgramSize", o.noRepeatNgramSize, 0, 0);
  if (ngram > T) throw new RangeError(`beamSearch: noRepeatNgramSize ${ngram} has no effect with steps ${T} (a sequence of T + 1 tokens cannot repeat an ${ngram}-gram)`);
  const normalizer = readLengthPenalty("beamSearch", o.lengthPenalty ?? "none");
  const earlyStoppingIn: unknown = o.earlyStopping;
  if (earlyStoppingIn !== undefined && typeof earlyStoppingIn !== "boolean" && earlyStoppingIn !== "never") {
    throw new TypeError(`beamSearch: earlyStopping must be true, false or "never", got ${show(earlyStoppingIn)}`);
  }
  if (eos === undefined) {
    if (!normalizer.constant) {
      throw new RangeError(`beamSearch: lengthPenalty ${normalizer.name} has no effect without eos (every hypothesis has length T = ${T})`);
    }
    if (o.earlyStopping !== undefined) {
      throw new RangeError(`beamSearch: earlyStopping ${String(o.earlyStopping)} has no effect without eos (no hypothesis finishes before T)`);
    }
  }
  const earlyStopping = o.earlyStopping ?? false;
  const controls = readControls("beamSearch", o, lm, eos, T);
  const forced = readPhrases("beamSearch", "forceWords", o.forceWords, lm);
  if (forced.length > MAX_FORCED_PHRASES) throw new RangeError(`beamSearch: forceWords has ${forced.length} phrases, at most ${MAX_FORCED_PHRASES} are supported`);
  if (forced.length > 0) {
    const need = tokensToFulfil(forced, []);
    if (need > T) throw new RangeError(`beamSearch: forceWords need at least ${need} tokens, more than steps ${T}`);
    if (eos !== undefined && forced.some((p) => p.includes(eos))) throw new RangeError(`beamSearch: forceWords contains eos ${JSON.stringify(lm.vocabulary[eos])} (a hypothesis ends at eos)`);
  }
  const forcedTokens = new Set(forced.flat());
  const processing = controls.active || forced.length > 0;
  const tracing = booleanArg("beamSearch", "trace", o.trace, false);
  const maxMemory = numberArg("beamSearch", "maxMemory", o.maxMemory, DEFAULT_MAX_MEMORY, { exclusiveMin: 0 });
  // Each step adds at most B running nodes and B finished ones: 2·B·T nodes of parent, token, depth (int32) and score (float64).
  checkMemory("beamSearch", 2 * B * T * 20, maxMemory, `the prefix tree of B = ${B} beams over T = ${T} steps`);
  const lp = normalizer.divisor;
  const order = lm.markovOrder;
  const window = order !== undefined && Number.isInteger(order) && order >= 0 ? order : Infinity;

  const tree = new PrefixTree(lm.bos, Math.min(2 * B * T + 1, 1 << 16));
  const running: Beam[][] = Array.from({ length: G }, () => [{ node: 0, logProb: 0, processed: 0, score: 0 }]);
  const stores: Hypothesis[][] = Array.from({ length: G }, () => []);
  const done: boolean[] = new Array<boolean>(G).fill(false);
  const tops = Array.from({ length: G }, () => new TopK(eos === undefined ? Bg : 2 * Bg));
  const chosen = lambda > 0 ? new Float64Array(n) : undefined;
  const trace: BeamTraceStep[] = [];
  const tokensOf = (node: number): string[] => tree.ids(node).slice(1).map((i) => lm.vocabulary[i]!);
  const asTrace = (g: number, h: { node: number; logProb: number; score: number }): BeamTraceBeam => ({
    group: g,
    tokens: tokensOf(h.node),
    logProb: h.logProb,
    score: h.score,
  });
  let stopReason: BeamStopReason = "max-steps";
  let stepsTaken = 0;

  for (let t = 1; t <= T; t++) {
    const active = running.map((_, g) => g).filter((g) => !done[g] && running[g]!.length > 0);
    if (active.length === 0) break;
    stepsTaken = t;
    const prefixes = active.flatMap((g) => running[g]!.map((b) => tree.ids(b.node, window)));
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
      const bans = ngram > 0 ? beams.map((b) => bannedTokens(tree.ids(b.node), ngram)) : undefined;
      // The processed rows (repetition penalty, bad words, minNewTokens, forced-phrase feasibility).
      const procRows = processing
        ? beams.map((b, k) => {
            const row = groupRows[k];
            if (!(row instanceof Float64Array) || row.length !== n) return row as Float64Array;
            const history = tree.ids(b.node);
            let proc = processRow(controls, row, history, t - 1);
            if (forced.length > 0) {
              proc = proc === row ? Float64Array.from(row) : proc;
              const generated = history.slice(1);
              const left = T - t;
              const other = tokensToFulfil(forced, [...generated, -1]) > left;
              for (let j = 0; j < n; j++) {
                if (proc[j] === -Infinity) continue;
                const need = j === eos ? tokensToFulfil(forced, generated) > 0 : forcedTokens.has(j) ? tokensToFulfil(forced, [...generated, j]) > left : other;
                if (need) proc[j] = -Infinity;
              }
            }
            return proc;
          })
        : groupRows;
      // Counts of tokens chosen by the earlier groups at this step (Hamming diversity).
      const pen = chosen === undefined ? undefined : Float64Array.from(chosen);
      for (let b = 0; b < beams.length; b++) {
        const row: unknown = groupRows[b];
        if (!(row instanceof Float64Array) || row.length !== n) {
          throw new RangeError(`beamSearch: lm.logProbs returned ${show(row)}${row instanceof Float64Array ? ` of length ${row.length}` : ""}, expected a Float64Array of N = ${n} values`);
        }
        const base = beams[b]!.score;
        const proc = procRows[b]!;
        if (pen === undefined && bans === undefined) {
          scanRow(top, base, proc, b);
          continue;
        }
        const ban = bans?.[b];
        for (let j = 0; j < n; j++) {
          let s = base + proc[j]! - (pen === undefined ? 0 : lambda * pen[j]!);
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
        const processed = processing ? parent.processed + procRows[b]![j]! : logProb;
        const key = b * n + j;
        if (j === eos) {
          if (r < Bg) {
            const length = tree.depth[parent.node]! + 1;
            const score = processed / lp(length);
            const store = stores[g]!;
            const enters = !(store.length === Bg && !(score > store[Bg - 1]!.score));
            if (enters) {
              const hyp = { node: tree.add(parent.node, j, groupRows[b]![j]!), length, logProb, processed, score };
              insertHypothesis(store, hyp, Bg);
              if (tracing) finished.push(asTrace(g, hyp));
            }
            status.set(key, enters ? { status: "finished", rank: r } : { status: "pruned", rank: r, reason: "finished, but worse than the B stored hypotheses" });
          } else {
            status.set(key, { status: "pruned", rank: r, reason: "eos ranked outside the top B" });
          }
        } else if (next.length < Bg) {
          next.push({ node: tree.add(parent.node, j, groupRows[b]![j]!), logProb, processed, score: top.scores[r]! });
          status.set(key, { status: "kept", rank: r });
          if (chosen !== undefined) chosen[j] = chosen[j]! + 1;
        } else {
          status.set(key, { status: "pruned", rank: r, reason: "outside the top B" });
        }
      }
      if (tracing) {
        beams.forEach((b) => parents.push(asTrace(g, b)));
        for (let b = 0; b < beams.length; b++) {
          const row = groupRows[b]!;
          const proc = procRows[b]!;
          const ban = bans?.[b];
          for (let j = 0; j < n; j++) {
            const logProb = beams[b]!.logProb + row[j]!;
            const banned = ban?.has(j) === true;
            const score = banned ? -Infinity : beams[b]!.score + proc[j]! - (pen === undefined ? 0 : lambda * pen[j]!);
            const st = status.get(b * n + j);
            const reason =
              st?.reason ??
              (row[j] === -Infinity ? "impossible (probability 0)" : banned ? `repeats a ${ngram}-gram` : proc[j] === -Infinity ? "masked (badWords, minNewTokens or forceWords)" : "outside the top B");
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
        next.forEach((b) => kept.push(asTrace(g, b)));
      }
      running[g] = next;
      const store = stores[g]!;
      if (next.length === 0) {
        done[g] = true;
        stopReason = "no-continuation";
      } else if (eos !== undefined && store.length === Bg) {
        const worst = store[Bg - 1]!.score;
        let best = -Infinity;
        for (const b of next) best = Math.max(best, b.processed);
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
      const length = tree.depth[b.node]!;
      insertHypothesis(stores[g]!, { node: b.node, length, logProb: b.logProb, processed: b.processed, score: b.processed / lp(length) }, Bg);
    }
  }
  const all = stores.flat();
  const ranking = all.map((_, k) => k).sort((a, b) => all[b]!.score - all[a]!.score || a - b);
  const sequences: DecodedSequence[] = ranking
    .slice(0, numReturn)
    .map((k) => all[k]!)
    .map((h) => decoded(lm, tree.ids(h.node).slice(1), tree.scores(h.node), normalizer.constant && !processing ? undefined : h.score));
  return { sequences, stopReason, stepsTaken, ...(tracing ? { trace } : {}) };
}
