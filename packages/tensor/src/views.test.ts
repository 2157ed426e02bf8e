import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "./creation";
import { broadcastTo, expandDims, flatten, permute, reshape, select, slice, squeeze, swapAxes, transpose } from "./views";
import type { SliceSpec } from "./views";
import { at, indices, makeLayout, nonEmptyShapeArb, shapeArb, tensorArb, values } from "../test/helpers/core-reference";

/** Python's slice semantics, written as a filter over the candidate indices. */
function refSliceIndices(n: number, start: number | null, stop: number | null, step: number): number[] {
  const norm = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + n : v));
  const out: number[] = [];
  if (step > 0) {
    const lo = start === null ? 0 : norm(start, 0, n);
    const hi = stop === null ? n : norm(stop, 0, n);
    for (let i = 0; i < n; i++) if (i >= lo && i < hi && (i - lo) % step === 0) out.push(i);
  } else {
    const lo = start === null ? n - 1 : norm(start, -1, n - 1);
    const hi = stop === null ? -1 : norm(stop, -1, n - 1);
    for (let i = n - 1; i >= 0; i--) if (i <= lo && i > hi && (lo - i) % -step === 0) out.push(i);
  }
  return out;
}

describe("reshape and flatten", () => {
  it("reshapes contiguous tensors as views and infers -1", () => {
    const x = arange(6);
    const y = reshape(x, [2, -1]);
    expect(y.shape).toEqual([2, 3]);
    expect(y.data).toBe(x.data);
    expect(y).not.toBe(x);
    expect(y.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(reshape(tensor(5), [1, 1]).toArray()).toEqual([[5]]);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
  });
  it("views a transposed tensor when strides allow, copies otherwise", () => {
    const t = transpose(reshape(arange(24), [2, 3, 4])); // shape [4,3,2], strides [1,4,12]
    const v = reshape(t, [4, 3, 2, 1]);
    expect(v.data).toBe(t.data);
    const c = reshape(t, [12, 2]);
    expect(c.toArray()).toEqual(Array.from({ length: 12 }, (_, k) => [values(t)[2 * k], values(t)[2 * k + 1]]));
    const s = slice(reshape(arange(12), [3, 4]), [null, [0, 4, 2]]); // [3,2] strides [4,2]
    expect(reshape(s, [6]).toArray()).toEqual([0, 2, 4, 6, 8, 10]);
  });
  it("keeps row-major order for any layout and target (property)", () => {
    fc.assert(
      fc.property(tensorArb(shapeArb(4, 3)), fc.integer({ min: 0, max: 3 }), (x, split) => {
        const flat = values(x);
        // Target: the size factored as [n] or [a, n/a] or with inserted 1s.
        const targets: number[][] = [[x.size], [1, x.size, 1]];
        if (x.size > 0 && x.size % (split + 1) === 0) targets.push([split + 1, -1]);
        for (const target of targets) {
          const y = reshape(x, target);
          expect(values(y)).toEqual(flat);
        }
        expect(values(flatten(x))).toEqual(flat);
      }),
    );
  });
  it("rejects size mismatches and repeated -1", () => {
    expect(() => reshape(arange(6), [4, -1])).toThrow(new RangeError("reshape: cannot reshape [6] (size 6) into [4,-1]"));
    expect(() => reshape(arange(6), [4, 2])).toThrow(/^reshape: cannot reshape \[6\]/);
    expect(() => reshape(arange(6), [-1, -1])).toThrow(/^reshape: only one -1/);
    expect(() => reshape(zeros([0]), [0, -1])).toThrow(RangeError);
    expect(() => reshape(arange(6), [-2, -3])).toThrow(/^reshape: invalid shape/);
  });
});

describe("transpose, permute, swapAxes", () => {
  it("transpose reverses the axes without copying", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const t = transpose(x);
    expect(t.shape).toEqual([3, 2]);
    expect(t.data).toBe(x.data);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(tensor([1, 2])).toArray()).toEqual([1, 2]);
  });
  it("permute moves axis axes[i] to position i (property)", () => {
    fc.assert(
      fc.property(tensorArb(shapeArb(4, 3)), fc.integer(), (x, seed) => {
        const perm = x.shape.map((_, i) => i);
        for (let i = perm.length - 1; i > 0; i--) {
          const j = Math.abs(seed + i * 31) % (i + 1);
          [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        }
        const y = permute(x, perm.map((a) => (a % 2 === 0 ? a - x.ndim : a)));
        expect(y.shape).toEqual(perm.map((a) => x.shape[a]));
        for (const i of indices(y.shape)) {
          const src = new Array<number>(x.ndim);
          perm.forEach((a, k) => (src[a] = i[k]!));
          expect(at(y, i)).toBe(at(x, src));
        }
      }),
    );
  });
  it("swapAxes exchanges two axes", () => {
    expect(swapAxes(zeros([5, 2, 3]), -1, -2).shape).toEqual([5, 3, 2]);
    expect(() => swapAxes(zeros([2]), 0, 1)).toThrow(/^swapAxes: axis 1 is out of range/);
  });
  it("rejects non-permutations", () => {
    expect(() => permute(zeros([2, 3]), [0])).toThrow(/^permute: axes \[0\] is not a permutation/);
    expect(() => permute(zeros([2, 3]), [0, 0])).toThrow(new RangeError("permute: duplicate axis 0 in [0,0]"));
    expect(() => permute(zeros([2, 3]), [0, 2])).toThrow(/^permute: axis 2 is out of range/);
  });
});

