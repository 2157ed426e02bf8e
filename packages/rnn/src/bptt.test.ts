import fc from "fast-check";
import { tensor, transpose } from "@hw/tensor";
import { numericGrad, refForward, refLoss, type Mat, type RefParams, type Vec } from "../test/reference";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { birnnCases } from "../test/fixture";
import { bptt } from "./bptt";
import { forward } from "./forward";

const GRAD_NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"] as const;

describe("bptt against PyTorch (test/fixtures/birnn.json)", () => {
  birnnCases.forEach((c, n) => {
    it(`case ${n}: loss, states, outputs, every gradient and the totals match to rtol 1e-9`, () => {
      const { x, z, hfInit, hbInit, ...params } = c.input;
      const r = bptt(params, x, z, { hfInit, hbInit });
      expect(r.loss).toBeCloseTo(c.expected.loss, 12);
      expectClose(r.hf, c.expected.hf, { rtol: 1e-9 });
      expectClose(r.hb, c.expected.hb, { rtol: 1e-9 });
      expectClose(r.y, c.expected.y, { rtol: 1e-9 });
      expectClose(r.dhf, c.expected.dhf, { rtol: 1e-9 });
      expectClose(r.dhb, c.expected.dhb, { rtol: 1e-9 });
      for (const name of GRAD_NAMES) expectClose(r.grads[name], c.expected.grads[name], { rtol: 1e-9, message: name });
      const f = forward(params, x, { hfInit, hbInit });
      expectClose(f.y, c.expected.y, { rtol: 1e-9 });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests against the slow reference of test/reference.ts and central finite differences.


const val = fc.double({ min: -1.5, max: 1.5, noNaN: true, noDefaultInfinity: true });
const vec = (n: number) => fc.array(val, { minLength: n, maxLength: n });
const mat = (r: number, c: number) => fc.array(vec(c), { minLength: r, maxLength: r });

interface Problem {
  p: RefParams;
  x: Mat;
  z: Mat;
  hfInit: Vec;
  hbInit: Vec;
}

/** Random shapes, T and H down to 1, optionally with biases. */
const problem = (withBiases: boolean) =>
  fc
    .record({
      D: fc.integer({ min: 1, max: 3 }),
      H: fc.integer({ min: 1, max: 3 }),
      K: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: 1, max: 4 }),
    })
    .chain(({ D, H, K, T }) =>
      fc.record({
        p: fc.record({
          Wf: mat(H, D),
          Uf: mat(H, H),
          Vf: mat(K, H),
          Wb: mat(H, D),
          Ub: mat(H, H),
          Vb: mat(K, H),
          ...(withBiases ? { bf: vec(H), bb: vec(H), by: vec(K) } : {}),
        }),
        x: mat(T, D),
        z: mat(T, K),
        hfInit: vec(H),
        hbInit: vec(H),
      }),
    );

// Central differences with eps = 1e-6 carry O(eps²) truncation and O(1e-16/eps) rounding error:
// about 1e-10 here, so the comparison uses atol 1e-7 (the analytic values are exact to ~1e-15).
const FD = { rtol: 1e-6, atol: 1e-7 };

function checkAgainstFiniteDifferences(q: Problem, activation: "sigmoid" | "tanh"): void {
  const r = bptt(q.p, q.x, q.z, { hfInit: q.hfInit, hbInit: q.hbInit, nonlinearity: activation });
  const loss = () => refLoss(q.p, q.x, q.z, q.hfInit, q.hbInit, activation);
  expect(r.loss).toBeCloseTo(loss(), 10);
  const ref = refForward(q.p, q.x, q.hfInit, q.hbInit, activation);
  expectClose(r.hf, ref.hf, { rtol: 1e-12, atol: 1e-14 });
  expectClose(r.hb, ref.hb, { rtol: 1e-12, atol: 1e-14 });
  expectClose(r.y, ref.y, { rtol: 1e-12, atol: 1e-13 });
  const keys = Object.keys(q.p) as (keyof RefParams)[];
  for (const k of keys) expectClose(r.grads[k]!, numericGrad(q.p[k]!, loss), { ...FD, message: k });
  expectClose(r.grads.hfInit, numericGrad(q.hfInit, loss), { ...FD, message: "hfInit" });
  expectClose(r.grads.hbInit, numericGrad(q.hbInit, loss), { ...FD, message: "hbInit" });
}

describe("bptt = finite differences of a slow reference (random shapes, T and H down to 1)", () => {
  it("sigmoid, no biases (the problem set's model)", () => {
    fc.assert(fc.property(problem(false), (q) => { checkAgainstFiniteDifferences(q, "sigmoid"); }), { numRuns: 60, seed: 1 });
  });
  it("tanh with biases", () => {
    fc.assert(fc.property(problem(true), (q) => { checkAgainstFiniteDifferences(q, "tanh"); }), { numRuns: 40, seed: 2 });
  });
});

describe("bptt terms", () => {
  const c = birnnCases[0]!;
  const { x, z, hfInit, hbInit, ...params } = c.input;
  const r = bptt(params, x, z, { hfInit, hbInit, terms: true });
  const terms = r.terms!;
  const T = x.length;
  const H = params.Wf.length;

  it("the local gradient is 2·Vᵀ(y_t − z_t)", () => {
    const y = r.y.toArray() as Mat;
    const expectedF = y.map((yt, t) => params.Vf[0]!.map((_, h) => params.Vf.reduce((s, row, k) => s + 2 * row[h]! * (yt[k]! - z[t]![k]!), 0)));
    const expectedB = y.map((yt, t) => params.Vb[0]!.map((_, h) => params.Vb.reduce((s, row, k) => s + 2 * row[h]! * (yt[k]! - z[t]![k]!), 0)));
    expectClose(terms.localF, expectedF, { rtol: 1e-12, atol: 1e-15 });
    expectClose(terms.localB, expectedB, { rtol: 1e-12, atol: 1e-15 });
  });

  it("the Jacobians are diag(h ⊙ (1 − h))·U, and match finite differences of one step", () => {
    const hf = r.hf.toArray() as Mat;
    const hb = r.hb.toArray() as Mat;
    for (let i = 0; i < T; i++) {
      const want = params.Uf.map((row, a) => row.map((u) => hf[i]![a]! * (1 - hf[i]![a]!) * u));
      expectClose((terms.jacobianF.toArray() as Mat[])[i]!, want, { rtol: 1e-12, atol: 1e-15 });
      const wantB = params.Ub.map((row, a) => row.map((u) => hb[i]![a]! * (1 - hb[i]![a]!) * u));
      expectClose((terms.jacobianB.toArray() as Mat[])[i]!, wantB, { rtol: 1e-12, atol: 1e-15 });
    }
    // ∂h_1⁽ᶠ⁾/∂h_0⁽ᶠ⁾ by finite differences of the first forward step.
    const h0 = [...hfInit];
    const jac = params.Wf.map((_, a) => numericGrad(h0, () => refForward(params, x.slice(0, 1), h0, hbInit).hf[0]![a]!) as Vec);
    expectClose((terms.jacobianF.toArray() as Mat[])[0]!, jac, FD);
  });

  it("the totals satisfy the recursions of Q1.2", () => {
    const lf = terms.localF.toArray() as Mat;
    const lb = terms.localB.toArray() as Mat;
    const tf = terms.totalF.toArray() as Mat;
    const tb = terms.totalB.toArray() as Mat;
    const jf = terms.jacobianF.toArray() as Mat[];
    const jb = terms.jacobianB.toArray() as Mat[];
    const tmv = (J: Mat, v: Vec): Vec => J[0]!.map((_, j) => J.reduce((s, row, i) => s + row[j]! * v[i]!, 0));
    for (let t = 0; t < T; t++) {
      const wantF = t === T - 1 ? lf[t]! : lf[t]!.map((v, h) => v + tmv(jf[t + 1]!, tf[t + 1]!)[h]!);
      const wantB = t === 0 ? lb[t]! : lb[t]!.map((v, h) => v + tmv(jb[t - 1]!, tb[t - 1]!)[h]!);
      expectClose(tf[t]!, wantF, { rtol: 1e-12, atol: 1e-15 });
      expectClose(tb[t]!, wantB, { rtol: 1e-12, atol: 1e-15 });
    }
  });

  it("the per-step contributions add up to ∇W⁽ᶠ⁾ and ∇U⁽ᵇ⁾ (Q1.3)", () => {
    expect(terms.stepsWf.shape).toEqual([T, H, 3]);
    expect(terms.stepsUb.shape).toEqual([T, H, H]);
    const sumSteps = (s: Mat[]): Mat => s[0]!.map((row, i) => row.map((_, j) => s.reduce((acc, m) => acc + m[i]![j]!, 0)));
    expectClose(sumSteps(terms.stepsWf.toArray() as Mat[]), r.grads.Wf, { rtol: 1e-12, atol: 1e-15 });
    expectClose(sumSteps(terms.stepsUb.toArray() as Mat[]), r.grads.Ub, { rtol: 1e-12, atol: 1e-15 });
    // Step t's term of ∇W⁽ᶠ⁾ is (∇_{h_t}L ⊙ h_t ⊙ (1 − h_t)) x_tᵀ.
    const hf = r.hf.toArray() as Mat;
    const tf = terms.totalF.toArray() as Mat;
    const step2 = tf[2]!.map((g, h) => x[2]!.map((xv) => g * hf[2]![h]! * (1 - hf[2]![h]!) * xv));
    expectClose((terms.stepsWf.toArray() as Mat[])[2]!, step2, { rtol: 1e-12, atol: 1e-15 });
  });

  it("are computed only when asked (terms: false is the default)", () => {
    expect(bptt(params, x, z, { hfInit, hbInit, terms: false }).terms).toBeUndefined();
    expect(bptt(params, x, z, { hfInit, hbInit }).terms).toBeUndefined();
  });
});

describe("bptt options, batches and edge cases", () => {
  const c = birnnCases[1]!;
  const { x, z, hfInit, hbInit, ...params } = c.input;

  it("a batch of B sequences sums the per-sequence losses and gradients", () => {
    const c2 = birnnCases[2]!;
    const xb = x.map((row, t) => [row, c2.input.x[t]!]);
    const zb = z.map((row, t) => [row, c2.input.z[t]!]);
    const hfB = [hfInit, c2.input.hfInit];
    const hbB = [hbInit, c2.input.hbInit];
    const rb = bptt(params, xb, zb, { hfInit: hfB, hbInit: hbB });
    const r1 = bptt(params, x, z, { hfInit, hbInit });
    const r2 = bptt(params, c2.input.x, c2.input.z, { hfInit: c2.input.hfInit, hbInit: c2.input.hbInit });
    expect(rb.loss).toBeCloseTo(r1.loss + r2.loss, 12);
    expect(rb.hf.shape).toEqual([5, 2, 4]);
    expect(rb.grads.hfInit.shape).toEqual([2, 4]);
    expectClose(rb.grads.hfInit, [r1.grads.hfInit.toArray(), r2.grads.hfInit.toArray()] as Mat, { rtol: 1e-12, atol: 1e-15 });
    for (const k of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const) {
      const want = (r1.grads[k].toArray() as Mat).map((row, i) => row.map((v, j) => v + (r2.grads[k].toArray() as Mat)[i]![j]!));
      expectClose(rb.grads[k], want, { rtol: 1e-12, atol: 1e-14 });
    }
    // A shared H-vector initial state is broadcast over the batch and its gradient summed.
    const shared = bptt(params, xb, zb, { hfInit, hbInit });
    expect(shared.grads.hbInit.shape).toEqual([4]);
  });

  it("reduction: mean divides the loss and the gradients by T·K", () => {
    const s = bptt(params, x, z, { hfInit, hbInit });
    const m = bptt(params, x, z, { hfInit, hbInit, reduction: "mean" });
    expect(m.loss).toBeCloseTo(s.loss / 10, 14);
    expectClose(m.grads.Uf, (s.grads.Uf.toArray() as Mat).map((row) => row.map((v) => v / 10)), { rtol: 1e-12, atol: 1e-16 });
  });

  it("accepts non-contiguous views and float32 tensors", () => {
    const WfT = transpose(tensor(params.Wf[0]!.map((_, j) => params.Wf.map((row) => row[j]!))));
    expect(WfT.isContiguous).toBe(false);
    const r = bptt({ ...params, Wf: WfT }, x, z, { hfInit, hbInit });
    expectClose(r.grads.Wf, c.expected.grads.Wf, { rtol: 1e-9 });
    const r32 = bptt({ ...params, Uf: tensor(params.Uf, undefined, { dtype: "float32" }) }, x, z, { hfInit, hbInit });
    // Uf rounded to float32 (relative error ≤ 6e-8) moves the loss by about that much.
    expect(Math.abs(r32.loss - c.expected.loss)).toBeLessThan(1e-6);
    expect(r32.grads.Uf.dtype).toBe("float64");
  });

  it("T = 0 gives a zero loss, empty states and zero gradients", () => {
    const r = bptt(params, tensor([], [0, 3]), tensor([], [0, 2]), { terms: true });
    expect(r.loss).toBe(0);
    expect(r.hf.shape).toEqual([0, 4]);
    expect(r.terms!.stepsWf.shape).toEqual([0, 4, 3]);
    expect(Array.from(r.grads.Wf.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(r.grads.hfInit.data).every((v) => v === 0)).toBe(true);
  });

  it("NaN propagates; ±Infinity saturates the sigmoid", () => {
    const bad = x.map((row) => [...row]);
    bad[2]![0] = Number.NaN;
    const r = bptt(params, bad, z, { hfInit, hbInit });
    expect(r.loss).toBeNaN();
    expect((r.y.toArray() as Mat)[0]!.every((v) => Number.isNaN(v))).toBe(true); // hb carries it back
    const inf = x.map((row) => [...row]);
    inf[0]![0] = Number.POSITIVE_INFINITY;
    const ri = bptt({ ...params, Wf: params.Wf.map((row) => row.map(() => 1)) }, inf, z, { hfInit, hbInit });
    expect((ri.hf.toArray() as Mat)[0]).toEqual([1, 1, 1, 1]);
    expect(Number.isFinite(ri.loss)).toBe(true);
  });

  it("names the field and both shapes in its errors", () => {
    expect(() => bptt({ ...params, Uf: [[1, 2]] }, x, z)).toThrow(/^bptt: Uf must be H×H \(H from Wf\) = \[4,4\], got \[1,2\]$/);
    expect(() => bptt({ ...params, Vb: [[1]] }, x, z)).toThrow("bptt: Vb must be K×H (from Vf) = [2,4], got [1,1]");
    expect(() => bptt(params, [[1, 2]], z)).toThrow("bptt: x must be T×D or T×B×D with D = 3 (from Wf), got [1,2]");
    expect(() => bptt(params, x, [[1, 2]])).toThrow("bptt: z must be T×K = [5,2], got [1,2]");
    expect(() => bptt(params, x, z, { hfInit: [1] })).toThrow("bptt: hfInit must be H = [4], got [1]");
    const { Ub: _omit, ...missing } = params;
    expect(() => bptt(missing as never, x, z)).toThrow(TypeError);
    expect(() => bptt(missing as never, x, z)).toThrow("bptt: params.Ub is missing");
    expect(() => bptt(params, x, z, { nonlinearity: "relu" as never })).toThrow('bptt: nonlinearity must be "sigmoid" or "tanh", got "relu"');
    expect(() => bptt(params, x, z, { reduction: "max" as never })).toThrow(TypeError);
  });
});
