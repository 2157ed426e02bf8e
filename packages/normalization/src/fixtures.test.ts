// Every case of the PyTorch/NumPy fixtures (test/fixtures, copied from ../shared/fixtures) at rtol 1e-9.
import { readFileSync } from "node:fs";
import { tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, it } from "vitest";
import { batchNorm, batchNormBackward, groupNorm, instanceNorm, layerNorm, moments, weightNorm, weightNormGrad } from "./index";

type N3 = number[][][];
interface NormCase {
  input: { x: N3; gamma: number[]; beta: number[]; eps: number };
  expected: {
    batch: { mean: number[]; var: number[]; y: N3; grad: { upstream: N3; x: N3; gamma: number[]; beta: number[] } };
    layer: { mean: number[]; var: number[]; gamma: number[][]; beta: number[][]; y: N3 };
    instance: { mean: number[][]; var: number[][]; y: N3 };
    group: { groups: number; mean: number[][]; var: number[][]; y: N3 };
  };
}
interface WnCase {
  input: { u: number[]; gamma: number; gradW: number[] };
  expected: { w: number[]; gradU: number[]; gradGamma: number; s: number };
}

const load = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), "utf8")) as { cases: T[] }).cases;

const tol = { rtol: 1e-9, atol: 1e-12 };

describe.each(load<NormCase>("normalization.json").map((c, i) => [i, c] as const))("normalization.json case %i", (_i, c) => {
  const { x, gamma, beta, eps } = c.input;
  const e = c.expected;
  it("batch norm: mean, var, y", () => {
    const r = batchNorm(x, { gamma, beta, eps });
    expectClose(r.mean, e.batch.mean, tol);
    expectClose(r.variance, e.batch.var, tol);
    expectClose(r.y, e.batch.y, tol);
  });
  it("batch norm: gradients of Σ(y ⊙ upstream)", () => {
    const g = batchNormBackward(x, e.batch.grad.upstream, { gamma, beta, eps });
    expectClose(g.gradX, e.batch.grad.x, tol);
    expectClose(g.gradGamma, e.batch.grad.gamma, tol);
    expectClose(g.gradBeta, e.batch.grad.beta, tol);
  });
  it("layer norm over (C, F) with the elementwise affine", () => {
    const r = layerNorm(x, [x[0]!.length, x[0]![0]!.length], { gamma: e.layer.gamma, beta: e.layer.beta, eps });
    expectClose(r.mean, e.layer.mean, tol);
    expectClose(r.variance, e.layer.var, tol);
    expectClose(r.y, e.layer.y, tol);
  });
  it("instance norm with a per-channel affine", () => {
    const r = instanceNorm(x, { gamma, beta, eps });
    expectClose(r.mean, e.instance.mean, tol);
    expectClose(r.variance, e.instance.var, tol);
    expectClose(r.y, e.instance.y, tol);
  });
  it("group norm", () => {
    const r = groupNorm(x, e.group.groups, { gamma, beta, eps });
    expectClose(r.mean, e.group.mean, tol);
    expectClose(r.variance, e.group.var, tol);
    expectClose(r.y, e.group.y, tol);
  });
  it("moments agree with the presets' statistics", () => {
    const t = tensor(x);
    expectClose(moments(t, [0, 2]).mean, e.batch.mean, tol);
    expectClose(moments(t, [1, 2]).variance, e.layer.var, tol);
    expectClose(moments(t, 2).variance, e.instance.var, tol);
  });
});

describe.each(load<WnCase>("weightnorm.json").map((c, i) => [i, c] as const))("weightnorm.json case %i", (_i, c) => {
  it("w, gradU, gradGamma and s", () => {
    const { u, gamma, gradW } = c.input;
    expectClose(weightNorm(u, gamma), c.expected.w, tol);
    const g = weightNormGrad(u, gamma, gradW);
    expectClose(g.w, c.expected.w, tol);
    expectClose(g.gradU, c.expected.gradU, tol);
    expectClose(g.gradGamma, c.expected.gradGamma, tol);
    expectClose(g.s, c.expected.s, tol);
  });
});
