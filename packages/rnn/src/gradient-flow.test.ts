import { describe, expect, it } from "vitest";
import { tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { birnnCases } from "../test/fixture";
import type { Mat, Vec } from "../test/reference";
import { bptt } from "./bptt";
import { gradientFlow } from "./gradient-flow";

const norm = (v: Vec): number => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
const tmv = (J: Mat, v: Vec): Vec => J[0]!.map((_, j) => J.reduce((s, row, i) => s + row[j]! * v[i]!, 0));

describe("gradientFlow", () => {
  const c = birnnCases[4]!; // T = 20, H = 16
  const { x, z, hfInit, hbInit, ...params } = c.input;
  const flow = gradientFlow(params, x, z, { hfInit, hbInit });
  const r = bptt(params, x, z, { hfInit, hbInit, terms: true });
  const T = x.length;

  it("reports ‖∇_{h_t}L‖ of the total gradients", () => {
    expectClose(flow.totalF, (r.dhf.toArray() as Mat).map(norm), { rtol: 1e-12 });
    expectClose(flow.totalB, (r.dhb.toArray() as Mat).map(norm), { rtol: 1e-12 });
    expect(flow.totalF).toHaveLength(T);
  });

  it("fromLastF is the last loss term's gradient pushed back through the Jacobians", () => {
    const jf = r.terms!.jacobianF.toArray() as Mat[];
    const jb = r.terms!.jacobianB.toArray() as Mat[];
    const lf = r.terms!.localF.toArray() as Mat;
    const lb = r.terms!.localB.toArray() as Mat;
    const wantF: number[] = new Array<number>(T);
    let g = lf[T - 1]!;
    for (let t = T - 1; t >= 0; t--) {
      wantF[t] = norm(g);
      if (t > 0) g = tmv(jf[t]!, g);
    }
    const wantB: number[] = [];
    let gb = lb[0]!;
    for (let t = 0; t < T; t++) {
      wantB.push(norm(gb));
      gb = tmv(jb[t]!, gb);
    }
    expectClose(flow.fromLastF, wantF, { rtol: 1e-10, atol: 1e-300 });
    expectClose(flow.fromFirstB, wantB, { rtol: 1e-10, atol: 1e-300 });
  });

  it("shows vanishing gradients with sigmoid units (σ′ ≤ 1/4)", () => {
    expect(flow.fromLastF[0]!).toBeLessThan(1e-6 * flow.fromLastF[T - 1]!);
    expect(flow.fromFirstB[T - 1]!).toBeLessThan(1e-6 * flow.fromFirstB[0]!);
    // Monotone decay away from the source term for this (small-weight) case.
    for (let t = 1; t < T; t++) expect(flow.fromLastF[t - 1]!).toBeLessThan(flow.fromLastF[t]!);
  });

  it("is empty for T = 0", () => {
    const e = gradientFlow(params, tensor([], [0, 8]), tensor([], [0, 3]));
    expect(e).toEqual({ totalF: [], totalB: [], fromLastF: [], fromFirstB: [] });
  });
});
