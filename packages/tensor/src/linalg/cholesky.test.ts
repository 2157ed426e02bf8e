import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { add, mul } from "../elementwise";
import { gradcheck } from "../gradcheck";
import { matmul } from "../matmul";
import { Tensor } from "../tensor";
import { swapAxes, transpose } from "../views";
import { cholesky } from "./cholesky";

function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
const rand = (shape: number[], seed: number): Tensor => tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);
/** A random SPD matrix X Xᵀ + n I, symmetric to the last bit. */
function spd(n: number, seed: number): Tensor {
  const x = rand([n, n], seed).toArray() as number[][];
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? n : 0;
      for (let p = 0; p < n; p++) s += x[i]![p]! * x[j]![p]!;
      m[i]![j] = s;
      m[j]![i] = s;
    }
  }
  return tensor(m);
}
const flat = (t: Tensor): number[] => (t.toArray() as number[][]).flat(Infinity) as number[];

describe("cholesky", () => {
  it("factors a worked example exactly", () => {
    expect(cholesky(tensor([[4, 2], [2, 5]])).toArray()).toEqual([[2, 0], [1, 2]]);
    expect(cholesky(tensor([[4, 2], [2, 5]]), { upper: true }).toArray()).toEqual([[2, 1], [0, 2]]);
    expect(cholesky(tensor([[9]])).toArray()).toEqual([[3]]);
    expect(cholesky(tensor([], [0, 0])).shape).toEqual([0, 0]);
  });

  it("reconstructs A = L Lᵀ with L lower triangular, positive diagonal (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(1000), (n, seed) => {
        const a = spd(n, seed);
        const l = cholesky(a);
        const lm = l.toArray() as number[][];
        for (let i = 0; i < n; i++) {
          expect(lm[i]![i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(lm[i]![j]).toBe(0);
        }
        const back = flat(matmul(l, transpose(l)));
        const ref = flat(a);
        back.forEach((v, i) => { expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-13 * n * n); });
        const u = cholesky(a, { upper: true });
        expect(u.toArray()).toEqual(transpose(l).toArray());
      }),
      { numRuns: 50 },
    );
  });

  it("works on batches and non-contiguous views", () => {
    const a = tensor([spd(3, 1).toArray(), spd(3, 2).toArray()]);
    const l = cholesky(swapAxes(a, -1, -2)); // symmetric, so the transposed view is the same matrix
    expect(l.shape).toEqual([2, 3, 3]);
    expect(flat(l)).toEqual([...flat(cholesky(spd(3, 1))), ...flat(cholesky(spd(3, 2)))]);
  });

  it("throws for matrices that are not positive definite, naming the pivot and its value", () => {
    expect(() => cholesky(tensor([[1, 2], [2, 1]]))).toThrow(
      new RangeError("cholesky: matrix is not positive definite (pivot 1 is -3)"),
    );
    expect(() => cholesky(tensor([[0, 0], [0, 1]]))).toThrow("cholesky: matrix is not positive definite (pivot 0 is 0)");
    // diag(1, 1, 1, -0.25): pivot 3 is -0.25.
    const d = tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, -0.25]]);
    expect(() => cholesky(d)).toThrow("cholesky: matrix is not positive definite (pivot 3 is -0.25)");
    expect(() => cholesky(tensor([[[1, 0], [0, 1]], [[1, 0], [0, -1]]]))).toThrow(
      "cholesky: matrix is not positive definite (pivot 1 is -1) of matrix 1",
    );
  });

  it("checks symmetry (within the documented tolerance), finiteness and shapes", () => {
    expect(() => cholesky(tensor([[4, 1], [2, 5]]))).toThrow("cholesky: matrix is not symmetric (a[1,0] = 2 but a[0,1] = 1)");
    expect(() => cholesky(tensor([[4, 1 + 1e-14], [1, 5]]))).not.toThrow();
    expect(() => cholesky(tensor([[4, 1 + 1e-14], [1, 5]]), { symmetryTolerance: 0 })).toThrow(RangeError);
    expect(() => cholesky(tensor([[NaN, 0], [0, 1]]))).toThrow("cholesky: matrix has a non-finite entry NaN at [0,0]");
    expect(() => cholesky(rand([2, 3], 1))).toThrow("cholesky: a must be square, got [2,3]");
    expect(() => cholesky(tensor([[1]]), { symmetryTolerance: -1 })).toThrow(RangeError);
  });

  it("has the Murray/PyTorch gradient (gradcheck through a symmetrisation)", () => {
    // cholesky reads a symmetric matrix; perturb through S = (X + Xᵀ)/2 so that every entry moves.
    const sym = (x: Tensor): Tensor => mul(add(x, swapAxes(x, -1, -2)), 0.5);
    gradcheck((x) => cholesky(sym(x)), [spd(4, 3)]);
    gradcheck((x) => cholesky(sym(x), { upper: true }), [spd(3, 4)]);
    const batch = tensor([spd(3, 5).toArray(), spd(3, 6).toArray()]);
    gradcheck((x) => cholesky(sym(x)), [batch]);
  });
});
