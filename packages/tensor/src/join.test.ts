import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "./creation";
import { concat, split, stack } from "./join";
import { reshape, transpose } from "./views";
import { at, indices, makeLayout, nonEmptyShapeArb, values } from "../test/helpers/core-reference";

describe("concat", () => {
  it("joins along an existing axis", () => {
    expect(concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], -1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(concat([zeros([0, 2]), tensor([[1, 2]])]).toArray()).toEqual([[1, 2]]);
    const single = tensor([1]);
    expect(concat([single])).not.toBe(single);
  });
  it("matches an index-by-index reference on random layouts (property)", () => {
    fc.assert(
      fc.property(nonEmptyShapeArb(3, 3).filter((s) => s.length > 0), fc.nat(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), (shape, k, sizes) => {
        const a = k % shape.length;
        const parts = sizes.map((d, j) => makeLayout(shape.map((v, i) => (i === a ? d : v)), k + j + 1, (k + j) % 3));
        const out = concat(parts, a);
        const offsets = sizes.map((_, j) => sizes.slice(0, j).reduce((p, q) => p + q, 0));
        for (const i of indices(out.shape)) {
          let j = 0;
          while (i[a]! >= offsets[j]! + sizes[j]!) j++;
          expect(at(out, i)).toBe(at(parts[j]!, i.map((v, d) => (d === a ? v - offsets[j]! : v))));
        }
      }),
      { numRuns: 60 },
    );
  });
  it("promotes dtype: float32 only when every input is", () => {
    const f32 = tensor([1], undefined, { dtype: "float32" });
    expect(concat([f32, f32]).dtype).toBe("float32");
    expect(concat([f32, tensor([2])]).dtype).toBe("float64");
  });
  it("rejects empty lists, 0-d tensors and mismatched shapes", () => {
    expect(() => concat([])).toThrow(new RangeError("concat: expected at least one tensor, got an empty list"));
    expect(() => concat([tensor(1)])).toThrow(/^concat: cannot concatenate 0-d tensors/);
    expect(() => concat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(new RangeError("concat: shapes [2,3] and [2,4] differ outside axis 0"));
    expect(() => concat([zeros([2])], 1)).toThrow(/^concat: axis 1 is out of range/);
    expect(() => concat([zeros([2]), [1] as never])).toThrow(/^concat: element 1 is not a tensor/);
  });
});

describe("stack", () => {
  it("stacks along a new axis", () => {
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(stack([transpose(tensor([[1, 2]])), tensor([[3], [4]])]).toArray()).toEqual([[[1], [2]], [[3], [4]]]);
  });
  it("rejects mismatched shapes and bad axes", () => {
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(new RangeError("stack: shapes [2] and [3] differ"));
    expect(() => stack([zeros([2])], 2)).toThrow(/^stack: axis 2 is out of range/);
    expect(() => stack([])).toThrow(/^stack: expected at least one tensor/);
  });
});

describe("split", () => {
  it("splits into equal sections or given sizes, as views", () => {
    const x = arange(6);
    const parts = split(x, 3);
    expect(parts.map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(parts[0]!.data).toBe(x.data);
    expect(split(x, [1, 5]).map((t) => t.shape[0])).toEqual([1, 5]);
    expect(split(x, [0, 6]).map((t) => t.shape[0])).toEqual([0, 6]);
    const m = reshape(arange(6), [2, 3]);
    expect(split(m, [2, 1], -1).map((t) => t.toArray())).toEqual([[[0, 1], [3, 4]], [[2], [5]]]);
  });
  it("concat undoes split (property)", () => {
    fc.assert(
      fc.property(nonEmptyShapeArb(3, 4).filter((s) => s.length > 0), fc.nat(), (shape, k) => {
        const a = k % shape.length;
        const x = makeLayout(shape, k + 1, k % 3);
        const n = shape[a]!;
        const first = k % (n + 1);
        expect(values(concat(split(x, [first, n - first], a), a))).toEqual(values(x));
      }),
      { numRuns: 60 },
    );
  });
  it("rejects uneven sections and wrong sizes", () => {
    expect(() => split(arange(5), 2)).toThrow(new RangeError("split: axis 0 of size 5 cannot be split into 2 equal sections"));
    expect(() => split(arange(5), [2, 2])).toThrow(new RangeError("split: sizes [2,2] do not add up to size 5 of axis 0"));
    expect(() => split(arange(5), [6, -1])).toThrow(RangeError);
    expect(() => split(arange(5), 0)).toThrow(RangeError);
  });
});
