import { readOptions, warnDeprecated } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { integerArg, numberArg, show } from "./internal/validate";

/** Smoothing of {@link ngramLM}: add-k (Lidstone) or interpolated Kneser–Ney. */
export type NgramSmoothing =
  | { readonly kind: "add-k"; /** k > 0. @defaultValue `1` */ readonly k?: number }
  | { readonly kind: "kneser-ney"; /** Absolute discount D in (0, 1). @defaultValue `0.75` */ readonly discount?: number };

/** Options of {@link ngramLM}. */
export interface NgramLMOptions {
  /** The order n in [1, 100] (2 = bigram: the next word depends on the previous one); required. */
  readonly n: number;
  /** @defaultValue `{ kind: "kneser-ney", discount: 0.75 }` */
  readonly smoothing?: NgramSmoothing;
  /** Start token, used to left-pad every sentence with n − 1 copies. @defaultValue `"<BOS>"` */
  readonly bos?: string;
  /** End token appended to every sentence. @defaultValue `"<EOS>"` */
  readonly eos?: string;
}

/** @deprecated The old name of {@link NgramLMOptions}. */
export type NgramFitOptions = NgramLMOptions;

/** An n-gram language model: what {@link ngramLM} returns. */
export interface NgramLanguageModel extends LanguageModel {
  readonly n: number;
  readonly markovOrder: number;
  readonly eos: number;
  readonly smoothing: NgramSmoothing;
}

type Counts = Map<string, Map<number, number>>;

function bump(m: Counts, key: string, w: number, by = 1): void {
  let inner = m.get(key);
  if (inner === undefined) {
    inner = new Map();
    m.set(key, inner);
  }
  inner.set(w, (inner.get(w) ?? 0) + by);
}

function tokenize(corpus: unknown): string[][] {
  if (typeof corpus === "string") {
    return corpus
      .split(/\n+/)
      .map((line) => line.trim().split(/\s+/).filter((w) => w !== ""))
      .filter((s) => s.length > 0);
  }
  if (!Array.isArray(corpus)) {
    throw new TypeError(`ngramLM: corpus must be a text (one sentence per line) or an array of sentences (arrays of token strings), got ${show(corpus)}`);
  }
  return corpus.map((sentence: unknown, i) => {
    if (!Array.isArray(sentence)) throw new TypeError(`ngramLM: corpus[${i}] must be an array of token strings, got ${show(sentence)}`);
    return sentence.map((w: unknown, t) => {
      if (typeof w !== "string") throw new TypeError(`ngramLM: corpus[${i}][${t}] must be a token string, got ${show(w)}`);
      if (w === "" || /\s/.test(w)) throw new RangeError(`ngramLM: corpus[${i}][${t}] = ${JSON.stringify(w)} is not a token (empty or containing whitespace)`);
      return w;
    });
  });
}

const DEFAULT_SMOOTHING: NgramSmoothing = { kind: "kneser-ney", discount: 0.75 };

function readSmoothing(value: unknown): NgramSmoothing {
  if (value === undefined) return DEFAULT_SMOOTHING;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`ngramLM: smoothing must be { kind: "add-k", k } or { kind: "kneser-ney", discount }, got ${show(value)}`);
  }
  const kind = (value as { kind?: unknown }).kind;
  if (kind === "add-k") {
    const o = readOptions("ngramLM: smoothing", value as { kind: "add-k"; k?: number }, ["kind", "k"]);
    return { kind, k: numberArg("ngramLM", "add-k smoothing k", o.k, 1, { exclusiveMin: 0 }) };
  }
  if (kind === "kneser-ney") {
    const o = readOptions("ngramLM: smoothing", value as { kind: "kneser-ney"; discount?: number }, ["kind", "discount"]);
    const D = numberArg("ngramLM", "Kneser–Ney discount", o.discount, 0.75, { exclusiveMin: 0 });
    if (!(D < 1)) throw new RangeError(`ngramLM: Kneser–Ney discount must be in (0, 1), got ${D}`);
    return { kind, discount: D };
  }
  throw new RangeError(`ngramLM: unknown smoothing kind ${show(kind)} (add-k or kneser-ney)`);
}

