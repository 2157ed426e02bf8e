import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gemmAB, gemmABt, gemmAtB, sigmoidValue } from "./gemm";

const slow = (M: number, N: number, P: number, a: (i: number, p: number) => number, b: (p: number, j: number) => number): number[] => {
  const out: number[] = [];
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let p = 0; p < P; p++) s += a(i, p) * b(p, j);
    out.push(s);
  }
  return out;
};

describe("internal gemm kernels (ragged edges, offsets, accumulation)", () => {
  it("match a triple loop for every shape up to 9×9×300 (crosses the p-block of 128)", () => {
    const dim = fc.integer({ min: 0, max: 9 });
    fc.assert(
      fc.property(dim, dim, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3 }), (M, N, P, off) => {
        const A = Float64Array.from({ length: off + M * P }, (_, i) => Math.sin(i + 1));
        const Bt = Float64Array.from({ length: off + N * P }, (_, i) => Math.cos(i + 2));
        const C = new Float64Array(off + M * N).fill(1);
        gemmABt(M, N, P, A, off, Bt, off, C, off);
        const want = slow(M, N, P, (i, p) => A[off + i * P + p]!, (p, j) => Bt[off + j * P + p]!).map((v) => v + 1);
        want.forEach((v, i) => { expect(C[off + i]).toBeCloseTo(v, 10); });
        const B = Float64Array.from({ length: off + P * N }, (_, i) => Math.cos(i + 2));
        const C2 = new Float64Array(off + M * N);
        gemmAB(M, N, P, A, off, B, off, C2, off);
        slow(M, N, P, (i, p) => A[off + i * P + p]!, (p, j) => B[off + p * N + j]!).forEach((v, i) => { expect(C2[off + i]).toBeCloseTo(v, 10); });
        const At = Float64Array.from({ length: off + P * M }, (_, i) => Math.sin(i + 3));
        const C3 = new Float64Array(off + M * N);
        gemmAtB(M, N, P, At, off, B, off, C3, off);
        slow(M, N, P, (i, p) => At[off + p * M + i]!, (p, j) => B[off + p * N + j]!).forEach((v, i) => { expect(C3[off + i]).toBeCloseTo(v, 10); });
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it("sigmoidValue is stable at the extremes", () => {
    expect(sigmoidValue(0)).toBe(0.5);
    expect(sigmoidValue(-1000)).toBe(0);
    expect(sigmoidValue(1000)).toBe(1);
    expect(sigmoidValue(-40)).toBeGreaterThan(0);
    expect(sigmoidValue(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(sigmoidValue(Number.POSITIVE_INFINITY)).toBe(1);
    expect(sigmoidValue(Number.NaN)).toBeNaN();
  });
});
