import type { LanguageModel } from "./language-model";
import { checkSteps, decoded, type DecodeResult } from "./sequence";
import { transposeSquare, viterbiStepDense } from "./internal/viterbi-kernel";

/** Options of {@link viterbi}. */
export interface ViterbiOptions {
  /** Return the δ table and back-pointers for display. @defaultValue `false` */
  readonly trellis?: boolean;
  /** Refuse when the state space times N (S·N cells per step) exceeds this. @defaultValue `2e7` */
  readonly maxCellsPerStep?: number;
}

/** The dynamic-programming tables of {@link viterbi}, in log space. */
export interface ViterbiTrellis {
  /** The S states (for a bigram LM, the N tokens; for order k, k-token contexts joined by spaces). */
  readonly states: readonly string[];
  /** (T+1)×S row-major: `logDelta[t·S + s]` = log δ_t(s); row 0 is the indicator of `<BOS>` (0 / −∞). */
  readonly logDelta: Float64Array;
  /** T×S row-major: `backPointers[(t−1)·S + s]` = a_t(s), the best previous state (−1 if δ_t(s) = 0). */
  readonly backPointers: Int32Array;
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
 * then $w^*_T = \operatorname{argmax}_j \delta_T(j)$ and $w^*_t = a_{t+1}(w^*_{t+1})$. Time O(T·N²),
 * space O(T·N). A model of order k (an n-gram LM, k = n − 1) is decoded on the N^k states
 * "last k tokens" (prefixes shorter than k are padded with `<BOS>`). Ties: the smaller id.
 *
 * @param lm - A {@link LanguageModel} with `markovOrder` (from {@link markovLM} or {@link ngramLM}).
 * @param steps - T ≥ 1.
 * @param options - `trellis` to return the tables.
 * @returns The optimal sequence and its log-probability (−∞ with no tokens if every sequence is impossible).
 * @throws TypeError for a model without `markovOrder` (the answer to Question 2.2f); RangeError for a bad T or a state space that is too large.
 * @example
 * ```ts
 * viterbi(exampleMarkov, 3).sequences[0].tokens; // => ["cloud", "rain", "rain"]
 * ```
 */
export function viterbi(lm: LanguageModel, steps: number, options: ViterbiOptions = {}): ViterbiResult {
  checkSteps(steps, "viterbi");
  const order = lm.markovOrder;
  if (order === undefined) throw new TypeError(NOT_MARKOV);
  const n = lm.vocabulary.length;
  const S = n ** order;
  const maxCells = options.maxCellsPerStep ?? 2e7;
  if (S * n > maxCells) {
    throw new RangeError(`viterbi: N^k·N = ${n}^${order}·${n} = ${S * n} cells per step exceeds ${maxCells} (order k = ${order})`);
  }
  let s0 = 0;
  for (let k = 0; k < order; k++) s0 = s0 * n + lm.bos;
  const deltas: Float64Array[] = [];
  const back = new Int32Array(steps * S).fill(-1);
  let delta = new Float64Array(S).fill(-Infinity);
  delta[s0] = 0;
  deltas.push(delta);
  if (order === 1 && lm.logTransition !== undefined && lm.logTransition.length === n * n) {
    const logPT = transposed(lm.logTransition, n);
    for (let t = 1; t <= steps; t++) {
      const next = new Float64Array(n);
      viterbiStepDense(n, delta, logPT, next, back, (t - 1) * n);
      for (let j = 0; j < n; j++) if (next[j] === -Infinity) back[(t - 1) * n + j] = -1;
      delta = next;
      deltas.push(delta);
    }
  } else {
    // General order k: state s = the last k ids in base N (oldest first); s' = (s·N + j) mod N^k.
    const rows = new Map<number, Float64Array>();
    const context = (s: number): number[] => {
      const ids: number[] = [];
      for (let k = 0, r = s; k < order; k++, r = Math.floor(r / n)) ids.unshift(r % n);
      return [lm.bos, ...ids];
    };
    const sPrev = S / n;
    for (let t = 1; t <= steps; t++) {
      const next = new Float64Array(S).fill(-Infinity);
      const bo = (t - 1) * S;
      for (let s = 0; s < S; s++) {
        const d = delta[s]!;
        if (d === -Infinity) continue;
        let row = rows.get(s);
        if (row === undefined) {
          row = lm.logProbs(context(s));
          rows.set(s, row);
        }
        const base = order === 0 ? 0 : (s % sPrev) * n;
        for (let j = 0; j < n; j++) {
          const v = d + row[j]!;
          const s2 = order === 0 ? 0 : base + j;
          if (v > next[s2]!) {
            next[s2] = v;
            back[bo + s2] = s;
          }
        }
      }
      delta = next;
      deltas.push(delta);
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
  const path: number[] = new Array<number>(steps + 1).fill(-1);
  if (arg >= 0) {
    path[steps] = arg;
    for (let t = steps; t >= 1; t--) path[t - 1] = back[(t - 1) * S + path[t]!]!;
  }
  const ids = arg < 0 ? [] : path.slice(1).map((s) => s % n);
  const result: ViterbiResult = {
    sequences: [decoded(lm, ids, best)],
    operations: steps * S * n,
  };
  if (options.trellis !== true) return result;
  const logDelta = new Float64Array((steps + 1) * S);
  deltas.forEach((d, t) => {
    logDelta.set(d, t * S);
  });
  const states = Array.from({ length: S }, (_, s) => {
    const ids2: string[] = [];
    for (let k = 0, r = s; k < order; k++, r = Math.floor(r / n)) ids2.unshift(lm.vocabulary[r % n]!);
    return ids2.join(" ");
  });
  return { ...result, trellis: { states, logDelta, backPointers: back, path } };
}
