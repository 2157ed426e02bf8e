/** `generateVariant(seed)`: a variant's data and answer key. */
import { answerKey } from "./answer-key";
import type { AnswerValue } from "./answers";
import { generateData } from "./internal/generate";
import { originalData } from "./internal/original";
import type { VariantData, VariantSeed } from "./variant";

/** A variant: its seed, its data (the formats the `hw` command reads) and its answer key. */
export interface Variant {
  readonly seed: VariantSeed;
  readonly data: VariantData;
  readonly key: Readonly<Record<string, AnswerValue>>;
}

/**
 * Read a variant seed from user input: `"original"`, or a non-negative safe integer (number or digits).
 *
 * @throws RangeError `parseVariantSeed: expected "original" or a non-negative integer, got "x"`
 */
export function parseVariantSeed(value: unknown): VariantSeed {
  if (value === "original") return "original";
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`parseVariantSeed: expected "original" or a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Generate variant `seed` of the problem set. `"original"` is the problem set's own numbers (the Q3.1
 * tensor, the example tree and Markov LM, the built-in BiRNN and regression data); any other seed draws
 * new numbers with `createRng(seed)` and redraws until each question's lesson holds: the Q2.4 tree
 * makes greedy, beam B = 2 and the optimum differ with B = 3 recovering the optimum; the Q2.2 LM has a
 * unique optimum that greedy misses; the Q3.1 tensor holds small integers (exact-fraction answers) with
 * no constant instance; Q4's columns are well-conditioned with distinct scales; Q1 is T = 3, D = H = K = 2
 * with one-decimal numbers.
 *
 * @param seed - `"original"` or a non-negative safe integer.
 * @returns `{ seed, data, key }`; the same seed always gives the same variant.
 * @throws RangeError for a negative, fractional or unsafe seed.
 * @example
 * ```ts
 * const v = generateVariant(7);
 * v.key["2.1.count"]; // => N^T for this variant's N and T
 * ```
 */
export function generateVariant(seed: VariantSeed): Variant {
  const s = parseVariantSeed(seed);
  const data = s === "original" ? originalData() : generateData(s);
  return { seed: s, data, key: answerKey(data) };
}
