import { assertNotDifferentiated, isTensor, readOptions, type Tensor } from "@hw/tensor";
import { resolveVocabulary, type LanguageModel } from "./language-model";
import { show } from "./internal/validate";

/** A square matrix given as a {@link Tensor} (any strides) or as nested arrays (rows). */
export type MatrixInput = Tensor | readonly (readonly number[])[];

/** The inputs of {@link markovLM}: the vocabulary and exactly one of `P` (probabilities) or `logP` (natural logs). */
export type MarkovLMSpec = MarkovLMSpecCommon &
  (
    | { /** The N tokens; index i of a row or column of P is `vocabulary[i]`. */ readonly vocabulary: readonly string[]; readonly vocab?: never }
    | { /** @deprecated Use `vocabulary`. */ readonly vocab: readonly string[]; readonly vocabulary?: never }
  );

/** The fields of {@link MarkovLMSpec} besides the vocabulary. */
export interface MarkovLMSpecCommon {
  /** The `<BOS>` token (string or id). @defaultValue `"<BOS>"` */
  readonly bos?: string | number;
  /** An end-of-sequence token (string or id), if the model has one. */
  readonly eos?: string | number;
  /** Transition probabilities, `P[i][j] = p(w_t = j | w_{t−1} = i)`; rows sum to 1. */
  readonly P?: MatrixInput;
  /** Or the natural logs of P (`-Infinity` for an impossible transition); rows log-sum-exp to 0. */
  readonly logP?: MatrixInput;
}

/** A time-homogeneous Markov (bigram) language model: what {@link markovLM} returns. */
export interface MarkovLanguageModel extends LanguageModel {
  readonly markovOrder: 1;
  /** Row-major N×N natural-log transition matrix (owned by the model: treat it as immutable; Viterbi caches its transpose). */
  readonly logTransition: Float64Array;
}

/** Row-sum tolerance of {@link markovLM}. */
export const ROW_SUM_TOLERANCE = 1e-9;

