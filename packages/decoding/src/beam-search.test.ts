import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allSequences, beamSearchBySorting, hashedLM, markovArb } from "../test/random-lm";
import { beamSearch, countSequences, type BeamSearchOptions, exampleTree, exhaustiveSearch, greedyDecode, languageModel, type LanguageModel } from "./index";

const text = (r: { sequences: readonly { tokens: readonly string[] }[] }): string[] => r.sequences.map((s) => s.tokens.join(" "));

/** An LM with an end token: after `<EOS>` only `<EOS>` can follow. */
function eosLM(): LanguageModel {
  // vocabulary: <BOS>, <EOS>, a, b
  const L = Math.log;
  return languageModel({
    vocabulary: ["<BOS>", "<EOS>", "a", "b"],
    eos: "<EOS>",
    logProbs: (p) => {
      const last = p[p.length - 1]!;
      if (last === 1) return [-Infinity, 0, -Infinity, -Infinity];
      if (p.length === 1) return [-Infinity, L(0.4), L(0.35), L(0.25)];
      return [-Infinity, L(0.3), L(0.4), L(0.3)];
    },
  });
}

describe("beamSearch: Algorithm 1", () => {
  it("with B ≥ N^T equals the exhaustive top B (property)", () => {
    fc.assert(
      fc.property(markovArb(2, 4), fc.integer({ min: 1, max: 3 }), (lm, T) => {
        const B = Number(countSequences(lm.vocabulary.length, T));
        const beams = beamSearch(lm, T, { beamWidth: B }).sequences;
        const ref = allSequences(lm, T);
        expect(beams).toHaveLength(ref.length);
        expectClose(
          beams.map((s) => s.logProb),
          ref.map((s) => s.logProb),
          { rtol: 1e-12, atol: 1e-15 },
        );
      }),
      { numRuns: 120 },
    );
  });

  it("equals the straightforward full-sort implementation on random non-Markov LMs (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (n, T, B, seed) => {
        const lm = hashedLM(n, seed);
        const fast = beamSearch(lm, T, { beamWidth: B }).sequences;
        const slow = beamSearchBySorting(lm, B, T);
        expect(fast.map((s) => s.ids)).toEqual(slow.map((s) => s.ids));
        expect(fast.map((s) => s.logProb)).toEqual(slow.map((s) => s.logProb));
      }),
      { numRuns: 200 },
    );
  });

  it("does not depend on how many sequences are decoded together (batched or one by one; numReturn)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (n, T, B, seed) => {
        const lm = hashedLM(n, seed);
        let batches = 0;
        const batched = languageModel({
          vocabulary: lm.vocabulary,
          logProbs: (p) => lm.logProbs(p),
          logProbsBatch: (ps) => {
            batches++;
            return ps.map((p) => lm.logProbs(p));
          },
        });
        const a = beamSearch(lm, T, { beamWidth: B });
        const b = beamSearch(batched, T, { beamWidth: B });
        expect(b.sequences).toEqual(a.sequences);
        expect(batches).toBeLessThanOrEqual(T);
        for (let k = 1; k <= B; k++) {
          expect(beamSearch(lm, T, { beamWidth: B, numReturnSequences: k }).sequences).toEqual(a.sequences.slice(0, k));
        }
      }),
      { numRuns: 80 },
    );
  });

  it("B = 1 is greedy decoding", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (n, T, seed) => {
        const lm = hashedLM(n, seed, 0);
        expect(beamSearch(lm, T, { beamWidth: 1 }).sequences[0]!.ids).toEqual(greedyDecode(lm, T).sequences[0]!.ids);
      }),
    );
  });

  it("on the example tree: B = 1, 2, 3 as in Question 2.4", () => {
    expect(text(beamSearch(exampleTree, 3, { beamWidth: 1 }))).toEqual(["the cat is"]);
    expect(text(beamSearch(exampleTree, 3, { beamWidth: 2 }))).toEqual(["a red fox", "a red car"]);
    expect(text(beamSearch(exampleTree, 3, { beamWidth: 3 }))).toEqual(["red fox ran", "a red fox", "a red car"]);
    expectClose([beamSearch(exampleTree, 3, { beamWidth: 3 }).sequences[0]!.logProb], [Math.log(0.1805)], { rtol: 1e-14 });
    // B larger than the number of possible sequences: all 13, ranked as by exhaustive search.
    const all = beamSearch(exampleTree, 3, { beamWidth: 20 });
    expect(all.sequences.map((s) => s.logProb)).toEqual(exhaustiveSearch(exampleTree, 3, { numReturnSequences: 20 }).sequences.map((s) => s.logProb));
  });

  it("breaks exact ties by beam index, then token index", () => {
    const uniform = languageModel({ vocabulary: ["<BOS>", "a", "b", "c"], logProbs: () => [-Infinity, Math.log(1 / 3), Math.log(1 / 3), Math.log(1 / 3)] });
    expect(text(beamSearch(uniform, 2, { beamWidth: 4 }))).toEqual(["a a", "a b", "a c", "b a"]);
  });

  it("never keeps impossible candidates; NaN rows count as impossible", () => {
    const lm = languageModel({ vocabulary: ["<BOS>", "a", "b"], logProbs: (p) => (p.length === 1 ? [-Infinity, 0, NaN] : [-Infinity, -Infinity, -Infinity]) });
    const r = beamSearch(lm, 2, { beamWidth: 3 });
    // No sequence of length 2 has non-zero probability (as exhaustive search finds).
    expect(r.sequences).toEqual([]);
    expect(exhaustiveSearch(lm, 2).sequences).toEqual([]);
    expect(r.stopReason).toBe("no-continuation");
    expect(text(beamSearch(lm, 1, { beamWidth: 3 }))).toEqual(["a"]);
  });
});

