import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expectClose } from "@hw/tensor/testing";
import { choleskyInPlace, choleskySolveInPlace, gram, inverseNorm1Estimate, norm1, xty } from "./cholesky";
import { gaussSolve } from "../../test/reference";

function naiveGram(x: Float64Array, n: number, d: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += x[k * d + i]! * x[k * d + j]!;
    out.push(s);
  }
  return out;
}

const dataArb = fc
  .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 11 }))
  .chain(([n, d]) => fc.tuple(fc.constant(n), fc.constant(d), fc.float64Array({ minLength: n * d, maxLength: n * d, min: -10, max: 10, noNaN: true })));

describe("internal kernels", () => {
  it("gram equals the definition for every d mod 4 and row-block boundary (property)", () => {
    fc.assert(
      fc.property(dataArb, ([n, d, x]) => {
        const out = new Float64Array(d * d);
        gram(x, n, d, out);
        expectClose(out, naiveGram(x, n, d), { rtol: 1e-12, atol: 1e-9 });
      }),
      { numRuns: 150 },
    );
  });

  it("gram handles n = 0 and d = 1", () => {
    const out = new Float64Array(4).fill(7);
    gram(new Float64Array(0), 0, 2, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    const one = new Float64Array(1);
    gram(Float64Array.from([3, 4]), 2, 1, one);
    expect(one[0]).toBe(25);
  });

  it("xty is Xᵀy", () => {
    const out = new Float64Array(2);
    xty(Float64Array.from([1, 2, 3, 4]), Float64Array.from([1, -1]), 2, 2, out);
    expect(Array.from(out)).toEqual([-2, -2]);
  });

  it("Cholesky solves SPD systems like Gaussian elimination (property)", () => {
    fc.assert(
      fc.property(dataArb, ([n, d, x]) => {
        const a = new Float64Array(d * d);
        gram(x, n, d, a);
        for (let j = 0; j < d; j++) a[j * d + j] = a[j * d + j]! + 1;
        const A = Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
        const b = Array.from({ length: d }, (_, i) => i - 1.5);
        expect(choleskyInPlace(a, d, 0)).toBe(-1);
        const sol = Float64Array.from(b);
        choleskySolveInPlace(a, d, sol);
        expectClose(sol, gaussSolve(A, b), { rtol: 1e-8, atol: 1e-10 });
      }),
      { numRuns: 100 },
    );
  });

  it("Cholesky reports the first non-positive or non-finite pivot", () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 4]), 2, 1e-12)).toBe(1);
    expect(choleskyInPlace(Float64Array.from([-1, 0, 0, 1]), 2, 0)).toBe(0);
    expect(choleskyInPlace(Float64Array.from([Number.NaN, 0, 0, 1]), 2, 0)).toBe(0);
  });

  it("the condition estimate is a lower bound within a factor 3 of the exact κ₁ (Hilbert-like and random SPD)", () => {
    for (const d of [1, 2, 5, 8]) {
      const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => 1 / (i + j + 1)));
      const a = Float64Array.from(A.flat());
      const anorm = norm1(a, d);
      expect(choleskyInPlace(a, d, 0)).toBe(-1);
      // exact ‖A⁻¹‖₁ from the columns of the inverse
      let exact = 0;
      for (let j = 0; j < d; j++) {
        const e = Array.from({ length: d }, (_, i) => (i === j ? 1 : 0));
        exact = Math.max(exact, gaussSolve(A, e).reduce((s, v) => s + Math.abs(v), 0));
      }
      const est = inverseNorm1Estimate(a, d);
      expect(est).toBeLessThanOrEqual(exact * (1 + 1e-6));
      expect(est).toBeGreaterThanOrEqual(exact / 3);
      expect(anorm * est).toBeGreaterThanOrEqual(1 - 1e-12);
    }
  });
});
