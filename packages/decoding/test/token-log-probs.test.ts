// Issue 16: every decoder's sequences carry per-token log-probabilities that are the model's own
// log p(w_t | w_{0:t-1}) and sum to logProb (within 1e-12; by construction they are its left-to-right sum).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  beamSearch,
  bestFirstBeamSearch,
  stochasticBeamSearch,
  exampleCorpus,
  exhaustiveSearch,
  greedyDecode,
  languageModel,
  ngramLM,
  sample,
  viterbi,
  type BeamSearchOptions,
  type DecodedSequence,
  type LanguageModel,
  type SampleOptions,
} from "../src/index";
import { hashedLM, markovArb } from "./random-lm";

/** tokenLogProbs are the model's per-token terms, and sum to logProb within 1e-12. */
function expectReconciled(lm: LanguageModel, s: DecodedSequence): void {
  expect(s.tokenLogProbs).toHaveLength(s.ids.length);
  let sum = 0;
  s.ids.forEach((j, t) => {
    expect(s.tokenLogProbs[t]).toBe(lm.logProbs([lm.bos, ...s.ids.slice(0, t)])[j]);
    sum += s.tokenLogProbs[t]!;
  });
  expect(Math.abs(sum - s.logProb)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(s.logProb)));
}

/** A non-Markov LM with an end token (after it, only it). */
function withEos(seed: number, n: number): LanguageModel {
  const base = hashedLM(n, seed, 0.1);
  return languageModel({
    vocabulary: base.vocabulary.map((v, i) => (i === 1 ? "<EOS>" : v)),
    eos: "<EOS>",
    logProbs: (p) => (p[p.length - 1] === 1 && p.length > 1 ? base.vocabulary.map((_, j) => (j === 1 ? 0 : -Infinity)) : base.logProbs(p)),
  });
}

describe("tokenLogProbs reconcile with logProb for every decoder and option", () => {
  it("greedyDecode with repetitionPenalty, badWords and minNewTokens", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.nat(), fc.double({ min: 0.2, max: 4, noNaN: true }), (n, T, seed, theta) => {
        const e = withEos(seed, n);
        greedyDecode(e, T, { repetitionPenalty: theta, badWords: [[2, 2]], minNewTokens: 1 }).sequences.forEach((s) => {
          expectReconciled(e, s);
        });
      }),
      { numRuns: 60 },
    );
  });

  it("greedyDecode, exhaustiveSearch (top k), viterbi (with and without trellis) on random Markov LMs", () => {
    fc.assert(
      fc.property(markovArb(2, 5), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), (lm, T, k) => {
        greedyDecode(lm, T).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
        exhaustiveSearch(lm, T, { numReturnSequences: k }).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
        for (const trellis of [false, true]) viterbi(lm, T, { trellis }).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
      }),
      { numRuns: 80 },
    );
  });

  it("viterbi on n-gram LMs of order 0, 1, 2", () => {
    for (const n of [1, 2, 3]) {
      const lm = ngramLM(exampleCorpus, { n, smoothing: { kind: "add-k", k: 0.5 } });
      for (const T of [1, 3, 6]) viterbi(lm, T).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
    }
  });

  it("beamSearch with every option combination", () => {
    const optionSets: BeamSearchOptions[] = [
      { beamWidth: 1 },
      { beamWidth: 3 },
      { beamWidth: 4, numReturnSequences: 2 },
      { beamWidth: 4, numBeamGroups: 2, diversityPenalty: 0.7 },
      { beamWidth: 3, noRepeatNgramSize: 2 },
      { beamWidth: 3, trace: true },
      { beamWidth: 3, repetitionPenalty: 1.7 },
      { beamWidth: 2, badWords: [[2], [1, 2]] },
      { beamWidth: 3, forceWords: [[2]], repetitionPenalty: 0.6 },
    ];
    const eosSets: BeamSearchOptions[] = [
      { beamWidth: 3, lengthPenalty: "average" },
      { beamWidth: 3, lengthPenalty: "power(1.5)", earlyStopping: "never" },
      { beamWidth: 2, lengthPenalty: { kind: "gnmt", alpha: 0.6 }, earlyStopping: true },
      { beamWidth: 4, numBeamGroups: 2, diversityPenalty: 1, lengthPenalty: "average" },
      { beamWidth: 3, minNewTokens: 1, repetitionPenalty: 1.3, badWords: [[2, 2]], lengthPenalty: "average" },
      { beamWidth: 2, forceWords: [[2]], minNewTokens: 1 },
    ];
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (n, T, seed) => {
        const lm = hashedLM(n, seed);
        for (const o of optionSets) {
          if ((o.noRepeatNgramSize ?? 0) > T) continue;
          beamSearch(lm, T, o).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
        }
        const e = withEos(seed, n);
        for (const o of eosSets) if ((o.minNewTokens ?? 0) <= T) beamSearch(e, T, o).sequences.forEach((s) => {
          expectReconciled(e, s);
        });
      }),
      { numRuns: 60 },
    );
  });

  it("bestFirstBeamSearch and stochasticBeamSearch (with and without eos)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (n, T, B, seed) => {
        for (const lm of [hashedLM(n, seed), withEos(seed, n)]) {
          bestFirstBeamSearch(lm, T, { beamWidth: B }).sequences.forEach((s) => {
            expectReconciled(lm, s);
          });
          stochasticBeamSearch(lm, T, { beamWidth: B, seed }).sequences.forEach((s) => {
            expectReconciled(lm, s);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("sample with temperature, top-k, top-p and eos (the unwarped model's terms)", () => {
    const optionSets: SampleOptions[] = [{}, { temperature: 0.3 }, { temperature: 2, topK: 2 }, { topP: 0.6 }, { temperature: 1e-300 }, { numReturnSequences: 4 }, { minP: 0.3 }, { typicalP: 0.7 }, { epsilonCutoff: 0.1, etaCutoff: 0.2 }, { repetitionPenalty: 1.8, badWords: [[2, 2]], minNewTokens: 1, topP: 0.8 }];
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.nat(), (n, T, seed) => {
        const lm = withEos(seed, n);
        for (const o of optionSets) sample(lm, T, { ...o, seed }).sequences.forEach((s) => {
          expectReconciled(lm, s);
        });
      }),
      { numRuns: 60 },
    );
  });
});
