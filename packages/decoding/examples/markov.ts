/**
 * Question 2.2: Viterbi on a Markov LM given by its transition matrix, checked against exhaustive
 * search, and the count N^T of Question 2.1.
 */
import { countSequences, exhaustiveSearch, markovLM, viterbi } from "../src/index";

/** A 3-word chain where greedy decoding is not optimal. */
export function viterbiExample(): { viterbi: string; exhaustive: string; operations: number; logDelta: number[] } {
  const lm = markovLM({
    vocabulary: ["<BOS>", "a", "b"],
    P: [
      [0, 0.6, 0.4], // from <BOS>
      [0, 0.1, 0.9], // from a
      [0, 0.8, 0.2], // from b
    ],
  });
  const v = viterbi(lm, 2, { trellis: true });
  return {
    viterbi: v.sequences[0]!.tokens.join(" "), // => "a b"  (0.6 · 0.9 = 0.54)
    exhaustive: exhaustiveSearch(lm, 2).sequences[0]!.tokens.join(" "), // => "a b"
    operations: v.operations, // => 18  (T·N² = 2·3²)
    logDelta: (v.trellis!.logDelta.toArray() as number[][])[1]!, // => [-Infinity, ln 0.6, ln 0.4]  (δ_1, row 1 of the [T+1, S] tensor)
  };
}

/** 2.1: N^T sequences, exactly. */
export function counting(): string {
  return countSequences(10_000, 10).toString(); // => "1" followed by 40 zeros
}
