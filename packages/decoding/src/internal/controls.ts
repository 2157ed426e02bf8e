/**
 * The generation controls shared by greedyDecode, beamSearch and sample (HuggingFace `generate()`
 * logits processors, applied to the model's natural-log probabilities), and the forced-phrase
 * feasibility of constrained beam search.
 *
 * Order (HuggingFace's `_get_logits_processor` order): repetitionPenalty → (beam: noRepeatNgramSize)
 * → badWords → minNewTokens → (beam: forceWords feasibility) → (sample: the warpers).
 */
import type { LanguageModel } from "../language-model";
import { integerArg, numberArg, resolveToken, show } from "./validate";

/** The validated controls of one call. */
export interface Controls {
  /** θ > 0; 1 = off. */
  readonly repetitionPenalty: number;
  /** EOS is masked while fewer than this many tokens have been generated. */
  readonly minNewTokens: number;
  /** Token sequences never generated. */
  readonly badWords: readonly (readonly number[])[];
  readonly eos: number | undefined;
  /** True when any control changes a row. */
  readonly active: boolean;
}

/** The options every decoder that takes controls reads. */
export const CONTROL_OPTIONS = ["repetitionPenalty", "minNewTokens", "badWords"] as const;

/** A list of phrases: each entry a token (string or id) or a non-empty array of tokens. */
export function readPhrases(fn: string, name: string, value: unknown, lm: LanguageModel): number[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an array of tokens or token sequences, got ${show(value)}`);
  return (value as unknown[]).map((entry, i) => {
    if (typeof entry === "string" || typeof entry === "number") return [resolveToken(lm.vocabulary, entry, fn, `${name}[${i}]`)];
    if (!Array.isArray(entry) || entry.length === 0) {
      throw new TypeError(`${fn}: ${name}[${i}] must be a token or a non-empty array of tokens, got ${show(entry)}`);
    }
    return (entry as unknown[]).map((tok, k) => resolveToken(lm.vocabulary, tok, fn, `${name}[${i}][${k}]`));
  });
}

/** Validate the controls of `fn` (options already read through readOptions). */
export function readControls(
  fn: string,
  o: { readonly repetitionPenalty?: unknown; readonly minNewTokens?: unknown; readonly badWords?: unknown },
  lm: LanguageModel,
  eos: number | undefined,
  steps: number,
): Controls {
  const repetitionPenalty = numberArg(fn, "repetitionPenalty", o.repetitionPenalty, 1, { exclusiveMin: 0 });
  const minNewTokens = integerArg(fn, "minNewTokens", o.minNewTokens, 0, 0);
  if (minNewTokens > 0 && eos === undefined) {
    throw new RangeError(`${fn}: minNewTokens ${minNewTokens} has no effect without eos (no end token to mask)`);
  }
  if (minNewTokens > steps) {
    throw new RangeError(`${fn}: minNewTokens ${minNewTokens} > steps ${steps} (at most T = ${steps} tokens are generated)`);
  }
  const badWords = readPhrases(fn, "badWords", o.badWords, lm);
  return { repetitionPenalty, minNewTokens, badWords, eos, active: repetitionPenalty !== 1 || minNewTokens > 0 || badWords.length > 0 };
}

/**
 * The processed row: CTRL's repetition penalty on every token of `history` (a log-probability
 * v < 0 becomes θ·v, v > 0 becomes v/θ), bad words banned (−∞), EOS banned while fewer than
 * `minNewTokens` tokens were generated. `history` is the whole prefix w_0 … w_{t−1} (`<BOS>`
 * included); `generated` = t − 1. Returns `row` itself when nothing applies.
 */
export function processRow(c: Controls, row: Float64Array, history: readonly number[], generated: number): Float64Array {
  if (!c.active) return row;
  const out = Float64Array.from(row);
  const theta = c.repetitionPenalty;
  if (theta !== 1) {
    const seen = new Set(history);
    for (const j of seen) {
      const v = out[j]!;
      out[j] = v < 0 ? v * theta : v / theta;
    }
  }
  const h = history.length;
  for (const w of c.badWords) {
    const L = w.length;
    if (L - 1 > h) continue;
    let match = true;
    for (let k = 0; k < L - 1; k++) {
      if (history[h - L + 1 + k] !== w[k]) {
        match = false;
        break;
      }
    }
    if (match) out[w[L - 1]!] = -Infinity;
  }
  if (c.eos !== undefined && generated < c.minNewTokens) out[c.eos] = -Infinity;
  return out;
}

/** True when `phrase` occurs contiguously in `ids`. */
function contains(ids: readonly number[], phrase: readonly number[]): boolean {
  const L = phrase.length;
  outer: for (let s = 0; s + L <= ids.length; s++) {
    for (let k = 0; k < L; k++) if (ids[s + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

/** The longest k < |b| with the last k entries of `a` equal to the first k of `b`. */
function overlap(a: readonly number[], b: readonly number[]): number {
  for (let k = Math.min(a.length, b.length - 1); k > 0; k--) {
    let ok = true;
    for (let i = 0; i < k; i++) {
      if (a[a.length - k + i] !== b[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return k;
  }
  return 0;
}

/** The most forced phrases accepted (the exact completion length tries every order: k! of them). */
export const MAX_FORCED_PHRASES = 7;

/**
 * The fewest tokens that, appended to `generated`, make every phrase occur in it: the shortest
 * superstring of the unfulfilled phrases in the best order (with maximal overlaps, exact once the
 * phrases contained in another are dropped), the first one overlapping the generated tail.
 */
export function tokensToFulfil(phrases: readonly (readonly number[])[], generated: readonly number[]): number {
  const open = phrases.filter((p) => !contains(generated, p));
  if (open.length === 0) return 0;
  // Drop a phrase that occurs inside another open one (fulfilled with it) and duplicates.
  const kept = open.filter((p, i) => !open.some((q, k) => k !== i && (q.length > p.length || (q.length === p.length && k < i)) && contains(q, p)));
  let best = Infinity;
  const used = new Array<boolean>(kept.length).fill(false);
  const search = (prev: readonly number[], depth: number, length: number): void => {
    if (length >= best) return;
    if (depth === kept.length) {
      best = length;
      return;
    }
    for (let i = 0; i < kept.length; i++) {
      if (used[i]) continue;
      used[i] = true;
      const p = kept[i]!;
      search(p, depth + 1, length + p.length - overlap(prev, p));
      used[i] = false;
    }
  };
  search(generated, 0, 0);
  return best;
}
