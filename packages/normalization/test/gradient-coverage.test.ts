/**
 * The differentiability guard of @hw/normalization: every export has a gradient decision; every
 * `differentiable` one is gradchecked here, every `refuses` one is shown to throw
 * NotDifferentiableError inside `grad` (issue 11: never zeros).
 */
import { grad, gradcheck, mul, NotDifferentiableError, sum, tensor, type Tensor } from "@hw/tensor";
import { gradientCoverage, type GradientDecision } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

const differentiable: GradientDecision = { kind: "differentiable", order: 1 };
const refuses = (reason: string): GradientDecision => ({ kind: "refuses", reason });
const none = (reason: string): GradientDecision => ({ kind: "no-tensor-input", reason });

const DECISIONS: Record<string, GradientDecision> = {
  moments: differentiable,
  normalize: differentiable,
  batchNorm: differentiable,
  layerNorm: differentiable,
  instanceNorm: differentiable,
  groupNorm: differentiable,
  weightNorm: differentiable,
  rmsNorm: differentiable,
  batchRenorm: differentiable,
  batchRenormBackward: refuses("returns gradients (analytic backward)"),
  rmsNormBackward: refuses("returns gradients (analytic backward)"),
  normalizeBackward: refuses("returns gradients (analytic backward)"),
  batchNormBackward: refuses("returns gradients (analytic backward)"),
  layerNormBackward: refuses("returns gradients (analytic backward)"),
  instanceNormBackward: refuses("returns gradients (analytic backward)"),
  groupNormBackward: refuses("returns gradients (analytic backward)"),
  weightNormGrad: refuses("returns gradients (analytic backward)"),
  whitenedBatchNormEqualsWeightNorm: refuses("a seeded Monte-Carlo demonstration"),
  initRunningStats: none("creation from a channel count"),
  momentumFromKeras: none("a number"),
  momentumToKeras: none("a number"),
  problemTensor: none("creation"),
};

// Small inputs away from degenerate pools: [N, C, L] = [3, 2, 2].
const x = tensor([[[0.3, -1.2], [0.8, 1.9]], [[1.1, 0.4], [-0.6, 0.2]], [[-0.9, 1.5], [0.35, -0.45]]]);
const gamma = tensor([1.3, 0.7]);
const beta = tensor([0.1, -0.2]);

