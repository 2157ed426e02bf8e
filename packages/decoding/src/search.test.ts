// countSequences, exhaustiveSearch, greedyDecode, lengthNormalizer, languageModel.
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allSequences, hashedLM } from "../test/random-lm";
import { countSequences, exampleTree, exhaustiveSearch, greedyDecode, languageModel, lengthNormalizer, tokenId } from "./index";

describe("countSequences", () => {
  it("is N^T exactly, as a bigint", () => {
    expect(countSequences(12, 3)).toBe(1728n);
    expect(countSequences(50_000, 20)).toBe(50_000n ** 20n);
    expect(countSequences(1, 100)).toBe(1n);
    expect(countSequences(7, 0)).toBe(1n);
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 8 }), (n, t) => countSequences(n, t) === BigInt(n ** t)));
  });
  it("rejects bad sizes", () => {
    expect(() => countSequences(0, 3)).toThrow("countSequences: vocabulary size N must be an integer ≥ 1, got 0");
    expect(() => countSequences(3, -1)).toThrow("countSequences: steps T must be an integer ≥ 0, got -1");
    expect(() => countSequences(NaN, 1)).toThrow(/got NaN/);
    expect(() => countSequences(2.5, 1)).toThrow(RangeError);
  });
});

describe("exhaustiveSearch", () => {
  it("finds the top k of every sequence (property, vs a slow enumeration)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10 }), fc.nat(), (n, T, k, seed) => {
        const lm = hashedLM(n, seed);
        const r = exhaustiveSearch(lm, T, { numReturnSequences: k });
        const ref = allSequences(lm, T).slice(0, k);
        expect(r.sequences.map((s) => s.ids)).toEqual(ref.map((s) => s.ids));
        expect(r.count).toBe(BigInt(n ** T));
      }),
      { numRuns: 100 },
    );
  });
  it("refuses above the limit, quoting N^T", () => {
    expect(() => exhaustiveSearch(exampleTree, 6)).toThrow("exhaustiveSearch: N^T = 12^6 = 2985984 sequences exceeds the limit 1000000 (raise limit, or use viterbi/beamSearch)");
    expect(exhaustiveSearch(exampleTree, 6, { limit: 3e6 }).sequences).toEqual([]);
    expect(() => exhaustiveSearch(exampleTree, 3, { numReturnSequences: 0 })).toThrow(/numReturnSequences must be an integer ≥ 1/);
    expect(() => exhaustiveSearch(exampleTree, 0)).toThrow(/exhaustiveSearch: steps T must be an integer ≥ 1, got 0/);
  });
  it("reports progress", () => {
    let calls = 0;
    exhaustiveSearch(hashedLM(4, 3, 0), 7, { onProgress: () => calls++ });
    expect(calls).toBeGreaterThan(0);
  });
});

describe("greedyDecode", () => {
  it("takes the argmax each step (tree of Question 2.4)", () => {
    const r = greedyDecode(exampleTree, 3).sequences[0]!;
    expect(r.tokens).toEqual(["the", "cat", "is"]);
    expectClose([r.logProb], [Math.log(0.08)], { rtol: 1e-14 });
  });
  it("stops after eos and at a dead end", () => {
    const lm = languageModel({ vocabulary: ["<BOS>", "<EOS>", "a"], eos: "<EOS>", logProbs: (p) => (p.length < 3 ? [-Infinity, Math.log(0.4), Math.log(0.6)] : [-Infinity, 0, -Infinity]) });
    expect(greedyDecode(lm, 10).sequences[0]!.tokens).toEqual(["a", "a", "<EOS>"]);
    expect(greedyDecode(exampleTree, 5).sequences[0]!.tokens).toEqual(["the", "cat", "is"]);
  });
});

describe("lengthNormalizer", () => {
  it("implements the named formulas", () => {
    expect(lengthNormalizer("none").divisor(7)).toBe(1);
    expect(lengthNormalizer("average").divisor(7)).toBe(7);
    expect(lengthNormalizer("power(0.5)").divisor(9)).toBe(3);
    expect(lengthNormalizer({ kind: "power", alpha: 2 }).divisor(3)).toBe(9);
    expectClose([lengthNormalizer("gnmt(0.6)").divisor(10)], [(15 / 6) ** 0.6], { rtol: 1e-15 });
    expect(lengthNormalizer("power(0)").constant).toBe(true);
    expect(() => lengthNormalizer("power" as "none")).toThrow(/unknown formula "power"/);
  });
});

describe("languageModel", () => {
  it("wraps a function, converting and checking rows", () => {
    const lm = languageModel({ vocabulary: ["<BOS>", "x"], logProbs: () => [-Infinity, 0] });
    expect(lm.logProbs([0])).toBeInstanceOf(Float64Array);
    const bad = languageModel({ vocabulary: ["<BOS>", "x"], logProbs: () => [0] });
    expect(() => bad.logProbs([0])).toThrow("languageModel: logProbs returned 1 log-probabilities, expected N = 2");
    expect(() => languageModel({ vocabulary: ["<BOS>"], logProbs: () => [0], markovOrder: -1 })).toThrow(/markovOrder/);
    expect(tokenId(["<BOS>", "a"], 1)).toBe(1);
    expect(tokenId(["<BOS>", "a"], "a")).toBe(1);
    expect(() => tokenId(["<BOS>", "a"], 2)).toThrow("tokenId: token id 2 is outside the vocabulary [0, 2)");
    expect(() => tokenId(["<BOS>", "a"], "b")).toThrow('tokenId: unknown token "b" (vocabulary: "<BOS>", "a")');
  });
});
