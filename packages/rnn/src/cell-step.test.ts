import { createRng, gradcheck, sum, tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { birnnCases } from "../test/fixture";
import { cellStep } from "./cell-step";
import { forward } from "./forward";

describe("cellStep", () => {
  const c = birnnCases[0]!;
  const { x, hfInit, hbInit, z: _z, ...p } = c.input;

  it("stepping the forward and backward chains by hand reproduces forward's states (PyTorch's, rtol 1e-9)", () => {
    const T = x.length;
    let h = tensor(hfInit);
    for (let t = 0; t < T; t++) {
      h = cellStep({ W: p.Wf, U: p.Uf }, x[t]!, { h });
      expectClose(h, c.expected.hf[t]!, { rtol: 1e-9 });
    }
    let g = tensor(hbInit);
    for (let t = T - 1; t >= 0; t--) {
      g = cellStep({ W: p.Wb, U: p.Ub }, x[t]!, { h: g });
      expectClose(g, c.expected.hb[t]!, { rtol: 1e-9 });
    }
  });

  it("batches, biases and tanh/relu agree with forward", () => {
    const rng = createRng(3);
    const b = rng.uniform([4], { low: -1, high: 1 });
    const xb = rng.normal([2, 3]);
    for (const nonlinearity of ["tanh", "relu"] as const) {
      const step = cellStep({ W: p.Wf, U: p.Uf, b }, xb, { h: [hfInit, hbInit], nonlinearity });
      const f = forward({ ...p, bf: b, bb: b }, [xb.toArray()], { hfInit: [hfInit, hbInit], nonlinearity });
      expectClose(step, (f.hf.toArray() as number[][][])[0]!, { rtol: 1e-14, atol: 1e-15 });
    }
    expect(cellStep({ W: p.Wf, U: p.Uf }, xb).shape).toEqual([2, 4]);
  });

  it("is differentiable (gradcheck of W, U, b, x and h)", () => {
    const rng = createRng(4);
    const u = (s: number[]) => rng.uniform(s, { low: -1, high: 1 });
    const inputs = { W: u([3, 2]), U: u([3, 3]), b: u([3]), x: u([2, 2]), h: u([2, 3]) };
    const report = gradcheck((v: typeof inputs) => sum(cellStep({ W: v.W, U: v.U, b: v.b }, v.x, { h: v.h, nonlinearity: "tanh" })), inputs);
    expect(report.ok).toBe(true);
  });

  it("names the argument and the shapes in its errors", () => {
    expect(() => cellStep({ W: p.Wf, U: [[1]] }, x[0]!)).toThrow("cellStep: U must be H×H = [4,4], got [1,1]");
    expect(() => cellStep({ W: p.Wf, U: p.Uf }, [1, 2])).toThrow("cellStep: x must be D or B×D with D = 3 (from W), got [2]");
    expect(() => cellStep({ W: p.Wf, U: p.Uf }, x[0]!, { h: [1] })).toThrow("cellStep: h must be H = [4], got [1]");
    expect(() => cellStep({ W: p.Wf, U: p.Uf }, x[0]!, { hidden: [1] } as never)).toThrow("cellStep: unknown option `hidden`");
    expect(() => cellStep({ W: p.Wf, U: p.Uf, V: p.Vf } as never, x[0]!)).toThrow("cellStep: unknown cell field `V`");
  });

  it("the README example", () => {
    expect(cellStep({ W: [[1]], U: [[0.5]] }, [1], { h: [0] }).toArray()).toEqual([0.7310585786300049]);
  });
});
