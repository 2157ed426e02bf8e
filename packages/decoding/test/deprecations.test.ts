// Issue 12: every renamed API keeps its old spelling until 0.2.0, gives the same result, and warns once.
/* eslint-disable @typescript-eslint/no-deprecated -- this file exercises the deprecated spellings on purpose */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { beamSearch, exampleCorpus, exampleTree, exhaustiveSearch, markovLM, ngramLM, sample, tokenId, viterbi, type LegacyBeamSearchOptions } from "../src/index";

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation((message: string | Error) => {
    warnings.push(String(message));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("deprecated spellings (one minor version)", () => {
  it("beamSearch(lm, { beamWidth, steps }) = beamSearch(lm, steps, { beamWidth })", () => {
    const legacy: LegacyBeamSearchOptions = { beamWidth: 2, steps: 3, numReturn: 1 };
    expect(beamSearch(exampleTree, legacy)).toEqual(beamSearch(exampleTree, 3, { beamWidth: 2, numReturnSequences: 1 }));
    expect(warnings.some((w) => w.startsWith("beamSearch: the form beamSearch(lm, { beamWidth, steps }) is deprecated"))).toBe(true);
    expect(warnings.some((w) => w.startsWith("beamSearch: option `numReturn` is deprecated"))).toBe(true);
  });

  it("numGroups → numBeamGroups", () => {
    const a = beamSearch(exampleTree, 3, { beamWidth: 2, numGroups: 2, diversityPenalty: 1 });
    expect(a).toEqual(beamSearch(exampleTree, 3, { beamWidth: 2, numBeamGroups: 2, diversityPenalty: 1 }));
    expect(() => beamSearch(exampleTree, 3, { beamWidth: 2, numGroups: 2, numBeamGroups: 2 })).toThrow(
      "beamSearch: options `numGroups` (deprecated) and `numBeamGroups` both given; use `numBeamGroups` only",
    );
  });

  it("ngramLM.fit(corpus, options) = ngramLM(corpus, options)", () => {
    const a = ngramLM.fit(exampleCorpus, { n: 2 });
    const b = ngramLM(exampleCorpus, { n: 2 });
    expect(a.vocabulary).toEqual(b.vocabulary);
    expect(viterbi(a, 5).sequences).toEqual(viterbi(b, 5).sequences);
    expect(warnings.some((w) => w.startsWith("ngramLM.fit is deprecated"))).toBe(true);
  });

  it("markovLM({ vocab }) = markovLM({ vocabulary })", () => {
    const P = [
      [0, 0.6, 0.4],
      [0, 0.1, 0.9],
      [0, 0.8, 0.2],
    ];
    const a = markovLM({ vocab: ["<BOS>", "a", "b"], P });
    expect(a.vocabulary).toEqual(["<BOS>", "a", "b"]);
    expect(viterbi(a, 2).sequences).toEqual(viterbi(markovLM({ vocabulary: ["<BOS>", "a", "b"], P }), 2).sequences);
    expect(warnings.some((w) => w.startsWith("markovLM: option `vocab` is deprecated"))).toBe(true);
  });

  it("sample: numSamples → numReturnSequences, topk → topK; exhaustiveSearch: topK → numReturnSequences", () => {
    expect(sample(exampleTree, 3, { numSamples: 3, topk: 2, seed: 5 })).toEqual(sample(exampleTree, 3, { numReturnSequences: 3, topK: 2, seed: 5 }));
    expect(exhaustiveSearch(exampleTree, 3, { topK: 4 })).toEqual(exhaustiveSearch(exampleTree, 3, { numReturnSequences: 4 }));
    expect(warnings.filter((w) => /option `(numSamples|topk|topK)` is deprecated/.test(w))).toHaveLength(3);
  });

  it("tokenId(vocabulary, token, op, what) ignores the message-only arguments", () => {
    expect((tokenId as (...a: unknown[]) => number)(["<BOS>", "a"], "a", "op", "what")).toBe(1);
    expect((tokenId as (...a: unknown[]) => number)(["<BOS>", "a"], "a", "op", "what")).toBe(1);
    expect(warnings.filter((w) => w.startsWith("tokenId: the third and fourth arguments"))).toHaveLength(1);
  });
});
