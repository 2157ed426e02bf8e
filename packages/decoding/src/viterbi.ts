import { readOptions, tensor, type Tensor } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult, type DecodedSequence } from "./sequence";
import { hmmViterbi, isHmm, type HiddenMarkovModel, type HmmDecodeOptions, type Observations, type StatePath } from "./hmm";
import { booleanArg, checkLanguageModel, checkMemory, DEFAULT_MAX_MEMORY, numberArg, show, stepsArg } from "./internal/validate";
import { kernels } from "@hw/tensor/kernels";
import { transposeSquare } from "./internal/viterbi-kernel";

/** Options of {@link viterbi}. */
export interface ViterbiOptions {
  /** Return the δ table and back-pointers for display (costs (T+1)·S float64 values). @defaultValue `false` */
  readonly trellis?: boolean;
  /** Refuse when the state space times N (S·N cells per step) exceeds this. @defaultValue `2e7` */
  readonly maxCellsPerStep?: number;
  /** Refuse, before allocating, when the tables would take more than this many bytes. @defaultValue `2e9` (2 GB) */
  readonly maxMemory?: number;
}

/** The dynamic-programming tables of {@link viterbi}, in log space. */
export interface ViterbiTrellis {
  /** The S states (for a bigram LM, the N tokens; for order k, k-token contexts joined by spaces). */
  readonly states: readonly string[];
  /** Shape [T+1, S]: `logDelta.get(t, s)` = log δ_t(s); row 0 is the indicator of the start state (0 / −∞). */
  readonly logDelta: Tensor;
  /** Shape [T, S]: `backPointers.get(t − 1, s)` = a_t(s), the best previous state (−1 where δ_t(s) = 0). */
  readonly backPointers: Tensor;
  /** The best state at t = 0 … T. */
  readonly path: readonly number[];
}

/** What {@link viterbi} returns. */
export interface ViterbiResult extends DecodeResult {
  /** The number of (i, j, t) cells evaluated, T·S·N: the O(TN²) of Question 2.2e for a bigram LM. */
  readonly operations: number;
  readonly trellis?: ViterbiTrellis;
}

/**
 * Transposed copies of log-transition matrices, computed once per matrix (a model's matrix is
 * immutable: `markovLM` owns it), so repeated decoding does not pay the O(N²) transpose each call.
 */
const transposeCache = new WeakMap<Float64Array, Float64Array>();

function transposed(logT: Float64Array, n: number): Float64Array {
  let t = transposeCache.get(logT);
  if (t === undefined) {
    t = new Float64Array(n * n);
    transposeSquare(n, logT, t);
    transposeCache.set(logT, t);
  }
  return t;
}

const NOT_MARKOV =
  "viterbi: this language model has no markovOrder: its next-token distribution depends on the whole prefix " +
  "(as for an RNN/GRU/LSTM LM, or a tree LM), so the Markov property δ_t(j) = max_i P_ij δ_{t−1}(i) fails and " +
  "dynamic programming does not apply; use exhaustiveSearch or beamSearch (Viterbi applies to Markov/n-gram LMs and HMMs)";

/**
 * Viterbi decoding of a Markov LM (Question 2.2): with $\delta_0 = \mathbb{1}[\,j = \texttt{<BOS>}\,]$,
 *
 * $$\log\delta_t(j) = \max_i \big(\log P_{ij} + \log\delta_{t-1}(i)\big),\qquad
 *   a_t(j) = \operatorname*{argmax}_i \big(\log P_{ij} + \log\delta_{t-1}(i)\big),$$
 *
 * then $w^*_T = \operatorname{argmax}_j \delta_T(j)$ and $w^*_t = a_{t+1}(w^*_{t+1})$. Time O(T·N²);
 * memory: two δ rows and the T·N back-pointers as compact integers (1 byte per cell for N ≤ 256,
 * 2 for N ≤ 65,536), unless `trellis` asks for every δ row. A model of order k (an n-gram LM,
 * k = n − 1) is decoded on the N^k states "last k tokens" (prefixes shorter than k are padded with
 * `<BOS>`); a model of order 0 (a unigram LM) repeats its most likely token. Ties: the smaller id.
 *
 * @param lm - A {@link LanguageModel} with `markovOrder` (from {@link markovLM} or {@link ngramLM}).
 * @param steps - T ≥ 1.
 * @param options - `trellis` to return the tables; `maxCellsPerStep` and `maxMemory` budgets.
 * @returns The optimal sequence and its log-probability; no sequence (`sequences: []`) when every sequence of length T is impossible.
 * @throws TypeError for a model without `markovOrder` (the answer to Question 2.2f) or an unknown option; RangeError for a bad T, a state space above `maxCellsPerStep` or tables above `maxMemory` (the message gives the estimate).
 * @example
 * ```ts
 * viterbi(exampleMarkov, 3).sequences[0].tokens; // => ["cloud", "rain", "rain"]
 * ```
 */
