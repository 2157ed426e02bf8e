import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor, zeros } from "./creation";
import type { Tensor } from "./tensor";
import { logSoftmax, softmax } from "./softmax";
import { sum } from "./reduce";
import { expectClose } from "./testing/expect-close";
import { at, indices, tensorArb } from "../test/helpers/core-reference";

/** Slow reference: for each element, loop over its slice along `axis`. */
function refSoftmax(x: Tensor, axis: number, log: boolean): number[] {
  const a = axis < 0 ? axis + x.ndim : axis;
  return indices(x.shape).map((i) => {
    const slice: number[] = [];
    for (let k = 0; k < x.shape[a]!; k++) slice.push(at(x, i.map((v, d) => (d === a ? k : v))));
    const m = Math.max(...slice);
    const z = slice.reduce((p, q) => p + Math.exp(q - m), 0);
    const v = at(x, i);
    return log ? v - m - Math.log(z) : Math.exp(v - m) / z;
  });
}

describe("softmax and logSoftmax", () => {
  it("known values", () => {
    expectClose(softmax(tensor([0, Math.log(3)])), [0.25, 0.75]);
    expectClose(softmax(tensor([[1, 1], [0, 0]]), 0), [[0.7310585786300049, 0.7310585786300049], [0.2689414213699951, 0.2689414213699951]]);
    expect(logSoftmax(tensor([1000, 1000])).toArray()).toEqual([-Math.LN2, -Math.LN2]);
    expect(logSoftmax(tensor([-1000, -1000])).toArray()).toEqual([-Math.LN2, -Math.LN2]);
    expect(softmax(tensor([1000, 0])).toArray()).toEqual([1, 0]);
    expectClose(logSoftmax(tensor([0, -1000])), [0, -1000]);
  });
  it("match a slow reference along any axis and layout (property)", () => {
    fc.assert(
      fc.property(tensorArb(), fc.nat(), (x, k) => {
        if (x.ndim === 0) return;
        const axis = (k % x.ndim) - (k % 2 ? x.ndim : 0);
        expectClose(softmax(x, axis), tensor(refSoftmax(x, axis, false), x.shape), { rtol: 1e-13, atol: 1e-15 });
        expectClose(logSoftmax(x, axis), tensor(refSoftmax(x, axis, true), x.shape), { rtol: 1e-13, atol: 1e-15 });
        const a = (axis + x.ndim) % x.ndim;
        if (x.size > 0) {
          const ones = tensor(new Float64Array(x.size / x.shape[a]!).fill(1), x.shape.filter((_, d) => d !== a));
          expectClose(sum(softmax(x, axis), axis), ones, { rtol: 1e-14 });
        }
      }),
      { numRuns: 80 },
    );
  });
  it("non-finite inputs: −Infinity entries get probability 0; an all −Infinity slice is NaN", () => {
    expect(softmax(tensor([-Infinity, 0])).toArray()).toEqual([0, 1]);
    expect(logSoftmax(tensor([-Infinity, 0])).toArray()).toEqual([-Infinity, 0]);
    expect(softmax(tensor([-Infinity, -Infinity])).toArray()).toEqual([NaN, NaN]);
    expect(softmax(tensor([NaN, 0])).toArray()).toEqual([NaN, NaN]);
    expect(softmax(zeros([2, 0]), 1).shape).toEqual([2, 0]);
  });
  it("defaults to the last axis and rejects bad axes", () => {
    expect(softmax(tensor([[0, 0]])).toArray()).toEqual([[0.5, 0.5]]);
    expect(() => softmax(tensor([1]), 1)).toThrow(new RangeError("softmax: axis 1 is out of range for a tensor with 1 axes"));
    expect(() => logSoftmax(tensor(1))).toThrow(/^logSoftmax: axis -1 is out of range/);
  });
});
