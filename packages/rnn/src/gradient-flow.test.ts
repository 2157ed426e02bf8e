import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@hw/tensor";
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

interface SpectrumCase {
  readonly seed: number;
  readonly nonlinearity: "sigmoid" | "tanh";
  readonly input: Record<string, number[] | number[][] | number[][][]> & { x: number[][] | number[][][]; z: number[][] | number[][][] };
  readonly expected: { spectrumF: number[][] | number[][][]; spectrumB: number[][] | number[][][] };
}

const spectrumCases = (
  JSON.parse(readFileSync(new URL("../test/fixtures/spectrum.json", import.meta.url), "utf8")) as { cases: SpectrumCase[] }
).cases;

/** |a − b| ≤ 1e-9·|b| + 1e-13·σ_max(span): a singular value far below the largest is only known to ~ε·σ_max. */
function expectSpectrumClose(actual: number[][], expected: number[][], what: string): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((row, s) => {
    const top = row[0]!;
    row.forEach((v, i) => {
      const a = actual[s]![i]!;
      expect(Math.abs(a - v), `${what} span ${String(s + 1)} σ${String(i + 1)}: ${String(a)} vs ${String(v)}`).toBeLessThanOrEqual(1e-9 * Math.abs(v) + 1e-13 * top);
    });
  });
}

describe("gradientFlow spectrum: singular values of the Jacobian products over growing spans", () => {
  spectrumCases.forEach((c, n) => {
    it(`case ${String(n)} (seed ${String(c.seed)}, ${c.nonlinearity}) matches NumPy (test/fixtures/spectrum.py)`, () => {
      const { x, z, hfInit, hbInit, ...params } = c.input;
      const flow = gradientFlow(params as never, x, z, { hfInit: hfInit as number[], hbInit: hbInit as number[], nonlinearity: c.nonlinearity, spectrum: true });
      const batched = (x[0] as unknown[])[0] instanceof Array;
      const rows = (t: Tensor | undefined): number[][][] => {
        const a = t!.toArray() as number[][] | number[][][];
        return batched ? (a as number[][][]) : (a as number[][]).map((r) => [r]);
      };
      const ef = batched ? (c.expected.spectrumF as number[][][]) : (c.expected.spectrumF as number[][]).map((r) => [r]);
      const eb = batched ? (c.expected.spectrumB as number[][][]) : (c.expected.spectrumB as number[][]).map((r) => [r]);
      const B = ef[0]!.length;
      for (let b = 0; b < B; b++) {
        expectSpectrumClose(rows(flow.spectrumF).map((r) => r[b]!), ef.map((r) => r[b]!), `forward, sequence ${String(b)}`);
        expectSpectrumClose(rows(flow.spectrumB).map((r) => r[b]!), eb.map((r) => r[b]!), `backward, sequence ${String(b)}`);
      }
    });
  });

  it("bounds the gradient that reaches back: ‖∇_{h_{T−s}}L_T‖ ≤ σ_max(span s)·‖∇_{h_T}L_T‖, and σ_max falls below (‖U‖/4)^s", () => {
    const c = birnnCases[4]!; // T = 20, H = 16, sigmoid
    const { x, z, hfInit, hbInit, ...params } = c.input;
    const flow = gradientFlow(params, x, z, { hfInit, hbInit, spectrum: true });
    const sf = flow.spectrumF!.toArray() as number[][];
    const T = x.length;
    expect(flow.spectrumF!.shape).toEqual([T, 16]);
    for (let s = 1; s < T; s++) {
      expect(flow.fromLastF[T - 1 - s]!).toBeLessThanOrEqual(sf[s - 1]![0]! * flow.fromLastF[T - 1]! * (1 + 1e-12));
      // descending order
      for (let i = 1; i < 16; i++) expect(sf[s - 1]![i]!).toBeLessThanOrEqual(sf[s - 1]![i - 1]!);
    }
    // ‖U‖₂ ≤ ‖U‖_F; with σ′ ≤ 1/4 every factor has norm ≤ ‖U‖_F/4.
    const fro = Math.sqrt(params.Uf.flat().reduce((a, v) => a + v * v, 0));
    for (let s = 1; s <= T; s++) expect(sf[s - 1]![0]!).toBeLessThanOrEqual((fro / 4) ** s * (1 + 1e-12));
  });

  it("is only computed when asked", () => {
    const c = birnnCases[0]!;
    const { x, z, ...params } = c.input;
    const { hfInit: _a, hbInit: _b, ...weights } = params;
    expect(gradientFlow(weights, x, z).spectrumF).toBeUndefined();
    expect(() => gradientFlow(weights, x, z, { spectrum: "yes" as never })).toThrow('gradientFlow: spectrum must be true or false, got "yes"');
  });
});
