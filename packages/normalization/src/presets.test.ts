import { grad, gradcheck, mul, permute, reshape, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  batchNorm,
  batchNormBackward,
  groupNorm,
  groupNormBackward,
  initRunningStats,
  instanceNorm,
  instanceNormBackward,
  layerNorm,
  layerNormBackward,
  momentumFromKeras,
  momentumToKeras,
  normalize,
  problemTensor,
  type NormalizeGrads,
} from "./index";

function filled(shape: number[], values: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => values[i % values.length]! + i * 0.29), shape);
}

const triple = (g: NormalizeGrads): readonly Tensor[] => [g.gradX, g.gradGamma, g.gradBeta];

const q = { rtol: 1e-12, atol: 1e-12 };

describe("Question 3.1 on the problem's 4×2×3 tensor", () => {
  const x = problemTensor();
  it("batch norm: per channel over batch and features", () => {
    const { mean, variance: v } = batchNorm(x);
    expectClose(mean, [2.5, 31 / 12], q);
    expectClose(v, [7 / 12, 1.0763888888888888], q);
  });
  it("layer norm: per sample over channels and features", () => {
    const { mean, variance: v } = layerNorm(x, [2, 3]);
    expectClose(mean, [2, 3, 2.5, 8 / 3], q);
    expectClose(v, [2 / 3, 2 / 3, 1.25, 2 / 9], q);
  });
  it("instance norm: per sample and channel over features", () => {
    const { mean, variance: v } = instanceNorm(x);
    expectClose(mean, [[2, 2], [8 / 3, 10 / 3], [8 / 3, 7 / 3], [8 / 3, 8 / 3]], q);
    expectClose(v, [[2 / 3, 2 / 3], [2 / 9, 8 / 9], [8 / 9, 14 / 9], [2 / 9, 2 / 9]], q);
  });
  it("the problem tensor is a fresh 4×2×3 float64 tensor", () => {
    expect(x.shape).toEqual([4, 2, 3]);
    expect(problemTensor()).not.toBe(problemTensor());
  });
});

describe("group norm", () => {
  const x = filled([3, 6, 4], [0.4, -1.3, 2.2, 0.1, 1.7]);
  const gamma = [1.2, 0.8, -0.5, 1, 2, 0.3];
  const beta = [0.1, 0.2, 0.3, -0.1, 0, 0.5];
  it("with C groups is instance norm", () => {
    const g = groupNorm(x, 6, { gamma, beta });
    const i = instanceNorm(x, { gamma, beta });
    expectClose(g.y, i.y, { rtol: 1e-13, atol: 1e-14 });
    expectClose(g.mean, i.mean, { rtol: 1e-13, atol: 1e-14 });
  });
  it("with 1 group is layer norm over (C, F) (per-channel affine = γ broadcast over F)", () => {
    const g = groupNorm(x, 1, { gamma, beta });
    const l = layerNorm(x, [6, 4], { gamma: gamma.map((c) => [c, c, c, c]), beta: beta.map((c) => [c, c, c, c]) });
    expectClose(g.y, l.y, { rtol: 1e-13, atol: 1e-14 });
    expectClose(g.variance, (l.variance.toArray() as number[]).map((v) => [v]), { rtol: 1e-13 });
  });
  it("pools consecutive channels: 3 groups of 2", () => {
    const g = groupNorm(x, 3);
    const ref = normalize(tensor(x.toArray()).contiguous(), { axes: [1, 2] }); // sanity: 1 pool per sample
    expect(g.mean.shape).toEqual([3, 3]);
    expect(ref.mean.shape).toEqual([3]);
    const rows = x.toArray() as number[][][];
    const pool = [...rows[1]![2]!, ...rows[1]![3]!];
    expectClose(g.mean.get(1, 1), pool.reduce((a, b) => a + b, 0) / pool.length, q);
  });
  it("rejects groups that do not divide C", () => {
    expect(() => groupNorm(x, 4)).toThrow("groupNorm: groups must be a positive integer dividing the 6 channels of shape [3,6,4], got 4");
    expect(() => groupNorm(x, 0)).toThrow(RangeError);
  });
});

