/** Runs examples/*.ts and checks the outputs their comments (and the README) show. */
import { describe, expect, it } from "vitest";
import { counting, viterbiExample } from "../examples/markov";
import { ngramExample } from "../examples/ngram";
import { compareDecoders, firstStep } from "../examples/tree";

describe("examples", () => {
  it("tree", () => {
    expect(compareDecoders()).toEqual({
      optimum: "red fox ran (-1.712025)",
      greedy: "the cat is (-2.525729)",
      beam2: "a red fox (-1.820159)",
      beam3: "red fox ran (-1.712025)",
    });
    expect(firstStep()).toEqual({ kept: ["the", "a"], pruned: ["red: outside the top B"] });
  });
  it("markov", () => {
    const r = viterbiExample();
    expect(r).toEqual({ viterbi: "a b", exhaustive: "a b", operations: 18, logDelta: [-Infinity, Math.log(0.6), Math.log(0.4)] });
    expect(counting()).toBe(`1${"0".repeat(40)}`);
  });
  it("ngram", () => {
    const r = ngramExample();
    expect(r.viterbi).toBe("the cat sat on the cat");
    expect(r.beamRaw).toBe("<EOS>");
    expect(r.beamAverage).toBe("the cat sat on the cat sat on");
    expect(r.sampled).toHaveLength(2);
    expect(ngramExample().sampled).toEqual(r.sampled);
  });
});
