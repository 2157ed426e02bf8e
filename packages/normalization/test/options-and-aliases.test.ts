/* eslint-disable @typescript-eslint/no-deprecated -- this file checks that the deprecated spellings still work */
/**
 * Issue 11/12 for @hw/normalization: strict options (unknown keys are errors naming the closest
 * known key) and the vocabulary's renames (`variance`, `runningStats`, `axis`), whose old spellings
 * keep working for one minor version with one warning each.
 */
import { tensor } from "@hw/tensor";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import * as api from "../src/index";

const x = api.problemTensor();

describe("strict options", () => {
  const cases: [string, () => unknown, string][] = [
    ["moments", () => api.moments(x, 0, { keepdims: true } as never), "moments: unknown option `keepdims` — did you mean `keepDims`?"],
    ["normalize", () => api.normalize(x, { axes: 0, epsilon: 1 } as never), "normalize: unknown option `epsilon`"],
    ["batchNorm", () => api.batchNorm(x, { momentun: 0.2 } as never), "batchNorm: unknown option `momentun` — did you mean `momentum`?"],
    ["batchNorm runningStats", () => api.batchNorm(x, { runningStats: { mean: [0, 0], variance: [1, 1], cnt: 0 } } as never), "batchNorm: runningStats: unknown option `cnt`"],
    ["layerNorm", () => api.layerNorm(x, 3, { gama: [1, 1, 1] } as never), "layerNorm: unknown option `gama` — did you mean `gamma`?"],
    ["instanceNorm", () => api.instanceNorm(x, { bta: [0, 0] } as never), "instanceNorm: unknown option `bta` — did you mean `beta`?"],
    ["groupNorm", () => api.groupNorm(x, 2, { groups: 2 } as never), "groupNorm: unknown option `groups`"],
    ["groupNormBackward", () => api.groupNormBackward(x, x, { group: 2 } as never), "groupNormBackward: unknown option `group` — did you mean `groups`?"],
    ["layerNormBackward", () => api.layerNormBackward(x, x, { normalisedShape: 3 } as never), "layerNormBackward: unknown option `normalisedShape` — did you mean `normalizedShape`?"],
    ["initRunningStats", () => api.initRunningStats(2, { dype: "float32" } as never), "initRunningStats: unknown option `dype` — did you mean `dtype`?"],
    ["weightNorm", () => api.weightNorm([1, 2], 1, { axes: 0 } as never), "weightNorm: unknown option `axes` — did you mean `axis`?"],
    ["whitenedBatchNormEqualsWeightNorm", () => api.whitenedBatchNormEqualsWeightNorm({ u: [1, 2], seeds: 1 } as never), "whitenedBatchNormEqualsWeightNorm: unknown option `seeds` — did you mean `seed`?"],
  ];
  for (const [name, call, message] of cases) {
    it(`${name} rejects a misspelled option`, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    });
  }
  it("required option keys are named when missing", () => {
    expect(() => api.normalize(x, {} as never)).toThrow("normalize: options.axes is required");
    expect(() => api.groupNormBackward(x, x, {} as never)).toThrow("groupNormBackward: options.groups is required");
  });
});

describe("deprecated spellings still work, warning once", () => {
  let warn: MockInstance;
  beforeEach(() => {
    warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
  });
  const warnings = (): string[] => warn.mock.calls.map(([m]) => String(m));

  it("`var` on statistics results is `variance`, hidden from JSON and spreads", () => {
    const r = api.batchNorm(x);
    expect(r.var).toBe(r.variance);
    expect(api.moments(x, [0, 2]).var.toArray()).toEqual(api.moments(x, [0, 2]).variance.toArray());
    expect(Object.keys(r).sort()).toEqual(["mean", "runningStats", "variance", "y"]);
    expect(Object.keys(api.layerNorm(x, 3))).not.toContain("var");
  });
  it("`running` (option and result) is `runningStats`; a `{ mean, var, count }` object is read", () => {
    const r = api.batchNorm(x, { running: { mean: tensor([0, 0]), var: tensor([1, 1]), count: 0 } });
    const viaNew = api.batchNorm(x, { runningStats: api.initRunningStats(2) });
    expect(r.running!.variance.toArray()).toEqual(viaNew.runningStats!.variance.toArray());
    expect(r.runningStats!.var!.toArray()).toEqual(viaNew.runningStats!.variance.toArray());
    expect(warnings().some((m) => m.includes("batchNorm: option `running` is deprecated") && m.includes("use `runningStats`"))).toBe(true);
    expect(warnings().some((m) => m.includes("batchNorm: runningStats: option `var` is deprecated"))).toBe(true);
  });
  it("the old positional layerNormBackward/groupNormBackward forms give the same gradients", () => {
    const up = x;
    expect(api.layerNormBackward(x, up, [2, 3], { eps: 0 }).gradX.toArray()).toEqual(api.layerNormBackward(x, up, { normalizedShape: [2, 3], eps: 0 }).gradX.toArray());
    expect(api.groupNormBackward(x, up, 2).gradX.toArray()).toEqual(api.groupNormBackward(x, up, { groups: 2 }).gradX.toArray());
  });
  it("the Monte-Carlo rows' `varY` is `varianceY`", () => {
    const row = api.whitenedBatchNormEqualsWeightNorm({ u: [1, 2], sizes: [10] }).rows[0]!;
    expect(row.varY).toBe(row.varianceY);
  });
});
