/**
 * Variable-length batches (`lengths`, issue 17): against PyTorch's nn.RNN(bidirectional=True) on
 * pack_padded_sequence input (tanh and relu, weights loaded) and the sigmoid model run sequence by
 * sequence (test/fixtures/padded.py), and against running each sequence alone.
 */
import { readFileSync } from "node:fs";
import { grad, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { bptt, forward, squaredLoss, type Nonlinearity } from "../src/index";

type Arr = number[] | number[][] | number[][][];
interface PaddedCase {
  readonly kind: string;
  readonly nonlinearity: Nonlinearity;
  readonly lengths: number[];
  readonly input: Record<string, Arr> & { x: number[][][]; z: number[][][]; hfInit: number[][]; hbInit: number[][] };
  readonly expected: { loss: number; hf: number[][][]; hb: number[][][]; y: number[][][]; grads: Record<string, Arr> };
}

const cases = (JSON.parse(readFileSync(new URL("fixtures/padded.json", import.meta.url), "utf8")) as { cases: PaddedCase[] }).cases;

describe("lengths: padded bidirectional batches", () => {
  cases.forEach((c, n) => {
    it(`case ${String(n)} (${c.kind}, ${c.nonlinearity}, lengths ${c.lengths.join(",")}): states, outputs, loss and every gradient match PyTorch to rtol 1e-9`, () => {
      const { x, z, hfInit, hbInit, ...params } = c.input;
      const r = bptt(params as never, x, z, { hfInit, hbInit, lengths: c.lengths, nonlinearity: c.nonlinearity });
      expect(Math.abs(r.loss - c.expected.loss)).toBeLessThanOrEqual(1e-9 * c.expected.loss);
      expectClose(r.hf, c.expected.hf, { rtol: 1e-9, atol: 1e-15 });
      expectClose(r.hb, c.expected.hb, { rtol: 1e-9, atol: 1e-15 });
      expectClose(r.y, c.expected.y, { rtol: 1e-9, atol: 1e-15 });
      for (const [name, g] of Object.entries(c.expected.grads)) {
        expectClose((r.grads as unknown as Record<string, Tensor>)[name]!, g, { rtol: 1e-9, atol: 1e-13, message: name });
      }
      // forward gives the same states, and grad through forward the same gradients.
      const f = forward(params as never, x, { hfInit, hbInit, lengths: c.lengths, nonlinearity: c.nonlinearity });
      expectClose(f.hb, c.expected.hb, { rtol: 1e-9, atol: 1e-15 });
      const gUb = grad((Ub: Tensor) => {
        const y = forward({ ...params, Ub } as never, x, { hfInit, hbInit, lengths: c.lengths, nonlinearity: c.nonlinearity }).y;
        return squaredLoss(y, maskedTargets(z, c.lengths));
      })(tensor(params.Ub as number[][]));
      expectClose(gUb, c.expected.grads.Ub!, { rtol: 1e-9, atol: 1e-13, message: "Ub through forward" });
    });
  });

  it("a padded batch equals running each sequence alone (sigmoid, the problem set's model)", () => {
    const c = cases.find((k) => k.kind === "sigmoid")!;
    const { x, z, hfInit, hbInit, ...params } = c.input;
    const r = bptt(params as never, x, z, { hfInit, hbInit, lengths: c.lengths, terms: true });
    let loss = 0;
    const sum: Record<string, number[][]> = {};
    c.lengths.forEach((len, b) => {
      const xs = x.slice(0, len).map((row) => row[b]!);
      const zs = z.slice(0, len).map((row) => row[b]!);
      const alone = bptt(params as never, xs, zs, { hfInit: hfInit[b]!, hbInit: hbInit[b]! });
      loss += alone.loss;
      expectClose((r.hb.toArray() as number[][][]).slice(0, len).map((row) => row[b]!), alone.hb, { rtol: 1e-12, atol: 1e-15 });
      expectClose((r.grads.hbInit.toArray() as number[][])[b]!, alone.grads.hbInit, { rtol: 1e-12, atol: 1e-15 });
      for (const k of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const) {
        const g = alone.grads[k].toArray() as number[][];
        sum[k] = sum[k] === undefined ? g : sum[k].map((row, i) => row.map((v, j) => v + g[i]![j]!));
      }
    });
    expect(r.loss).toBeCloseTo(loss, 12);
    for (const k of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const) expectClose(r.grads[k], sum[k]!, { rtol: 1e-12, atol: 1e-14, message: k });
    // Padded steps: zero states, zero Jacobians, zero per-step terms.
    const hf = r.hf.toArray() as number[][][];
    expect(hf[4]![1]).toEqual([0, 0, 0, 0]);
    const jb = r.terms!.jacobianB.toArray() as number[][][][];
    expect(jb[3]![3]!.flat().every((v) => v === 0)).toBe(true);
  });

  it("reduction: mean divides by the number of valid output elements", () => {
    const c = cases[0]!;
    const { x, z, hfInit, hbInit, ...params } = c.input;
    const opts = { hfInit, hbInit, lengths: c.lengths, nonlinearity: c.nonlinearity };
    const s = bptt(params as never, x, z, opts).loss;
    const m = bptt(params as never, x, z, { ...opts, reduction: "mean" }).loss;
    const K = z[0]![0]!.length;
    expect(m).toBeCloseTo(s / (K * c.lengths.reduce((a, b) => a + b, 0)), 14);
  });

  it("rejects bad lengths, naming the entry and the range", () => {
    const c = cases[0]!;
    const { x, z, hfInit, hbInit, ...params } = c.input;
    expect(() => bptt(params as never, x, z, { lengths: [6, 4] })).toThrow("bptt: lengths must have one entry per sequence (B = 3), got shape [2]");
    expect(() => bptt(params as never, x, z, { lengths: [6, 0, 1] })).toThrow("bptt: lengths[1] must be an integer in 1…T = 6, got 0");
    expect(() => forward(params as never, x, { lengths: [6, 2.5, 1], hfInit, hbInit })).toThrow("forward: lengths[1] must be an integer in 1…T = 6, got 2.5");
    expect(() => bptt(params as never, x, z, { lengths: [7, 1, 1] })).toThrow(RangeError);
  });
});

/** z with the padded steps replaced by 0 (y is 0 there, so they add nothing to squaredLoss). */
function maskedTargets(z: number[][][], lengths: number[]): number[][][] {
  return z.map((row, t) => row.map((v, b) => (t < lengths[b]! ? v : v.map(() => 0))));
}
