// Stochastic beam search (Kool, van Hoof & Welling 2019): sampling sequences without replacement
// with the Gumbel-top-k trick, from an explicit seed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allSequences, hashedLM } from "../test/random-lm";
import { exampleTree, stochasticBeamSearch } from "./index";

describe("stochasticBeamSearch", () => {
  it("with B ≥ N^T returns every sequence of non-zero probability, once (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat(), (n, T, lmSeed, seed) => {
        const lm = hashedLM(n, lmSeed);
        const r = stochasticBeamSearch(lm, T, { beamWidth: n ** T, seed });
        const all = allSequences(lm, T);
        expect(r.sequences).toHaveLength(all.length);
        expect(r.sequences.map((s) => s.ids.join(",")).sort()).toEqual(all.map((s) => s.ids.join(",")).sort());
        // Ranked by the perturbed score; logProb is the model's.
        const scores = r.sequences.map((s) => s.score!);
        expect([...scores].sort((a, b) => b - a)).toEqual(scores);
        for (const s of r.sequences) expect(s.logProb).toBe(all.find((a) => a.ids.join(",") === s.ids.join(","))!.logProb);
      }),
      { numRuns: 80 },
    );
  });

  it("is reproducible from its seed, which it echoes; other seeds give other samples", () => {
    const lm = hashedLM(6, 3, 0);
    const a = stochasticBeamSearch(lm, 4, { beamWidth: 3, seed: 42 });
    const b = stochasticBeamSearch(lm, 4, { beamWidth: 3, seed: 42 });
    expect(a).toEqual(b);
    expect(a.seed).toBe(42);
    expect(stochasticBeamSearch(lm, 4, { beamWidth: 3, seed: 2n ** 63n }).seed).toBe(2n ** 63n);
    const distinct = new Set(Array.from({ length: 20 }, (_, s) => stochasticBeamSearch(lm, 4, { beamWidth: 3, seed: s }).sequences.map((q) => q.ids.join(",")).join("|")));
    expect(distinct.size).toBeGreaterThan(10);
    expect(new Set(a.sequences.map((x) => x.ids.join(","))).size).toBe(3); // without replacement
  });

  it("includes each sequence with the probability of sampling 2 without replacement (4000 seeds, within 4.5 standard errors)", () => {
    // T = 2 over 3 tokens: 9 sequences. P(y in a size-2 sample without replacement)
    // = p(y) + Σ_{y' ≠ y} p(y') p(y) / (1 − p(y')); the first one is an exact sample from p.
    const lm = hashedLM(3, 5, 0);
    const all = allSequences(lm, 2);
    const p = all.map((s) => Math.exp(s.logProb));
    const inclusion = p.map((py, i) => py + p.reduce((acc, q, k) => (k === i ? acc : acc + (q * py) / (1 - q)), 0));
    const R = 4000;
    const counts = new Array<number>(all.length).fill(0);
    const firsts = new Array<number>(all.length).fill(0);
    const key = all.map((s) => s.ids.join(","));
    for (let seed = 0; seed < R; seed++) {
      const r = stochasticBeamSearch(lm, 2, { beamWidth: 2, seed });
      expect(r.sequences).toHaveLength(2);
      r.sequences.forEach((s, rank) => {
        const i = key.indexOf(s.ids.join(","));
        counts[i]! += 1;
        if (rank === 0) firsts[i]! += 1;
      });
    }
    inclusion.forEach((pi, i) => {
      expect(Math.abs(counts[i]! / R - pi)).toBeLessThan(4.5 * Math.sqrt((pi * (1 - pi)) / R));
      expect(Math.abs(firsts[i]! / R - p[i]!)).toBeLessThan(4.5 * Math.sqrt((p[i]! * (1 - p[i]!)) / R));
    });
  });

  it("refuses bad arguments, naming the function, the option and the value", () => {
    expect(() => stochasticBeamSearch(exampleTree, 3, { beamWidth: 0 })).toThrow("stochasticBeamSearch: beamWidth B must be an integer ≥ 1, got 0");
    expect(() => stochasticBeamSearch(exampleTree, 3, { beamWidth: 2, seed: -1 })).toThrow("stochasticBeamSearch: seed must be a non-negative safe integer or a bigint in [0, 2^64), got -1");
    expect(() => stochasticBeamSearch(exampleTree, 3, { beamWidth: 2, seed: "1" as never })).toThrow("stochasticBeamSearch: seed must be a number or a bigint, got \"1\"");
    expect(() => stochasticBeamSearch(exampleTree, 3, { beamWidth: 2, sed: 1 } as never)).toThrow("stochasticBeamSearch: unknown option `sed` — did you mean `seed`?");
  });
});