export function viterbi(lm: LanguageModel, steps: number, options?: ViterbiOptions): ViterbiResult;
/**
 * Viterbi on a hidden Markov model (the same recursion with emissions):
 * $\delta_1(j) = \log\pi_j + \log B_{j x_1}$, $\delta_t(j) = \max_i(\delta_{t-1}(i) + \log A_{ij}) + \log B_{j x_t}$.
 * Returns the best state path and its joint log-probability log p(x, z); throws RangeError when the
 * observations have probability 0. With `{ lengths }` (hmmlearn's `decode(X, lengths)`), `obs` holds
 * several sequences concatenated: each is decoded alone, the paths are concatenated and the
 * log-probabilities summed, and `sequences` holds the per-sequence results.
 */
export function viterbi(model: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): StatePath;
export function viterbi(lm: LanguageModel | HiddenMarkovModel, steps: number | Observations, options?: ViterbiOptions | HmmDecodeOptions): ViterbiResult | StatePath {
  if (isHmm(lm)) return hmmViterbi(lm, steps as Observations, options as HmmDecodeOptions | undefined);
  return viterbiLM(lm, steps as number, options as ViterbiOptions | undefined);
}

function viterbiLM(lm: LanguageModel, steps: number, options?: ViterbiOptions): ViterbiResult {
  checkLanguageModel("viterbi", lm);
  const T = stepsArg("viterbi", steps);
  const o = readOptions("viterbi", options, ["trellis", "maxCellsPerStep", "maxMemory"]);
  const wantTrellis = booleanArg("viterbi", "options.trellis", o.trellis, false);
  const maxCells = numberArg("viterbi", "options.maxCellsPerStep", o.maxCellsPerStep, 2e7, { exclusiveMin: 0 });
  const maxMemory = numberArg("viterbi", "options.maxMemory", o.maxMemory, DEFAULT_MAX_MEMORY, { exclusiveMin: 0 });
  const markovOrder = lm.markovOrder;
  if (markovOrder === undefined) throw new TypeError(NOT_MARKOV);
  if (!Number.isInteger(markovOrder) || markovOrder < 0) throw new RangeError(`viterbi: lm.markovOrder must be an integer ≥ 0, got ${show(markovOrder)}`);
  const n = lm.vocabulary.length;
  if (markovOrder === 0 && !wantTrellis) return viterbiOrderZero(lm, T);
  // A model of order 0 is also of order 1; its trellis is then the familiar token-state one.
  const order = Math.max(markovOrder, 1);
  const S = n ** order;
  if (S * n > maxCells) {
    throw new RangeError(`viterbi: N^k·N = ${n}^${order}·${n} = ${S * n} cells per step exceeds maxCellsPerStep = ${maxCells} (order k = ${order})`);
  }
  const Back = S <= 256 ? Uint8Array : S <= 65536 ? Uint16Array : Uint32Array;
  const bytes = T * S * Back.BYTES_PER_ELEMENT + 2 * S * 8 + (wantTrellis ? (T + 1) * S * 16 + T * S * 8 : 0);
  checkMemory("viterbi", bytes, maxMemory, `T = ${T} steps over S = ${S} states (${Back.BYTES_PER_ELEMENT} byte${Back.BYTES_PER_ELEMENT > 1 ? "s" : ""} of back-pointer per cell${wantTrellis ? ", plus the trellis" : ""})`);
  let s0 = 0;
  for (let k = 0; k < order; k++) s0 = s0 * n + lm.bos;
  // Only the back-pointers are kept for every step (compact integers); δ rows only when asked.
  const back = new Back(T * S);
  const logDelta = wantTrellis ? new Float64Array((T + 1) * S) : undefined;
  let delta = new Float64Array(S).fill(-Infinity);
  let next = new Float64Array(S);
  delta[s0] = 0;
  logDelta?.set(delta, 0);
  const dense = order === 1 && lm.logTransition !== undefined && lm.logTransition.length === n * n;
  const rows = new Map<number, Float64Array>();
  const context = (s: number): number[] => {
    const ids: number[] = [];
    for (let k = 0, r = s; k < order; k++, r = Math.floor(r / n)) ids.unshift(r % n);
    return [lm.bos, ...ids];
  };
  /** The next-token row of state s (cached: a Markov model's rows depend on the state only). */
  const rowFor = (s: number): Float64Array => {
    if (dense) return lm.logTransition.subarray(s * n, (s + 1) * n);
    let row = rows.get(s);
    if (row === undefined) {
      const got: unknown = lm.logProbs(context(s));
      if (!(got instanceof Float64Array) || got.length !== n) {
        throw new RangeError(`viterbi: lm.logProbs returned ${show(got)}${got instanceof Float64Array ? ` of length ${got.length}` : ""}, expected a Float64Array of N = ${n}`);
      }
      row = got;
      rows.set(s, row);
    }
    return row;
  };
  if (dense) {
    // The max-plus recursion over all T steps in one kernel call (WASM SIMD keeps log P resident);
    // back-pointers of step t in row t − 1, δ_t in trellis row t.
    const logPT = transposed(lm.logTransition, n);
    kernels.maxPlusRecurrence(n, T, logPT, 0, 1, n, delta, 0, null, 0, back, 0, logDelta ?? null, S, next);
  } else {
    // General order k: state s = the last k ids in base N (oldest first); s' = (s·N + j) mod N^k.
    const sPrev = S / n;
    for (let t = 1; t <= T; t++) {
      next.fill(-Infinity);
      const bo = (t - 1) * S;
      for (let s = 0; s < S; s++) {
        const d = delta[s]!;
        if (d === -Infinity) continue;
        const row = rowFor(s);
        const base = (s % sPrev) * n;
        for (let j = 0; j < n; j++) {
          const v = d + row[j]!;
          const s2 = base + j;
          if (v > next[s2]!) {
            next[s2] = v;
            back[bo + s2] = s;
          }
        }
      }
      [delta, next] = [next, delta];
      logDelta?.set(delta, t * S);
    }
  }
  let best = -Infinity;
  let arg = -1;
  for (let s = 0; s < S; s++) {
    if (delta[s]! > best) {
      best = delta[s]!;
      arg = s;
    }
  }
  const path: number[] = new Array<number>(T + 1).fill(-1);
  if (arg >= 0) {
    path[T] = arg;
    for (let t = T; t >= 1; t--) path[t - 1] = back[(t - 1) * S + path[t]!]!;
  }
  let sequences: DecodedSequence[] = [];
  if (arg >= 0) {
    // The per-token terms of δ along the path, in the order δ accumulated them (so they sum to δ_T(w*_T) exactly).
    const ids = path.slice(1).map((s) => s % n);
    const scores = ids.map((j, t) => rowFor(path[t]!)[j]!);
    sequences = [decoded(lm, ids, scores)];
  }
  const result: ViterbiResult = {
    // No sequence of non-zero probability: an empty list, as beam search and exhaustive search return.
    sequences,
    operations: T * S * n,
  };
  if (logDelta === undefined) return result;
  const backPointers = new Float64Array(T * S);
  for (let t = 1; t <= T; t++) {
    for (let s = 0; s < S; s++) backPointers[(t - 1) * S + s] = logDelta[t * S + s] === -Infinity ? -1 : back[(t - 1) * S + s]!;
  }
  const states = Array.from({ length: S }, (_, s) => {
    const ids2: string[] = [];
    for (let k = 0, r = s; k < order; k++, r = Math.floor(r / n)) ids2.unshift(lm.vocabulary[r % n]!);
    return ids2.join(" ");
  });
  return {
    ...result,
    trellis: { states, logDelta: tensor(logDelta, [T + 1, S]), backPointers: tensor(backPointers, [T, S]), path },
  };
}

/** Markov order 0 (a unigram model): every step draws from the same row, so the optimum repeats its argmax. */
function viterbiOrderZero(lm: LanguageModel, T: number): ViterbiResult {
  const row = lm.logProbs([lm.bos]);
  const n = lm.vocabulary.length;
  let best = -Infinity;
  let arg = -1;
  for (let j = 0; j < n; j++) {
    if (row[j]! > best) {
      best = row[j]!;
      arg = j;
    }
  }
  if (arg < 0) return { sequences: [], operations: T * n };
  return { sequences: [decoded(lm, new Array<number>(T).fill(arg), new Array<number>(T).fill(best))], operations: T * n };
}
