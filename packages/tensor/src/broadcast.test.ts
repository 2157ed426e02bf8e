import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { broadcastShapes, sumTo } from "./broadcast";
import { ones, tensor } from "./creation";
import { add } from "./elementwise";
import { transpose } from "./views";
import { expectClose } from "./testing/expect-close";
import { at, broadcastPairArb, indices, makeLayout, refBroadcastShape, shapeArb } from "../test/helpers/core-reference";

describe("broadcastShapes", () => {
  it("follows the NumPy rule", () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes([], [3])).toEqual([3]);
    expect(broadcastShapes([0], [1])).toEqual([0]);
    expect(broadcastShapes([5, 1], [1, 6], [6])).toEqual([5, 6]);
    expect(broadcastShapes()).toEqual([]);
  });
  it("names the op and the shapes when they cannot broadcast", () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow(new RangeError("broadcastShapes: shapes [2,3] and [4] cannot broadcast"));
    expect(() => add(ones([2, 3]), ones([4]))).toThrow(new RangeError("add: shapes [2,3] and [4] cannot broadcast"));
    expect(() => broadcastShapes([0], [2])).toThrow(RangeError);
  });
  it("agrees with an independent reference (property)", () => {
    fc.assert(
      fc.property(shapeArb(4, 3), shapeArb(4, 3), (a, b) => {
        const want = refBroadcastShape(a, b);
        if (want === null) expect(() => broadcastShapes(a, b)).toThrow(RangeError);
        else expect(broadcastShapes(a, b)).toEqual(want);
      }),
    );
  });
});

describe("sumTo", () => {
  it("sums leading and size-1 axes", () => {
    expect(sumTo(ones([2, 3]), [1, 3]).toArray()).toEqual([[2, 2, 2]]);
    expect(sumTo(ones([2, 3]), [3]).toArray()).toEqual([2, 2, 2]);
    expect(sumTo(ones([2, 3]), []).item()).toBe(6);
    expect(sumTo(transpose(tensor([[1, 2], [3, 4]])), [2, 1]).toArray()).toEqual([[4], [6]]);
  });
  it("returns a new object even when nothing is summed", () => {
    const x = tensor([1, 2]);
    const y = sumTo(x, [2]);
    expect(y).not.toBe(x);
    expect(y.toArray()).toEqual([1, 2]);
  });
  it("rejects shapes that do not broadcast to x", () => {
    expect(() => sumTo(ones([2, 3]), [2])).toThrow(new RangeError("sumTo: shape [2] does not broadcast to [2,3]"));
    expect(() => sumTo(ones([3]), [2, 3])).toThrow(RangeError);
  });
  it("is the adjoint of broadcasting: matches a nested-loop sum (property, any layout)", () => {
    fc.assert(
      fc.property(broadcastPairArb, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 2 }), ([big, small], seed, layout) => {
        const out = refBroadcastShape(big, small)!;
        const x = makeLayout(out, seed, layout);
        const got = sumTo(x, small);
        expect(got.shape).toEqual(small);
        const want = new Map<string, number>();
        for (const i of indices(small)) want.set(i.join(","), 0);
        const lead = out.length - small.length;
        for (const i of indices(out)) {
          const key = small.map((d, k) => (d === 1 ? 0 : i[lead + k]!)).join(",");
          want.set(key, want.get(key)! + at(x, i));
        }
        expectClose(got, tensor(indices(small).map((i) => want.get(i.join(","))!), small));
      }),
    );
  });
});
