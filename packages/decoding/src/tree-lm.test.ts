import { describe, expect, it } from "vitest";
import { exampleTree, treeLM } from "./index";

describe("treeLM", () => {
  it("builds the vocabulary depth first and returns the children's log-probabilities", () => {
    expect(exampleTree.vocabulary).toEqual(["<BOS>", "the", "cat", "is", "sat", "ran", "dog", "barked", "red", "car", "fox", "a"]);
    expect(exampleTree.depth).toBe(3);
    const id = (t: string): number => exampleTree.vocabulary.indexOf(t);
    const row = exampleTree.logProbs([0]);
    expect(row[id("the")]).toBe(Math.log(0.5));
    expect(row[id("cat")]).toBe(-Infinity);
    expect(exampleTree.logProbs([0, id("a"), id("red")])[id("fox")]).toBe(Math.log(0.6));
    // Off the tree and below a leaf: everything impossible.
    expect(Array.from(exampleTree.logProbs([0, id("cat")])).every((v) => v === -Infinity)).toBe(true);
    expect(Array.from(exampleTree.logProbs([0, id("red"), id("fox"), id("ran")])).every((v) => v === -Infinity)).toBe(true);
    expect(exampleTree.markovOrder).toBeUndefined();
  });

  it("validates probabilities", () => {
    expect(() => treeLM([{ token: "a", prob: 0.7 }, { token: "b", prob: 0.4 }])).toThrow(/^treeLM: the children of <BOS> have probabilities summing to 1\.1/);
    expect(() => treeLM([{ token: "a", prob: -0.1 }])).toThrow('treeLM: probability of <BOS> → "a" is -0.1, not in [0, 1]');
    expect(() => treeLM([{ token: "a", prob: NaN }])).toThrow(/is NaN/);
    expect(() => treeLM([{ token: "a", prob: 0.5, children: [{ token: "b", prob: 0.5 }, { token: "b", prob: 0.1 }] }])).toThrow(/token "b" appears twice under <BOS> → "a"/);
  });

  it("an empty tree has only <BOS>", () => {
    const lm = treeLM([]);
    expect(lm.vocabulary).toEqual(["<BOS>"]);
    expect(Array.from(lm.logProbs([0]))).toEqual([-Infinity]);
  });
});
