/**
 * The number of sequences of length T + 1 that start with `<BOS>` over a vocabulary of N words
 * (Question 2.1): each of the T positions after w_0 takes any of the N words,
 *
 * $$\#\{w_{0:T} : w_0 = \texttt{<BOS>}\} = N^T.$$
 *
 * @param vocabSize - N ≥ 1 (the vocabulary includes `<BOS>`).
 * @param steps - T ≥ 0.
 * @returns N^T exactly, as a `bigint`.
 * @throws RangeError when N or T is not a non-negative integer (N ≥ 1).
 * @example
 * ```ts
 * countSequences(10_000, 5); // => 100000000000000000000n
 * ```
 */
export function countSequences(vocabSize: number, steps: number): bigint {
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 1) {
    throw new RangeError(`countSequences: vocabulary size N must be an integer ≥ 1, got ${vocabSize}`);
  }
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new RangeError(`countSequences: steps T must be an integer ≥ 0, got ${steps}`);
  }
  return BigInt(vocabSize) ** BigInt(steps);
}
