import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { dropoutLoss, expectedDropoutLoss } from "./dropout-loss";
import { BernoulliBits } from "./internal/bernoulli-bits";
import { monteCarloDropoutLoss } from "./monte-carlo-dropout-loss";
import { fixtureCases } from "../test/reference";

describe("monteCarloDropoutLoss", () => {
  it.each(fixtureCases.map((c, i) => [i, c] as const))("agrees with the closed form of fixture case %i within 4 standard errors (seeds 1, 2, 3)", (_i, c) => {
    const { X, y, w, p } = c.input;
    for (const seed of [1, 2, 3]) {
      const mc = monteCarloDropoutLoss(X, y, { w, p, numSamples: 20000, seed });
      expect(Math.abs(mc.mean - c.expected.expectedLoss)).toBeLessThanOrEqual(4 * mc.stderr);
      expect(mc.interval[0]).toBeCloseTo(mc.mean - 1.96 * mc.stderr, 12);
      expect(mc.interval[1]).toBeCloseTo(mc.mean + 1.96 * mc.stderr, 12);
      expect(mc.seed).toBe(seed);
      expect(mc.numSamples).toBe(20000);
    }
  });

  it("is reproducible for a seed and differs between seeds", () => {
    const { X, y, w, p } = fixtureCases[0]!.input;
    const a = monteCarloDropoutLoss(X, y, { w, p, numSamples: 50, seed: 9 });
    expect(monteCarloDropoutLoss(X, y, { w, p, numSamples: 50, seed: 9 })).toEqual(a);
    expect(monteCarloDropoutLoss(X, y, { w, p, numSamples: 50, seed: 10 }).mean).not.toBe(a.mean);
  });

  it("is the mean of dropoutLoss over the masks it draws (slow reference with the same sampler)", () => {
    const { X, y, w, p } = fixtureCases[2]!.input;
    const samples = 30;
    const bits = new BernoulliBits(createRng(5), p);
    const losses: number[] = [];
    for (let s = 0; s < samples; s++) {
      const R = X.map((row) => row.map(() => bits.next()));
      losses.push(dropoutLoss(X, y, { w, mask: R }));
    }
    const mean = losses.reduce((a, b) => a + b, 0) / samples;
    const sd = Math.sqrt(losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples - 1));
    const mc = monteCarloDropoutLoss(X, y, { w, p, numSamples: samples, seed: 5 });
    expectClose(mc.mean, mean, { rtol: 1e-12 });
    expectClose(mc.stderr, sd / Math.sqrt(samples), { rtol: 1e-10 });
  });

  it("has zero variance at p = 1 and reports progress", () => {
    const seen: number[] = [];
    const mc = monteCarloDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 1, numSamples: 200, onProgress: (done) => seen.push(done) });
    expect(mc.mean).toBe(0);
    expect(mc.stderr).toBe(0);
    expect(seen.at(-1)).toBe(200);
    expect(seen.length).toBe(100);
  });

  it("accepts { drop: q } and validates samples and seed", () => {
    const { X, y, w, p } = fixtureCases[0]!.input;
    expect(monteCarloDropoutLoss(X, y, { w, p: { drop: 1 - p }, numSamples: 10, seed: 1 })).toEqual(monteCarloDropoutLoss(X, y, { w, p, numSamples: 10, seed: 1 }));
    expect(() => monteCarloDropoutLoss(X, y, { w, p, numSamples: 1 })).toThrow("monteCarloDropoutLoss: numSamples must be an integer ≥ 2, got 1");
    expect(() => monteCarloDropoutLoss(X, y, { w, p, numSamples: 2.5 })).toThrow(RangeError);
    expect(() => monteCarloDropoutLoss(X, y, { w, p, seed: 0.5 })).toThrow("monteCarloDropoutLoss: seed must be a safe integer, got 0.5");
    expect(() => monteCarloDropoutLoss(X, y, { w, p: Number.NaN })).toThrow(/keep probability/);
  });
});

describe("BernoulliBits (exact 4-bit Bernoulli sampler)", () => {
  it("has frequency p within 5 binomial standard deviations, for awkward p (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (p, seed) => {
        const b = new BernoulliBits(createRng(seed), p);
        const N = 20000;
        let k = 0;
        for (let i = 0; i < N; i++) k += b.next();
        expect(Math.abs(k - N * p)).toBeLessThanOrEqual(5 * Math.sqrt(N * p * (1 - p)) + 1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it("is exact at the dyadic edge cases: p = 0, 1, 1/16 and 15/16 tie on the first digit", () => {
    const count = (p: number, N: number) => {
      const b = new BernoulliBits(createRng(3), p);
      let k = 0;
      for (let i = 0; i < N; i++) k += b.next();
      return k;
    };
    expect(count(0, 1000)).toBe(0);
    expect(count(1, 1000)).toBe(1000);
    for (const p of [1 / 16, 15 / 16, 0.5, 1 / 3]) {
      const N = 160000;
      expect(Math.abs(count(p, N) - N * p)).toBeLessThanOrEqual(5 * Math.sqrt(N * p * (1 - p)));
    }
  });

  it("matches the closed form when feeding expectedDropoutLoss's definition (sanity)", () => {
    const { X, y, w, p } = fixtureCases[1]!.input;
    const mc = monteCarloDropoutLoss(X, y, { w, p, numSamples: 40000, seed: 11 });
    expect(Math.abs(mc.mean - expectedDropoutLoss(X, y, { w, p }))).toBeLessThanOrEqual(4 * mc.stderr);
  });
});