describe("beamSearch: trace", () => {
  it("records every candidate, which were kept and pruned, and why it stopped", () => {
    const r = beamSearch(exampleTree, 3, { beamWidth: 2, trace: true });
    const trace = r.trace!;
    const n = exampleTree.vocabulary.length;
    expect(trace).toHaveLength(3);
    expect(trace[0]!.parents).toEqual([{ group: 0, tokens: [], logProb: 0, score: 0 }]);
    expect(trace[0]!.candidates).toHaveLength(n);
    expect(trace[1]!.candidates).toHaveLength(2 * n);
    expect(trace[0]!.candidates.filter((c) => c.status === "kept").map((c) => c.token)).toEqual(["the", "a"]);
    expect(trace[0]!.candidates.find((c) => c.token === "red")).toMatchObject({ status: "pruned", reason: "outside the top B" });
    expect(trace[0]!.candidates.find((c) => c.token === "fox")).toMatchObject({ status: "pruned", reason: "impossible (probability 0)" });
    expect(trace[1]!.beams.map((b) => b.tokens.join(" "))).toEqual(["a red", "the cat"]);
    expect(trace[2]!.beams.map((b) => b.tokens.join(" "))).toEqual(["a red fox", "a red car"]);
    expect(r.stopReason).toBe("max-steps");
    for (const step of trace) {
      const kept = step.candidates.filter((c) => c.status === "kept");
      expect(kept.map((c) => c.rank).sort()).toEqual([0, 1]);
      for (const c of step.candidates) expectClose([c.logProb], [step.parents[c.beam]!.logProb + exampleTree.logProbs([0, ...step.parents[c.beam]!.tokens.map((t) => exampleTree.vocabulary.indexOf(t))])[c.tokenId]!], { rtol: 1e-15 });
    }
  });
});

describe("beamSearch: eos, length normalisation, stopping modes", () => {
  it("moves beams that emit eos to the hypothesis store", () => {
    const r = beamSearch(eosLM(), 3, { beamWidth: 2, trace: true });
    // Step 1: <EOS> (0.4) finishes, "a" (0.35) and "b" (0.25) keep running.
    expect(r.trace![0]!.finished.map((h) => h.tokens)).toEqual([["<EOS>"]]);
    expect(r.trace![0]!.beams.map((b) => b.tokens)).toEqual([["a"], ["b"]]);
    expect(r.sequences[0]!.tokens).toEqual(["<EOS>"]);
    expectClose([r.sequences[0]!.logProb], [Math.log(0.4)], { rtol: 1e-15 });
  });

  it("earlyStopping true stops as soon as B hypotheses are finished", () => {
    const r = beamSearch(eosLM(), 5, { beamWidth: 2, earlyStopping: true });
    expect(r.stopReason).toBe("early-stopping");
    expect(r.stepsTaken).toBe(2);
    expect(text(r)).toEqual(["<EOS>", "a <EOS>"]);
  });

  it("heuristic (false) and never modes, with length normalisation changing the winner", () => {
    const none = beamSearch(eosLM(), 4, { beamWidth: 2 });
    expect(none.stopReason).toBe("no-better-hypothesis");
    const avg = beamSearch(eosLM(), 4, { beamWidth: 2, lengthPenalty: "average", earlyStopping: "never" });
    // Average log-prob per token favours longer hypotheses: (ln .35 + ln .3)/2 > ln .4? no; ln .4 = −0.916, (−1.05 − 1.20)/2 = −1.13.
    expect(avg.sequences[0]!.score).toBeCloseTo(avg.sequences[0]!.logProb / avg.sequences[0]!.tokens.length, 14);
    const power = beamSearch(eosLM(), 4, { beamWidth: 2, lengthPenalty: "power(2)", earlyStopping: "never" });
    expect(power.sequences[0]!.tokens.length).toBeGreaterThan(1);
    for (const s of power.sequences) expectClose([s.score!], [s.logProb / s.tokens.length ** 2], { rtol: 1e-14 });
    // "never" only stops when no running beam can win at any reachable length: never sooner than false.
    const heuristic = beamSearch(eosLM(), 6, { beamWidth: 2, lengthPenalty: "power(2)" });
    const never = beamSearch(eosLM(), 6, { beamWidth: 2, lengthPenalty: "power(2)", earlyStopping: "never" });
    expect(never.stepsTaken).toBeGreaterThanOrEqual(heuristic.stepsTaken);
    expect(never.sequences[0]!.score!).toBeGreaterThanOrEqual(heuristic.sequences[0]!.score!);
    const gnmt = beamSearch(eosLM(), 4, { beamWidth: 2, lengthPenalty: "gnmt(1)", earlyStopping: true });
    for (const s of gnmt.sequences) expectClose([s.score!], [s.logProb / ((5 + s.tokens.length) / 6)], { rtol: 1e-14 });
  });
});

