import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "./creation";
import { argmax, argmin, logSumExp, max, mean, min, moments, std, sum, variance } from "./reduce";
import { gradcheck } from "./gradcheck";
import { add, mul } from "./elementwise";
import type { Axes, ReduceOptions } from "./reduce";
import type { Tensor } from "./tensor";
import { reshape, slice, transpose } from "./views";
import { expectClose } from "./testing/expect-close";
import { at, indices, refReduce, tensorArb, values } from "../test/helpers/core-reference";

// --- slow references over the list of a slot's elements
const refSum = (v: number[]): number => v.reduce((p, q) => p + q, 0);
const refMean = (v: number[]): number => refSum(v) / v.length;
const refVar = (c: number) => (v: number[]): number => {
  const m = refMean(v);
  return v.length - c > 0 ? refSum(v.map((q) => (q - m) ** 2)) / (v.length - c) : NaN;
};
const refMax = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.max(...v));
const refMin = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.min(...v));
const refLse = (v: number[]): number => {
  const m = Math.max(...v);
  if (!Number.isFinite(m)) return Math.log(refSum(v.map(Math.exp)));
  return m + Math.log(refSum(v.map((q) => Math.exp(q - m))));
};

/** A tensor plus a random axes argument (undefined, one axis or a subset, some negative). */
const caseArb = fc
  .tuple(tensorArb(), fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 0, max: 3 }), fc.boolean())
  .map(([x, bits, form, keepDims]) => {
    const chosen = x.shape.map((_, i) => i).filter((i) => ((bits >> i) & 1) === 1).map((a) => ((bits >> (a + 8)) & 1 ? a - x.ndim : a));
    let axes: Axes;
    if (form === 0 || x.ndim === 0) axes = undefined;
    else if (form === 1) axes = (bits % x.ndim) - (bits & 1 ? x.ndim : 0);
    else axes = chosen;
    return { x, axes, keepDims };
  });

function axesList(x: Tensor, axes: Axes): number[] {
  if (axes === undefined) return x.shape.map((_, i) => i);
  return typeof axes === "number" ? [axes] : [...axes];
}

const cases: [string, (x: Tensor, a: Axes, o: ReduceOptions) => Tensor, (v: number[]) => number, boolean][] = [
  ["sum", sum, refSum, true],
  ["mean", mean, refMean, true],
  ["variance", variance, refVar(0), true],
  ["variance correction 1", (x, a, o) => variance(x, a, { ...o, correction: 1 }), refVar(1), true],
  ["std", std, (v) => Math.sqrt(refVar(0)(v)), true],
  ["max", max, refMax, false],
  ["min", min, refMin, false],
  ["logSumExp", logSumExp, refLse, true],
];

describe("reductions against nested-loop references", () => {
  for (const [name, op, ref, allowsEmpty] of cases) {
    it(`${name} over random axes, keepDims and layouts (property)`, () => {
      fc.assert(
        fc.property(caseArb, ({ x, axes, keepDims }) => {
          const list = axesList(x, axes);
          const emptyReduction = list.some((a) => x.shape[a < 0 ? a + x.ndim : a] === 0);
          const want = refReduce(x, list, ref, keepDims);
          if (emptyReduction && !allowsEmpty && want.values.length > 0) {
            expect(() => op(x, axes, { keepDims })).toThrow(RangeError);
            return;
          }
          const got = op(x, axes, { keepDims });
          expect(got.shape).toEqual(want.shape);
          expectClose(got, tensor(want.values, want.shape), { rtol: 1e-12, atol: 1e-13 });
        }),
        { numRuns: 80 },
      );
    });
  }
});

