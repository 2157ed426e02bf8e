import { readOptions, warnDeprecated } from "@hw/tensor";
import { resolveToken, show } from "./internal/validate";

/**
 * The one interface every decoder runs on: a prefix of token ids (starting with `<BOS>`) maps to the
 * natural-log probabilities of the next token.
 */

/**
 * A language model as the decoders see it.
 *
 * $$p(w_{1:T}\mid w_0) = \prod_{t=1}^{T} p(w_t \mid w_{0:t-1}),\qquad w_0 = \texttt{<BOS>}$$
 *
 * Tokens are ids: indices into {@link LanguageModel.vocabulary}. `logProbs(prefix)` receives the
 * whole prefix `w_{0:t−1}` (so `prefix[0]` is always `bos`) and returns a `Float64Array` of length
 * `N = vocabulary.length` holding $\log p(w_t = j \mid w_{0:t-1})$ (natural log, `-Infinity` for an
 * impossible token). The decoders never modify the returned array, so a model may return a cached row.
 */
export interface LanguageModel {
  /** The N tokens; a token's id is its index here. */
  readonly vocabulary: readonly string[];
  /** The id of `<BOS>`, the token every sequence starts with (w_0). */
  readonly bos: number;
  /** The id of the end-of-sequence token, when the model has one. */
  readonly eos?: number;
  /** Natural-log next-token probabilities after `prefix` (which starts with `bos`). */
  logProbs(prefix: readonly number[]): Float64Array;
  /** Optional batched form: one row per prefix; used by beam search when present. */
  logProbsBatch?(prefixes: readonly (readonly number[])[]): Float64Array[];
  /**
   * When the next-token distribution depends only on the last `markovOrder` tokens of the prefix
   * (1 for a bigram/Markov LM, n − 1 for an n-gram LM), Viterbi can decode the model; a shorter
   * prefix is treated as left-padded with `bos`. Undefined for a model with unbounded memory (an RNN).
   */
  readonly markovOrder?: number;
  /**
   * For `markovOrder === 1`: the N×N row-major log-transition matrix
   * `logTransition[i·N + j] = log p(w_t = j | w_{t−1} = i)`, used by Viterbi's fast kernel.
   */
  readonly logTransition?: Float64Array;
}

/** The parts of a user's model that {@link languageModel} wraps. */
export interface LanguageModelSpec {
  /** The N tokens. */
  readonly vocabulary: readonly string[];
  /** The `<BOS>` token (a string of the vocabulary or its id). @defaultValue `"<BOS>"` */
  readonly bos?: string | number;
  /** The end-of-sequence token, if any (a string of the vocabulary or its id). */
  readonly eos?: string | number;
  /** Next-token natural-log probabilities (length N) after a prefix of ids starting with `bos`. */
  readonly logProbs: (prefix: readonly number[]) => Float64Array | readonly number[];
  /** Optional batched form of `logProbs`. */
  readonly logProbsBatch?: (prefixes: readonly (readonly number[])[]) => (Float64Array | readonly number[])[];
  /** See {@link LanguageModel.markovOrder}; only set it when it is true of your model. */
  readonly markovOrder?: number;
}

/**
 * The id of `token` in `vocabulary` (a string, or an id checked to be in range).
 *
 * @param vocabulary - The model's tokens.
 * @param token - A token string or id.
 * @param legacy - Deprecated: the old error-message-only `op` and `what` arguments (ignored, warned once).
 * @returns The token id.
 * @throws RangeError when the token is not in the vocabulary; TypeError when it is neither a string nor a number.
 * @example
 * ```ts
 * tokenId(["<BOS>", "a"], "a"); // => 1
 * ```
 */
export function tokenId(vocabulary: readonly string[], token: string | number, ...legacy: readonly unknown[]): number {
  if (!Array.isArray(vocabulary)) throw new TypeError(`tokenId: vocabulary must be an array of token strings, got ${show(vocabulary)}`);
  if (legacy.length > 0) {
    warnDeprecated("tokenId: the third and fourth arguments (op, what) are deprecated and ignored; call tokenId(vocabulary, token)");
  }
  return resolveToken(vocabulary, token, "tokenId", "token");
}

function checkVocabulary(vocabulary: unknown, op: string): asserts vocabulary is readonly string[] {
  if (!Array.isArray(vocabulary)) throw new TypeError(`${op}: vocabulary must be an array of token strings, got ${show(vocabulary)}`);
  if (vocabulary.length === 0) throw new RangeError(`${op}: the vocabulary is empty`);
  const seen = new Set<string>();
  for (const [i, v] of (vocabulary as unknown[]).entries()) {
    if (typeof v !== "string") throw new TypeError(`${op}: vocabulary[${i}] must be a string, got ${show(v)}`);
    if (seen.has(v)) throw new RangeError(`${op}: duplicate vocabulary token ${JSON.stringify(v)}`);
    seen.add(v);
  }
}

