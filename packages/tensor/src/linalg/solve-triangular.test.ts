import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { gradcheck } from "../gradcheck";
import { Tensor } from "../tensor";
import { transpose } from "../views";
import { solveTriangular } from "./solve-triangular";

function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
const rand = (shape: number[], seed: number): Tensor => tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);
/** Random matrix with a diagonal kept away from 0 (off-triangle entries are garbage on purpose). */
function triangularish(n: number, seed: number): Tensor {
  const v = values(n * n, seed);
  for (let i = 0; i < n; i++) v[i * n + i] = 2 + v[i * n + i]!;
  return tensor(v, [n, n]);
}

/** Slow obvious reference: op(T), T the chosen triangle of a (unit diagonal if asked). */
function opTriangle(a: number[][], lower: boolean, transposed: boolean, unit: boolean): number[][] {
  const t = a.map((r, i) => r.map((v, j) => (i === j ? (unit ? 1 : v) : (lower ? j < i : j > i) ? v : 0)));
  return transposed ? t.map((_, i) => t.map((r) => r[i]!)) : t;
}

describe("solveTriangular", () => {
  it("solves a worked example", () => {
    expect(solveTriangular(tensor([[2, 0], [1, 1]]), tensor([4, 3])).toArray()).toEqual([2, 1]);
    expect(solveTriangular(tensor([[2, 1], [0, 1]]), tensor([4, 1]), { lower: false }).toArray()).toEqual([1.5, 1]);
  });

  it("op(T) x = b for every option combination, ignoring the other triangle (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.nat(1000),
        (n, k, lower, transposed, unitDiagonal, seed) => {
          const a = triangularish(n, seed);
          const b = rand([n, k], seed + 1);
          const x = solveTriangular(a, b, { lower, transpose: transposed, unitDiagonal }).toArray() as number[][];
          const t = opTriangle(a.toArray() as number[][], lower, transposed, unitDiagonal);
          const bn = b.toArray() as number[][];
          for (let i = 0; i < n; i++) {
            for (let c = 0; c < k; c++) {
              let s = 0;
              for (let p = 0; p < n; p++) s += t[i]![p]! * x[p]![c]!;
              expect(Math.abs(s - bn[i]![c]!)).toBeLessThan(1e-12 * 10 ** Math.min(n, 6));
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it("accepts views and batches", () => {
    const a = triangularish(4, 1);
    const b = rand([4], 2);
    expect(solveTriangular(transpose(a), b, { lower: false }).toArray()).toEqual(
      solveTriangular(a, b, { transpose: true }).toArray(),
    );
    const A = tensor([a.toArray(), triangularish(4, 3).toArray()]);
    const X = solveTriangular(A, b);
    expect(X.shape).toEqual([2, 4]);
    expect((X.toArray() as number[][])[0]).toEqual(solveTriangular(a, b).toArray());
  });

  it("throws for a zero diagonal, non-finite entries and bad shapes; ignores NaN in the unread triangle", () => {
    expect(() => solveTriangular(tensor([[1, 0], [1, 0]]), tensor([1, 1]))).toThrow(
      new RangeError("solveTriangular: matrix is singular (zero diagonal at row 1)"),
    );
    expect(solveTriangular(tensor([[1, 0], [1, 0]]), tensor([1, 1]), { unitDiagonal: true }).toArray()).toEqual([1, 0]);
    expect(solveTriangular(tensor([[1, NaN], [1, 1]]), tensor([1, 1])).toArray()).toEqual([1, 0]);
    expect(() => solveTriangular(tensor([[1, 0], [NaN, 1]]), tensor([1, 1]))).toThrow(
      "solveTriangular: matrix has a non-finite entry NaN at [1,0]",
    );
    expect(() => solveTriangular(rand([3, 3], 1), rand([2], 1))).toThrow("solveTriangular: a [3,3] and b [2] do not match");
  });

  it("has gradients that pass gradcheck (only the read triangle gets a gradient)", () => {
    for (const opts of [{}, { lower: false }, { transpose: true }, { unitDiagonal: true }, { lower: false, transpose: true }]) {
      gradcheck((a, b) => solveTriangular(a, b, opts), [triangularish(3, 4), rand([3, 2], 5)]);
    }
    gradcheck((a, b) => solveTriangular(a, b), [triangularish(4, 6), rand([4], 7)]);
  });
});