describe("beamSearch: diverse beams and n-gram blocking", () => {
  it("diverse groups differ from plain beam search and penalise tokens chosen by earlier groups", () => {
    const plain = beamSearch(exampleTree, 3, { beamWidth: 2 });
    const diverse = beamSearch(exampleTree, 3, { beamWidth: 2, numBeamGroups: 2, diversityPenalty: 5, trace: true });
    expect(text(plain)).toEqual(["a red fox", "a red car"]);
    // Group 0 picks "the" first; group 1 is pushed off "the" to the next best first word.
    const first = diverse.trace![0]!.beams.map((b) => b.tokens[0]);
    expect(new Set(first).size).toBe(2);
    expect(diverse.sequences.map((s) => s.tokens[0])).not.toEqual(["a", "a"]);
  });

  it("noRepeatNgramSize forbids repeating an n-gram", () => {
    const uniform = languageModel({ vocabulary: ["<BOS>", "a", "b"], logProbs: (p) => (p[p.length - 1] === 1 ? [-Infinity, Math.log(0.9), Math.log(0.1)] : [-Infinity, Math.log(0.6), Math.log(0.4)]) });
    expect(text(beamSearch(uniform, 3, { beamWidth: 1 }))).toEqual(["a a a"]);
    expect(text(beamSearch(uniform, 2, { beamWidth: 1, noRepeatNgramSize: 1 }))).toEqual(["a b"]);
    // With 1-gram blocking a third token would repeat one: no sequence of length 3 remains.
    expect(beamSearch(uniform, 3, { beamWidth: 2, noRepeatNgramSize: 1 }).sequences).toEqual([]);
    expect(text(beamSearch(uniform, 3, { beamWidth: 1, noRepeatNgramSize: 2 }))).toEqual(["a a b"]);
  });
});

describe("beamSearch: errors (options without effect are errors)", () => {
  const cases: [number, BeamSearchOptions, RegExp][] = [
    [3, { beamWidth: 0 }, /^beamSearch: beamWidth B must be an integer ≥ 1, got 0$/],
    [0, { beamWidth: 2 }, /^beamSearch: steps T must be an integer ≥ 1, got 0$/],
    [3, { beamWidth: 2, numReturnSequences: 3 }, /numReturnSequences 3 > beamWidth 2/],
    [3, { beamWidth: 3, numBeamGroups: 2 }, /numBeamGroups 2 does not divide beamWidth 3/],
    [3, { beamWidth: 2, diversityPenalty: 1 }, /diversityPenalty 1 has no effect with numBeamGroups = 1/],
    [3, { beamWidth: 2, lengthPenalty: "average" }, /lengthPenalty average has no effect without eos/],
    [3, { beamWidth: 2, earlyStopping: true }, /earlyStopping true has no effect without eos/],
    [3, { beamWidth: 2, noRepeatNgramSize: 4 }, /noRepeatNgramSize 4 has no effect with steps 3/],
    [3, { beamWidth: 2, eos: "zebra" }, /unknown eos token "zebra"/],
    [3, { beamWidth: 2, eos: "the", lengthPenalty: "cubic" as "none" }, /lengthPenalty: unknown formula "cubic"/],
    [3, { beamWidth: 2, eos: "the", lengthPenalty: "power(x)" as "power(1)" }, /α in "power\(x\)" must be a finite number/],
  ];
  it.each(cases)("T = %j, %j", (T, options, message) => {
    expect(() => beamSearch(exampleTree, T, options)).toThrow(message);
  });
});
