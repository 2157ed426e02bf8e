import { describe, expect, it } from "vitest";
import { dropoutSolution } from "./dropout-solution";
import { expectedDropoutLoss } from "./dropout-loss";
import { trainDropoutRegression } from "./train-dropout-regression";
import { fixtureCases } from "../test/reference";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe("trainDropoutRegression", () => {
  it.each(fixtureCases.map((c, i) => [i, c] as const))("SGD with fresh masks converges to the closed form w_dropout (fixture case %i)", (_i, c) => {
    const { X, y, p } = c.input;
    const exact = dropoutSolution(X, y, p).w.data;
    const fit = trainDropoutRegression(X, y, { p, epochs: 6000, seed: 1 });
    // Stochastic: constant-step SGD with Polyak averaging; 3% of max |w| is a loose, seed-stable bound.
    const scale = Math.max(...Array.from(exact, Math.abs));
    expect(maxAbs(fit.w.data, exact)).toBeLessThan(0.03 * scale);
    // The expected loss it reaches is close to the minimum.
    const best = expectedDropoutLoss(X, y, { w: Array.from(exact), p });
    expect(fit.history.get(fit.epochs - 1) - best).toBeLessThan(1e-2 * best);
    expect(fit.history.get(fit.epochs - 1)).toBeGreaterThanOrEqual(best * (1 - 1e-12));
  });

  it("mini-batches also converge; results are reproducible and echo the settings", () => {
    const { X, y, p } = fixtureCases[0]!.input;
    const a = trainDropoutRegression(X, y, { p, epochs: 1500, batchSize: 5, seed: 3, lr: 0.01 });
    expect(trainDropoutRegression(X, y, { p, epochs: 1500, batchSize: 5, seed: 3, lr: 0.01 }).w).toEqual(a.w);
    expect(a).toMatchObject({ epochs: 1500, batchSize: 5, seed: 3, lr: 0.01, p });
    const exact = dropoutSolution(X, y, p).w.data;
    expect(maxAbs(a.w.data, exact)).toBeLessThan(0.05 * Math.max(...Array.from(exact, Math.abs)));
  });

  it("reports divergence instead of returning NaN, and validates its options", () => {
    const { X, y } = fixtureCases[0]!.input;
    expect(() => trainDropoutRegression(X, y, { p: 0.9, lr: 100, epochs: 200 })).toThrow(/^trainDropoutRegression: training diverged at epoch \d+ .* use a smaller lr$/);
    expect(() => trainDropoutRegression(X, y, { p: 0.9, lr: -1 })).toThrow("trainDropoutRegression: lr must be a finite number > 0, got -1");
    expect(() => trainDropoutRegression(X, y, { p: 0.9, epochs: 0 })).toThrow("epochs must be an integer ≥ 1, got 0");
    expect(() => trainDropoutRegression(X, y, { p: 0.9, batchSize: 31 })).toThrow("batchSize must be an integer in [1, 30] (n = 30), got 31");
  });
});