describe("analytic backward passes", () => {
  const x = filled([3, 4, 5], [0.4, -1.3, 2.2, 0.1, 1.7, -0.6]);
  const up = filled([3, 4, 5], [1, -0.5, 0.25, 2]);
  const gC = tensor([1.2, 0.8, -0.5, 1.5]);
  const bC = tensor([0.1, 0.2, 0.3, -0.1]);
  const gL = filled([4, 5], [1, 0.5, -0.25]);
  const bL = filled([4, 5], [0.1, -0.1]);
  const presets: [string, (a: Tensor, g: Tensor, b: Tensor) => Tensor, (a: Tensor, g: Tensor, b: Tensor) => readonly Tensor[], Tensor, Tensor][] = [
    ["batchNorm", (a, g, b) => batchNorm(a, { gamma: g, beta: b }).y, (a, g, b) => triple(batchNormBackward(a, up, { gamma: g, beta: b })), gC, bC],
    ["layerNorm", (a, g, b) => layerNorm(a, [4, 5], { gamma: g, beta: b }).y, (a, g, b) => triple(layerNormBackward(a, up, { normalizedShape: [4, 5], gamma: g, beta: b })), gL, bL],
    ["instanceNorm", (a, g, b) => instanceNorm(a, { gamma: g, beta: b }).y, (a, g, b) => triple(instanceNormBackward(a, up, { gamma: g, beta: b })), gC, bC],
    ["groupNorm", (a, g, b) => groupNorm(a, 2, { gamma: g, beta: b }).y, (a, g, b) => triple(groupNormBackward(a, up, { groups: 2, gamma: g, beta: b })), gC, bC],
  ];
  it.each(presets)("%s: recorded backward = finite differences (gradcheck)", (_name, f, _b, g, b) => {
    expect(gradcheck(f, [x, g, b], { seed: 1 }).ok).toBe(true);
  });
  it.each(presets)("%s: explicit backward = autodiff of Σ(y ⊙ upstream) via the generic core", (name, _f, back, g, b) => {
    // Autodiff through normalize's generic core with the preset's axes and broadcast parameters.
    const axes = { batchNorm: [0, 2], layerNorm: [1, 2], instanceNorm: [2], groupNorm: [] }[name]!;
    const ours = back(x, g, b);
    if (name === "groupNorm") {
      // groupNorm = normalize over [N, G, C/G, F] with γ broadcast as [G, C/G, 1]
      const view = reshape(x, [3, 2, 2, 5]);
      const up4 = reshape(up, [3, 2, 2, 5]);
      const g4 = tensor(Array.from(g.data), [2, 2, 1]);
      const b4 = tensor(Array.from(b.data), [2, 2, 1]);
      const [gx, gg, gb] = grad((a: Tensor, gg2: Tensor, bb: Tensor) => sum(mul(normalize(a, { axes: [2, 3], gamma: gg2, beta: bb }).y, up4)))(view, g4, b4);
      expectClose(ours[0]!.data, gx.data, { rtol: 1e-10, atol: 1e-12 });
      expectClose(ours[1]!.data, gg.data, { rtol: 1e-10, atol: 1e-12 });
      expectClose(ours[2]!.data, gb.data, { rtol: 1e-10, atol: 1e-12 });
      return;
    }
    const pShape = name === "layerNorm" ? [4, 5] : [4, 1];
    const gp = tensor(Array.from(g.data), pShape);
    const bp = tensor(Array.from(b.data), pShape);
    const [gx, gg, gb] = grad((a: Tensor, gg2: Tensor, bb: Tensor) => sum(mul(normalize(a, { axes, gamma: gg2, beta: bb }).y, up)))(x, gp, bp);
    expectClose(ours[0]!, gx, { rtol: 1e-10, atol: 1e-12 });
    expectClose(ours[1]!.data, gg.data, { rtol: 1e-10, atol: 1e-12 });
    expectClose(ours[2]!.data, gb.data, { rtol: 1e-10, atol: 1e-12 });
  });
  it("batch norm's input gradient sums to zero per channel and is orthogonal to x̂ (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 7 }), (vals) => {
        const xx = filled([4, 2, 3], vals);
        const u = filled([4, 2, 3], [...vals].reverse());
        const { gradX } = batchNormBackward(xx, u);
        const g = gradX.toArray() as number[][][];
        for (let c = 0; c < 2; c++) {
          let s = 0;
          let scale = 0;
          for (const b of g) for (const v of b[c]!) { s += v; scale += Math.abs(v); }
          expect(Math.abs(s)).toBeLessThanOrEqual(1e-12 * (1 + scale));
        }
      }),
      { numRuns: 50, seed: 11 },
    );
  });
});

