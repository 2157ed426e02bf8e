import { show } from "./internal/validate";

/** The largest N^T computed exactly: 2^24 bits (about 5 million decimal digits, 2 MB). */
const MAX_BITS = 2 ** 24;
const MAX_DIGITS = Math.floor(MAX_BITS * Math.log10(2));

/**
 * The number of sequences of length T + 1 that start with `<BOS>` over a vocabulary of N words
 * (Question 2.1): each of the T positions after w_0 takes any of the N words,
 *
 * $$\#\{w_{0:T} : w_0 = \texttt{<BOS>}\} = N^T.$$
 *
 * @param vocabSize - N ≥ 1 (the vocabulary includes `<BOS>`).
 * @param steps - T ≥ 0.
 * @returns N^T exactly, as a `bigint`.
 * @throws RangeError when N or T is not a non-negative integer (N ≥ 1), or when N^T has more than about 5 million digits.
 * @example
 * ```ts
 * countSequences(10_000, 5); // => 100000000000000000000n
 * ```
 */
export function countSequences(vocabSize: number, steps: number): bigint {
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 1) {
    throw new RangeError(`countSequences: vocabulary size N must be an integer ≥ 1, got ${show(vocabSize)}`);
  }
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new RangeError(`countSequences: steps T must be an integer ≥ 0, got ${show(steps)}`);
  }
  const bits = steps * Math.log2(vocabSize);
  if (bits > MAX_BITS) {
    const digits = Math.floor(steps * Math.log10(vocabSize)) + 1;
    throw new RangeError(
      `countSequences: N^T = ${vocabSize}^${steps} has about ${digits.toExponential(3)} decimal digits, too many to compute exactly (at most ${MAX_DIGITS} digits); log10(N^T) = ${steps * Math.log10(vocabSize)}`,
    );
  }
  return BigInt(vocabSize) ** BigInt(steps);
}