describe("reductions: known values and edge cases", () => {
  const x = tensor([[1, 2], [3, 4]]);
  it("known values", () => {
    expect(sum(x, 0).toArray()).toEqual([4, 6]);
    expect(sum(x, -1, { keepDims: true }).toArray()).toEqual([[3], [7]]);
    expect(sum(x).shape).toEqual([]);
    expect(sum(x, [0, 1], { keepDims: true }).toArray()).toEqual([[10]]);
    expect(mean(x, 1).toArray()).toEqual([1.5, 3.5]);
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expectClose(variance(tensor([1, 2, 3, 4]), 0, { correction: 1 }), 5 / 3);
    expect(std(tensor([1, 3])).item()).toBe(1);
    expect(max(tensor([[1, 5], [3, 2]]), 1).toArray()).toEqual([5, 3]);
    expect(min(tensor([[1, 5], [3, 2]]), 0).toArray()).toEqual([1, 2]);
    expect(sum(x, [])).not.toBe(x);
    expect(sum(x, []).toArray()).toEqual([[1, 2], [3, 4]]);
  });
  it("empty reductions: sum 0, mean NaN, logSumExp −Infinity, max/min error naming the axis", () => {
    const e = zeros([2, 0]);
    expect(sum(e, 1).toArray()).toEqual([0, 0]);
    expect(sum(e).item()).toBe(0);
    expect(mean(e, 1).toArray()).toEqual([NaN, NaN]);
    expect(variance(e, 1).toArray()).toEqual([NaN, NaN]);
    expect(logSumExp(e, 1).toArray()).toEqual([-Infinity, -Infinity]);
    expect(() => max(e, 1)).toThrow(new RangeError("max: cannot reduce over empty axis 1 of shape [2,0]"));
    expect(() => min(e)).toThrow(/^min: cannot reduce over empty axis 1/);
    expect(max(e, 0).shape).toEqual([0]);
  });
  it("variance of 1e8 + small noise keeps its digits (two-pass)", () => {
    const n = 1000;
    const noise = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 1e-3);
    const m = noise.reduce((p, q) => p + q, 0) / n;
    const want = noise.reduce((p, q) => p + (q - m) ** 2, 0) / n;
    const got = variance(tensor(noise.map((v) => 1e8 + v))).item();
    // The inputs themselves are rounded to the 1.5e-8 spacing of doubles near 1e8, so the
    // reference differs at the 1e-5 relative level; E[x²]−E[x]² would be wrong by orders of magnitude.
    expect(Math.abs(got - want) / want).toBeLessThan(1e-4);
    const naive = noise.reduce((p, q) => p + (1e8 + q) ** 2, 0) / n - (noise.reduce((p, q) => p + 1e8 + q, 0) / n) ** 2;
    expect(Math.abs(naive - want) / want).toBeGreaterThan(1);
    expect(variance(tensor([1e8, 1e8, 1e8])).item()).toBe(0);
  });
  it("logSumExp of huge, tiny and infinite values", () => {
    expect(logSumExp(tensor([1000, 1000])).item()).toBe(1000 + Math.LN2);
    expect(logSumExp(tensor([-1000, -1000])).item()).toBe(-1000 + Math.LN2);
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(tensor([Infinity, 0])).item()).toBe(Infinity);
    expect(logSumExp(tensor([Infinity, -Infinity])).item()).toBe(Infinity);
    expect(logSumExp(tensor([NaN, 0])).item()).toBeNaN();
    expect(logSumExp(tensor([-Infinity, 0])).item()).toBe(0);
  });
  it("NaN and ±Infinity propagate", () => {
    const y = tensor([[1, NaN], [Infinity, 2]]);
    expect(sum(y, 1).toArray()).toEqual([NaN, Infinity]);
    expect(max(y, 1).toArray()).toEqual([NaN, Infinity]);
    expect(min(y, 1).toArray()).toEqual([NaN, 2]);
    expect(max(tensor([NaN, 5, 1])).item()).toBeNaN();
    expect(max(tensor([1, NaN, 5])).item()).toBeNaN();
    expect(variance(tensor([1, Infinity])).item()).toBeNaN();
  });
  it("accumulates float32 input in float64 and returns float32", () => {
    const f = tensor(new Float32Array(1000).fill(0.1));
    const s = sum(f);
    expect(s.dtype).toBe("float32");
    expect(s.item()).toBe(Math.fround(1000 * Math.fround(0.1)));
  });
  it("streams [N, C, L] batch moments over axes [0, 2] (values)", () => {
    const x = reshape(arange(2 * 3 * 4), [2, 3, 4]);
    expect(mean(x, [0, 2]).toArray()).toEqual([7.5, 11.5, 15.5]);
    expectClose(variance(x, [0, 2]), [37.25, 37.25, 37.25]);
    expect(mean(transpose(x), [0, 2], { keepDims: true }).shape).toEqual([1, 3, 1]);
  });
  it("rejects bad axes and corrections with the op name", () => {
    expect(() => sum(x, 2)).toThrow(new RangeError("sum: axis 2 is out of range for a tensor with 2 axes"));
    expect(() => mean(x, [0, -2])).toThrow(new RangeError("mean: duplicate axis -2 in [0,-2]"));
    expect(() => variance(x, 0, { correction: -1 })).toThrow(/^var: correction must be a finite non-negative number/);
    expect(() => std(x, 1.5)).toThrow(TypeError);
    expect(() => sum([1, 2] as never)).toThrow(/^sum: expected a tensor/);
  });
});