function fit(corpus: string | readonly (readonly string[])[], options: NgramLMOptions): NgramLanguageModel {
  if ((options as NgramLMOptions | undefined) === undefined) throw new TypeError("ngramLM: options with the order n are required, e.g. ngramLM(corpus, { n: 2 }); got undefined");
  const o = readOptions("ngramLM", options, ["n", "smoothing", "bos", "eos"]);
  const n = integerArg("ngramLM", "n", o.n, 1, undefined, 100);
  const smoothing = readSmoothing(o.smoothing);
  const bosTok: unknown = o.bos ?? "<BOS>";
  const eosTok: unknown = o.eos ?? "<EOS>";
  if (typeof bosTok !== "string") throw new TypeError(`ngramLM: bos must be a token string, got ${show(bosTok)}`);
  if (typeof eosTok !== "string") throw new TypeError(`ngramLM: eos must be a token string, got ${show(eosTok)}`);
  if (bosTok === eosTok) throw new RangeError(`ngramLM: bos and eos must differ, both are ${JSON.stringify(bosTok)}`);
  const sentences = tokenize(corpus);
  if (sentences.length === 0) throw new RangeError("ngramLM: the corpus has no tokens");
  const words = new Set<string>();
  for (const s of sentences) {
    for (const w of s) {
      if (w === bosTok || w === eosTok) throw new RangeError(`ngramLM: the corpus contains the reserved token ${JSON.stringify(w)}`);
      words.add(w);
    }
  }
  const vocabulary = [bosTok, eosTok, ...[...words].sort()];
  const id = new Map(vocabulary.map((w, i) => [w, i]));
  const N = vocabulary.length;
  const V = N - 1; // <BOS> is never predicted.
  const k = n - 1;
  // counts[m]: context of the last m ids (joined) → next id → count (raw for m = k; continuation for m < k with KN).
  const raw: Counts[] = Array.from({ length: n }, (): Counts => new Map());
  for (const s of sentences) {
    const ids = [...new Array<number>(k).fill(0), ...s.map((w) => id.get(w)!), 1];
    for (let t = k; t < ids.length; t++) {
      for (let m = 0; m <= k; m++) bump(raw[m]!, ids.slice(t - m, t).join(","), ids[t]!);
    }
  }
  let probs: (context: number[]) => Float64Array;
  if (smoothing.kind === "add-k") {
    const kk = smoothing.k ?? 1;
    probs = (ctx) => {
      const inner = raw[k]!.get(ctx.join(","));
      let total = 0;
      inner?.forEach((c) => (total += c));
      const row = new Float64Array(N);
      for (let w = 1; w < N; w++) row[w] = ((inner?.get(w) ?? 0) + kk) / (total + kk * V);
      return row;
    };
  } else {
    const D = smoothing.discount ?? 0.75;
    // Continuation counts: cont[m](h, w) = |{v : c(v h w) > 0}| for m < k.
    const cont: Counts[] = Array.from({ length: k }, (): Counts => new Map());
    for (let m = 0; m < k; m++) {
      for (const [key, inner] of raw[m + 1]!) {
        const ctx = key === "" ? [] : key.split(",");
        const shorter = ctx.slice(1).join(",");
        for (const w of inner.keys()) bump(cont[m]!, shorter, w);
      }
    }
    const level = (m: number, ctx: number[]): Float64Array => {
      const table = m === k ? raw[k]! : cont[m]!;
      const inner = table.get(ctx.slice(ctx.length - m).join(","));
      const lower = m === 0 ? undefined : level(m - 1, ctx);
      let total = 0;
      inner?.forEach((c) => (total += c));
      if (total === 0) {
        if (lower !== undefined) return lower;
        return new Float64Array(N).fill(1 / V).fill(0, 0, 1);
      }
      const row = new Float64Array(N);
      if (lower === undefined) {
        inner?.forEach((c, w) => (row[w] = c / total));
        return row;
      }
      const gamma = (D * inner!.size) / total;
      for (let w = 0; w < N; w++) row[w] = Math.max((inner!.get(w) ?? 0) - D, 0) / total + gamma * lower[w]!;
      return row;
    };
    probs = (ctx) => level(k, ctx);
  }
  const cache = new Map<string, Float64Array>();
  return {
    vocabulary,
    bos: 0,
    eos: 1,
    n,
    markovOrder: k,
    smoothing,
    logProbs: (prefix) => {
      const ctx: number[] = [];
      for (let m = 0; m < k; m++) {
        const t = prefix.length - k + m;
        ctx.push(t >= 0 ? prefix[t]! : 0);
      }
      const key = ctx.join(",");
      let row = cache.get(key);
      if (row === undefined) {
        row = probs(ctx).map(Math.log);
        cache.set(key, row);
      }
      return row;
    },
  };
}

