import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matmul } from "../matmul";
import { tensor } from "../creation";
import {
  choleskyFactor,
  choleskyInverseNorm1Estimate,
  choleskySolve,
  coalesceAxes,
  forEachRow,
  gemm,
  gemmAB,
  gemmABt,
  gemmAtB,
  gram,
  installKernels,
  jsKernels,
  kernels,
  luFactor,
  luSolve,
  mapBinary,
  mapUnary,
  norm1,
  rowMax,
  rowMean,
  rowMin,
  rowMoments,
  rowSum,
  rowSumSquaredDeviations,
  sigmoid,
} from "../kernels";
import { lcgValues } from "../../test/helpers/seeded";

/** Deterministic values in [-1, 1) (a linear congruential stream; tests only). */
const values = lcgValues;

/** The slow triple loop: C[i,j] = Σ_p A[i,p] B[p,j] with explicit strides. */
function naiveProduct(m: number, n: number, k: number, a: Float64Array, ao: number, ar: number, ac: number, b: Float64Array, bo: number, br: number, bc: number): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * ar + p * ac]! * b[bo + p * br + j * bc]!;
      c.push(s);
    }
  }
  return c;
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-12, atol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`entry ${i}: ${a} vs ${e}`);
  }
}

describe("gemm", () => {
  it("C += alpha·A·B for any strides, small and packed sizes, against the triple loop", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), (m, n, k, ta, tb) => {
        const a = values(m * k + 3, m + 7 * k);
        const b = values(k * n + 5, n + 11 * k);
        const [ar, ac] = ta ? [1, m] : [k, 1];
        const [br, bc] = tb ? [1, k] : [n, 1];
        const c = values(m * n + 2, 99);
        const before = Array.from(c.subarray(2));
        gemm(m, n, k, -0.5, a, 3, ar, ac, b, 5, br, bc, c, 2, n);
        const prod = naiveProduct(m, n, k, a, 3, ar, ac, b, 5, br, bc);
        expectAllClose(c.subarray(2), before.map((v, i) => v - 0.5 * prod[i]!), 1e-12, 1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it("gemmAB, gemmABt and gemmAtB accumulate the row-major products", () => {
    const [m, n, k] = [5, 6, 7];
    const a = values(m * k, 1);
    const b = values(k * n, 2);
    const bt = values(n * k, 3);
    const at = values(k * m, 4);
    const c1 = new Float64Array(m * n).fill(1);
    gemmAB(m, n, k, a, 0, b, 0, c1, 0);
    expectAllClose(c1, naiveProduct(m, n, k, a, 0, k, 1, b, 0, n, 1).map((v) => v + 1));
    const c2 = new Float64Array(m * n);
    gemmABt(m, n, k, a, 0, bt, 0, c2, 0);
    expectAllClose(c2, naiveProduct(m, n, k, a, 0, k, 1, bt, 0, 1, k));
    const c3 = new Float64Array(m * n);
    gemmAtB(m, n, k, at, 0, b, 0, c3, 0);
    expectAllClose(c3, naiveProduct(m, n, k, at, 0, 1, m, b, 0, n, 1));
  });

  it("propagates 0·Inf = NaN (no skipping of zeros)", () => {
    const c = new Float64Array(1);
    gemm(1, 1, 2, 1, Float64Array.of(0, 1), 0, 2, 1, Float64Array.of(Infinity, 1), 0, 1, 1, c, 0, 1);
    expect(c[0]).toBeNaN();
  });
});

describe("row reductions", () => {
  const x = Float64Array.of(9, 1, 9, 2, 9, 3, 9, 4);
  it("sum, mean, centred sum of squares, moments, max and min of a strided row", () => {
    expect(rowSum(4, x, 2, 1)).toBe(10);
    expect(rowMean(4, x, 2, 1)).toBe(2.5);
    expect(rowSumSquaredDeviations(4, x, 2, 1, 2.5)).toBe(5);
    const out = new Float64Array(3);
    rowMoments(4, x, 2, 1, out, 1);
    expect(Array.from(out)).toEqual([0, 2.5, 5]);
    expect(rowMax(4, x, 2, 1)).toBe(4);
    expect(rowMin(4, x, 2, 1)).toBe(1);
    expect(rowMax(0, x, 1, 0)).toBe(-Infinity);
    expect(rowMin(0, x, 1, 0)).toBe(Infinity);
  });

  it("the unrolled unit-stride sum equals the plain sum; NaN propagates in max/min; float32 storage works", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { maxLength: 40 }), (xs) => {
        const a = Float64Array.from(xs);
        const plain = xs.reduce((s, v) => s + v, 0);
        expect(Math.abs(rowSum(a.length, a, 1, 0) - plain)).toBeLessThanOrEqual(1e-9 * (1 + xs.reduce((s, v) => s + Math.abs(v), 0)));
        expect(rowSum(a.length, Float32Array.from(xs), 1, 0)).toBeCloseTo(Float32Array.from(xs).reduce((s, v) => s + v, 0), 6);
      }),
    );
    expect(rowMax(3, Float64Array.of(1, NaN, 3), 1, 0)).toBeNaN();
    expect(rowMin(3, Float64Array.of(1, NaN, 3), 1, 0)).toBeNaN();
  });

  it("two-pass moments keep the digits of 1e8 + small noise", () => {
    const v = Float64Array.of(1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4);
    const out = new Float64Array(2);
    rowMoments(4, v, 1, 0, out, 0);
    expect(out[1]).toBe(5);
  });
});

