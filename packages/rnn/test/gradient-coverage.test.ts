/**
 * The differentiability guard of @hw/rnn: every export has a gradient decision. `differentiable`
 * exports are gradchecked here; `refuses` exports are shown to throw NotDifferentiableError inside
 * `grad` (never a gradient of zeros).
 */
import { createRng, grad, gradcheck, gradgradcheck, NotDifferentiableError, select, sum, type Tensor } from "@hw/tensor";
import { gradientCoverage, type GradientDecision } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

const DECISIONS: Record<string, GradientDecision> = {
  forward: { kind: "differentiable", order: 1 },
  cellStep: { kind: "differentiable", order: "any" },
  squaredLoss: { kind: "differentiable", order: "any" },
  modelLoss: { kind: "differentiable", order: "any" },
  bptt: { kind: "refuses", reason: "returns gradients (an analytic backward pass); differentiate forward or modelLoss" },
  gradientFlow: { kind: "refuses", reason: "returns norms of gradients" },
  autodiffGrads: { kind: "refuses", reason: "runs its own autodiff pass and returns gradients" },
  checkGradients: { kind: "refuses", reason: "compares gradients" },
  initParams: { kind: "no-tensor-input", reason: "seeded creation from sizes" },
  train: { kind: "no-tensor-input", reason: "takes sizes and a seed; its own optimisation loop" },
  makeTask: { kind: "no-tensor-input", reason: "random data from a generator" },
  unrolledGraph: { kind: "no-tensor-input", reason: "graph structure from a step count" },
  toDot: { kind: "no-tensor-input", reason: "formatting" },
  toMermaid: { kind: "no-tensor-input", reason: "formatting" },
  toText: { kind: "no-tensor-input", reason: "formatting" },
};

const rng = createRng(5);
const u = (shape: number[]): Tensor => rng.uniform(shape, { low: -1, high: 1 });
const [T, D, H, K] = [3, 2, 3, 2];
const weights = () => ({ Wf: u([H, D]), Uf: u([H, H]), Vf: u([K, H]), Wb: u([H, D]), Ub: u([H, H]), Vb: u([K, H]) });
const x = u([T, D]);
const z = u([T, K]);

describe("gradient coverage of @hw/rnn", () => {
  it("every export has a decision, and no decision is stale", () => {
    const { unclassified, stale } = gradientCoverage(api, DECISIONS);
    expect(unclassified, "classify these exports in test/gradient-coverage.test.ts").toEqual([]);
    expect(stale).toEqual([]);
  });

  describe("differentiable exports pass gradcheck", () => {
    it("forward", () => {
      const w = weights();
      expect(gradcheck((v: typeof w) => sum(api.forward(v, x).y), w).ok).toBe(true);
    });
    it("squaredLoss (sum and mean)", () => {
      const y = u([T, K]);
      expect(gradcheck((a: Tensor, b: Tensor) => api.squaredLoss(a, b), [y, z]).ok).toBe(true);
      expect(gradcheck((a: Tensor) => api.squaredLoss(a, z, { reduction: "mean" }), [y]).ok).toBe(true);
    });
    it("cellStep", () => {
      const h = u([H]);
      expect(gradcheck((W: Tensor, U: Tensor, hv: Tensor) => sum(api.cellStep({ W, U }, select(x, 0, 0), { h: hv })), [u([H, D]), u([H, H]), h]).ok).toBe(true);
    });
    it("modelLoss", () => {
      const vars = { ...weights(), hfInit: u([H]), hbInit: u([H]) };
      expect(gradcheck((v: typeof vars) => api.modelLoss(v, x, z), vars).ok).toBe(true);
    });
  });

  describe("second order", () => {
    it("forward (an analytic backward on raw arrays) refuses a second derivative instead of returning zeros", () => {
      const w = weights();
      const inner = (Wf: Tensor) => sum(grad((W: Tensor) => sum(api.forward({ ...w, Wf: W }, x).y))(Wf));
      expect(() => grad(inner)(w.Wf)).toThrow(NotDifferentiableError);
    });
    it("cellStep, squaredLoss and modelLoss are built from recorded ops: gradgradcheck passes", () => {
      const h = u([H]);
      expect(gradgradcheck((W: Tensor, U: Tensor, hv: Tensor) => sum(api.cellStep({ W, U }, select(x, 0, 0), { h: hv, nonlinearity: "tanh" })), [u([H, D]), u([H, H]), h]).ok).toBe(true);
      expect(gradgradcheck((a: Tensor) => api.squaredLoss(a, z), [u([T, K])]).ok).toBe(true);
      const vars = { ...weights(), hfInit: u([H]), hbInit: u([H]) };
      expect(gradgradcheck((v: typeof vars) => api.modelLoss(v, x, z), vars).ok).toBe(true);
    });
  });

  describe("refusing exports throw NotDifferentiableError inside grad", () => {
    const refusing = Object.entries(DECISIONS).filter(([, d]) => d.kind === "refuses").map(([k]) => k);
    it.each(refusing)("%s", (name) => {
      const fn = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      const w = weights();
      const call = () => grad((Wf: Tensor) => {
        fn({ ...w, Wf }, x, z);
        return sum(Wf);
      })(w.Wf);
      expect(call).toThrow(NotDifferentiableError);
      expect(call).toThrow(`${name}: not differentiable`);
      // …also when only x or z is the differentiated tensor.
      expect(() => grad((xv: Tensor) => { fn(w, xv, z); return sum(xv); })(x)).toThrow(NotDifferentiableError);
    });
  });
});
