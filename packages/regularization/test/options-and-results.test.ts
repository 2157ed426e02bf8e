/**
 * Issues 11/12 for @hw/regularization: strict options, Tensor results, bounded Monte Carlo memory,
 * and the deprecated 0.0 call forms and names (which keep working, warning once).
 */
/* eslint-disable @typescript-eslint/no-deprecated -- the deprecated forms are part of what is tested */
import { isTensor, tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import * as api from "../src/index";

const X = [[1, 0], [0, 3], [1, 1]];
const y = [1, 2, 3];
const w = [1, 1];

describe("strict options", () => {
  const cases: [string, () => unknown, string][] = [
    ["dropout", () => api.dropout([1, 2], 0.5, { sed: 1 } as never), "dropout: unknown option `sed` — did you mean `seed`?"],
    ["monteCarloDropoutLoss", () => api.monteCarloDropoutLoss(X, y, { w, p: 0.5, numSample: 10 } as never), "monteCarloDropoutLoss: unknown option `numSample` — did you mean `numSamples`?"],
    ["expectedDropoutLoss", () => api.expectedDropoutLoss(X, y, { w, p: 0.5, q: 1 } as never), "expectedDropoutLoss: unknown option `q`"],
    ["dropoutLoss", () => api.dropoutLoss(X, y, { w, R: X } as never), "dropoutLoss: unknown option `R`"],
    ["compareDropoutRidge", () => api.compareDropoutRidge(X, y, { p: 0.5, lambd: 1 } as never), "compareDropoutRidge: unknown option `lambd` — did you mean `lambda`?"],
    ["trainDropoutRegression", () => api.trainDropoutRegression(X, y, { p: 0.5, learningRate: 0.1 } as never), "trainDropoutRegression: unknown option `learningRate`"],
    ["keepProbability", () => api.keepProbability(0.5, { allowzero: true } as never), "keepProbability: unknown option `allowzero` — did you mean `allowZero`?"],
  ];
  for (const [name, call, message] of cases) {
    it(`${name} rejects a misspelled option`, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(message);
    });
  }
  it("required option keys are named when missing", () => {
    expect(() => api.expectedDropoutLoss(X, y, { w } as never)).toThrow("expectedDropoutLoss: options.p is required");
    expect(() => api.monteCarloDropoutLoss(X, y, { p: 0.5 } as never)).toThrow("monteCarloDropoutLoss: options.w is required");
    expect(() => api.compareDropoutRidge(X, y, {} as never)).toThrow("compareDropoutRidge: options.p is required");
  });
});

describe("results are Tensors (issue 12), never bare typed arrays", () => {
  it("every vector field of every solution is a rank-1 float64 Tensor", () => {
    const d = api.dropoutSolution(X, y, 0.5);
    const c = api.compareDropoutRidge(X, y, { p: 0.5, lambda: 1 });
    const t = api.trainDropoutRegression(X, y, { p: 0.5, epochs: 3 });
    const vectors = [
      d.w, d.pw, d.gamma2, api.ridgeSolution(X, y, 1).w, api.tikhonovSolution(X, y, [1, 2]).w, api.tikhonovSolution(X, y, 1).penalty,
      api.dropoutPath(X, y, [0.5])[0]!.w, api.dropoutPath(X, y, [0.5])[0]!.pw, api.ridgePath(X, y, [1])[0]!.w,
      c.gamma2, c.dropoutPenalty, c.wDropout, c.pwDropout, c.wRidge, t.w, t.wLast, t.history,
    ];
    for (const v of vectors) {
      expect(isTensor(v)).toBe(true);
      expect(v.ndim).toBe(1);
      expect(v.dtype).toBe("float64");
    }
    expectClose(api.ridgeSolution(X, y, 1).w, [1.09375, 0.71875], { rtol: 1e-14 });
    expect(t.history.shape).toEqual([3]);
  });
  it("solutions can be passed back as inputs", () => {
    const s = api.ridgeSolution(X, y, 1);
    // p = 1: the plain squared error of the ridge weights [35/32, 23/32].
    expectClose(api.expectedDropoutLoss(X, y, { w: s.w, p: 1 }), (1 - 35 / 32) ** 2 + (2 - 69 / 32) ** 2 + (3 - 58 / 32) ** 2, { rtol: 1e-13 });
  });
});

describe("Monte Carlo memory is O(1) in the number of samples (issue 11)", () => {
  it("a billion samples start streaming (stopped by the progress callback) instead of allocating 8 GB", () => {
    const stop = new Error("stop");
    let seen = 0;
    expect(() =>
      api.monteCarloDropoutLoss([[1]], [1], {
        w: [1],
        p: 0.5,
        numSamples: 1e9,
        onProgress: (done, total) => {
          seen = done;
          expect(total).toBe(1e9);
          throw stop;
        },
      }),
    ).toThrow(stop);
    expect(seen).toBe(1e7);
  });
});

describe("deprecated 0.0 forms and names still work, warning once", () => {
  let warn: MockInstance;
  beforeEach(() => {
    warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
  });
  const warned = (text: string): boolean => warn.mock.calls.some(([m]) => String(m).includes(text));

  it("positional (X, y, w, p) forms give the same numbers", () => {
    expect(api.expectedDropoutLoss(X, y, w, 0.5)).toBe(api.expectedDropoutLoss(X, y, { w, p: 0.5 }));
    expect(api.dropoutLoss(X, y, w, [[1, 0], [1, 1], [0, 1]])).toBe(api.dropoutLoss(X, y, { w, mask: [[1, 0], [1, 1], [0, 1]] }));
    const old = api.monteCarloDropoutLoss(X, y, w, 0.5, { samples: 50, seed: 2 });
    const now = api.monteCarloDropoutLoss(X, y, { w, p: 0.5, numSamples: 50, seed: 2 });
    expect(old.mean).toBe(now.mean);
    expect(old.samples).toBe(50);
    expect(now.numSamples).toBe(50);
    expect(Object.keys(now)).not.toContain("samples");
    expect(api.compareDropoutRidge(X, y, 0.5, { lambda: 1 }).wRidge.toArray()).toEqual(api.compareDropoutRidge(X, y, { p: 0.5, lambda: 1 }).wRidge.toArray());
    expect(api.trainDropoutRegression(X, y, { drop: 0.5 }, { epochs: 3 }).w.toArray()).toEqual(api.trainDropoutRegression(X, y, { p: 0.5, epochs: 3 }).w.toArray());
    expect(warned("expectedDropoutLoss(X, y, w, p) is deprecated")).toBe(true);
    expect(warned("monteCarloDropoutLoss: option `samples` is deprecated")).toBe(true);
    expect(warned("monteCarloDropoutLoss: the result field `samples` is deprecated")).toBe(true);
  });
  it("typed-array vectors are still read (deprecated)", () => {
    expect(api.ridgeSolution(X, Float64Array.from(y) as never, 1).w.toArray()).toEqual(api.ridgeSolution(X, tensor(y), 1).w.toArray());
    expect(warned("ridgeSolution: a typed array as y is deprecated")).toBe(true);
  });
});
