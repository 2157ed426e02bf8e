/**
 * Question 2.4 on the example tree: the optimum, greedy decoding and beam search with B = 1, 2, 3,
 * and a traced beam search.
 *
 * In your own code import from "@hw/decoding"; the examples import the sources so that they are
 * type-checked and run by the package's tests (test/examples.test.ts) without a build.
 */
import { beamSearch, exampleTree, exhaustiveSearch, greedyDecode } from "../src/index";

const line = (s: { tokens: readonly string[]; logProb: number }): string => `${s.tokens.join(" ")} (${s.logProb.toFixed(6)})`;

/** The four decoders side by side. */
export function compareDecoders(): Record<string, string> {
  return {
    optimum: line(exhaustiveSearch(exampleTree, 3).sequences[0]!), // => "red fox ran (-1.712025)"   ln 0.1805
    greedy: line(greedyDecode(exampleTree, 3).sequences[0]!), // => "the cat is (-2.525729)"        ln 0.08
    beam2: line(beamSearch(exampleTree, 3, { beamWidth: 2 }).sequences[0]!), // => "a red fox (-1.820159)"  ln 0.162
    beam3: line(beamSearch(exampleTree, 3, { beamWidth: 3 }).sequences[0]!), // => "red fox ran (-1.712025)"
  };
}

/** What beam search (B = 2) kept and pruned at step 1. */
export function firstStep(): { kept: string[]; pruned: string[] } {
  const { trace } = beamSearch(exampleTree, 3, { beamWidth: 2, trace: true });
  const step = trace![0]!;
  const possible = step.candidates.filter((c) => c.logProb > -Infinity);
  return {
    kept: possible.filter((c) => c.status === "kept").map((c) => c.token), // => ["the", "a"]
    pruned: possible.filter((c) => c.status === "pruned").map((c) => `${c.token}: ${c.reason ?? ""}`), // => ["red: outside the top B"]
  };
}
