import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { gradcheck } from "../gradcheck";
import { matmul } from "../matmul";
import { Tensor } from "../tensor";
import { transpose } from "../views";
import { lu } from "./lu";
import { solve } from "./solve";

function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
const rand = (shape: number[], seed: number): Tensor => tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);
/** A well-conditioned matrix: random plus n on the diagonal. */
function wellConditioned(n: number, seed: number): Tensor {
  const v = values(n * n, seed);
  for (let i = 0; i < n; i++) v[i * n + i]! += n;
  return tensor(v, [n, n]);
}
const flat = (t: Tensor): number[] => {
  const a = t.toArray();
  return Array.isArray(a) ? (a.flat(Infinity) as number[]) : [a as number];
};

/** Slow obvious reference: Gaussian elimination with partial pivoting on nested arrays. */
function refSolve(a: number[][], b: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...b[i]!]);
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(m[i]![j]!) > Math.abs(m[p]![j]!)) p = i;
    [m[j], m[p]] = [m[p]!, m[j]!];
    for (let i = j + 1; i < n; i++) {
      const f = m[i]![j]! / m[j]![j]!;
      for (let c = j; c < m[i]!.length; c++) m[i]![c]! -= f * m[j]![c]!;
    }
  }
  const k = b[0]!.length;
  const x = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < k; c++) {
      let s = m[i]![n + c]!;
      for (let p = i + 1; p < n; p++) s -= m[i]![p]! * x[p]![c]!;
      x[i]![c] = s / m[i]![i]!;
    }
  }
  return x;
}

function expectAllClose(actual: number[], expected: number[], rtol: number, atol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]!) <= atol + rtol * Math.abs(expected[i]!))) expect.fail(`index ${i}: ${a} vs ${expected[i]}`);
  });
}

