/**
 * The differentiability guard of @hw/regularization: every export has a gradient decision; the
 * differentiable one is gradchecked, every refusing one throws NotDifferentiableError naming itself
 * inside `grad` (issue 11: never zeros), and works outside it.
 */
import { createRng, grad, gradcheck, NotDifferentiableError, sum, tensor, type Tensor } from "@hw/tensor";
import { gradientCoverage, type GradientDecision } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

const refuses = (reason: string): GradientDecision => ({ kind: "refuses", reason });
const none = (reason: string): GradientDecision => ({ kind: "no-tensor-input", reason });
const solved = refuses("solved in float64 kernels (Cholesky), no backward rule");

const DECISIONS: Record<string, GradientDecision> = {
  dropout: { kind: "differentiable", order: 1 },
  dropoutLoss: refuses("returns a number"),
  expectedDropoutLoss: refuses("returns a number"),
  monteCarloDropoutLoss: refuses("a sampled estimate (a number)"),
  dropoutSolution: solved,
  ridgeSolution: solved,
  tikhonovSolution: solved,
  dropoutPath: solved,
  ridgePath: solved,
  compareDropoutRidge: solved,
  trainDropoutRegression: refuses("an SGD run on float64 arrays"),
  dropoutMask: none("shape, probability and generator"),
  keepProbability: none("a probability"),
};

const X = tensor([[1, 0.5], [0.2, 3], [1, 1]]);
const y = tensor([1, 2, 3]);
const w = tensor([0.4, -0.3]);

describe("gradient coverage of @hw/regularization", () => {
  it("classifies every export (no unclassified, no stale decisions)", () => {
    expect(gradientCoverage(api, DECISIONS)).toEqual({ unclassified: [], stale: [] });
  });

  it("gradchecks dropout (x ⊙ R / p with a fixed seed)", () => {
    expect(gradcheck((x: Tensor) => api.dropout(x, 0.7, { seed: 3, inverted: true }), [tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]])]).ok).toBe(true);
  });

  it("every refusing export throws NotDifferentiableError naming itself inside grad, and works outside", () => {
    const calls: Record<string, (a: Tensor) => unknown> = {
      dropoutLoss: (a) => api.dropoutLoss(X, y, { w: a, mask: [[1, 0], [1, 1], [0, 1]] }),
      expectedDropoutLoss: (a) => api.expectedDropoutLoss(X, y, { w: a, p: 0.8 }),
      monteCarloDropoutLoss: (a) => api.monteCarloDropoutLoss(X, y, { w: a, p: 0.8, numSamples: 10 }),
      dropoutSolution: (a) => api.dropoutSolution(X, a, 0.8),
      ridgeSolution: (a) => api.ridgeSolution(X, a, 1),
      tikhonovSolution: (a) => api.tikhonovSolution(X, a, [1, 2]),
      dropoutPath: (a) => api.dropoutPath(X, a, [0.5]),
      ridgePath: (a) => api.ridgePath(X, a, [1]),
      compareDropoutRidge: (a) => api.compareDropoutRidge(X, a, { p: 0.5 }),
      trainDropoutRegression: (a) => api.trainDropoutRegression(X, a, { p: 0.5, epochs: 2 }),
    };
    const listed = Object.entries(DECISIONS).filter(([, d]) => d.kind === "refuses").map(([k]) => k);
    expect(Object.keys(calls).sort()).toEqual(listed.sort());
    for (const [name, call] of Object.entries(calls)) {
      const at = name.includes("Loss") ? w : y;
      const f = (a: Tensor): Tensor => {
        call(a);
        return sum(a);
      };
      expect(() => grad(f)(at), name).toThrow(NotDifferentiableError);
      expect(() => grad(f)(at), name).toThrow(`${name}: not differentiable`);
      expect(() => call(at), `${name} outside grad`).not.toThrow();
    }
  });

  it("the no-tensor-input exports take no tensors", () => {
    expect(api.dropoutMask([2, 2], 1, createRng(0)).toArray()).toEqual([[1, 1], [1, 1]]);
    expect(api.keepProbability({ drop: 0.25 })).toBe(0.75);
  });
});
