/**
 * Batch renormalization against Ioffe (2017), Algorithm 1 and its backward equations transcribed
 * literally (per channel, plain loops), on fresh seeded inputs; and its special cases.
 */
import { add, createRng, grad, mul, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { batchNorm, batchNormBackward, batchRenorm, batchRenormBackward, initRunningStats } from "./index";

interface Paper {
  y: number[];
  r: number;
  d: number;
  mu: number;
  sigma: number;
  dx: number[];
  dgamma: number;
  dbeta: number;
}

/** Algorithm 1 of Ioffe (2017) for one channel's m values, and the paper's backward equations. */
function paper(x: number[], dy: number[], gamma: number, beta: number, mu: number, sigma: number, eps: number, rMax: number, dMax: number, alpha: number): Paper {
  const m = x.length;
  const muB = x.reduce((a, v) => a + v, 0) / m;
  const sigmaB = Math.sqrt(eps + x.reduce((a, v) => a + (v - muB) ** 2, 0) / m);
  const r = Math.min(rMax, Math.max(1 / rMax, sigmaB / sigma));
  const d = Math.min(dMax, Math.max(-dMax, (muB - mu) / sigma));
  const xh = x.map((v) => ((v - muB) / sigmaB) * r + d);
  const y = xh.map((v) => gamma * v + beta);
  const dxh = dy.map((g) => g * gamma);
  const dSigmaB = dxh.reduce((a, g, i) => a + g * (x[i]! - muB) * (-r / sigmaB ** 2), 0);
  const dMuB = dxh.reduce((a, g) => a + g * (-r / sigmaB), 0);
  const dx = x.map((v, i) => (dxh[i]! * r) / sigmaB + (dSigmaB * (v - muB)) / (m * sigmaB) + dMuB / m);
  return {
    y,
    r,
    d,
    mu: mu + alpha * (muB - mu),
    sigma: sigma + alpha * (sigmaB - sigma),
    dx,
    dgamma: dy.reduce((a, g, i) => a + g * xh[i]!, 0),
    dbeta: dy.reduce((a, g) => a + g, 0),
  };
}

/** Channel c of an (N, C, S) flat array, in (b, f) order. */
function channel(a: Float64Array, N: number, C: number, S: number, c: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < N; b++) for (let f = 0; f < S; f++) out.push(a[(b * C + c) * S + f]!);
  return out;
}

function flat(t: Tensor): Float64Array {
  return Float64Array.from(t.contiguous().data);
}