describe("maps and the row iterator", () => {
  it("mapUnary and mapBinary write strided outputs", () => {
    const y = new Float64Array(6);
    mapUnary(3, Float64Array.of(1, 0, 2, 0, 3), 2, 0, y, 2, 1, (v) => v * 10);
    expect(Array.from(y)).toEqual([0, 10, 0, 20, 0, 30]);
    const z = new Float64Array(3);
    mapBinary(3, Float64Array.of(1, 2, 3), 1, 0, Float64Array.of(5), 0, 0, z, 1, 0, (u, v) => u + v);
    expect(Array.from(z)).toEqual([6, 7, 8]);
  });

  it("coalesceAxes drops size-1 axes and merges chaining axes; forEachRow visits every element once in row-major order", () => {
    expect(coalesceAxes([2, 1, 3, 4], [[12, 12, 4, 1]])).toEqual({ shape: [24], strides: [[1]], empty: false });
    expect(coalesceAxes([2, 3], [[1, 2]]).shape).toEqual([2, 3]);
    expect(coalesceAxes([2, 0], [[1, 1]]).empty).toBe(true);
    // A transposed 3×2 view of a 2×3 matrix: rows of length 2 with stride 3.
    const seen: number[] = [];
    forEachRow([3, 2], [[1, 3]], [0], (o, n, s) => {
      for (let j = 0; j < n; j++) seen.push(o[0]! + j * s[0]!);
    });
    expect(seen).toEqual([0, 3, 1, 4, 2, 5]);
    const calls: number[] = [];
    forEachRow([], [[]], [7], (o, n) => calls.push(o[0]!, n));
    expect(calls).toEqual([7, 1]);
  });
});

