/**
 * Truncated BPTT (`truncate: k`, regular truncation as in d2l): bptt against its definition — the
 * model written with @hw/tensor ops, the recurrent state passed through `stopGradient` at every
 * block boundary, differentiated by autodiff.
 */
import { add, matmul, select, sigmoid, stack, stopGradient, tanh, tensor, transpose, valueAndGrad, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { bptt, squaredLoss } from "../src/index";
import { birnnCases } from "./fixture";

type Vars = Record<"Wf" | "Uf" | "Vf" | "Wb" | "Ub" | "Vb" | "hfInit" | "hbInit", Tensor>;

/** The definition: blocks of k steps from each chain's start; no gradient through the state across a boundary. */
function truncatedLoss(v: Vars, x: Tensor, z: Tensor, k: number, kind: "sigmoid" | "tanh"): Tensor {
  const act = kind === "tanh" ? tanh : sigmoid;
  const T = x.shape[0]!;
  const lin = (W: Tensor, a: Tensor): Tensor => matmul(a, transpose(W));
  const hf: Tensor[] = [];
  let prev = v.hfInit;
  for (let t = 0; t < T; t++) {
    if (t > 0 && t % k === 0) prev = stopGradient(prev);
    prev = act(add(lin(v.Wf, select(x, 0, t)), lin(v.Uf, prev)));
    hf.push(prev);
  }
  const hb: Tensor[] = new Array<Tensor>(T);
  let next = v.hbInit;
  for (let t = T - 1; t >= 0; t--) {
    if (t < T - 1 && (T - 1 - t) % k === 0) next = stopGradient(next);
    next = act(add(lin(v.Wb, select(x, 0, t)), lin(v.Ub, next)));
    hb[t] = next;
  }
  return squaredLoss(add(lin(v.Vf, stack(hf, 0)), lin(v.Vb, stack(hb, 0))), z);
}

const NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"] as const;

describe("bptt({ truncate: k })", () => {
  const c = birnnCases[4]!; // T = 20, H = 16
  const { x, z, hfInit, hbInit, ...params } = c.input;
  const vars = Object.fromEntries([...Object.entries(params), ["hfInit", hfInit], ["hbInit", hbInit]].map(([k, v]) => [k, tensor(v as number[][])])) as Vars;

  for (const [k, kind] of [[1, "sigmoid"], [3, "sigmoid"], [7, "tanh"]] as const) {
    it(`k = ${String(k)} (${kind}) equals the stopGradient definition for every gradient`, () => {
      const r = bptt(params, x, z, { hfInit, hbInit, truncate: k, nonlinearity: kind });
      const { value, grad } = valueAndGrad((v: Vars) => truncatedLoss(v, tensor(x), tensor(z), k, kind))(vars);
      expect(r.loss).toBeCloseTo(value.item(), 12);
      for (const n of NAMES) expectClose(r.grads[n], grad[n], { rtol: 1e-10, atol: 1e-14, message: n });
      // …and it really is biased: the recurrent gradient differs from full BPTT.
      const full = bptt(params, x, z, { hfInit, hbInit, nonlinearity: kind });
      expect(Math.abs((r.grads.Uf.toArray() as number[][])[0]![0]! - (full.grads.Uf.toArray() as number[][])[0]![0]!)).toBeGreaterThan(1e-12);
    });
  }

  it("truncate ≥ T is full BPTT; the loss never changes", () => {
    const full = bptt(params, x, z, { hfInit, hbInit });
    const same = bptt(params, x, z, { hfInit, hbInit, truncate: 20 });
    expect(same.grads.Ub.toArray()).toEqual(full.grads.Ub.toArray());
    expect(bptt(params, x, z, { hfInit, hbInit, truncate: 2 }).loss).toBe(full.loss);
  });

  it("in a padded batch each sequence's backward blocks start at its own last step (= running it alone)", () => {
    const a = birnnCases[0]!.input;
    const b = birnnCases[2]!.input;
    const xb = a.x.map((row, t) => [row, t < 3 ? b.x[t]! : row.map(() => 9)]);
    const zb = a.z.map((row, t) => [row, t < 3 ? b.z[t]! : row.map(() => 9)]);
    const { x: _x, z: _z, hfInit: _f, hbInit: _b, ...p } = a;
    const r = bptt(p, xb, zb, { hfInit: [a.hfInit, b.hfInit], hbInit: [a.hbInit, b.hbInit], lengths: [5, 3], truncate: 2 });
    const ra = bptt(p, a.x, a.z, { hfInit: a.hfInit, hbInit: a.hbInit, truncate: 2 });
    const rb = bptt(p, b.x.slice(0, 3), b.z.slice(0, 3), { hfInit: b.hfInit, hbInit: b.hbInit, truncate: 2 });
    const sum = (ra.grads.Ub.toArray() as number[][]).map((row, i) => row.map((v, j) => v + (rb.grads.Ub.toArray() as number[][])[i]![j]!));
    expectClose(r.grads.Ub, sum, { rtol: 1e-12, atol: 1e-15 });
    expectClose((r.grads.hbInit.toArray() as number[][])[1]!, rb.grads.hbInit, { rtol: 1e-12, atol: 1e-15 });
  });

  it("rejects a bad truncation length", () => {
    expect(() => bptt(params, x, z, { truncate: 0 })).toThrow("bptt: truncate must be a positive integer number of steps, Infinity or { k1, k2 }, got 0");
    expect(() => bptt(params, x, z, { truncate: 2.5 })).toThrow(RangeError);
  });
});
