import { beamSearch, exampleMarkov, exhaustiveSearch, greedyDecode, treeLM } from "@hw/decoding";
import { bptt } from "@hw/rnn";
import { describe, expect, it } from "vitest";
import { generateVariant, parseVariantSeed } from "./index";
import { ORIGINAL_Q1_LOSS } from "./internal/original";

const key = (t: readonly string[]) => t.join(" ");

describe("generateVariant", () => {
  it('"original" is the problem set\'s own numbers', () => {
    const v = generateVariant("original");
    expect(v.seed).toBe("original");
    // Q3.1's tensor and the exact fractions of its answers.
    expect(v.data.q3.x).toEqual([[[1, 3, 2], [1, 2, 3]], [[3, 3, 2], [2, 4, 4]], [[4, 2, 2], [1, 2, 4]], [[3, 3, 2], [3, 3, 2]]]);
    const close = (a: unknown, b: number[]) => { (a as number[]).forEach((x, i) => { expect(x).toBeCloseTo(b[i]!, 14); }); };
    close(v.key["3.1.mu_batch"], [5 / 2, 31 / 12]);
    close(v.key["3.1.var_batch"], [7 / 12, 155 / 144]);
    close(v.key["3.1.mu_layer"], [2, 3, 5 / 2, 8 / 3]);
    close(v.key["3.1.var_layer"], [2 / 3, 2 / 3, 5 / 4, 2 / 9]);
    // The shipped example tree: greedy, beam B = 2 and the optimum differ.
    expect(key((v.key["2.4a.optimum"] as unknown as { tokens: string[] }).tokens)).toBe("red fox ran");
    expect(key((v.key["2.4b.greedy"] as unknown as { tokens: string[] }).tokens)).toBe("the cat is");
    expect((v.key["2.4c.beam"] as { tokens: string[] }[]).map((s) => key(s.tokens))).toEqual(["a red fox", "a red car"]);
    // The Markov LM is @hw/decoding's exampleMarkov.
    v.data.q2.markov.P.forEach((row, i) => { row.forEach((p, j) => { expect(Math.log(p)).toBeCloseTo(exampleMarkov.logProbs([i])[j]!, 12); }); });
    // The BiRNN is the PyTorch fixture's case 0.
    const q = v.data.q1;
    expect(bptt(q, q.x, q.z, { hfInit: q.hfInit, hbInit: q.hbInit }).loss).toBeCloseTo(ORIGINAL_Q1_LOSS, 12);
    expect(v.key["2.1.count"]).toBe(5 ** 4);
  });

  it("is deterministic in the seed and differs between seeds", () => {
    expect(JSON.stringify(generateVariant(12))).toBe(JSON.stringify(generateVariant(12)));
    expect(JSON.stringify(generateVariant(12).data)).not.toBe(JSON.stringify(generateVariant(13).data));
  });

  it("keeps every lesson intact for 50 seeds", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { data } = generateVariant(seed);
      // Q2.4: greedy, beam B = 2 and the optimum all differ; B = 3 recovers the optimum.
      const lm = treeLM(data.q2.tree.children);
      const best = key(exhaustiveSearch(lm, 3).sequences[0]!.tokens);
      const greedy = key(greedyDecode(lm, 3).sequences[0]!.tokens);
      const b2 = key(beamSearch(lm, { beamWidth: 2, steps: 3 }).sequences[0]!.tokens);
      const b3 = key(beamSearch(lm, { beamWidth: 3, steps: 3 }).sequences[0]!.tokens);
      expect(new Set([best, greedy, b2]).size, `seed ${seed}`).toBe(3);
      expect(b3).toBe(best);
      // Q3.1: small integers, so every answer is an exact fraction with denominator 12, 6 or 3 (squared for variances).
      expect(data.q3.x.flat(2).every((v) => Number.isInteger(v) && v >= 1 && v <= 6)).toBe(true);
      // Q1: small enough to write by hand.
      expect([data.q1.x.length, data.q1.Wf.length, data.q1.Wf[0]!.length, data.q1.Vf.length]).toEqual([3, 2, 2, 2]);
      // Q4: distinct column scales.
      const norms = data.q4.X[0]!.map((_, j) => Math.hypot(...data.q4.X.map((r) => r[j]!))).sort((a, b) => a - b);
      norms.slice(1).forEach((v, i) => { expect(v / norms[i]!).toBeGreaterThanOrEqual(1.5); });
    }
  });

  it("reads seeds strictly", () => {
    expect(parseVariantSeed("42")).toBe(42);
    expect(parseVariantSeed("original")).toBe("original");
    expect(() => parseVariantSeed("-1")).toThrow(/parseVariantSeed: expected "original" or a non-negative integer, got "-1"/);
    expect(() => generateVariant(1.5)).toThrow(RangeError);
  });
});