describe("slice and select", () => {
  it("matches NumPy on known cases", () => {
    expect(slice(arange(10), [[1, 8, 3]]).toArray()).toEqual([1, 4, 7]);
    expect(slice(arange(5), [[null, null, -1]]).toArray()).toEqual([4, 3, 2, 1, 0]);
    expect(slice(arange(5), [[-2]]).toArray()).toEqual([3, 4]);
    expect(slice(arange(5), [[10, 20]]).toArray()).toEqual([]);
    expect(slice(arange(5), [[-100, 100]]).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(slice(arange(5), [[3, 0, -1]]).toArray()).toEqual([3, 2, 1]);
    expect(slice(arange(5), [[-1, -6, -2]]).toArray()).toEqual([4, 2, 0]);
    expect(slice(zeros([4, 5]), [null, [-2]]).shape).toEqual([4, 2]);
    expect(slice(zeros([4, 5]), []).shape).toEqual([4, 5]);
  });
  it("agrees with Python slice semantics on random specs and layouts (property)", () => {
    const bound = fc.option(fc.integer({ min: -6, max: 6 }), { nil: null });
    const step = fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0);
    fc.assert(
      fc.property(
        tensorArb(nonEmptyShapeArb(3, 4).filter((s) => s.length > 0)),
        fc.array(fc.option(fc.tuple(bound, bound, step), { nil: null }), { minLength: 0, maxLength: 3 }),
        (x, rawSpecs) => {
          const specs = rawSpecs.slice(0, x.ndim) as SliceSpec[];
          const y = slice(x, specs);
          const picks = x.shape.map((n, a) => {
            const s = specs[a];
            return s ? refSliceIndices(n, s[0] ?? null, s[1] ?? null, s[2] ?? 1) : Array.from({ length: n }, (_, i) => i);
          });
          expect(y.shape).toEqual(picks.map((p) => p.length));
          for (const i of indices(y.shape)) expect(at(y, i)).toBe(at(x, i.map((k, a) => picks[a]![k]!)));
        },
      ),
    );
  });
  it("rejects zero steps, non-integers and too many specs", () => {
    expect(() => slice(arange(5), [[0, 5, 0]])).toThrow(new RangeError("slice: step must be non-zero on axis 0"));
    expect(() => slice(arange(5), [[0.5]])).toThrow(TypeError);
    expect(() => slice(arange(5), [null, null])).toThrow(/^slice: 2 axis specs for a tensor of shape \[5\]/);
    expect(() => slice(arange(5), [3 as never])).toThrow(TypeError);
  });
  it("select removes the axis; negative indices count from the end", () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(select(x, 1, -1).toArray()).toEqual([2, 4]);
    expect(select(x, 0, 1).toArray()).toEqual([3, 4]);
    expect(select(tensor([7]), 0, 0).toArray()).toBe(7);
    expect(() => select(x, 0, 2)).toThrow(new RangeError("select: index 2 is out of range for axis 0 of size 2 (shape [2,2])"));
    expect(() => select(x, 2, 0)).toThrow(/^select: axis 2 is out of range/);
  });
});

describe("expandDims, squeeze, broadcastTo", () => {
  it("expandDims inserts a size-1 axis anywhere", () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 2]);
    expect(expandDims(x, -1).shape).toEqual([2, 2, 1]);
    expect(expandDims(x, 1).toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(expandDims(tensor(3), 0).toArray()).toEqual([3]);
    expect(() => expandDims(x, 3)).toThrow(/^expandDims: axis 3 is out of range/);
  });
  it("squeeze removes size-1 axes (named ones must have size 1)", () => {
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(squeeze(zeros([1, 3, 1]), 0).shape).toEqual([3, 1]);
    expect(squeeze(zeros([1, 3, 1]), [-1, 0]).shape).toEqual([3]);
    expect(squeeze(zeros([1, 1])).shape).toEqual([]);
    expect(() => squeeze(zeros([2, 3]), 1)).toThrow(new RangeError("squeeze: axis 1 has size 3, not 1 (shape [2,3])"));
  });
  it("broadcastTo repeats with stride 0", () => {
    const y = broadcastTo(tensor([1, 2]), [3, 2]);
    expect(y.toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(y.strides).toEqual([0, 1]);
    expect(broadcastTo(tensor(5), [2]).toArray()).toEqual([5, 5]);
    expect(broadcastTo(zeros([1, 3]), [0, 3]).shape).toEqual([0, 3]);
    expect(() => broadcastTo(zeros([2]), [3])).toThrow(new RangeError("broadcastTo: shape [2] cannot broadcast to [3]"));
    expect(() => broadcastTo(zeros([2, 2]), [2])).toThrow(RangeError);
  });
  it("all views of any layout read the right elements (property)", () => {
    fc.assert(
      fc.property(nonEmptyShapeArb(3, 3), fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 2 }), (shape, seed, layout) => {
        const x = makeLayout(shape, seed, layout);
        const e = expandDims(x, 0);
        const b = broadcastTo(e, [2, ...shape]);
        for (const i of indices(b.shape)) expect(at(b, i)).toBe(at(x, i.slice(1)));
        expect(values(squeeze(e, 0))).toEqual(values(x));
      }),
    );
  });
});