function readMatrix(m: MatrixInput, n: number, name: string): Float64Array {
  const out = new Float64Array(n * n);
  if (typeof m !== "object" || (m as unknown) === null) throw new TypeError(`markovLM: ${name} must be an N×N Tensor or nested array, got ${show(m)}`);
  if (isTensor(m)) {
    if (m.shape.length !== 2 || m.shape[0] !== n || m.shape[1] !== n) {
      throw new RangeError(`markovLM: ${name} must be N×N = ${n}×${n} (N = vocabulary length), got [${m.shape.join(",")}]`);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = m.get(i, j);
    return out;
  }
  const rowsIn = m as readonly unknown[];
  if (!Array.isArray(rowsIn) || rowsIn.length !== n) {
    throw new RangeError(`markovLM: ${name} must be N×N = ${n}×${n} (N = vocabulary length), got ${Array.isArray(rowsIn) ? rowsIn.length : typeof rowsIn} rows`);
  }
  for (let i = 0; i < n; i++) {
    const row = rowsIn[i] as readonly unknown[];
    if (!Array.isArray(row) || row.length !== n) {
      throw new RangeError(`markovLM: ${name} must be N×N = ${n}×${n}, but row ${i} has ${Array.isArray(row) ? row.length : typeof row} entries`);
    }
    for (let j = 0; j < n; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number") throw new TypeError(`markovLM: ${name}[${i}][${j}] must be a number, got ${typeof v}`);
      out[i * n + j] = v;
    }
  }
  return out;
}

/**
 * A time-homogeneous Markov language model, $p(w_t = j \mid w_{0:t-1}) = P_{w_{t-1} j}$.
 *
 * Validates that P is N×N, every entry lies in [0, 1], and every row sums to 1 within `1e-9`
 * (or, for `logP`, that entries are ≤ 0 and not NaN and each row's log-sum-exp is 0 within `1e-9`).
 * The model stores log P and returns its rows, so decoding runs in log space.
 *
 * @param spec - `vocabulary` (deprecated alias `vocab`), `bos`, `eos` and exactly one of `P` / `logP` (a Tensor or nested arrays).
 * @returns A {@link MarkovLanguageModel} (Viterbi decodes it with its O(T·N²) kernel).
 * @throws RangeError naming the first bad row and its sum, a bad entry, or the wrong shape; TypeError for an unknown key; NotDifferentiableError when P or logP is being differentiated.
 * @example
 * ```ts
 * const lm = markovLM({ vocabulary: ["<BOS>", "a", "b"], P: [[0, 0.6, 0.4], [0, 0.1, 0.9], [0, 0.8, 0.2]] });
 * viterbi(lm, 2).sequences[0].tokens; // => ["a", "b"]
 * ```
 */
export function markovLM(spec: MarkovLMSpec): MarkovLanguageModel {
  if (typeof spec !== "object" || (spec as unknown) === null) throw new TypeError(`markovLM: spec must be an object, got ${show(spec)}`);
  const o = readOptions("markovLM", spec as MarkovLMSpecCommon & { vocabulary?: readonly string[] }, ["vocabulary", "bos", "eos", "P", "logP"], {
    vocab: "vocabulary",
  });
  assertNotDifferentiated("markovLM", [o.P, o.logP], "a language model's probabilities are data, not differentiable parameters");
  if (!Array.isArray(o.vocabulary)) throw new TypeError(`markovLM: spec.vocabulary must be an array of the N token strings, got ${show(o.vocabulary)}`);
  const vocab = [...(o.vocabulary as readonly string[])];
  const { bos, eos } = resolveVocabulary(vocab, o.bos ?? "<BOS>", o.eos, "markovLM");
  const n = vocab.length;
  if ((o.P === undefined) === (o.logP === undefined)) {
    throw new TypeError("markovLM: give exactly one of P (probabilities) or logP (log-probabilities)");
  }
  const logT = new Float64Array(n * n);
  if (o.P !== undefined) {
    const p = readMatrix(o.P, n, "P");
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const v = p[i * n + j]!;
        if (!(v >= 0 && v <= 1)) throw new RangeError(`markovLM: P[${i}][${j}] = ${v} is not a probability in [0, 1]`);
        sum += v;
        logT[i * n + j] = Math.log(v);
      }
      if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
        throw new RangeError(`markovLM: row ${i} of P (${JSON.stringify(vocab[i])}) sums to ${sum}, expected 1 within ${ROW_SUM_TOLERANCE}`);
      }
    }
  } else {
    const lp = readMatrix(o.logP!, n, "logP");
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = lp[i * n + j]!;
        if (Number.isNaN(v) || v > 0) throw new RangeError(`markovLM: logP[${i}][${j}] = ${v} is not a log-probability (≤ 0)`);
        if (v > max) max = v;
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(lp[i * n + j]! - max);
      const lse = max + Math.log(s);
      if (!(Math.abs(lse) <= ROW_SUM_TOLERANCE)) {
        throw new RangeError(`markovLM: row ${i} of logP (${JSON.stringify(vocab[i])}) sums to ${Math.exp(lse)} in probability, expected 1 within ${ROW_SUM_TOLERANCE}`);
      }
    }
    logT.set(lp);
  }
  const rows = Array.from({ length: n }, (_, i) => logT.subarray(i * n, (i + 1) * n));
  return {
    vocabulary: vocab,
    bos,
    ...(eos === undefined ? {} : { eos }),
    markovOrder: 1,
    logTransition: logT,
    logProbs: (prefix) => {
      const last = prefix.length === 0 ? bos : prefix[prefix.length - 1]!;
      const row = rows[last];
      if (row === undefined) throw new RangeError(`markovLM: token id ${last} is outside the vocabulary [0, ${n})`);
      return row;
    },
  };
}

/**
 * A small built-in Markov LM (N = 5) used by `hw solve` and the docs' Viterbi trellis: a toy
 * weather chain where greedy decoding is not optimal for T = 3.
 */
export const exampleMarkov: MarkovLanguageModel = /* @__PURE__ */ markovLM({
  vocabulary: ["<BOS>", "sun", "cloud", "rain", "snow"],
  bos: "<BOS>",
  P: [
    [0, 0.45, 0.4, 0.1, 0.05],
    [0, 0.3, 0.3, 0.3, 0.1],
    [0, 0.1, 0.2, 0.65, 0.05],
    [0, 0.2, 0.2, 0.55, 0.05],
    [0, 0.1, 0.2, 0.2, 0.5],
  ],
});
