import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Tensor, isTensor } from "./tensor";
import { tensor, zeros } from "./creation";
import { slice, transpose } from "./views";
import { at, indices, tensorArb } from "../test/helpers/core-reference";

describe("Tensor", () => {
  it("is recognised by its brand, not by instanceof", () => {
    const x = tensor([1]);
    expect(isTensor(x)).toBe(true);
    expect(isTensor({ [Symbol.for("@hw/tensor")]: true })).toBe(true);
    expect(isTensor({ shape: [1] })).toBe(false);
    expect(isTensor(null)).toBe(false);
    expect(isTensor(3)).toBe(false);
  });

  it("contiguous() returns a new object; a view shares storage, a strided tensor is copied", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const c = x.contiguous();
    expect(c).not.toBe(x);
    expect(c.data).toBe(x.data);
    const t = transpose(x);
    expect(t.isContiguous).toBe(false);
    const tc = t.contiguous();
    expect(tc.isContiguous).toBe(true);
    expect(tc.data).not.toBe(x.data);
    expect(Array.from(tc.data)).toEqual([1, 3, 2, 4]);
  });

  it("contiguous() keeps every element (property, any layout)", () => {
    fc.assert(
      fc.property(tensorArb(), (x) => {
        const c = x.contiguous();
        expect(c.isContiguous).toBe(true);
        expect(c.shape).toEqual(x.shape);
        for (const i of indices(x.shape)) expect(at(c, i)).toBe(at(x, i));
      }),
    );
  });

  it("toArray gives nested arrays, a number for 0-d, and follows strides", () => {
    expect(tensor([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor(5).toArray()).toBe(5);
    expect(transpose(tensor([[1, 2], [3, 4]])).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it("get reads with negative indices and rejects bad ones", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.get(0, 0)).toBe(1);
    expect(x.get(-1, -1)).toBe(6);
    expect(slice(x, [null, [null, null, -1]]).get(0, 0)).toBe(3);
    expect(() => x.get(2, 0)).toThrow(new RangeError("get: index 2 is out of range for axis 0 of size 2 (shape [2,3])"));
    expect(() => x.get(0)).toThrow(/^get: expected 2 indices/);
    expect(() => x.get(0.5, 0)).toThrow(RangeError);
  });

  it("item reads 0-d and size-1 tensors only", () => {
    expect(tensor(3).item()).toBe(3);
    expect(tensor([[7]]).item()).toBe(7);
    expect(slice(tensor([1, 2, 3]), [[2]]).item()).toBe(3);
    expect(() => tensor([1, 2]).item()).toThrow(new RangeError("item: tensor of shape [2] has 2 elements, expected 1"));
  });

  it("the low-level constructor infers dtype and contiguous strides", () => {
    const x = new Tensor(new Float32Array(6), [2, 3]);
    expect(x.dtype).toBe("float32");
    expect(x.strides).toEqual([3, 1]);
    expect(x.size).toBe(6);
    expect(x.ndim).toBe(2);
    expect(new Tensor(new Float64Array(1), []).size).toBe(1);
  });
});
