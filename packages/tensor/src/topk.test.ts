import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor, zeros } from "./creation";
import { gradcheck } from "./gradcheck";
import { argsort, sort, topk } from "./topk";
import type { Tensor } from "./tensor";
import { at, indices, tensorArb } from "../test/helpers/core-reference";

/** Reference: stable full sort of (value, index) pairs; NaN ranks largest. */
function refTopk(row: number[], k: number, largest: boolean): { v: number[]; i: number[] } {
  const key = (v: number): number => (Number.isNaN(v) ? Infinity : v);
  const pairs = row.map((v, i) => ({ v, i }));
  pairs.sort((p, q) => {
    const pn = Number.isNaN(p.v);
    const qn = Number.isNaN(q.v);
    if (pn !== qn) return largest ? (pn ? -1 : 1) : pn ? 1 : -1;
    if (key(p.v) !== key(q.v)) return largest ? key(q.v) - key(p.v) : key(p.v) - key(q.v);
    return p.i - q.i;
  });
  const top = pairs.slice(0, k);
  return { v: top.map((p) => p.v), i: top.map((p) => p.i) };
}

describe("topk", () => {
  it("known values, sorted best first", () => {
    const { values, indices: idx } = topk(tensor([3, 1, 4, 1, 5]), 2);
    expect(values.toArray()).toEqual([5, 4]);
    expect(idx.toArray()).toEqual([4, 2]);
    const s = topk(tensor([3, 1, 4, 1, 5]), 3, { largest: false });
    expect(s.values.toArray()).toEqual([1, 1, 3]);
    expect(s.indices.toArray()).toEqual([1, 3, 0]);
  });
  it("ties go to the lower index; NaN ranks as the largest", () => {
    expect(topk(tensor([2, 2, 2, 1]), 2).indices.toArray()).toEqual([0, 1]);
    expect(topk(tensor([1, NaN, 3, NaN]), 3).indices.toArray()).toEqual([1, 3, 2]);
    expect(topk(tensor([1, NaN, 3]), 3, { largest: false }).indices.toArray()).toEqual([0, 2, 1]);
    expect(topk(tensor([-Infinity, Infinity, 0]), 1).values.toArray()).toEqual([Infinity]);
  });
  it("k = 0 and k = n; along other axes; float32 kept", () => {
    expect(topk(tensor([1, 2]), 0).values.shape).toEqual([0]);
    expect(topk(tensor([1, 3, 2]), 3).values.toArray()).toEqual([3, 2, 1]);
    const x = tensor([[1, 9], [5, 2], [7, 3]]);
    expect(topk(x, 2, { axis: 0 }).values.toArray()).toEqual([[7, 9], [5, 3]]);
    expect(topk(x, 2, { axis: 0 }).indices.toArray()).toEqual([[2, 0], [1, 2]]);
    expect(topk(tensor([1, 2], undefined, { dtype: "float32" }), 1).values.dtype).toBe("float32");
    expect(topk(zeros([0, 3]), 2).values.shape).toEqual([0, 2]);
  });
  it("matches a full stable sort on random tensors, axes, k and layouts (property)", () => {
    fc.assert(
      fc.property(tensorArb(), fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), (x0, ka, kk, largest, coarse) => {
        if (x0.ndim === 0) return;
        // Coarse values make ties frequent; add a NaN sometimes.
        const data = Float64Array.from(indices(x0.shape).map((i) => (coarse ? Math.round(at(x0, i) * 2) : at(x0, i))));
        if (coarse && data.length > 2) data[kk % data.length] = NaN;
        const x = tensor(data, x0.shape);
        const a = ka % x.ndim;
        const n = x.shape[a]!;
        const k = kk % (n + 1);
        const r = topk(x, k, { axis: a - x.ndim, largest });
        const outer = x.shape.filter((_, d) => d !== a);
        for (const o of indices(outer)) {
          const row = Array.from({ length: n }, (_, t) => at(x, [...o.slice(0, a), t, ...o.slice(a)]));
          const want = refTopk(row, k, largest);
          for (let t = 0; t < k; t++) {
            const idx = [...o.slice(0, a), t, ...o.slice(a)];
            expect(at(r.indices, idx)).toBe(want.i[t]);
            expect(Object.is(at(r.values, idx), want.v[t]) || at(r.values, idx) === want.v[t]).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
  it("finds the top 5 of 250,000 values like a full sort", () => {
    const n = 250_000;
    const data = new Float64Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      data[i] = s / 2 ** 32;
    }
    const r = topk(tensor(data), 5);
    const sorted = Array.from(data).sort((p, q) => q - p).slice(0, 5);
    expect(r.values.toArray()).toEqual(sorted);
  });
  it("values are differentiable: the gradient scatters back (gradcheck)", () => {
    const x = tensor([[0.3, -1.2, 2.5, 0.9], [1.1, 0.2, -0.7, 3.3]]);
    const report = gradcheck((t: Tensor) => topk(t, 2, { axis: -1 }).values, [x]);
    expect(report.ok).toBe(true);
    const r0 = gradcheck((t: Tensor) => topk(t, 1, { axis: 0, largest: false }).values, [x]);
    expect(r0.ok).toBe(true);
  });
  it("rejects bad k and axes", () => {
    expect(() => topk(tensor([1, 2, 3, 4, 5]), 6)).toThrow(new RangeError("topk: k = 6 is out of range for axis -1 of size 5 (shape [5])"));
    expect(() => topk(tensor([1, 2]), -1)).toThrow(RangeError);
    expect(() => topk(tensor([1, 2]), 1.5)).toThrow(RangeError);
    expect(() => topk(tensor([1, 2]), 1, { axis: 1 })).toThrow(/^topk: axis 1 is out of range/);
    expect(() => topk(tensor(1), 1)).toThrow(/^topk: needs at least one axis/);
  });
});

describe("sort and argsort", () => {
  it("sort stably, NaN last ascending and first descending", () => {
    expect(sort(tensor([3, 1, 2])).toArray()).toEqual([1, 2, 3]);
    expect(argsort(tensor([3, 1, 2])).toArray()).toEqual([1, 2, 0]);
    expect(argsort(tensor([2, 1, 2, 1])).toArray()).toEqual([1, 3, 0, 2]);
    expect(sort(tensor([1, NaN, -Infinity, 0])).toArray()).toEqual([-Infinity, 0, 1, NaN]);
    expect(sort(tensor([1, NaN, 3]), { descending: true }).toArray()).toEqual([NaN, 3, 1]);
    expect(sort(tensor([[3, 1], [2, 4]]), { axis: 0 }).toArray()).toEqual([[2, 1], [3, 4]]);
    expect(sort(zeros([0])).shape).toEqual([0]);
  });
  it("agree with Array#sort on random rows (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 30 }), (row) => {
        const x = tensor(row);
        expect(sort(x).toArray()).toEqual([...row].sort((p, q) => p - q));
        const idx = argsort(x, { descending: true }).toArray() as number[];
        const want = row.map((v, i) => ({ v, i })).sort((p, q) => q.v - p.v || p.i - q.i).map((p) => p.i);
        expect(idx).toEqual(want);
      }),
    );
  });
  it("sort is differentiable (gradcheck) and rejects 0-d input", () => {
    expect(gradcheck((t: Tensor) => sort(t, { axis: 0 }), [tensor([[0.3, -1.2], [2.5, 0.9], [-0.4, 1.7]])]).ok).toBe(true);
    expect(() => sort(tensor(1))).toThrow(/^sort: needs at least one axis/);
    expect(() => argsort(tensor([1]), { axis: 2 })).toThrow(/^argsort: axis 2 is out of range/);
  });
});
