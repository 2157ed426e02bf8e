import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ones, tensor } from "./creation";
import { equal, greater, greaterEqual, isFinite, isNaN, less, lessEqual, notEqual, where } from "./compare";
import type { Tensor } from "./tensor";
import { expectClose } from "./testing/expect-close";
import { at, broadcastPairArb, indices, makeLayout, project, refBinary, refBroadcastShape } from "../test/helpers/core-reference";

const comparisons: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => boolean][] = [
  ["equal", equal, (x, y) => x === y],
  ["notEqual", notEqual, (x, y) => x !== y],
  ["less", less, (x, y) => x < y],
  ["lessEqual", lessEqual, (x, y) => x <= y],
  ["greater", greater, (x, y) => x > y],
  ["greaterEqual", greaterEqual, (x, y) => x >= y],
];

describe("comparisons", () => {
  it("give 1/0 with IEEE NaN rules", () => {
    const a = tensor([1, 2, NaN, Infinity]);
    const b = tensor([2, 2, NaN, Infinity]);
    expect(equal(a, b).toArray()).toEqual([0, 1, 0, 1]);
    expect(notEqual(a, b).toArray()).toEqual([1, 0, 1, 0]);
    expect(less(a, b).toArray()).toEqual([1, 0, 0, 0]);
    expect(lessEqual(a, b).toArray()).toEqual([1, 1, 0, 1]);
    expect(greater(a, 1).toArray()).toEqual([0, 1, 0, 1]);
    expect(greaterEqual(2, a).toArray()).toEqual([1, 1, 0, 0]);
  });
  for (const [name, op, ref] of comparisons) {
    it(`${name} broadcasts like a nested-loop reference (property)`, () => {
      fc.assert(
        fc.property(broadcastPairArb, fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 2 }), ([sa, sb], seed, layout) => {
          const a = makeLayout(sa, seed, layout);
          // Round to a coarse grid so equalities actually occur.
          const b = makeLayout(sb, seed, 0);
          const got = op(a, b);
          const want = refBinary(a, b, (x, y) => (ref(x, y) ? 1 : 0));
          expectClose(got, tensor(want.values, want.shape), { rtol: 0, atol: 0 });
        }),
        { numRuns: 40 },
      );
    });
  }
  it("rejects incompatible shapes with the op name", () => {
    expect(() => less(ones([2]), ones([3]))).toThrow(new RangeError("less: shapes [2] and [3] cannot broadcast"));
  });
});

describe("where", () => {
  it("chooses a where the condition is non-zero (NaN counts as true)", () => {
    const x = tensor([-1, 2, 3]);
    expect(where(greater(x, 0), x, 0).toArray()).toEqual([0, 2, 3]);
    expect(where(tensor([1, 0, NaN]), 1, tensor([5, 6, 7])).toArray()).toEqual([1, 6, 1]);
    expect(where(tensor([[1], [0]]), tensor([1, 2]), tensor(9)).toArray()).toEqual([[1, 2], [9, 9]]);
  });
  it("broadcasts three ways like a reference (property)", () => {
    fc.assert(
      fc.property(broadcastPairArb, fc.integer({ min: 1, max: 1e6 }), ([sa, sb], seed) => {
        const c = greater(makeLayout(sa, seed, 1), 0);
        const a = makeLayout(sb, seed + 1, 2);
        const b = makeLayout(sa, seed + 2, 0);
        const shape = refBroadcastShape(refBroadcastShape(sa, sb)!, sa)!;
        const got = where(c, a, b);
        const want = indices(shape).map((i) => (at(c, project(i, c.shape)) !== 0 ? at(a, project(i, a.shape)) : at(b, project(i, b.shape))));
        expectClose(got, tensor(want, shape), { rtol: 0, atol: 0 });
      }),
      { numRuns: 40 },
    );
  });
  it("rejects bad operands", () => {
    expect(() => where([1] as never, 1, 2)).toThrow(/^where: condition must be a tensor/);
    expect(() => where(ones([2]), ones([3]), 0)).toThrow(/^where: shapes \[2\] and \[3\] cannot broadcast/);
  });
});

describe("isNaN, isFinite", () => {
  it("test each element", () => {
    const x = tensor([1, NaN, Infinity, -Infinity, 0]);
    expect(isNaN(x).toArray()).toEqual([0, 1, 0, 0, 0]);
    expect(isFinite(x).toArray()).toEqual([1, 0, 0, 0, 1]);
  });
});