/**
 * An n-gram language model fitted on a tokenised text (Question 2.2f: Viterbi decodes it, with
 * state = the last n − 1 tokens). Every sentence is left-padded with n − 1 `<BOS>` and ends with
 * `<EOS>`; `<BOS>` is never predicted (probability 0). The vocabulary is `<BOS>`, `<EOS>`, then
 * the corpus's words sorted.
 *
 * - add-k: $p(w \mid h) = \dfrac{c(h\,w) + k}{c(h) + kV}$ (V = vocabulary size without `<BOS>`);
 * - interpolated Kneser–Ney with discount D, recursively down to the continuation unigram
 *   $p_0(w) = N_{1+}(\bullet\,w) / N_{1+}(\bullet\,\bullet)$:
 *   $$p(w \mid h) = \frac{\max(c(h\,w) - D, 0)}{c(h)} + \frac{D\,N_{1+}(h\,\bullet)}{c(h)}\,p(w \mid h'),$$
 *   with continuation counts in place of c below the top order, and $p(w \mid h) = p(w \mid h')$ for an unseen h.
 *
 * `ngramLM.fit(corpus, options)` is the deprecated 0.0.x spelling of the same call.
 *
 * @param corpus - A text (one sentence per line, tokens separated by spaces) or sentences as arrays of token strings.
 * @param options - `n` (required), `smoothing` (default Kneser–Ney with D = 0.75), `bos`, `eos`.
 * @returns The fitted model (with `markovOrder = n − 1`, so {@link viterbi} decodes it).
 * @throws RangeError for n outside [1, 100], an empty corpus, a reserved token in the corpus, or bad smoothing parameters; TypeError for a non-string token, an unknown option or smoothing key.
 * @example
 * ```ts
 * const lm = ngramLM(exampleCorpus, { n: 2, smoothing: { kind: "kneser-ney" } });
 * viterbi(lm, 4).sequences[0].tokens;
 * ```
 */
export const ngramLM: {
  (corpus: string | readonly (readonly string[])[], options: NgramLMOptions): NgramLanguageModel;
  /** @deprecated Call `ngramLM(corpus, options)`. */
  readonly fit: (corpus: string | readonly (readonly string[])[], options: NgramLMOptions) => NgramLanguageModel;
} = /* @__PURE__ */ Object.assign((corpus: string | readonly (readonly string[])[], options: NgramLMOptions) => fit(corpus, options), {
  fit: (corpus: string | readonly (readonly string[])[], options: NgramLMOptions): NgramLanguageModel => {
    warnDeprecated("ngramLM.fit is deprecated and will be removed in the next minor version; call ngramLM(corpus, { n, … })");
    return fit(corpus, options);
  },
});

/** A small corpus of toy sentences (one per line) shipped for examples and tests. */
export const exampleCorpus = [
  "the cat sat on the mat",
  "the dog sat on the rug",
  "the cat ran to the dog",
  "a red fox ran over the hill",
  "the red fox sat on the hill",
  "a cat is on the mat",
  "the dog barked at the cat",
  "a dog ran to the red car",
  "the fox is red",
  "the cat is black",
  "a black cat sat on the red rug",
  "the dog is on the hill",
].join("\n");