describe("gradient coverage of @hw/normalization", () => {
  it("classifies every export (no unclassified, no stale decisions)", () => {
    expect(gradientCoverage(api, DECISIONS)).toEqual({ unclassified: [], stale: [] });
  });

  it("gradchecks every differentiable export", () => {
    const checks: Record<string, () => boolean> = {
      moments: () =>
        gradcheck((a: Tensor) => api.moments(a, [0, 2]).mean, [x]).ok &&
        gradcheck((a: Tensor) => api.moments(a, [0, 2], { correction: 1 }).variance, [x]).ok,
      normalize: () => gradcheck((a: Tensor, g: Tensor, b: Tensor) => api.normalize(a, { axes: [0, 2], gamma: g, beta: b }).y, [x, tensor([[1.3], [0.7]]), tensor([[0.1], [-0.2]])]).ok,
      batchNorm: () => gradcheck((a: Tensor, g: Tensor, b: Tensor) => api.batchNorm(a, { gamma: g, beta: b }).y, [x, gamma, beta]).ok,
      layerNorm: () => gradcheck((a: Tensor, g: Tensor) => api.layerNorm(a, [2, 2], { gamma: g }).y, [x, tensor([[1, 2], [0.5, -1]])]).ok,
      instanceNorm: () => gradcheck((a: Tensor, g: Tensor) => api.instanceNorm(a, { gamma: g, eps: 1e-3 }).y, [x, gamma]).ok,
      groupNorm: () => gradcheck((a: Tensor, b: Tensor) => api.groupNorm(a, 1, { beta: b }).y, [x, beta]).ok,
      // r and d are constants of the gradient (stop_gradient); finite differences see the same function
      // where both are clipped (running statistics far from the batch's), and in inference.
      batchRenorm: () =>
        gradcheck((a: Tensor, g: Tensor, b: Tensor) => api.batchRenorm(a, { gamma: g, beta: b, rMax: 1.5, dMax: 0.5, runningStats: { mean: tensor([5, -5]), variance: tensor([40, 40]), count: 1 } }).y, [x, gamma, beta]).ok &&
        gradcheck((a: Tensor, g: Tensor) => api.batchRenorm(a, { gamma: g, training: false, runningStats: { mean: tensor([0.1, 0.2]), variance: tensor([1, 2]), count: 3 } }).y, [x, gamma]).ok,
      rmsNorm: () => gradcheck((a: Tensor, g: Tensor) => api.rmsNorm(a, [2, 2], { gamma: g }).y, [x, tensor([[1, 2], [0.5, -1]])]).ok,
      weightNorm: () => gradcheck((u: Tensor, g: Tensor) => api.weightNorm(u, g, { axis: 1 }), [tensor([[0.3, -1.2], [0.8, 1.9]]), gamma]).ok,
    };
    const listed = Object.entries(DECISIONS).filter(([, d]) => d.kind === "differentiable").map(([k]) => k);
    expect(Object.keys(checks).sort()).toEqual(listed.sort());
    for (const [name, check] of Object.entries(checks)) expect(check(), name).toBe(true);
  });

  it("every refusing export throws NotDifferentiableError naming itself inside grad", () => {
    const up = tensor([[[1, 0], [0, 1]], [[0.5, 0], [0, 0]], [[0, -1], [2, 0]]]);
    const calls: Record<string, (a: Tensor) => unknown> = {
      normalizeBackward: (a) => api.normalizeBackward(a, up, { axes: 0 }),
      batchNormBackward: (a) => api.batchNormBackward(a, up),
      layerNormBackward: (a) => api.layerNormBackward(a, up, { normalizedShape: 2 }),
      instanceNormBackward: (a) => api.instanceNormBackward(a, up),
      groupNormBackward: (a) => api.groupNormBackward(a, up, { groups: 2 }),
      weightNormGrad: (a) => api.weightNormGrad(a, 1, up),
      rmsNormBackward: (a) => api.rmsNormBackward(a, up, { normalizedShape: [2, 2] }),
      batchRenormBackward: (a) => api.batchRenormBackward(a, up),
      whitenedBatchNormEqualsWeightNorm: (a) => api.whitenedBatchNormEqualsWeightNorm({ u: a, sizes: [4] }),
    };
    const listed = Object.entries(DECISIONS).filter(([, d]) => d.kind === "refuses").map(([k]) => k);
    expect(Object.keys(calls).sort()).toEqual(listed.sort());
    for (const [name, call] of Object.entries(calls)) {
      const f = (a: Tensor): Tensor => {
        call(a);
        return sum(a);
      };
      expect(() => grad(f)(x), name).toThrow(NotDifferentiableError);
      expect(() => grad(f)(x), name).toThrow(`${name}: not differentiable`);
      expect(() => call(x), `${name} outside grad`).not.toThrow();
    }
  });

  it("running statistics are buffers: differentiating them is refused, not silently zero", () => {
    const stats = { mean: tensor([0.1, 0.2]), variance: tensor([1, 2]), count: 3 };
    expect(() => grad((m: Tensor) => sum(api.batchNorm(x, { training: false, runningStats: { ...stats, mean: m } }).y))(stats.mean)).toThrow(
      "batchNorm: not differentiable (running statistics are buffers, not parameters)",
    );
  });

  it("second derivatives through the analytic backward rules refuse instead of returning zeros", () => {
    const inner = (f: (a: Tensor) => Tensor) => (a: Tensor): Tensor => sum(grad((b: Tensor) => sum(mul(f(b), f(b))))(a));
    const cases: Record<string, (a: Tensor) => Tensor> = {
      batchNorm: (a) => api.batchNorm(a).y,
      layerNorm: (a) => api.layerNorm(a, 2).y,
      rmsNorm: (a) => api.rmsNorm(a, 2).y,
      batchRenorm: (a) => api.batchRenorm(a).y,
      instanceNorm: (a) => api.instanceNorm(a, { runningStats: api.initRunningStats(2) }).y,
      weightNorm: (a) => api.weightNorm(a, 2, { axis: 0 }),
    };
    for (const [name, f] of Object.entries(cases)) expect(() => grad(inner(f))(x), name).toThrow(NotDifferentiableError);
  });

  it("grad through moments is the true gradient, not zeros (issue 11)", () => {
    const v = tensor([1, 2, 4, 7]);
    // d/dx Σ var = 2(x − μ)/n with μ = 3.5, n = 4; d/dx mean = 1/n.
    expect(grad((a: Tensor) => api.moments(a).variance)(v).toArray()).toEqual([-1.25, -0.75, 0.25, 1.75]);
    expect(grad((a: Tensor) => api.moments(a, 0).mean)(v).toArray()).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
