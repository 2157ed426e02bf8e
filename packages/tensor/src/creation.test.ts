import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, eye, full, fullLike, linspace, ones, onesLike, scalar, tensor, zeros, zerosLike } from "./creation";
import { values } from "../test/helpers/core-reference";

describe("tensor", () => {
  it("infers the shape of nested arrays and copies row-major", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.strides).toEqual([3, 1]);
    expect(x.dtype).toBe("float64");
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it("accepts a number (0-d), a flat array with a shape, and typed arrays (copied)", () => {
    expect(tensor(2.5).shape).toEqual([]);
    expect(tensor(2.5).item()).toBe(2.5);
    expect(tensor([1, 2, 3, 4, 5, 6], [2, 3]).get(1, 0)).toBe(4);
    const src = new Float64Array([1, 2, 3, 4]);
    const t = tensor(src, [2, 2]);
    src[0] = 99;
    expect(t.get(0, 0)).toBe(1);
    expect(tensor(new Float32Array([1, 2])).dtype).toBe("float32");
    expect(tensor(new Int32Array([1, -2])).toArray()).toEqual([1, -2]);
    expect(tensor([1, 2], undefined, { dtype: "float32" }).data).toBeInstanceOf(Float32Array);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });
  it("accepts NaN and ±Infinity as data", () => {
    expect(tensor([NaN, Infinity, -Infinity]).toArray()).toEqual([NaN, Infinity, -Infinity]);
  });
  it("rounds to float32 when asked", () => {
    expect(tensor([0.1], undefined, { dtype: "float32" }).get(0)).toBe(Math.fround(0.1));
  });
  it("rejects ragged arrays, non-numbers, bad shapes and dtypes", () => {
    expect(() => tensor([[1, 2, 3], [4, 5]])).toThrow(new RangeError("tensor: ragged nested array at [1]: expected length 3, got 2"));
    expect(() => tensor([[1, 2], 3] as never)).toThrow(RangeError);
    expect(() => tensor([1, [2]] as never)).toThrow(/^tensor: ragged nested array at \[1\]/);
    expect(() => tensor([1, "2"] as never)).toThrow(new TypeError('tensor: expected a number at [1], got string "2"'));
    expect(() => tensor([1, null] as never)).toThrow(TypeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(new RangeError("tensor: 3 values cannot fill shape [2,2]"));
    expect(() => tensor([[1, 2]], [2, 1])).toThrow(/^tensor: nested arrays have shape \[1,2\]/);
    expect(() => tensor([1], [-1])).toThrow(/^tensor: invalid shape/);
    expect(() => tensor([1], undefined, { dtype: "int32" as never })).toThrow(TypeError);
    expect(() => tensor("abc" as never)).toThrow(TypeError);
  });
  it("round-trips through toArray (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), fc.integer(), (shape, seed) => {
        const n = shape.reduce((p, d) => p * d, 1);
        const flat = Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 1000) / 7);
        const x = tensor(flat, shape);
        const y = tensor(x.toArray(), shape);
        expect(y.shape).toEqual(shape);
        expect(values(y)).toEqual(flat);
      }),
    );
  });
});

describe("constant fills", () => {
  it("zeros, ones, full, scalar and the like variants", () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones([2]).toArray()).toEqual([1, 1]);
    expect(full([2], NaN).toArray()).toEqual([NaN, NaN]);
    expect(full([], 3).item()).toBe(3);
    expect(scalar(4).shape).toEqual([]);
    expect(zeros([0, 3]).size).toBe(0);
    expect(ones([2], { dtype: "float32" }).dtype).toBe("float32");
    const f32 = ones([2, 2], { dtype: "float32" });
    expect(zerosLike(f32).dtype).toBe("float32");
    expect(onesLike(f32, { dtype: "float64" }).dtype).toBe("float64");
    expect(fullLike(f32, 7).toArray()).toEqual([[7, 7], [7, 7]]);
  });
  it("rejects invalid shapes naming the op", () => {
    expect(() => zeros([2, -1])).toThrow(new RangeError("zeros: invalid shape [2,-1]: dimensions must be non-negative integers"));
    expect(() => ones([1.5])).toThrow(/^ones: invalid shape/);
    expect(() => full([2], "x" as never)).toThrow(TypeError);
    expect(() => scalar("x" as never)).toThrow(/^scalar:/);
  });
});

describe("eye, arange, linspace", () => {
  it("eye is the identity, rectangular when asked", () => {
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(0).shape).toEqual([0, 0]);
    expect(() => eye(-1)).toThrow(/^eye:/);
  });
  it("arange follows NumPy lengths and signs", () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 1).size).toBe(0);
    expect(arange(0, 1, 0.1).size).toBe(10);
    expect(() => arange(0, 1, 0)).toThrow(new RangeError("arange: step must be non-zero, got 0"));
    expect(() => arange(0, Infinity)).toThrow(/^arange:/);
  });
  it("linspace includes both ends", () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(linspace(0, 0.3, 4).get(3)).toBe(0.3);
    expect(() => linspace(0, 1, -1)).toThrow(/^linspace:/);
  });
});
