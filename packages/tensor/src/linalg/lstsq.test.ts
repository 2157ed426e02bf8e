import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { Tensor } from "../tensor";
import { transpose } from "../views";
import { lstsq } from "./lstsq";
import { solve } from "./solve";
import { matmul } from "../matmul";

function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
const rand = (shape: number[], seed: number): Tensor => tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);
const flat = (t: Tensor): number[] => {
  const a = t.toArray();
  return Array.isArray(a) ? (a.flat(Infinity) as number[]) : [a as number];
};
function expectAllClose(actual: number[], expected: number[], rtol: number, atol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]!) <= atol + rtol * Math.abs(expected[i]!))) expect.fail(`index ${i}: ${a} vs ${expected[i]}`);
  });
}

describe("lstsq", () => {
  it("fits a line (worked example) and reports the residual", () => {
    const { solution, residuals, rank } = lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 3, 4]));
    expectAllClose(flat(solution), [7 / 6, 1.5], 1e-14, 1e-15);
    // Residuals: y − ŷ = [−1/6, 1/3, −1/6] → 1/36 + 1/9 + 1/36 = 1/6.
    expect(residuals.shape).toEqual([]);
    expect(residuals.item()).toBeCloseTo(1 / 6, 14);
    expect(rank).toBe(2);
  });

  it("overdetermined: matches the normal equations for well-conditioned A (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.nat(1000), (n, extra, k, seed) => {
        const m = n + extra;
        const a = rand([m, n], seed);
        const b = rand([m, k], seed + 1);
        const at = transpose(a);
        const ref = solve(matmul(at, a), matmul(at, b)); // fine here: cond(AᵀA) is small for these sizes
        const { solution, residuals } = lstsq(a, b);
        expectAllClose(flat(solution), flat(ref), 1e-7, 1e-8);
        const r = flat(matmul(a, solution)).map((v, i) => v - flat(b)[i]!);
        for (let c = 0; c < k; c++) {
          let ss = 0;
          for (let i = 0; i < m; i++) ss += r[i * k + c]! ** 2;
          expect(Math.abs(flat(residuals)[c]! - ss)).toBeLessThan(1e-9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("underdetermined: the minimum-norm solution x = Aᵀ (A Aᵀ)⁻¹ b", () => {
    const a = rand([3, 5], 7);
    const b = rand([3], 8);
    const { solution, residuals, rank } = lstsq(a, b);
    const ref = matmul(transpose(a), solve(matmul(a, transpose(a)), b));
    expectAllClose(flat(solution), flat(ref), 1e-10, 1e-12);
    expect(residuals.item()).toBe(0);
    expect(rank).toBe(3);
  });

  it("is accurate where the normal equations are not (cond(A) = 1e7)", () => {
    // Columns nearly parallel: the normal equations square the condition number (1e14).
    const eps = 1e-7;
    const a = tensor([[1, 1], [1, 1 + eps], [1, 1 - eps]]);
    const xTrue = [2, -1];
    const b = tensor((a.toArray() as number[][]).map((r) => r[0]! * 2 - r[1]!));
    expectAllClose(flat(lstsq(a, b).solution), xTrue, 1e-8, 1e-8);
  });

  it("returns NumPy's minimum-norm solution for a rank-deficient matrix", () => {
    // A = a·[1, 2] with a = [1, 2, 3]: A⁺b = [1, 2]/5 for b = a, rank 1, residual 0.
    const r = lstsq(tensor([[1, 2], [2, 4], [3, 6]]), tensor([1, 2, 3]));
    expect(r.rank).toBe(1);
    expectAllClose(flat(r.solution), [0.2, 0.4], 1e-15, 1e-15);
    expect(r.residuals.item()).toBeLessThan(1e-28);
  });

  it("throws for non-finite input and bad shapes", () => {
    expect(() => lstsq(tensor([[1, NaN], [0, 1]]), tensor([1, 1]))).toThrow("lstsq: matrix has a non-finite entry NaN at [0,1]");
    expect(() => lstsq(rand([3, 2], 1), rand([4], 1))).toThrow("lstsq: a [3,2] and b [4] do not match");
    expect(() => lstsq(rand([3], 1), rand([3], 1))).toThrow("lstsq: a must be 2-D, got [3]");
  });
});
