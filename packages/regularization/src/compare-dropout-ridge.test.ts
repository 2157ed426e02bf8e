import { describe, expect, it } from "vitest";
import { expectClose } from "@hw/tensor/testing";
import { compareDropoutRidge } from "./compare-dropout-ridge";
import { dropoutSolution } from "./dropout-solution";
import { dropoutPath, ridgePath } from "./regularization-path";
import { ridgeSolution } from "./ridge-solution";
import { fixtureCases } from "../test/reference";

describe("compareDropoutRidge (4.4)", () => {
  it.each(fixtureCases.map((c, i) => [i, c] as const))("gives the fixture's w_dropout and w_ridge side by side (case %i)", (_i, c) => {
    const { X, y, p, lambda } = c.input;
    const cmp = compareDropoutRidge(X, y, { p, lambda });
    expectClose(cmp.wDropout, c.expected.wDropout, { rtol: 1e-9, atol: 1e-12 });
    expectClose(cmp.wRidge, c.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
    expectClose(cmp.lambdaDropout, c.expected.lambdaDropout, { rtol: 1e-12 });
    expect(cmp.scale).toBe(1 / p);
    expect(cmp.lambdaRidge).toBe(lambda);
    cmp.features.forEach((f, j) => {
      expectClose(f.dropoutPenalty, cmp.lambdaDropout * f.columnNorm ** 2, { rtol: 1e-12 });
      expect(f.ridgePenalty).toBe(lambda);
      expect(f.wDropout).toBe(cmp.wDropout.get(j));
      expect(f.pwDropout).toBe(cmp.pwDropout.get(j));
    });
  });

  it("shrinks large-norm features more: the penalty ratio of two features is their squared norm ratio", () => {
    const X = [[1, 0], [0, 3], [1, 1]];
    const cmp = compareDropoutRidge(X, [1, 2, 3], { p: 0.5, lambda: 1 });
    expect(cmp.dropoutPenalty.toArray()).toEqual([2, 10]);
    expect(cmp.features.map((f) => f.ridgePenalty)).toEqual([1, 1]);
  });

  it("defaults the ridge λ to λ_dropout · mean Γ²", () => {
    const { X, y, p } = fixtureCases[2]!.input;
    const cmp = compareDropoutRidge(X, y, { p });
    const meanG = (cmp.gamma2.toArray() as number[]).reduce((a, b) => a + b, 0) / cmp.gamma2.size;
    expectClose(cmp.lambdaRidge, cmp.lambdaDropout * meanG, { rtol: 1e-14 });
    expect(() => compareDropoutRidge(X, y, { p, lambda: -1 })).toThrow("compareDropoutRidge: lambda must be a finite number ≥ 0, got -1");
  });
});

describe("dropoutPath / ridgePath", () => {
  it("equal the pointwise solutions", () => {
    const { X, y } = fixtureCases[0]!.input;
    const ps = [0.1, 0.5, 1];
    dropoutPath(X, y, ps).forEach((pt, i) => {
      const s = dropoutSolution(X, y, ps[i]!);
      expectClose(pt.w, s.w, { rtol: 1e-13 });
      expectClose(pt.pw, s.pw, { rtol: 1e-13 });
      expect(pt.lambda).toBe(s.lambda);
    });
    const lams = [0, 1, 100];
    ridgePath(X, y, lams).forEach((pt, i) => {
      expectClose(pt.w, ridgeSolution(X, y, lams[i]!).w, { rtol: 1e-13 });
    });
    expect(dropoutPath(X, y, [])).toEqual([]);
  });

  it("shrink to zero as p → 0 (pw) and as λ → ∞", () => {
    const { X, y } = fixtureCases[1]!.input;
    const [tiny] = dropoutPath(X, y, [1e-6]);
    expect(Math.max(...Array.from(tiny!.pw.data, Math.abs))).toBeLessThan(1e-4);
    const [huge] = ridgePath(X, y, [1e9]);
    expect(Math.max(...Array.from(huge!.w.data, Math.abs))).toBeLessThan(1e-6);
    expect(() => ridgePath(X, y, [1, -2])).toThrow("ridgePath: lambda must be a finite number ≥ 0, got -2");
    expect(() => dropoutPath(X, y, [0.5, 0])).toThrow(/^dropoutPath: the keep probability p must be in \(0, 1\]/);
  });
});