describe("batchRenorm (Ioffe 2017)", () => {
  const settings: [number, number[], number, number, number][] = [
    // seed, shape, rMax, dMax, momentum
    [11, [4, 3, 5], 3, 5, 0.01],
    [12, [6, 2], 1.5, 0.5, 0.1], // clipping active on some channels
    [13, [3, 4, 2, 3], 2, 1, 0.3],
    [14, [5, 2, 4], Infinity, Infinity, 0.5],
  ];
  for (const [seed, shape, rMax, dMax, momentum] of settings) {
    it(`seed ${String(seed)}, shape [${shape.join(",")}], rMax ${String(rMax)}, dMax ${String(dMax)}: y, r, d, running update and gradients equal Algorithm 1 (rtol 1e-10)`, () => {
      const rng = createRng(seed);
      const [N, C] = [shape[0]!, shape[1]!];
      const S = shape.slice(2).reduce((a, b) => a * b, 1);
      const x = add(mul(rng.normal(shape), 1.7), 0.4);
      const up = rng.normal(shape);
      const gamma = rng.normal([C]);
      const beta = rng.normal([C]);
      const runMean = rng.normal([C]);
      const runVar = mul(rng.uniform([C]), 3);
      const eps = 1e-3;
      const runningStats = { mean: runMean, variance: runVar, count: 2 };
      const opts = { gamma, beta, eps, rMax, dMax, momentum, runningStats };
      const res = batchRenorm(x, opts);
      const back = batchRenormBackward(x, up, opts);
      const [gx, gg, gb] = grad((a: Tensor, g: Tensor, b: Tensor) => sum(mul(batchRenorm(a, { ...opts, gamma: g, beta: b }).y, up)))(x, gamma, beta);
      const xs = flat(x);
      const ups = flat(up);
      const ys = flat(res.y);
      const dxs = flat(back.gradX);
      let clipped = 0;
      for (let c = 0; c < C; c++) {
        const sigma = Math.sqrt(flat(runVar)[c]! + eps);
        const ref = paper(channel(xs, N, C, S, c), channel(ups, N, C, S, c), flat(gamma)[c]!, flat(beta)[c]!, flat(runMean)[c]!, sigma, eps, rMax, dMax, momentum);
        if (ref.r === rMax || ref.r === 1 / rMax || Math.abs(ref.d) === dMax) clipped++;
        expectClose(channel(ys, N, C, S, c), ref.y, { rtol: 1e-10, atol: 1e-13, message: `y, channel ${String(c)}` });
        expectClose(channel(dxs, N, C, S, c), ref.dx, { rtol: 1e-10, atol: 1e-13, message: `gradX, channel ${String(c)}` });
        expectClose(channel(flat(gx), N, C, S, c), ref.dx, { rtol: 1e-10, atol: 1e-13, message: `grad through autodiff, channel ${String(c)}` });
        expect(flat(res.r)[c]).toBeCloseTo(ref.r, 13);
        expect(flat(res.d)[c]).toBeCloseTo(ref.d, 13);
        expect(flat(back.gradGamma)[c]).toBeCloseTo(ref.dgamma, 11);
        expect(flat(gg)[c]).toBeCloseTo(ref.dgamma, 11);
        expect(flat(back.gradBeta)[c]).toBeCloseTo(ref.dbeta, 11);
        expect(flat(gb)[c]).toBeCloseTo(ref.dbeta, 11);
        expect(flat(res.runningStats.mean)[c]).toBeCloseTo(ref.mu, 13);
        expect(Math.sqrt(flat(res.runningStats.variance)[c]! + eps)).toBeCloseTo(ref.sigma, 13);
      }
      expect(res.runningStats.count).toBe(3);
      if (seed === 12) expect(clipped).toBeGreaterThan(0);
    });
  }

  it("rMax = 1, dMax = 0 is batch normalization (y and every gradient)", () => {
    const rng = createRng(21);
    const x = rng.normal([5, 3, 2]);
    const up = rng.normal([5, 3, 2]);
    const gamma = tensor([1.5, -0.5, 2]);
    const o = { gamma, eps: 1e-5, runningStats: { mean: tensor([3, -2, 1]), variance: tensor([9, 0.1, 4]), count: 0 } };
    const rn = batchRenorm(x, { ...o, rMax: 1, dMax: 0 });
    expectClose(rn.y, batchNorm(x, o).y, { rtol: 1e-12, atol: 1e-14 });
    expect(rn.r.toArray()).toEqual([1, 1, 1]);
    const a = batchRenormBackward(x, up, { ...o, rMax: 1, dMax: 0 });
    const b = batchNormBackward(x, up, o);
    expectClose(a.gradX, b.gradX, { rtol: 1e-11, atol: 1e-14 });
    expectClose(a.gradGamma, b.gradGamma, { rtol: 1e-12, atol: 1e-14 });
  });

  it("inference uses the running statistics only and equals batchNorm in inference", () => {
    const rng = createRng(22);
    const x = rng.normal([4, 2, 3]);
    const up = rng.normal([4, 2, 3]);
    const runningStats = { mean: tensor([0.5, -1]), variance: tensor([2, 0.5]), count: 7 };
    const o = { training: false, runningStats, gamma: tensor([2, 3]), beta: tensor([0, 1]) };
    const rn = batchRenorm(x, o);
    expectClose(rn.y, batchNorm(x, o).y, { rtol: 1e-13, atol: 1e-15 });
    expectClose(batchRenormBackward(x, up, o).gradX, batchNormBackward(x, up, o).gradX, { rtol: 1e-13, atol: 1e-15 });
    expect(rn.runningStats.count).toBe(7);
    expect(rn.d.toArray()).toEqual([0, 0]);
  });

  it("when the running statistics equal the batch's, r = 1 and d = 0 (the output is batch norm's)", () => {
    const x = createRng(23).normal([6, 2]);
    const bn = batchNorm(x, { eps: 0.01 });
    const rn = batchRenorm(x, { eps: 0.01, runningStats: { mean: bn.mean, variance: bn.variance, count: 1 } });
    expectClose(rn.r, [1, 1], { rtol: 1e-14 });
    expectClose(rn.d, [0, 0], { atol: 1e-15 });
    expectClose(rn.y, bn.y, { rtol: 1e-12, atol: 1e-14 });
  });

  it("defaults: fresh running statistics, α = 0.01; null momentum is the cumulative average", () => {
    const x = add(createRng(24).normal([8, 2]), 3);
    const fresh = batchRenorm(x);
    const explicit = batchRenorm(x, { runningStats: initRunningStats(2), momentum: 0.01, rMax: 3, dMax: 5 });
    expect(fresh.y.toArray()).toEqual(explicit.y.toArray());
    expect(fresh.runningStats.mean.toArray()).toEqual(explicit.runningStats.mean.toArray());
    const first = batchRenorm(x, { momentum: null, eps: 1e-5 });
    expectClose(first.runningStats.mean, first.mean, { rtol: 1e-14 }); // count 1: the batch's own value
  });

  it("refuses bad clipping bounds, momentum and shapes, naming the values", () => {
    expect(() => batchRenorm([[1, 2], [3, 4]], { rMax: 0.5 })).toThrow("batchRenorm: rMax must be a number ≥ 1 (Infinity: no clipping), got 0.5");
    expect(() => batchRenorm([[1, 2], [3, 4]], { dMax: -1 })).toThrow("batchRenorm: dMax must be a number ≥ 0 (Infinity: no clipping), got -1");
    expect(() => batchRenorm([[1, 2], [3, 4]], { momentum: 2 })).toThrow("batchRenorm: momentum must be in [0, 1] or null, got 2");
    expect(() => batchRenorm([[1, 2]])).toThrow("batchRenorm: expected more than 1 value per channel when training, got input shape [1,2]");
    expect(() => batchRenorm([[1, 2], [3, 4]], { runningStats: { mean: tensor([0]), variance: tensor([1]), count: 0 } })).toThrow(
      "batchRenorm: runningStats.mean has shape [1], expected [2] (one per channel)",
    );
    expect(() => batchRenorm([[1, 2], [3, 4]], { rmax: 2 } as never)).toThrow("batchRenorm: unknown option `rmax` — did you mean `rMax`?");
  });
});
