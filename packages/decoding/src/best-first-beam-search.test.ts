// Best-first beam search (Meister, Vieira & Cotterell 2020): the same result as Algorithm 1
// (beamSearch) with fewer expansions, checked on random LMs by counting the model's calls.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashedLM, markovArb } from "../test/random-lm";
import { beamSearch, bestFirstBeamSearch, exampleTree, languageModel, type LanguageModel } from "./index";

/** The model with a counter of logProbs calls (= expansions). */
function counted(lm: LanguageModel): { lm: LanguageModel; calls: () => number } {
  let calls = 0;
  const wrapped = languageModel({
    vocabulary: lm.vocabulary,
    bos: lm.bos,
    ...(lm.markovOrder === undefined ? {} : { markovOrder: lm.markovOrder }),
    logProbs: (p) => {
      calls++;
      return lm.logProbs(p);
    },
  });
  return { lm: wrapped, calls: () => calls };
}

describe("bestFirstBeamSearch", () => {
  it("returns Algorithm 1's hypotheses, in its order, with at most as many expansions (property, random LMs)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.boolean(), (n, T, B, seed, markov) => {
        const base = markov ? fc.sample(markovArb(n, n), { seed, numRuns: 1 })[0]! : hashedLM(n, seed);
        const a = counted(base);
        const b = counted(base);
        const ref = beamSearch(a.lm, T, { beamWidth: B });
        const got = bestFirstBeamSearch(b.lm, T, { beamWidth: B });
        expect(got.sequences.map((s) => s.ids)).toEqual(ref.sequences.map((s) => s.ids));
        expect(got.sequences.map((s) => s.logProb)).toEqual(ref.sequences.map((s) => s.logProb));
        expect(got.sequences.map((s) => s.tokenLogProbs)).toEqual(ref.sequences.map((s) => s.tokenLogProbs));
        expect(got.expansions).toBe(b.calls());
        expect(got.expansions).toBeLessThanOrEqual(a.calls());
      }),
      { numRuns: 200 },
    );
  });

  it("expands exactly the beams of Algorithm 1 that score above the B-th result (property, via beamSearch's trace)", () => {
    // Scores never increase along a sequence, so a beam scoring below the worst returned hypothesis
    // can never lead to one: best-first pops it only after the search has ended.
    let saved = 0;
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (n, T, B, seed) => {
        const lm = hashedLM(n, seed, 0.5);
        const ref = beamSearch(lm, T, { beamWidth: B, trace: true });
        const worst = ref.sequences.at(-1)!.logProb;
        const expandedByBeam = ref.trace!.reduce((k, step) => k + step.parents.length, 0);
        const needed = ref.trace!.reduce((k, step) => k + step.parents.filter((p) => p.logProb >= worst).length, 0);
        const got = bestFirstBeamSearch(lm, T, { beamWidth: B });
        expect(got.expansions).toBe(needed);
        saved += expandedByBeam - needed;
      }),
      { numRuns: 200 },
    );
    expect(saved).toBeGreaterThan(0);
  });

  it("skips a whole branch that cannot win: 4 expansions instead of 5 (hand computation)", () => {
    // <BOS> → a (0.9) | b (0.1); a → x | y (0.5 each), then x → x, y → y surely; b → anything.
    // B = 2, T = 3: the results a x x, a y y (0.45 each) beat b (0.1), which Algorithm 1 still expands at step 2.
    const L = Math.log;
    const base = languageModel({
      vocabulary: ["<BOS>", "a", "b", "x", "y"],
      logProbs: (p) => {
        const last = p.at(-1)!;
        if (p.length === 1) return [-Infinity, L(0.9), L(0.1), -Infinity, -Infinity];
        if (last === 1) return [-Infinity, -Infinity, -Infinity, L(0.5), L(0.5)];
        if (last === 3) return [-Infinity, -Infinity, -Infinity, 0, -Infinity];
        if (last === 4) return [-Infinity, -Infinity, -Infinity, -Infinity, 0];
        return [-Infinity, L(0.25), L(0.25), L(0.25), L(0.25)];
      },
    });
    const a = counted(base);
    const ref = beamSearch(a.lm, 3, { beamWidth: 2 });
    const r = bestFirstBeamSearch(base, 3, { beamWidth: 2 });
    expect(r.sequences.map((s) => s.tokens.join(" "))).toEqual(["a x x", "a y y"]);
    expect(r.sequences.map((s) => s.ids)).toEqual(ref.sequences.map((s) => s.ids));
    expect(a.calls()).toBe(5);
    expect(r.expansions).toBe(4);
  });

  it("numReturnSequences k returns beamSearch's top k and stops earlier", () => {
    const lm = hashedLM(6, 11);
    const ref = beamSearch(lm, 5, { beamWidth: 4, numReturnSequences: 2 });
    const two = bestFirstBeamSearch(lm, 5, { beamWidth: 4, numReturnSequences: 2 });
    const four = bestFirstBeamSearch(lm, 5, { beamWidth: 4 });
    expect(two.sequences.map((s) => s.ids)).toEqual(ref.sequences.map((s) => s.ids));
    expect(two.expansions).toBeLessThanOrEqual(four.expansions);
  });

  it("on the tree of Question 2.4: a red fox, a red car (every beam is needed: 5 expansions, as beam search)", () => {
    const a = counted(exampleTree);
    const ref = beamSearch(a.lm, 3, { beamWidth: 2 });
    const r = bestFirstBeamSearch(exampleTree, 3, { beamWidth: 2 });
    expect(r.sequences.map((s) => s.tokens.join(" "))).toEqual(["a red fox", "a red car"]);
    expect(r.sequences.map((s) => s.tokens)).toEqual(ref.sequences.map((s) => s.tokens));
    expect(r.expansions).toBe(a.calls());
    expect(r.expansions).toBe(5);
  });

  it("refuses bad arguments, naming the function, the option and the value", () => {
    expect(() => bestFirstBeamSearch(exampleTree, 3, { beamWidth: 0 })).toThrow("bestFirstBeamSearch: beamWidth B must be an integer ≥ 1, got 0");
    expect(() => bestFirstBeamSearch(exampleTree, 0, { beamWidth: 2 })).toThrow("bestFirstBeamSearch: steps T must be an integer ≥ 1, got 0");
    expect(() => bestFirstBeamSearch(exampleTree, 3, { beamWidth: 2, numReturnSequences: 3 })).toThrow("bestFirstBeamSearch: numReturnSequences 3 > beamWidth 2");
    expect(() => bestFirstBeamSearch(exampleTree, 3, { beamWidht: 2 } as never)).toThrow("bestFirstBeamSearch: unknown option `beamWidht` — did you mean `beamWidth`?");
    expect(() => bestFirstBeamSearch(exampleTree, 3, undefined as never)).toThrow(/^bestFirstBeamSearch: options with beamWidth are required/);
  });
});
