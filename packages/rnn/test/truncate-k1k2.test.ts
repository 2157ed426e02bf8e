/**
 * Truncated BPTT(k₁, k₂) (Williams & Peng 1990): `bptt({ truncate: { k1, k2 } })` against a direct,
 * slow implementation of the definition — for every step s separately, the loss L_s differentiated
 * by autodiff through a model whose chains are cut (stopGradient) just before the window
 * max(1, ⌈c/k₁⌉k₁ − k₂ + 1) … c of its chain position c, and the T gradients summed.
 */
import { readFileSync } from "node:fs";
import { add, createRng, matmul, relu, select, sigmoid, square, stopGradient, sub, sum, tanh, tensor, valueAndGrad, Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { bptt, initParams, type Nonlinearity } from "../src/index";
import { birnnCases } from "./fixture";

type Vars = Record<string, Tensor>;
const ACT = { sigmoid, tanh, relu } as const;

/** First chain position (1-based) whose state the loss at chain position c reaches. */
function windowStart(c: number, k1: number, k2: number): number {
  return Math.max(1, Math.ceil(c / k1) * k1 - k2 + 1);
}

/** L_t (one sequence, T×D input) with each chain cut before the window of t's position on it. */
function stepLoss(v: Vars, x: Tensor, z: Tensor, t: number, k1: number, k2: number, kind: Nonlinearity): Tensor {
  const act = ACT[kind];
  const T = x.shape[0]!;
  const lin = (W: Tensor, a: Tensor): Tensor => matmul(W, a);
  const bias = (a: Tensor, b: Tensor | undefined): Tensor => (b === undefined ? a : add(a, b));
  // Forward chain: position c = t + 1.
  const loF = windowStart(t + 1, k1, k2);
  let hf = v.hfInit!;
  for (let s = 1; s <= t + 1; s++) {
    if (s === loF && s > 1) hf = stopGradient(hf);
    hf = act(bias(add(lin(v.Wf!, select(x, 0, s - 1)), lin(v.Uf!, hf)), v.bf));
  }
  // Backward chain: position c = T − t (it starts at step T).
  const loB = windowStart(T - t, k1, k2);
  let hb = v.hbInit!;
  for (let c = 1; c <= T - t; c++) {
    if (c === loB && c > 1) hb = stopGradient(hb);
    hb = act(bias(add(lin(v.Wb!, select(x, 0, T - c)), lin(v.Ub!, hb)), v.bb));
  }
  const y = bias(add(lin(v.Vf!, hf), lin(v.Vb!, hb)), v.by);
  return sum(square(sub(y, select(z, 0, t))));
}

/** Σ_t ∇L_t by the definition. */
function definition(v: Vars, x: Tensor, z: Tensor, k1: number, k2: number, kind: Nonlinearity): { loss: number; grads: Vars } {
  let loss = 0;
  const grads: Record<string, Float64Array> = {};
  for (let t = 0; t < x.shape[0]!; t++) {
    const { value, grad } = valueAndGrad((w: Vars) => stepLoss(w, x, z, t, k1, k2, kind))(v);
    loss += value.item();
    for (const [k, g] of Object.entries(grad)) {
      const d = g.contiguous().data as Float64Array;
      grads[k] = grads[k] === undefined ? Float64Array.from(d) : grads[k].map((a, i) => a + d[i]!);
    }
  }
  return { loss, grads: Object.fromEntries(Object.entries(grads).map(([k, d]) => [k, new Tensor(d, v[k]!.shape)])) };
}

/** A random problem from a fresh seed: parameters (optionally with biases), x, z, initial states. */
function problem(seed: number, T: number, D: number, H: number, K: number, biases: boolean): { vars: Vars; x: Tensor; z: Tensor } {
  const rng = createRng(seed);
  const p = initParams({ inputSize: D, hiddenSize: H, outputSize: K, rng, biases, scale: 1.2 });
  const vars: Vars = { ...(p as unknown as Vars), hfInit: rng.normal([H]), hbInit: rng.normal([H]) };
  return { vars, x: rng.normal([T, D]), z: rng.normal([T, K]) };
}

function run(v: Vars, x: Tensor, z: Tensor, truncate: { k1: number; k2: number } | number, kind: Nonlinearity) {
  const { hfInit, hbInit, ...params } = v;
  return bptt(params as never, x, z, { hfInit, hbInit, truncate, nonlinearity: kind });
}

describe("bptt({ truncate: { k1, k2 } }) — Williams & Peng's BPTT(k₂; k₁)", () => {
  const settings: [number, number, number, Nonlinearity, boolean][] = [
    // seed, k1, k2, nonlinearity, biases
    [101, 2, 5, "sigmoid", false],
    [202, 3, 4, "tanh", true],
    [303, 1, 3, "relu", true],
    [404, 4, 9, "tanh", false],
    [505, 5, 5, "sigmoid", true],
  ];
  for (const [seed, k1, k2, kind, biases] of settings) {
    it(`seed ${String(seed)}: k1 = ${String(k1)}, k2 = ${String(k2)} (${kind}${biases ? ", biases" : ""}) equals the per-step definition at rtol 1e-9`, () => {
      const { vars, x, z } = problem(seed, 11, 3, 4, 2, biases);
      const r = run(vars, x, z, { k1, k2 }, kind);
      const ref = definition(vars, x, z, k1, k2, kind);
      expect(Math.abs(r.loss - ref.loss)).toBeLessThanOrEqual(1e-12 * ref.loss);
      for (const [name, g] of Object.entries(ref.grads)) {
        expectClose((r.grads as unknown as Vars)[name]!, g, { rtol: 1e-9, atol: 1e-13, message: name });
      }
      // Biased: differs from full BPTT in the recurrent weights.
      const full = run(vars, x, z, Infinity, kind);
      const diff = (r.grads.Uf.contiguous().data as Float64Array).some((a, i) => Math.abs(a - (full.grads.Uf.contiguous().data as Float64Array)[i]!) > 1e-9);
      expect(diff).toBe(true);
    });
  }

  it("k1 = k2 = k is regular truncation (`truncate: k`), checked on birnn.json's T = 20 case", () => {
    const c = birnnCases[4]!.input;
    const { x, z, hfInit, hbInit, ...params } = c;
    const vars: Vars = {};
    for (const [k, a] of Object.entries({ ...params, hfInit, hbInit })) vars[k] = tensor(a);
    for (const k of [1, 3, 6]) {
      const r = bptt(params, x, z, { hfInit, hbInit, truncate: k });
      expect(bptt(params, x, z, { hfInit, hbInit, truncate: { k1: k, k2: k } }).grads.Ub.toArray()).toEqual(r.grads.Ub.toArray());
      const ref = definition(vars, tensor(x), tensor(z), k, k, "sigmoid");
      expectClose(r.grads.Wb, ref.grads.Wb!, { rtol: 1e-9, atol: 1e-13, message: `Wb, k = ${String(k)}` });
      expectClose(r.grads.hbInit, ref.grads.hbInit!, { rtol: 1e-9, atol: 1e-13, message: `hbInit, k = ${String(k)}` });
    }
  });

  it("k2 ≥ ⌈T/k1⌉·k1 is full BPTT; one step short of it is not", () => {
    const { vars, x, z } = problem(606, 10, 2, 3, 2, false);
    const full = run(vars, x, z, Infinity, "tanh");
    expect(run(vars, x, z, { k1: 4, k2: 12 }, "tanh").grads.Uf.toArray()).toEqual(full.grads.Uf.toArray());
    const short = run(vars, x, z, { k1: 4, k2: 11 }, "tanh");
    expect(short.grads.Uf.toArray()).not.toEqual(full.grads.Uf.toArray());
    expect(short.loss).toBe(full.loss);
  });

  it("a padded batch with k1/k2 equals each sequence run alone", () => {
    const { vars, x } = problem(707, 7, 2, 3, 2, true);
    const rng = createRng(708);
    const lengths = [7, 4, 2];
    const xs = [x, rng.normal([7, 2]), rng.normal([7, 2])];
    const zs = [rng.normal([7, 2]), rng.normal([7, 2]), rng.normal([7, 2])];
    const h0 = [rng.normal([3]), rng.normal([3]), rng.normal([3])];
    const { hfInit: _f, hbInit: _b, ...params } = vars;
    const batch = (a: Tensor[]): number[][][] => Array.from({ length: 7 }, (_, t) => a.map((m) => (m.toArray() as number[][])[t]!));
    const truncate = { k1: 2, k2: 3 };
    const r = bptt(params as never, batch(xs), batch(zs), { hfInit: h0.map((h) => h.toArray() as number[]), hbInit: h0.map((h) => h.toArray() as number[]), lengths, truncate, nonlinearity: "tanh" });
    let loss = 0;
    let Ub: number[][] | undefined;
    lengths.forEach((n, b) => {
      const alone = bptt(params as never, (xs[b]!.toArray() as number[][]).slice(0, n), (zs[b]!.toArray() as number[][]).slice(0, n), { hfInit: h0[b]!, hbInit: h0[b]!, truncate, nonlinearity: "tanh" });
      loss += alone.loss;
      const g = alone.grads.Ub.toArray() as number[][];
      Ub = Ub === undefined ? g : Ub.map((row, i) => row.map((a, j) => a + g[i]![j]!));
      expectClose((r.grads.hbInit.toArray() as number[][])[b]!, alone.grads.hbInit, { rtol: 1e-12, atol: 1e-15, message: `hbInit[${String(b)}]` });
    });
    expect(r.loss).toBeCloseTo(loss, 12);
    expectClose(r.grads.Ub, Ub!, { rtol: 1e-12, atol: 1e-15 });
  });

  it("refuses k2 < k1, a non-integer step count and unknown keys, naming the values", () => {
    const { vars, x, z } = problem(808, 4, 2, 2, 1, false);
    expect(() => run(vars, x, z, { k1: 3, k2: 2 }, "tanh")).toThrow("bptt: truncate.k2 must be at least truncate.k1 (Williams & Peng's h ≥ h′), got { k1: 3, k2: 2 }");
    expect(() => run(vars, x, z, { k1: 1.5, k2: 2 }, "tanh")).toThrow("bptt: truncate.k1 and truncate.k2 must be positive integer numbers of steps (k2 may be Infinity), got { k1: 1.5, k2: 2 }");
    expect(() => run(vars, x, z, { k1: 1, k2: 2, k3: 4 } as never, "tanh")).toThrow("bptt: truncate: unknown option `k3`");
    expect(() => run(vars, x, z, 0, "tanh")).toThrow("bptt: truncate must be a positive integer number of steps, Infinity or { k1, k2 }, got 0");
  });
});

interface TorchCase {
  readonly nonlinearity: Nonlinearity;
  readonly lengths: number[];
  readonly k1: number;
  readonly k2: number;
  readonly input: Record<string, number[] | number[][] | number[][][]>;
  readonly expected: { loss: number; grads: Record<string, number[] | number[][]> };
}

describe("bptt({ truncate: { k1, k2 } }) against PyTorch autograd of the definition (test/fixtures/truncate.py)", () => {
  const cases = (JSON.parse(readFileSync(new URL("fixtures/truncate.json", import.meta.url), "utf8")) as { cases: TorchCase[] }).cases;
  cases.forEach((c, i) => {
    it(`case ${String(i)}: ${c.nonlinearity}, lengths ${c.lengths.join(",")}, k1 = ${String(c.k1)}, k2 = ${String(c.k2)}: loss and every gradient at rtol 1e-9`, () => {
      const { x, z, hfInit, hbInit, ...params } = c.input;
      const truncate = c.k1 === c.k2 ? c.k1 : { k1: c.k1, k2: c.k2 };
      const r = bptt(params as never, x!, z!, { hfInit: hfInit!, hbInit: hbInit!, lengths: c.lengths, truncate, nonlinearity: c.nonlinearity });
      expect(Math.abs(r.loss - c.expected.loss)).toBeLessThanOrEqual(1e-9 * c.expected.loss);
      for (const [name, g] of Object.entries(c.expected.grads)) {
        expectClose((r.grads as unknown as Vars)[name]!, g, { rtol: 1e-9, atol: 1e-13, message: name });
      }
    });
  });
});
