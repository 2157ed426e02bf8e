import { grad, gradcheck, mul, NotDifferentiableError, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import fixtures from "../test/fixtures/rmsnorm.json";
import { layerNorm, rmsNorm, rmsNormBackward } from "./index";

describe("rmsNorm (PyTorch nn.RMSNorm semantics)", () => {
  it("equals the NumPy formula and its gradients on the fixtures (rtol 1e-9)", () => {
    expect(fixtures.cases.length).toBe(3);
    for (const c of fixtures.cases) {
      const { x, normalizedShape, eps, gamma, gradY } = c.input;
      const r = rmsNorm(x, normalizedShape, { eps, gamma });
      expectClose(r.y, c.expected.y, { rtol: 1e-9, atol: 1e-12 });
      expectClose(r.rms, c.expected.rms, { rtol: 1e-9 });
      const b = rmsNormBackward(x, gradY, { normalizedShape, eps, gamma });
      expectClose(b.gradX, c.expected.gradX, { rtol: 1e-9, atol: 1e-12 });
      expectClose(b.gradGamma, c.expected.gradGamma, { rtol: 1e-9, atol: 1e-12 });
      // The same gradients through autodiff of rmsNorm.
      const [gx, gg] = grad((a: Tensor, g: Tensor) => sum(mul(rmsNorm(a, normalizedShape, { eps, gamma: g }).y, tensor(gradY))))(tensor(x), tensor(gamma));
      expectClose(gx, c.expected.gradX, { rtol: 1e-9, atol: 1e-12 });
      expectClose(gg, c.expected.gradGamma, { rtol: 1e-9, atol: 1e-12 });
    }
  });
  it("has no centring: it is layer norm exactly when every row has mean 0 (eps 0)", () => {
    const x = [[1, -2, 1], [3, 0, -3]];
    expectClose(rmsNorm(x, 3, { eps: 0 }).y, layerNorm(x, 3, { eps: 0 }).y, { rtol: 1e-14 });
    expectClose(rmsNorm([[3, 4]], 2, { eps: 0 }).y, [[3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)]], { rtol: 1e-15 });
  });
  it("defaults eps to the dtype's machine epsilon (PyTorch's eps=None) and keeps float32", () => {
    expectClose(rmsNorm([[0, 0, 0, 1e-9]], 4).rms, [Math.sqrt(1e-18 / 4 + Number.EPSILON)], { rtol: 1e-15 });
    const f32 = rmsNorm(tensor([1, 2], [1, 2], { dtype: "float32" }), 2);
    expect(f32.y.dtype).toBe("float32");
    expectClose(f32.rms, [Math.sqrt(2.5 + 2 ** -23)], { rtol: 1e-6 });
  });
  it("survives huge and tiny rows (scaled mean square)", () => {
    expectClose(rmsNorm([[3e200, 4e200]], 2).y, [[3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)]], { rtol: 1e-14 });
    expectClose(rmsNorm([[3e-200, 4e-200]], 2, { eps: 0 }).y, [[3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)]], { rtol: 1e-14 });
    expectClose(rmsNorm([[3e-200, 4e-200]], 2, { eps: 1e-10 }).y, [[3e-195, 4e-195]], { rtol: 1e-9 });
  });
  it("gradchecks in x and γ; the backward refuses to be differentiated; options are strict", () => {
    const x = tensor([[0.3, -1.2, 0.8], [1.1, 0.4, -0.6]]);
    expect(gradcheck((a: Tensor, g: Tensor) => rmsNorm(a, 3, { gamma: g, eps: 1e-3 }).y, [x, tensor([1.5, 0.7, -0.4])]).ok).toBe(true);
    expect(gradcheck((a: Tensor) => rmsNorm(a, [2, 3]).y, [x]).ok).toBe(true);
    expect(() => grad((a: Tensor) => rmsNormBackward(a, [[1, 1, 1], [1, 1, 1]], { normalizedShape: 3 }).gradX)(x)).toThrow(NotDifferentiableError);
    expect(() => rmsNorm(x, 3, { weight: [1, 1, 1] } as never)).toThrow("rmsNorm: unknown option `weight` (known: `eps`, `gamma`)");
    expect(() => rmsNorm(x, 2)).toThrow("rmsNorm: normalizedShape [2] must be a non-empty trailing part of the input shape [2,3]");
    expect(() => rmsNorm(x, 3, { gamma: [1, 2] })).toThrow("rmsNorm: gamma has shape [2], expected [3]");
  });
});
