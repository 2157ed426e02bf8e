/**
 * Instance norm with running statistics against PyTorch's InstanceNorm{1,2}d(track_running_stats=True)
 * (test/fixtures/instance_running.py): two training calls and one eval call per case, chaining the
 * running statistics hw returns.
 */
import { readFileSync } from "node:fs";
import { grad, mul, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { instanceNorm, instanceNormBackward, type RunningStats } from "./index";

type Arr = number[] | number[][] | number[][][] | number[][][][];
interface Call {
  training: boolean;
  x: Arr;
  up: Arr;
  y: Arr;
  runningMean: number[];
  runningVariance: number[];
  gradX: Arr;
  gradGamma?: number[];
  gradBeta?: number[];
}
interface Case {
  shape: number[];
  eps: number;
  momentum: number;
  runningMean: number[];
  runningVariance: number[];
  gamma?: number[];
  beta?: number[];
  calls: Call[];
}

const cases = (JSON.parse(readFileSync(new URL("../test/fixtures/instance-running.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const tol = { rtol: 1e-9, atol: 1e-12 };

describe("instanceNorm({ runningStats }) = PyTorch track_running_stats=True", () => {
  cases.forEach((c, i) => {
    it(`case ${String(i)} (shape [${c.shape.join(",")}], momentum ${String(c.momentum)}${c.gamma ? ", affine" : ""}): train, train, eval`, () => {
      let stats: RunningStats = { mean: tensor(c.runningMean), variance: tensor(c.runningVariance), count: 0 };
      const affine = c.gamma === undefined ? {} : { gamma: tensor(c.gamma), beta: tensor(c.beta!) };
      for (const call of c.calls) {
        const opts = { eps: c.eps, momentum: c.momentum, training: call.training, runningStats: stats, ...affine };
        const r = instanceNorm(call.x, opts);
        expectClose(r.y, call.y, { ...tol, message: "y" });
        expectClose(r.runningStats!.mean, call.runningMean, { ...tol, message: "running mean" });
        expectClose(r.runningStats!.variance, call.runningVariance, { ...tol, message: "running variance" });
        const b = instanceNormBackward(call.x, call.up, opts);
        expectClose(b.gradX, call.gradX, { ...tol, message: "gradX" });
        if (call.gradGamma) {
          expectClose(b.gradGamma, call.gradGamma, { ...tol, message: "gradGamma" });
          expectClose(b.gradBeta, call.gradBeta!, { ...tol, message: "gradBeta" });
        }
        // The same gradient by autodiff through instanceNorm.
        const gx = grad((a: Tensor) => sum(mul(instanceNorm(a, opts).y, tensor(call.up))))(tensor(call.x));
        expectClose(gx, call.gradX, { ...tol, message: "gradX by autodiff" });
        stats = r.runningStats!;
      }
      expect(stats.count).toBe(2);
    });
  });

  it("without runningStats nothing changes (track_running_stats=False): training: false still uses the instance statistics", () => {
    const x = cases[0]!.calls[0]!.x;
    const a = instanceNorm(x);
    expect(a.runningStats).toBeUndefined();
    expect(instanceNorm(x, { training: false }).y.toArray()).toEqual(a.y.toArray());
  });

  it("momentum null is the cumulative average; bad running statistics are refused", () => {
    const c = cases[0]!;
    const x1 = c.calls[0]!.x;
    const x2 = c.calls[1]!.x;
    const s0: RunningStats = { mean: tensor([0, 0]), variance: tensor([1, 1]), count: 0 };
    const s1 = instanceNorm(x1, { runningStats: s0, momentum: null }).runningStats!;
    const s2 = instanceNorm(x2, { runningStats: s1, momentum: null }).runningStats!;
    const m1 = instanceNorm(x1, { runningStats: s0, momentum: 1 }).runningStats!;
    const m2 = instanceNorm(x2, { runningStats: s0, momentum: 1 }).runningStats!;
    expectClose(s2.mean, (m1.mean.toArray() as number[]).map((v, k) => (v + (m2.mean.toArray() as number[])[k]!) / 2), { rtol: 1e-14 });
    expect(() => instanceNorm(x1, { runningStats: { mean: tensor([0]), variance: tensor([1]), count: 0 } })).toThrow(
      "instanceNorm: runningStats.mean has shape [1], expected [2] (one per channel)",
    );
    expect(() => instanceNorm([[[1], [2]]], { runningStats: s0 })).toThrow("instanceNorm: expected more than 1 spatial element per channel when training with runningStats, got input shape [1,2,1]");
    expect(() => instanceNorm(x1, { runningStats: s0, momentum: -0.5 })).toThrow("instanceNorm: momentum must be in [0, 1] or null, got -0.5");
  });
});
