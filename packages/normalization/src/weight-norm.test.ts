import { div, grad, mul, sqrt, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weightNorm, weightNormGrad } from "./index";

/** w = γu/‖u‖ with @hw/tensor's differentiable ops (the autodiff reference). */
const wOf = (u: Tensor, g: Tensor): Tensor => div(mul(g, u), sqrt(sum(mul(u, u))));

const vec = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }).filter((v) => v.some((x) => Math.abs(x) > 1e-3));

describe("weightNorm", () => {
  it("is γ times the unit direction", () => {
    expectClose(weightNorm([3, 4], 10), [6, 8], { rtol: 1e-15 });
    expectClose(weightNorm([[3, 4], [0, -2]], [1, 3], { dim: 0 }), [[0.6, 0.8], [0, -3]], { rtol: 1e-15 });
  });
  it("survives huge and tiny magnitudes (scaled norm)", () => {
    expectClose(weightNorm([3e200, 4e200], 1), [0.6, 0.8], { rtol: 1e-15 });
    expectClose(weightNorm([3e-200, 4e-200], 1), [0.6, 0.8], { rtol: 1e-15 });
  });
  it("rejects zero, empty and mis-shaped inputs", () => {
    expect(() => weightNorm([0, 0], 1)).toThrow("weightNorm: u has zero norm: w = γu/‖u‖ is undefined");
    expect(() => weightNorm([], 1)).toThrow("weightNorm: u is empty (shape [0])");
    expect(() => weightNorm([1, 2], [1, 2])).toThrow("weightNorm: gamma has shape [2], expected a scalar");
    expect(() => weightNorm([1, 2], 1, { dim: 0 })).toThrow("weightNorm: dim 0 needs u of rank ≥ 2, got shape [2]");
    expect(() => weightNormGrad([1, 2], 1, [1])).toThrow("weightNormGrad: gradW has shape [1], expected the shape of u [2]");
  });
});

describe("weightNormGrad (Question 3.3)", () => {
  it("matches autodiff of γu/‖u‖ and is orthogonal to u (property)", () => {
    fc.assert(
      fc.property(vec, fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true }), (u, shift, gamma) => {
        const gradW = u.map((v, i) => Math.sin(v + i + shift));
        const r = weightNormGrad(u, gamma, gradW);
        const [gu, gg] = grad((a: Tensor, g: Tensor) => sum(mul(wOf(a, g), tensor(gradW))))(tensor(u), tensor(gamma));
        expectClose(r.gradU, gu, { rtol: 1e-9, atol: 1e-12 });
        expectClose(r.gradGamma, gg, { rtol: 1e-9, atol: 1e-12 });
        const n = Math.hypot(...u);
        const dotU = u.reduce((a, v, i) => a + v * r.gradU.get(i), 0);
        expect(Math.abs(dotU)).toBeLessThanOrEqual(1e-12 * n * (1 + Math.hypot(...gradW)) * (gamma / n + 1));
        expectClose(r.s, gamma / n, { rtol: 1e-14 });
      }),
      { numRuns: 200, seed: 33 },
    );
  });
  it("agrees with central finite differences", () => {
    const u = [0.3, -1.1, 0.7, 2.0];
    const gamma = 1.7;
    const gradW = [0.5, -0.2, 1.1, 0.4];
    const loss = (uu: number[], g: number) => weightNorm(uu, g).toArray() as number[];
    const L = (uu: number[], g: number) => loss(uu, g).reduce((a, w, i) => a + w * gradW[i]!, 0);
    const h = 1e-6;
    const r = weightNormGrad(u, gamma, gradW);
    u.forEach((_, i) => {
      const up = [...u];
      const dn = [...u];
      up[i]! += h;
      dn[i]! -= h;
      expectClose(r.gradU.get(i), (L(up, gamma) - L(dn, gamma)) / (2 * h), { rtol: 1e-7, atol: 1e-9 }); // O(h²) truncation
    });
    expectClose(r.gradGamma, (L(u, gamma + h) - L(u, gamma - h)) / (2 * h), { rtol: 1e-7, atol: 1e-9 });
  });
  it("exposes W⊥ = I − uuᵀ/‖u‖²: symmetric, idempotent, W⊥u = 0 and gradU = s W⊥ gradW", () => {
    const u = [1, 2, -2];
    const gradW = [0.3, -0.7, 1.9];
    const r = weightNormGrad(u, 2, gradW);
    const P = r.projection.toArray() as number[][];
    const mv = (v: number[]) => P.map((row) => row.reduce((a, p, j) => a + p * v[j]!, 0));
    expectClose(mv(u), [0, 0, 0], { atol: 1e-15 });
    expectClose(P, P.map((_, i) => P.map((row) => row[i]!)), { rtol: 0, atol: 0 });
    expectClose(P.map((row) => mv(row)), P, { atol: 1e-15 });
    expectClose(r.gradU, mv(gradW).map((v) => r.s.item() * v), { rtol: 1e-14, atol: 1e-15 });
  });
  it("works per row with dim 0 (each row its own norm and γ)", () => {
    const u = [[1, 2, 2], [0, -3, 4]];
    const gradW = [[0.1, 0.2, 0.3], [1, -1, 0.5]];
    const r = weightNormGrad(u, [3, 0.5], gradW, { dim: 0 });
    const r0 = weightNormGrad(u[0]!, 3, gradW[0]!);
    const r1 = weightNormGrad(u[1]!, 0.5, gradW[1]!);
    expectClose(r.gradU, [r0.gradU.toArray(), r1.gradU.toArray()], { rtol: 1e-15 });
    expectClose(r.s, [r0.s.item(), r1.s.item()], { rtol: 1e-15 });
    expect(r.projection.shape).toEqual([2, 3, 3]);
  });
});
