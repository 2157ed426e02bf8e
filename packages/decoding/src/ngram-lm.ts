import type { LanguageModel } from "./language-model";

/** Smoothing of {@link ngramLM}: add-k (Lidstone) or interpolated Kneser–Ney. */
export type NgramSmoothing =
  | { readonly kind: "add-k"; /** k > 0. @defaultValue `1` */ readonly k?: number }
  | { readonly kind: "kneser-ney"; /** Absolute discount D in (0, 1). @defaultValue `0.75` */ readonly discount?: number };

/** Options of {@link ngramLM}.fit. */
export interface NgramFitOptions {
  /** The order n ≥ 1 (2 = bigram: the next word depends on the previous one). */
  readonly n: number;
  /** @defaultValue `{ kind: "kneser-ney", discount: 0.75 }` */
  readonly smoothing?: NgramSmoothing;
  /** Start token, used to left-pad every sentence with n − 1 copies. @defaultValue `"<BOS>"` */
  readonly bos?: string;
  /** End token appended to every sentence. @defaultValue `"<EOS>"` */
  readonly eos?: string;
}

/** An n-gram language model: what {@link ngramLM}.fit returns. */
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

function tokenize(corpus: string | readonly (readonly string[])[]): string[][] {
  if (typeof corpus === "string") {
    return corpus
      .split(/\n+/)
      .map((line) => line.trim().split(/\s+/).filter((w) => w !== ""))
      .filter((s) => s.length > 0);
  }
  return corpus.map((s) => [...s]);
}

function fit(corpus: string | readonly (readonly string[])[], options: NgramFitOptions): NgramLanguageModel {
  const n = options.n;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ngramLM.fit: n must be an integer ≥ 1, got ${n}`);
  const smoothing: NgramSmoothing = options.smoothing ?? { kind: "kneser-ney", discount: 0.75 };
  const kind: unknown = smoothing.kind;
  if (kind !== "add-k" && kind !== "kneser-ney") throw new RangeError(`ngramLM.fit: unknown smoothing ${JSON.stringify(kind)} (add-k or kneser-ney)`);
  const bosTok = options.bos ?? "<BOS>";
  const eosTok = options.eos ?? "<EOS>";
  const sentences = tokenize(corpus);
  if (sentences.length === 0) throw new RangeError("ngramLM.fit: the corpus has no tokens");
  const words = new Set<string>();
  for (const s of sentences) {
    for (const w of s) {
      if (w === bosTok || w === eosTok) throw new RangeError(`ngramLM.fit: the corpus contains the reserved token ${JSON.stringify(w)}`);
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
    if (!(kk > 0) || !Number.isFinite(kk)) throw new RangeError(`ngramLM.fit: add-k smoothing needs k > 0, got ${kk}`);
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
    if (!(D > 0 && D < 1)) throw new RangeError(`ngramLM.fit: Kneser–Ney discount must be in (0, 1), got ${D}`);
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
 * n-gram language models fitted on a tokenised text (Question 2.2f: Viterbi decodes them, with
 * state = the last n − 1 tokens). Every sentence is left-padded with n − 1 `<BOS>` and ends with
 * `<EOS>`; `<BOS>` is never predicted (probability 0). The vocabulary is `<BOS>`, `<EOS>`, then
 * the corpus's words sorted.
 *
 * - add-k: $p(w \mid h) = \dfrac{c(h\,w) + k}{c(h) + kV}$ (V = vocabulary size without `<BOS>`);
 * - interpolated Kneser–Ney with discount D, recursively down to the continuation unigram
 *   $p_0(w) = N_{1+}(\bullet\,w) / N_{1+}(\bullet\,\bullet)$:
 *   $$p(w \mid h) = \frac{\max(c(h\,w) - D, 0)}{c(h)} + \frac{D\,N_{1+}(h\,\bullet)}{c(h)}\,p(w \mid h'),$$
 *   with continuation counts in place of c below the top order, and $p(w \mid h) = p(w \mid h')$ for an unseen h.
 */
export const ngramLM = {
  /**
   * Fit an n-gram LM.
   *
   * @param corpus - A text (one sentence per line, tokens separated by spaces) or sentences as token arrays.
   * @param options - `n`, `smoothing`, `bos`, `eos`.
   * @returns The fitted model (with `markovOrder = n − 1`, so {@link viterbi} decodes it).
   * @throws RangeError for n < 1, an empty corpus, a reserved token in the corpus, or bad smoothing parameters.
   * @example
   * ```ts
   * const lm = ngramLM.fit(exampleCorpus, { n: 2, smoothing: { kind: "kneser-ney" } });
   * viterbi(lm, 4).sequences[0].tokens;
   * ```
   */
  fit,
} as const;

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