describe("solve", () => {
  it("solves a worked 2×2 example and a system that needs pivoting", () => {
    expect(solve(tensor([[3, 1], [1, 2]]), tensor([9, 8])).toArray()).toEqual([2, 3]);
    // a[0][0] = 0: only works with row exchanges.
    expect(flat(solve(tensor([[0, 1], [1, 0]]), tensor([2, 3])))).toEqual([3, 2]);
  });

  it("matches slow Gaussian elimination, for vectors and several right-hand sides (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 4 }), fc.nat(1000), (n, k, seed) => {
        const a = wellConditioned(n, seed);
        const b = rand([n, k], seed + 1);
        const ref = refSolve(a.toArray() as number[][], b.toArray() as number[][]);
        expectAllClose(flat(solve(a, b)), ref.flat(), 1e-10, 1e-12);
        const bv = rand([n], seed + 2);
        const refv = refSolve(a.toArray() as number[][], (bv.toArray() as number[]).map((v) => [v]));
        expectAllClose(flat(solve(a, bv)), refv.flat(), 1e-10, 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it("uses the blocked path for n > 32 and leaves small residuals (relative to cond)", () => {
    for (const n of [33, 70, 130]) {
      const a = rand([n, n], n); // a plain random matrix: cond ~ n, needs pivoting
      const b = rand([n, 3], n + 1);
      const x = solve(a, b);
      const r = flat(matmul(a, x)).map((v, i) => v - flat(b)[i]!);
      // Backward-stable LU: ‖Ax − b‖ ≲ n·ε·‖A‖·‖x‖; allow a generous constant.
      const xmax = Math.max(...flat(x).map(Math.abs));
      expect(Math.max(...r.map(Math.abs))).toBeLessThan(100 * n * Number.EPSILON * n * xmax);
      const ref = refSolve(a.toArray() as number[][], b.toArray() as number[][]);
      // Different pivot order and rounding than the reference: agreement to cond(A)·ε scale.
      expectAllClose(flat(x), ref.flat(), 1e-8, 1e-8);
    }
  });

  it("accepts non-contiguous views and broadcasts batch dimensions", () => {
    const at = wellConditioned(5, 3);
    const a = transpose(at);
    const b = rand([5, 2], 4);
    const ref = refSolve(a.toArray() as number[][], b.toArray() as number[][]);
    expectAllClose(flat(solve(a, b)), ref.flat(), 1e-10, 1e-12);
    // [2,1,n,n] with [3,n,k] → [2,3,n,k]
    const as = [wellConditioned(4, 10), wellConditioned(4, 11)];
    const A = tensor([as.map((m) => m.toArray() as number[][])].flat().map((m) => [m]), [2, 1, 4, 4]);
    const B = rand([3, 4, 2], 12);
    const X = solve(A, B);
    expect(X.shape).toEqual([2, 3, 4, 2]);
    const bn = B.toArray() as number[][][];
    const expected = as.flatMap((m) => bn.flatMap((bm) => refSolve(m.toArray() as number[][], bm).flat()));
    expectAllClose(flat(X), expected, 1e-10, 1e-12);
    // A batch of matrices with one vector b.
    const Xv = solve(tensor([as[0]!.toArray(), as[1]!.toArray()]), tensor([1, 2, 3, 4]));
    expect(Xv.shape).toEqual([2, 4]);
  });

  it("handles empty systems (n = 0, k = 0) and 1×1", () => {
    expect(solve(tensor([], [0, 0]), tensor([], [0])).shape).toEqual([0]);
    expect(solve(tensor([[2]]), tensor([], [1, 0])).shape).toEqual([1, 0]);
    expect(solve(tensor([[4]]), tensor([2])).toArray()).toEqual([0.5]);
  });

  it("throws for singular matrices, never a silent NaN", () => {
    expect(() => solve(tensor([[1, 2], [2, 4]]), tensor([1, 1]))).toThrow(
      new RangeError("solve: matrix is singular (zero pivot at column 1)"),
    );
    expect(() => solve(tensor(new Array<number>(25).fill(0), [5, 5]), tensor([0, 0, 0, 0, 0]))).toThrow(
      "solve: matrix is singular (zero pivot at column 0)",
    );
    const z = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j && i !== 4 ? 1 : 0)));
    expect(() => solve(tensor(z), tensor([1, 1, 1, 1, 1]))).toThrow("solve: matrix is singular (zero pivot at column 4)");
    expect(() => solve(tensor([[[1, 0], [0, 1]], [[0, 0], [0, 0]]]), tensor([1, 1]))).toThrow(
      "solve: matrix is singular (zero pivot at column 0 of matrix 1)",
    );
  });

  it("throws for NaN/Infinity in a; non-finite b propagates", () => {
    expect(() => solve(tensor([[1, NaN], [0, 1]]), tensor([1, 1]))).toThrow("solve: matrix has a non-finite entry NaN at [0,1]");
    expect(() => solve(tensor([[Infinity, 0], [0, 1]]), tensor([1, 1]))).toThrow(RangeError);
    const x = flat(solve(tensor([[2, 0], [0, 1]]), tensor([NaN, 1])));
    expect(x[0]).toBeNaN();
    expect(x[1]).toBe(1);
  });

  it("reports bad shapes and types", () => {
    expect(() => solve(rand([2, 3], 1), rand([2], 1))).toThrow("solve: a must be square, got [2,3]");
    expect(() => solve(rand([3], 1), rand([3], 1))).toThrow("solve: a must have at least 2 axes [..., n, n], got [3]");
    expect(() => solve(rand([3, 3], 1), rand([4], 1))).toThrow("solve: a [3,3] and b [4] do not match");
    expect(() => solve(rand([2, 3, 3], 1), rand([4, 3, 1], 1))).toThrow("solve: batch dimensions do not broadcast: [2,3,3] and [4,3,1]");
    expect(() => solve(JSON.parse("{}") as Tensor, rand([1], 1))).toThrow(TypeError);
  });

  it("float32 only when both inputs are float32", () => {
    const a = tensor([[2, 0], [0, 4]], undefined, { dtype: "float32" });
    expect(solve(a, tensor([1, 1], undefined, { dtype: "float32" })).dtype).toBe("float32");
    expect(solve(a, tensor([1, 1])).dtype).toBe("float64");
  });

  it("has gradients that pass gradcheck (vector, matrix, broadcast batch)", () => {
    gradcheck((a, b) => solve(a, b), [wellConditioned(3, 1), rand([3], 2)]);
    gradcheck((a, b) => solve(a, b), [wellConditioned(4, 3), rand([4, 2], 4)]);
    const A = tensor([wellConditioned(3, 5).toArray(), wellConditioned(3, 6).toArray()]);
    gradcheck((a, b) => solve(a, b), [A, rand([3], 7)]);
    gradcheck((a, b) => solve(a, b), [wellConditioned(3, 8), rand([2, 3, 2], 9)]);
  });
});

describe("lu", () => {
  it("returns LAPACK-style packed factors with P A = L U", () => {
    const { lu: f, pivots } = lu(tensor([[1, 2], [3, 4]]));
    expect(pivots).toEqual([1, 1]);
    expectAllClose(flat(f), [3, 4, 1 / 3, 2 / 3], 1e-15, 0);
    for (const n of [5, 40]) {
      const a = rand([n, n], n);
      const { lu: g, pivots: p } = lu(a);
      const m = g.toArray() as number[][];
      const rows = (a.toArray() as number[][]).map((r) => [...r]);
      p.forEach((q, i) => ([rows[i], rows[q]] = [rows[q]!, rows[i]!]));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k <= Math.min(i, j); k++) s += (k === i ? 1 : m[i]![k]!) * m[k]![j]!;
          expect(Math.abs(s - rows[i]![j]!)).toBeLessThan(1e-12 * n);
        }
      }
    }
    expect(() => lu(rand([2, 2, 2], 1))).toThrow("lu: expected a 2-D matrix, got shape [2,2,2]");
  });
});