describe("Cholesky, Gram, LU", () => {
  /** An SPD matrix XᵀX + I from a random X. */
  function spd(d: number, seed: number): Float64Array {
    const x = values(3 * d * d, seed);
    const a = new Float64Array(d * d);
    gram(3 * d, d, x, d, 1, 0, a, 0);
    for (let i = 0; i < d; i++) a[i * d + i]! += 1;
    return a;
  }

  it("gram equals XᵀX of the triple loop for any strides and is exactly symmetric", () => {
    for (const [n, d] of [[1, 1], [5, 3], [100, 70], [7, 130]] as const) {
      const x = values(n * d + 1, n + d);
      const out = new Float64Array(d * d + 2);
      gram(n, d, x, 1, n, 1, out, 2); // column-major X (strides 1, n)
      const ref = naiveProduct(d, d, n, x, 1, n, 1, x, 1, 1, n);
      expectAllClose(out.subarray(2), ref, 1e-12, 1e-12);
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(out[2 + i * d + j]).toBe(out[2 + j * d + i]);
    }
  });

  it("choleskyFactor/choleskySolve solve SPD systems; the strict upper triangle is zeroed", () => {
    const d = 9;
    const a = spd(d, 5);
    const l = new Float64Array(d * d + 1);
    l.set(a, 1);
    expect(choleskyFactor(d, l, 1, 0)).toBe(-1);
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) expect(l[1 + i * d + j]).toBe(0);
    const b = values(d * 2, 8);
    const x = Float64Array.from(b);
    choleskySolve(d, 2, l, 1, x, 0);
    expectAllClose(naiveProduct(d, 2, d, a, 0, d, 1, x, 0, 2, 1), b, 1e-10, 1e-12);
  });

  it("the pivot test is scale invariant and reports the failing pivot with its Schur complement", () => {
    // Rank-deficient: the third column is the sum of the first two.
    const singular = Float64Array.of(1, 0, 1, 0, 1, 1, 1, 1, 2);
    expect(choleskyFactor(3, Float64Array.from(singular), 0, 1e-12)).toBe(2);
    // The same matrix with variable 2 in units 1e8 times larger: the same failure.
    const scaled = Float64Array.from(singular);
    for (let i = 0; i < 3; i++) {
      scaled[i * 3 + 2]! *= 1e8;
      scaled[2 * 3 + i]! *= 1e8;
    }
    expect(choleskyFactor(3, scaled, 0, 1e-12)).toBe(2);
    const notPd = Float64Array.of(1, 2, 2, 1);
    expect(choleskyFactor(2, notPd, 0, 0)).toBe(1);
    expect(notPd[3]).toBe(-3);
  });

  it("norm1 and Hager's estimate of ‖A⁻¹‖₁ (within a factor 3 of the exact value)", () => {
    expect(norm1(2, 2, Float64Array.of(1, -2, 3, 4), 0)).toBe(6);
    const d = 12;
    const a = spd(d, 3);
    const l = Float64Array.from(a);
    choleskyFactor(d, l, 0, 0);
    const inv = new Float64Array(d * d);
    for (let i = 0; i < d; i++) inv[i * d + i] = 1;
    choleskySolve(d, d, l, 0, inv, 0);
    const exact = norm1(d, d, inv, 0);
    const est = choleskyInverseNorm1Estimate(d, l, 0, new Float64Array(3 * d));
    expect(est).toBeLessThanOrEqual(exact * (1 + 1e-12));
    expect(est).toBeGreaterThanOrEqual(exact / 3);
  });

  it("luFactor/luSolve solve a general system and report an exactly zero pivot", () => {
    const n = 40;
    const a = values(n * n, 12);
    const f = Float64Array.from(a);
    const piv = new Int32Array(n);
    expect(luFactor(n, f, piv)).toBe(-1);
    const b = values(n, 13);
    const x = Float64Array.from(b);
    luSolve(n, f, piv, x, 1);
    expectAllClose(naiveProduct(n, 1, n, a, 0, n, 1, x, 0, 1, 1), b, 1e-9, 1e-10);
    expect(luFactor(2, Float64Array.of(1, 2, 2, 4), new Int32Array(2))).toBe(1);
  });
});

describe("sigmoid", () => {
  it("is stable at the extremes and symmetric", () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-Infinity)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-745)).toBeGreaterThan(0);
    expect(sigmoid(NaN)).toBeNaN();
    for (const v of [0.1, 2, 30]) expect(sigmoid(v) + sigmoid(-v)).toBeCloseTo(1, 15);
  });
});

describe("the kernel table", () => {
  it("every op goes through `kernels`: an installed gemm is what matmul calls, and restore puts the previous kernel back", () => {
    const before = kernels.gemm;
    let calls = 0;
    const restore = installKernels({
      gemm: (...args: Parameters<typeof gemm>) => {
        calls++;
        jsKernels.gemm(...args);
      },
    });
    try {
      expect(matmul(tensor([[1, 2]]), tensor([[3], [4]])).item()).toBe(11);
      expect(calls).toBe(1);
      expect(kernels.gemm).not.toBe(jsKernels.gemm);
    } finally {
      restore();
    }
    expect(kernels.gemm).toBe(before);
  });

  it("refuses unknown kernels and non-functions", () => {
    expect(() => installKernels({ gemn: gemm } as never)).toThrow(/installKernels: unknown kernel `gemn`/);
    expect(() => installKernels({ gemm: 3 } as never)).toThrow(/kernel `gemm` must be a function, got number/);
  });
});
