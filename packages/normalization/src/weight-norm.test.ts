import { div, grad, gradcheck, mul, NotDifferentiableError, reshape, sqrt, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import fixtures from "../test/fixtures/weightnorm-axis.json";
import { weightNorm, weightNormGrad } from "./index";

/** w = γu/‖u‖ with @hw/tensor's differentiable ops (the autodiff reference). */
const wOf = (u: Tensor, g: Tensor): Tensor => div(mul(g, u), sqrt(sum(mul(u, u))));

const vec = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }).filter((v) => v.some((x) => Math.abs(x) > 1e-3));

describe("weightNorm", () => {
  it("is γ times the unit direction", () => {
    expectClose(weightNorm([3, 4], 10), [6, 8], { rtol: 1e-15 });
    expectClose(weightNorm([[3, 4], [0, -2]], [1, 3], { axis: 0 }), [[0.6, 0.8], [0, -3]], { rtol: 1e-15 });
  });
  it("survives huge and tiny magnitudes (scaled norm)", () => {
    expectClose(weightNorm([3e200, 4e200], 1), [0.6, 0.8], { rtol: 1e-15 });
    expectClose(weightNorm([3e-200, 4e-200], 1), [0.6, 0.8], { rtol: 1e-15 });
  });
  it("divides by the norm before scaling by γ, so a subnormal u is safe (issue 11: was [Infinity])", () => {
    expect(weightNorm([1e-309], 1).toArray()).toEqual([1]);
    expectClose(weightNorm([3e-310, -4e-310], 5), [3, -4], { rtol: 1e-15 });
    const g = weightNormGrad([1e-309], 1, [2]);
    expect(g.w.toArray()).toEqual([1]);
    expect(g.gradU.toArray()).toEqual([0]); // the only direction is u itself: W⊥ = 0
    expect(g.gradGamma.item()).toBe(2);
  });
  it("rejects zero, empty and mis-shaped inputs", () => {
    expect(() => weightNorm([0, 0], 1)).toThrow("weightNorm: u has zero norm: w = γu/‖u‖ is undefined");
    expect(() => weightNorm([], 1)).toThrow("weightNorm: u is empty (shape [0])");
    expect(() => weightNorm([1, 2], [1, 2])).toThrow("weightNorm: gamma has shape [2]; expected a scalar (u has shape [2], axis null)");
    expect(() => weightNorm([[1, 2]], [1, 2], { axis: 0 })).toThrow("weightNorm: gamma has shape [2]; expected a scalar or one per slice: [1] or [1,1]");
    expect(() => weightNorm([1, 2], 1, { axis: 1 })).toThrow("weightNorm: axis must be null (the whole tensor) or an integer in [-1, 0] for u of rank 1, got 1");
    expect(() => weightNorm([[0, 0], [1, 2]], [1, 1], { axis: 0 })).toThrow("weightNorm: u (slice 0 along axis 0) has zero norm");
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
  it("works per row with axis 0 (each row its own norm and γ)", () => {
    const u = [[1, 2, 2], [0, -3, 4]];
    const gradW = [[0.1, 0.2, 0.3], [1, -1, 0.5]];
    const r = weightNormGrad(u, [3, 0.5], gradW, { axis: 0 });
    const r0 = weightNormGrad(u[0]!, 3, gradW[0]!);
    const r1 = weightNormGrad(u[1]!, 0.5, gradW[1]!);
    expectClose(r.gradU, [r0.gradU.toArray(), r1.gradU.toArray()], { rtol: 1e-15 });
    expectClose(r.s, [r0.s.item(), r1.s.item()], { rtol: 1e-15 });
    expect(r.projection.shape).toEqual([2, 3, 3]);
  });
});

describe("weightNorm with an axis (PyTorch's dim)", () => {
  it("equals torch.nn.utils.weight_norm for dim 0, 1, 2 and None (fixtures, rtol 1e-9)", () => {
    expect(fixtures.cases.length).toBe(8);
    for (const c of fixtures.cases) {
      const { shape, axis, gammaShape } = c.input;
      const u = reshape(tensor(c.input.u), shape);
      // γ in PyTorch's own weight_g shape (1 on every axis but `axis`) and as a flat vector.
      const gammaTorch = reshape(tensor(c.input.gamma), gammaShape);
      const gammaFlat = axis === null ? c.input.gamma[0]! : tensor(c.input.gamma);
      const gradW = reshape(tensor(c.input.gradW), shape);
      for (const gamma of [gammaTorch, gammaFlat]) {
        expectClose(reshape(weightNorm(u, gamma, { axis }), [-1]), c.expected.w, { rtol: 1e-9, atol: 1e-12 });
        const r = weightNormGrad(u, gamma, gradW, { axis });
        expectClose(reshape(r.gradU, [-1]), c.expected.gradU, { rtol: 1e-9, atol: 1e-12 });
        expectClose(reshape(r.gradGamma, [-1]), c.expected.gradGamma, { rtol: 1e-9, atol: 1e-12 });
        // The same numbers through autodiff of weightNorm.
        const [gu, gg] = grad((a: Tensor, g: Tensor) => sum(mul(weightNorm(a, g, { axis }), gradW)))(u, gammaTorch);
        expectClose(reshape(gu, [-1]), c.expected.gradU, { rtol: 1e-9, atol: 1e-12 });
        expectClose(reshape(gg, [-1]), c.expected.gradGamma, { rtol: 1e-9, atol: 1e-12 });
      }
    }
  });
  it("`dim: 1` now normalizes each column (issue 11: it silently meant the whole tensor) and warns once", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const u = [[3, 4], [0, 2]];
      const viaDim = weightNorm(u, [1, 1], { dim: 1 });
      expectClose(viaDim, [[1, 4 / Math.sqrt(20)], [0, 2 / Math.sqrt(20)]], { rtol: 1e-15 });
      expectClose(viaDim, weightNorm(u, [1, 1], { axis: 1 }), { rtol: 0 });
      expect(() => weightNorm(u, 1, { dim: 1, axis: 1 })).toThrow("weightNorm: options `dim` (deprecated) and `axis` both given");
      expect(warn.mock.calls.filter(([m]) => String(m).includes("weightNorm: option `dim` is deprecated")).length).toBeLessThanOrEqual(1);
    } finally {
      warn.mockRestore();
    }
  });
  it("negative axes count from the end; axis null is the whole tensor (the default)", () => {
    const u = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expectClose(weightNorm(u, [1, 2], { axis: -1 }), weightNorm(u, [1, 2], { axis: 2 }), { rtol: 0 });
    expectClose(weightNorm(u, 2, { axis: null }), weightNorm(u, 2), { rtol: 0 });
    expectClose(weightNorm(u, 2), div(mul(2, u), sqrt(sum(mul(u, u)))), { rtol: 1e-15 });
  });
  it("rejects unknown options by name", () => {
    expect(() => weightNorm([1, 2], 1, { axes: 0 } as never)).toThrow("weightNorm: unknown option `axes` — did you mean `axis`?");
    expect(() => weightNormGrad([1, 2], 1, [1, 1], { axsi: 0 } as never)).toThrow("weightNormGrad: unknown option `axsi` — did you mean `axis`?");
  });
  it("gradchecks with respect to u and γ per slice; weightNormGrad refuses to be differentiated", () => {
    const u = tensor([[0.3, -1.2, 0.8], [1.1, 0.4, -0.6]]);
    const g = tensor([1.5, 0.7]);
    expect(gradcheck((a: Tensor, b: Tensor) => weightNorm(a, b, { axis: 0 }), [u, g]).ok).toBe(true);
    expect(gradcheck((a: Tensor, b: Tensor) => weightNorm(a, b, { axis: 1 }), [u, tensor([0.5, 2, 1])]).ok).toBe(true);
    expect(gradcheck((a: Tensor, b: Tensor) => weightNorm(a, b), [u, tensor(1.3)]).ok).toBe(true);
    expect(() => grad((a: Tensor) => weightNormGrad(a, 1, [[1, 1, 1], [1, 1, 1]]).gradU)(u)).toThrow(NotDifferentiableError);
  });
  it("builds the projection only when it is read, and refuses one that would not fit", () => {
    const big = weightNormGrad(new Array<number>(20000).fill(1), 1, new Array<number>(20000).fill(0));
    expect(big.gradU.size).toBe(20000);
    expect(() => big.projection).toThrow("weightNormGrad: projection would have 1·20000² = 4.00e+8 entries (3.0 GiB)");
  });
});
