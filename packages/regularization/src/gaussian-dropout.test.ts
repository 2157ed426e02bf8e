import { createRng } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { fixtureCases } from "../test/reference";
import { dropoutSolution } from "./dropout-solution";
import { expectedGaussianDropoutLoss, gaussianDropoutSolution } from "./gaussian-dropout";

describe("Gaussian dropout (Wager, Wang & Liang 2013)", () => {
  it("the closed form matches a seeded Monte Carlo average over R ~ N(1, (1−p)/p) within 4 standard errors", () => {
    const { X, y, p } = fixtureCases[0]!.input;
    const n = X.length;
    const d = X[0]!.length;
    const w = Array.from({ length: d }, (_, j) => 0.3 * (j + 1) - 0.5);
    const sigma = Math.sqrt((1 - p) / p);
    const rng = createRng(12);
    const S = 20000;
    let mean = 0;
    let m2 = 0;
    for (let s = 0; s < S; s++) {
      const z = rng.normal([n, d]).data;
      let loss = 0;
      for (let i = 0; i < n; i++) {
        let pred = 0;
        for (let j = 0; j < d; j++) pred += X[i]![j]! * (1 + sigma * z[i * d + j]!) * w[j]!;
        loss += (y[i]! - pred) ** 2;
      }
      const delta = loss - mean;
      mean += delta / (s + 1);
      m2 += delta * (loss - mean);
    }
    const stderr = Math.sqrt(m2 / (S - 1) / S);
    expect(Math.abs(mean - expectedGaussianDropoutLoss(X, y, { w, p }))).toBeLessThanOrEqual(4 * stderr);
  });
  it("its minimizer is Bernoulli dropout's p·w_dropout, and the loss is stationary there", () => {
    for (const c of fixtureCases) {
      const { X, y, p } = c.input;
      const g = gaussianDropoutSolution(X, y, p);
      expectClose(g.w, dropoutSolution(X, y, p).pw, { rtol: 1e-12 });
      expect(g.variance).toBeCloseTo((1 - p) / p, 15);
      const best = expectedGaussianDropoutLoss(X, y, { w: g.w, p });
      const wa = g.w.toArray() as number[];
      for (let j = 0; j < wa.length; j++) {
        for (const h of [1e-3, -1e-3]) {
          const moved = wa.map((v, i) => (i === j ? v + h : v));
          expect(expectedGaussianDropoutLoss(X, y, { w: moved, p })).toBeGreaterThan(best);
        }
      }
    }
  });
  it("equals the TSDoc example and validates", () => {
    expect(expectedGaussianDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5 })).toBe(5);
    expect(() => expectedGaussianDropoutLoss([[1, 2]], [3], { w: [1, 1] } as never)).toThrow("expectedGaussianDropoutLoss: options.w and options.p are required");
    expect(() => gaussianDropoutSolution([[1, 2]], [3], 0)).toThrow(/^gaussianDropoutSolution: the keep probability p must be in \(0, 1\]/);
  });
});