describe("batch norm state", () => {
  const x = problemTensor();
  it("updates running statistics as PyTorch: momentum 0.1 and the unbiased variance", () => {
    const r0 = initRunningStats(2);
    const { runningStats: running } = batchNorm(x, { runningStats: r0 });
    const n = 12;
    expectClose(running!.mean, [0.1 * 2.5, 0.1 * (31 / 12)], q);
    expectClose(running!.variance, [0.9 + 0.1 * (7 / 12) * (n / (n - 1)), 0.9 + 0.1 * 1.0763888888888888 * (n / (n - 1))], q);
    expect(running!.count).toBe(1);
  });
  it("momentum null is the cumulative average of the batch statistics", () => {
    let running = initRunningStats(2);
    const batches = [x, filled([4, 2, 3], [3, -1, 2]), filled([2, 2, 5], [0.5, 4])];
    for (const b of batches) running = batchNorm(b, { runningStats: running, momentum: null }).runningStats!;
    const means = batches.map((b) => batchNorm(b).mean.toArray() as number[]);
    expectClose(running.mean, [0, 1].map((c) => means.reduce((a, m) => a + m[c]!, 0) / 3), q);
    expect(running.count).toBe(3);
  });
  it("inference normalizes with the running statistics, and backward treats them as constants", () => {
    const running = { mean: tensor([1, 2]), variance: tensor([4, 0.25]), count: 5 };
    const r = batchNorm(x, { training: false, runningStats: running, eps: 0, gamma: [2, 1], beta: [0, 1] });
    expectClose(r.y.get(0, 0, 1), (2 * (3 - 1)) / 2, q);
    expectClose(r.y.get(0, 1, 2), (3 - 2) / 0.5 + 1, q);
    expect(r.runningStats!.mean).toBe(running.mean);
    expect(r.runningStats!.variance).toBe(running.variance);
    const up = filled([4, 2, 3], [1, 2, -1]);
    const g = batchNormBackward(x, up, { training: false, runningStats: running, eps: 0, gamma: [2, 1] });
    expectClose(g.gradX.get(1, 0, 2), (2 * up.get(1, 0, 2)) / 2, q);
    expectClose(g.gradX.get(1, 1, 2), up.get(1, 1, 2) / 0.5, q);
  });
  it("rejects a training batch with one value per channel, and inference without running stats", () => {
    expect(() => batchNorm([[1, 2, 3]])).toThrow("batchNorm: expected more than 1 value per channel when training, got input shape [1,3]");
    expect(() => batchNorm(x, { training: false })).toThrow(/^batchNorm: inference \(training: false\) needs running statistics/);
    expect(() => batchNorm(x, { momentum: 2 })).toThrow(/^batchNorm: momentum must be in \[0, 1\] or null, got 2$/);
    expect(() => batchNorm(x, { gamma: [1, 2, 3] })).toThrow("batchNorm: gamma has shape [3], expected [2] (one per channel)");
    expect(() => batchNorm([1, 2])).toThrow("batchNorm: expected an input of rank ≥ 2 laid out as (N, C, …), got shape [2]");
  });
  it("converts the Keras/TF momentum convention", () => {
    expectClose(momentumFromKeras(0.99), 0.01, { rtol: 1e-12 });
    expect(momentumToKeras(0.1)).toBeCloseTo(0.9, 15);
    expect(() => momentumFromKeras(1.5)).toThrow(RangeError);
  });
  it("works on [N, C] (BatchNorm1d) and a 4-d [N, C, H, W] batch", () => {
    const m = batchNorm([[1, 10], [3, 30]]);
    expect(m.mean.toArray()).toEqual([2, 20]);
    const x4 = filled([2, 3, 2, 2], [1, -2, 0.5]);
    expectClose(batchNorm(x4).y, normalize(x4, { axes: [0, 2, 3] }).y, { rtol: 0, atol: 0 });
  });
});

describe("layer and instance norm arguments", () => {
  it("layerNorm checks normalizedShape and the elementwise parameters", () => {
    expect(() => layerNorm(problemTensor(), [3, 2])).toThrow("layerNorm: normalizedShape [3,2] must be a non-empty trailing part of the input shape [4,2,3]");
    expect(() => layerNorm(problemTensor(), 3, { gamma: [1, 2] })).toThrow("layerNorm: gamma has shape [2], expected [3] (elementwise, the normalizedShape)");
    expect(layerNorm(problemTensor(), 3).mean.shape).toEqual([4, 2]);
  });
  it("instanceNorm needs spatial axes and has no affine by default", () => {
    expect(() => instanceNorm([[1, 2]])).toThrow(/^instanceNorm: expected an input of rank ≥ 3/);
    const r = instanceNorm(problemTensor(), { eps: 0 });
    expectClose(r.y.get(0, 0, 0), (1 - 2) / Math.sqrt(2 / 3), q);
  });
});

describe("presets on non-contiguous views", () => {
  it("give the same results as on a contiguous copy (forward and backward)", () => {
    // Stored as [N, F, C], viewed as [N, C, F]: every preset reads through strides.
    const stored = filled([3, 5, 4], [0.7, -1.1, 2.3, 0.2, -0.4]);
    const view = permute(stored, [0, 2, 1]);
    expect(view.isContiguous).toBe(false);
    const copy = tensor(view.toArray());
    const up = filled([3, 4, 5], [1, -2, 0.5]);
    const gamma = [1.5, -0.5, 1, 2];
    const tight = { rtol: 1e-14, atol: 1e-15 };
    expectClose(batchNorm(view, { gamma }).y, batchNorm(copy, { gamma }).y, tight);
    expectClose(instanceNorm(view).y, instanceNorm(copy).y, tight);
    expectClose(groupNorm(view, 2, { gamma }).y, groupNorm(copy, 2, { gamma }).y, tight);
    expectClose(layerNorm(view, [4, 5]).y, layerNorm(copy, [4, 5]).y, tight);
    expectClose(groupNormBackward(view, up, { groups: 2, gamma }).gradX, groupNormBackward(copy, up, { groups: 2, gamma }).gradX, tight);
    expectClose(batchNormBackward(view, permute(permute(up, [0, 2, 1]).contiguous(), [0, 2, 1]), { gamma }).gradX, batchNormBackward(copy, up, { gamma }).gradX, tight);
  });
});
