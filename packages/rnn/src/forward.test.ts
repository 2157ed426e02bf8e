import { add, createRng, grad, gradcheck, mul, sum, tensor, valueAndGrad, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { birnnCases } from "../test/fixture";
import { numericGrad, refForward } from "../test/reference";
import { bptt } from "./bptt";
import { forward } from "./forward";
import { squaredLoss } from "./squared-loss";

describe("forward", () => {
  it("matches PyTorch's states and outputs (birnn.json case 0)", () => {
    const c = birnnCases[0]!;
    const { x: xc, z: _z, hfInit, hbInit, ...p } = c.input;
    const f = forward(p, xc, { hfInit, hbInit });
    expectClose(f.hf, c.expected.hf, { rtol: 1e-9 });
    expectClose(f.hb, c.expected.hb, { rtol: 1e-9 });
    expectClose(f.y, c.expected.y, { rtol: 1e-9 });
  });
});

describe("grad through forward (issue 11: it returned zeros)", () => {
  // The README's quickstart model: L(Wf) = Σ_t y_t with y = forward(params, x).y.
  const params = { Wf: [[1]], Uf: [[0.5]], Vf: [[1]], Wb: [[1]], Ub: [[0.5]], Vb: [[-1]] };
  const x = [[1], [-1]];
  const sumY = (Wf: number[][]): number => (refForward({ ...params, Wf }, x, [0], [0]).y).flat().reduce((a, b) => a + b, 0);

  it("∂(Σ y)/∂Wf equals finite differences of a slow reference (not 0)", () => {
    const Wf = [[1]];
    const fd = numericGrad(Wf, () => sumY(Wf)) as number[][];
    const g = grad((Wf: Tensor) => sum(forward({ ...params, Wf }, x).y))(tensor([[1]]));
    expect(Math.abs(fd[0]![0]!)).toBeGreaterThan(1e-3); // a real, non-zero gradient
    expectClose(g, fd, { rtol: 1e-7, atol: 1e-10 });
  });

  it("the loss through forward + squaredLoss gives bptt's gradients on every fixture case", () => {
    for (const c of birnnCases) {
      const { x: xc, z, hfInit, hbInit, ...p } = c.input;
      const vars = { ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, tensor(v)])), hfInit: tensor(hfInit), hbInit: tensor(hbInit) } as Record<string, Tensor>;
      const { value, grad: g } = valueAndGrad((v: Record<string, Tensor>) => {
        const { hfInit: a, hbInit: b, ...w } = v;
        return squaredLoss(forward(w as never, xc, { hfInit: a, hbInit: b }).y, z);
      })(vars);
      expect(value.item()).toBeCloseTo(c.expected.loss, 12);
      for (const k of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"] as const) {
        expectClose(g[k]!, c.expected.grads[k], { rtol: 1e-9, message: k });
      }
    }
  });

  it("gradcheck: every weight, bias, both initial states (B×H and shared H) and x, through y, hf and hb", () => {
    const rng = createRng(11);
    const [T, B, D, H, K] = [4, 2, 3, 3, 2];
    const u = (shape: number[]) => rng.uniform(shape, { low: -1, high: 1 });
    const inputs = {
      Wf: u([H, D]), Uf: u([H, H]), Vf: u([K, H]), Wb: u([H, D]), Ub: u([H, H]), Vb: u([K, H]),
      bf: u([H]), bb: u([H]), by: u([K]), x: u([T, B, D]), hfInit: u([B, H]), hbInit: u([H]),
    };
    // Random cotangents for all three outputs, so each output's backward rule is exercised.
    const [cy, cf, cb] = [u([T, B, K]), u([T, B, H]), u([T, B, H])];
    for (const nonlinearity of ["sigmoid", "tanh"] as const) {
      const report = gradcheck(
        (v: typeof inputs) => {
          const { x: xv, hfInit, hbInit, ...w } = v;
          const f = forward(w, xv, { hfInit, hbInit, nonlinearity });
          return add(add(sum(mul(f.y, cy)), sum(mul(f.hf, cf))), sum(mul(f.hb, cb)));
        },
        inputs,
        { atol: 1e-7, rtol: 1e-6 },
      );
      expect(report.ok, nonlinearity).toBe(true);
    }
  });

  it("the gradient of a batch equals the sum of the per-sequence gradients", () => {
    const c = birnnCases[0]!;
    const { x: xc, z, hfInit, hbInit, ...p } = c.input;
    const xb = xc.map((r) => [r, r.map((v) => 2 * v)]);
    const zb = z.map((r) => [r, r]);
    const Uf = tensor(p.Uf);
    const lossB = grad((u: Tensor) => squaredLoss(forward({ ...p, Uf: u }, xb, { hfInit, hbInit }).y, zb))(Uf);
    const want = bptt(p, xb, zb, { hfInit, hbInit }).grads.Uf;
    expectClose(lossB, want, { rtol: 1e-12, atol: 1e-14 });
  });
});