describe("argmax and argmin", () => {
  it("known values, ties first, NaN first (NumPy)", () => {
    const x = tensor([[1, 5], [3, 2]]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0]);
    expect(argmin(x, 1).toArray()).toEqual([0, 1]);
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(0);
    expect(argmax(x, 0, { keepDims: true }).toArray()).toEqual([[1, 0]]);
    expect(argmax(x, undefined, { keepDims: true }).shape).toEqual([1, 1]);
    expect(argmax(tensor([3, 7, 7, 1])).item()).toBe(1);
    expect(argmin(tensor([3, 1, 1, 7]), 0).item()).toBe(1);
    expect(argmax(tensor([1, NaN, 9, NaN])).item()).toBe(1);
    expect(argmin(tensor([1, NaN, -9])).item()).toBe(1);
    expect(argmax(x, 1).dtype).toBe("float64");
  });
  it("match a reference along every axis of any layout (property)", () => {
    fc.assert(
      fc.property(tensorArb(), fc.nat(), (x, k) => {
        if (x.ndim === 0) return;
        const a = k % x.ndim;
        if (x.shape[a] === 0) {
          if (x.size === 0 && x.shape.some((d, i) => i !== a && d === 0)) return;
          expect(() => argmax(x, a)).toThrow(/^argmax: cannot reduce over empty axis/);
          return;
        }
        const outShape = x.shape.filter((_, i) => i !== a);
        const want = indices(outShape).map((o) => {
          let best = 0;
          for (let i = 1; i < x.shape[a]!; i++) {
            const idx = [...o.slice(0, a), i, ...o.slice(a)];
            const bidx = [...o.slice(0, a), best, ...o.slice(a)];
            if (at(x, idx) > at(x, bidx)) best = i;
          }
          return best;
        });
        expect(values(argmax(x, a - (k % 2 ? x.ndim : 0)))).toEqual(want);
        const flat = values(x);
        if (flat.length > 0) expect(argmin(x).item()).toBe(flat.indexOf(Math.min(...flat)));
      }),
      { numRuns: 80 },
    );
  });
  it("rejects empty tensors and bad axes", () => {
    expect(() => argmax(zeros([0]))).toThrow(/^argmax: cannot take argmax of an empty tensor/);
    expect(() => argmin(zeros([2]), 1)).toThrow(/^argmin: axis 1 is out of range/);
    expect(argmax(slice(zeros([3, 0]), [[0, 0]]), 1).shape).toEqual([0]);
  });
});

describe("moments", () => {
  it("equals mean and variance computed separately, to rounding (property)", () => {
    // Rows of 16 or more take the one-pass path (each row's mean and centred sum of squares, pooled
    // exactly), whose mean can differ from the plain sum's in the last bit: fast-check found
    // -0.0917200948525634 against -0.09172009485256341 (1 ulp) with seed 1501617484. Hence a
    // tolerance of a few ulp, not bitwise equality.
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 1 }), ({ x, axes, keepDims }, correction) => {
        const r = moments(x, axes, { keepDims, correction });
        expectClose(r.mean, mean(x, axes, { keepDims }), { rtol: 1e-14, atol: 1e-15 });
        expectClose(r.variance, variance(x, axes, { keepDims, correction }), { rtol: 1e-13, atol: 1e-15 });
      }),
      { numRuns: 40 },
    );
  });
  it("both outputs are differentiable (gradcheck)", () => {
    const x = tensor([[[0.3, -1.2, 2.5], [0.9, 1.1, 0.2]], [[-0.7, 3.3, 0.4], [1.5, -0.2, 0.8]]]);
    const f = (t: Tensor): Tensor => {
      const r = moments(t, [0, 2], { keepDims: true });
      return add(mul(r.mean, 3), r.variance);
    };
    expect(gradcheck(f, [x]).ok).toBe(true);
  });
  it("handles float32 input (accumulated in float64)", () => {
    const r = moments(tensor([1, 2, 3, 4], undefined, { dtype: "float32" }));
    expect(r.mean.dtype).toBe("float32");
    expect(r.mean.item()).toBe(2.5);
    expect(r.variance.item()).toBe(1.25);
  });
});

describe("moments against PyTorch/NumPy (test/fixtures/normalization.json)", () => {
  // Copied from the workspace's shared fixtures (PyTorch 1.13 / NumPy 1.24, float64); see test/fixtures/README.md.
  interface Stats {
    readonly mean: number[] | number[][];
    readonly var: number[] | number[][];
  }
  interface Case {
    readonly input: { readonly x: number[][][] };
    readonly expected: { readonly batch: Stats; readonly layer: Stats; readonly instance: Stats; readonly group: Stats & { readonly groups: number } };
  }
  const fixture = JSON.parse(readFileSync(new URL("../test/fixtures/normalization.json", import.meta.url), "utf8")) as { cases: Case[] };
  it.each(fixture.cases.map((c, i) => [i, c] as const))("case %i: batch, layer, instance and group statistics", (_, c) => {
    const x = tensor(c.input.x);
    const [b, ch, f] = x.shape as [number, number, number];
    const check = (t: Tensor, axes: number[], want: Stats): void => {
      const r = moments(t, axes);
      expectClose(r.mean, want.mean);
      expectClose(r.variance, want.var);
      expectClose(mean(t, axes), want.mean);
      expectClose(variance(t, axes), want.var);
    };
    check(x, [0, 2], c.expected.batch);
    check(x, [-2, -1], c.expected.layer);
    check(x, [2], c.expected.instance);
    const g = c.expected.group.groups;
    check(reshape(x, [b, g, (ch / g) * f]), [2], c.expected.group);
    // The same statistics through a non-contiguous view: channels first.
    check(transpose(x), [0, 2], c.expected.batch);
  });
});