/** @internal Validate the common fields; shared by the LM factories. */
export function resolveVocabulary(
  vocabulary: readonly string[],
  bos: string | number,
  eos: string | number | undefined,
  op: string,
): { bos: number; eos: number | undefined } {
  checkVocabulary(vocabulary, op);
  return {
    bos: resolveToken(vocabulary, bos, op, "bos"),
    eos: eos === undefined ? undefined : resolveToken(vocabulary, eos, op, "eos"),
  };
}

function toRow(row: Float64Array | readonly number[], n: number, op: string): Float64Array {
  if (!(row instanceof Float64Array) && !Array.isArray(row)) {
    throw new TypeError(`languageModel: ${op} must return a Float64Array or an array of N = ${n} log-probabilities, got ${show(row)}`);
  }
  const out = row instanceof Float64Array ? row : Float64Array.from(row);
  if (out.length !== n) throw new RangeError(`languageModel: ${op} returned ${out.length} log-probabilities, expected N = ${n}`);
  return out;
}

/**
 * Wrap any next-token function as a {@link LanguageModel}, so a user's own model plugs into every
 * decoder. Rows given as plain arrays are converted to `Float64Array`; their length is checked.
 *
 * @param spec - The vocabulary, `<BOS>` (and optional `<EOS>`) tokens and the `logProbs` function.
 * @returns The language model.
 * @throws RangeError for an empty or duplicated vocabulary, an unknown `bos`/`eos`, or a bad `markovOrder`.
 * @example
 * ```ts
 * const uniform = languageModel({
 *   vocabulary: ["<BOS>", "a", "b"],
 *   logProbs: () => [-Infinity, Math.log(0.5), Math.log(0.5)],
 * });
 * greedyDecode(uniform, 2).sequences[0].tokens; // => ["a", "a"]
 * ```
 */
export function languageModel(spec: LanguageModelSpec): LanguageModel {
  if (typeof spec !== "object" || (spec as unknown) === null) throw new TypeError(`languageModel: spec must be an object, got ${show(spec)}`);
  readOptions("languageModel", spec, ["vocabulary", "bos", "eos", "logProbs", "logProbsBatch", "markovOrder"]);
  checkVocabulary(spec.vocabulary, "languageModel");
  if (typeof spec.logProbs !== "function") throw new TypeError(`languageModel: logProbs must be a function, got ${show(spec.logProbs)}`);
  if (spec.logProbsBatch !== undefined && typeof spec.logProbsBatch !== "function") {
    throw new TypeError(`languageModel: logProbsBatch must be a function, got ${show(spec.logProbsBatch)}`);
  }
  const vocabulary = [...spec.vocabulary];
  const { bos, eos } = resolveVocabulary(vocabulary, spec.bos ?? "<BOS>", spec.eos, "languageModel");
  const n = vocabulary.length;
  if (spec.markovOrder !== undefined && (!Number.isInteger(spec.markovOrder) || spec.markovOrder < 0)) {
    throw new RangeError(`languageModel: markovOrder must be a non-negative integer, got ${spec.markovOrder}`);
  }
  const user = spec.logProbs;
  const batch = spec.logProbsBatch;
  const lm: LanguageModel = {
    vocabulary,
    bos,
    ...(eos === undefined ? {} : { eos }),
    ...(spec.markovOrder === undefined ? {} : { markovOrder: spec.markovOrder }),
    logProbs: (prefix) => toRow(user(prefix), n, "logProbs"),
    ...(batch === undefined
      ? {}
      : {
          logProbsBatch: (prefixes: readonly (readonly number[])[]) => {
            const rows = batch(prefixes);
            if (!Array.isArray(rows)) throw new TypeError(`languageModel: logProbsBatch must return an array of rows, got ${show(rows)}`);
            if (rows.length !== prefixes.length) {
              throw new RangeError(`languageModel: logProbsBatch returned ${rows.length} rows for ${prefixes.length} prefixes`);
            }
            return rows.map((r) => toRow(r, n, "logProbsBatch"));
          },
        }),
  };
  return lm;
}

/** @internal Rows for several prefixes, batched when the model can. */
export function logProbsMany(lm: LanguageModel, prefixes: readonly (readonly number[])[]): Float64Array[] {
  if (lm.logProbsBatch !== undefined && prefixes.length > 1) return lm.logProbsBatch(prefixes);
  return prefixes.map((p) => lm.logProbs(p));
}
