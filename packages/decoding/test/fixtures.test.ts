// Every case of the shared PyTorch/NumPy fixtures (copied into test/fixtures/, see its README).
import { readFileSync } from "node:fs";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import {
  beamSearch,
  countSequences,
  exampleTree,
  exhaustiveSearch,
  greedyDecode,
  markovLM,
  treeLM,
  viterbi,
  type DecodedSequence,
  type TreeNode,
} from "../src/index";

interface Seq {
  tokens: string[];
  logProb: number;
}
interface MarkovCase {
  input: { vocab: string[]; bos: string; P: number[][]; steps: number };
  expected: { viterbi: Seq; greedy: Seq; top3: Seq[]; count: number; beam2: Seq[]; beam3: Seq[] };
}
interface TreeCase {
  input: { bos: string; children: TreeNode[]; steps: number };
  expected: { best: Seq; greedy: Seq; beam1: Seq[]; beam2: Seq[]; beam3: Seq[]; ranked: Seq[] };
}

const load = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as { cases: T[] }).cases;
const markovCases = load<MarkovCase>("markov.json");
const treeCases = load<TreeCase>("tree.json");

/** Same tokens in the same order, log-probabilities within rtol 1e-12. */
function expectSequences(actual: readonly DecodedSequence[], expected: readonly Seq[]): void {
  expect(actual.map((s) => s.tokens)).toEqual(expected.map((s) => s.tokens));
  expectClose(
    actual.map((s) => s.logProb),
    expected.map((s) => s.logProb),
    { rtol: 1e-12, atol: 0 },
  );
}

describe.each(markovCases.map((c, i) => [i, c] as const))("markov.json case %i", (_i, c) => {
  const lm = markovLM({ vocabulary: c.input.vocab, bos: c.input.bos, P: c.input.P });
  const T = c.input.steps;
  it("viterbi = the exhaustive optimum", () => {
    expectSequences(viterbi(lm, T).sequences, [c.expected.viterbi]);
    expectSequences(exhaustiveSearch(lm, T).sequences, [c.expected.viterbi]);
  });
  it("exhaustive top 3", () => {
    expectSequences(exhaustiveSearch(lm, T, { numReturnSequences: 3 }).sequences, c.expected.top3);
  });
  it("greedy", () => {
    expectSequences(greedyDecode(lm, T).sequences, [c.expected.greedy]);
  });
  it("beam search with B = 2 and B = 3", () => {
    expectSequences(beamSearch(lm, T, { beamWidth: 2 }).sequences, c.expected.beam2);
    expectSequences(beamSearch(lm, T, { beamWidth: 3 }).sequences, c.expected.beam3);
  });
  it("count N^T", () => {
    expect(countSequences(c.input.vocab.length, T)).toBe(BigInt(c.expected.count));
    expect(exhaustiveSearch(lm, T).count).toBe(BigInt(c.expected.count));
  });
});

describe.each(treeCases.map((c, i) => [i, c] as const))("tree.json case %i", (_i, c) => {
  const lm = treeLM(c.input.children, { bos: c.input.bos });
  const T = c.input.steps;
  it("the optimum and the full ranking by exhaustive search", () => {
    expectSequences(exhaustiveSearch(lm, T).sequences, [c.expected.best]);
    expectSequences(exhaustiveSearch(lm, T, { numReturnSequences: 100 }).sequences, c.expected.ranked);
  });
  it("greedy = beam search with B = 1", () => {
    expectSequences(greedyDecode(lm, T).sequences, [c.expected.greedy]);
    expectSequences(beamSearch(lm, T, { beamWidth: 1 }).sequences, c.expected.beam1);
  });
  it("beam search with B = 2 and B = 3", () => {
    expectSequences(beamSearch(lm, T, { beamWidth: 2 }).sequences, c.expected.beam2);
    expectSequences(beamSearch(lm, T, { beamWidth: 3 }).sequences, c.expected.beam3);
  });
  it("viterbi refuses the tree LM with the Question 2.2f explanation", () => {
    expect(() => viterbi(lm, T)).toThrow(TypeError);
    expect(() => viterbi(lm, T)).toThrow(/depends on the whole prefix/);
  });
  it("is the built-in exampleTree", () => {
    expect(exampleTree.children).toEqual(c.input.children);
    expectSequences(beamSearch(exampleTree, T, { beamWidth: 3 }).sequences, c.expected.beam3);
  });
});
