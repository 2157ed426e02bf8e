import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { transpose, tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { dropoutSolution } from "./dropout-solution";
import { ridgeSolution } from "./ridge-solution";
import { tikhonovSolution } from "./tikhonov-solution";
import { fixtureCases, gaussSolve, normalSystem } from "../test/reference";

const matrixArb = (n: number, d: number) =>
  fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n });

const problemArb = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }))
  .chain(([n, d]) => fc.tuple(matrixArb(n, d), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })));

describe("fixtures (PyTorch/NumPy/scikit-learn, float64)", () => {
  it.each(fixtureCases.map((c, i) => [i, c] as const))("case %i: w_dropout, λ_dropout and w_ridge to rtol 1e-9", (_i, c) => {
    const { X, y, p, lambda } = c.input;
    const drop = dropoutSolution(X, y, p);
    expectClose(drop.lambda, c.expected.lambdaDropout, { rtol: 1e-12 });
    expectClose(drop.w, c.expected.wDropout, { rtol: 1e-9, atol: 1e-12 });
    expectClose(drop.pw, c.expected.wDropout.map((v) => p * v), { rtol: 1e-9, atol: 1e-12 });
    const ridge = ridgeSolution(X, y, lambda);
    expectClose(ridge.w, c.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
    expect(ridge.lambda).toBe(lambda);
    expect(ridge.condition).toBeGreaterThan(1);
    // The drop-probability spelling gives the same answer.
    expectClose(dropoutSolution(X, y, { drop: 1 - p }).w, drop.w, { rtol: 1e-12 });
  });
});

describe("tikhonovSolution", () => {
  it("matches Gaussian elimination on the normal equations (property)", () => {
    fc.assert(
      fc.property(problemArb, fc.double({ min: 0.1, max: 5, noNaN: true }), ([X, y], base) => {
        const d = X[0]!.length;
        const penalty = Array.from({ length: d }, (_, j) => base * (j + 1));
        const { A, b } = normalSystem(X, y, penalty);
        expectClose(tikhonovSolution(X, y, penalty).w, gaussSolve(A, b), { rtol: 1e-8, atol: 1e-10 });
      }),
      { numRuns: 200 },
    );
  });

  it("is ridge for a constant penalty and dropout (on pw) for λΓ²", () => {
    const c = fixtureCases[2]!;
    const { X, y, p, lambda } = c.input;
    expectClose(tikhonovSolution(X, y, lambda).w, ridgeSolution(X, y, lambda).w, { rtol: 1e-13 });
    const drop = dropoutSolution(X, y, p);
    expectClose(tikhonovSolution(X, y, Array.from(drop.gamma2.data, (g) => drop.lambda * g)).w, drop.pw, { rtol: 1e-13 });
  });

  it("accepts Tensors, including non-contiguous views", () => {
    const c = fixtureCases[0]!;
    const { X, y, lambda } = c.input;
    const Xt = transpose(tensor(X[0]!.map((_, j) => X.map((row) => row[j]!))));
    expect(Xt.isContiguous).toBe(false);
    expectClose(ridgeSolution(Xt, tensor(y), lambda).w, c.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
  });

  it("solves a 1×1 problem", () => {
    // (4 + 4)⁻¹·8 = 1 and 4⁻¹·8 = 2, up to the rounding of the square-root pivots.
    expectClose(tikhonovSolution([[2]], [4], 4).w, [1], { rtol: 1e-15 });
    expectClose(ridgeSolution([[2]], [4], 0).w, [2], { rtol: 1e-15 });
  });

  it("reports the condition number (exact for a diagonal system)", () => {
    const s = tikhonovSolution([[1, 0], [0, 10]], [1, 1], 0);
    expectClose(s.condition, 100, { rtol: 1e-12 });
  });

  it("throws a clear error for a singular system instead of returning NaN", () => {
    expect(() => ridgeSolution([[1, 2], [2, 4]], [1, 2], 0)).toThrow(
      /^ridgeSolution: XᵀX \+ λI \(λ = 0\) is singular to working precision \(Cholesky pivot 2 of 2, feature 1/,
    );
    expect(() => dropoutSolution([[1, 0], [2, 0]], [1, 2], 0.5)).toThrow(/dropoutSolution: .* singular .*feature 1 is zero/);
    // A positive penalty makes it solvable.
    expect(ridgeSolution([[1, 2], [2, 4]], [1, 2], 1e-3).w.data.every(Number.isFinite)).toBe(true);
  });

  it("validates shapes, penalties and finiteness with the op name and the values", () => {
    expect(() => ridgeSolution([[1, 2], [3, 4]], [1, 2, 3], 1)).toThrow("ridgeSolution: X and y disagree: X is [2,2] but y has length 3 (expected 2)");
    expect(() => ridgeSolution([[1, 2]], [1], -1)).toThrow("ridgeSolution: lambda must be a finite number ≥ 0, got -1");
    expect(() => ridgeSolution([[1, 2]], [1], Number.NaN)).toThrow(RangeError);
    expect(() => ridgeSolution([[1, Number.NaN]], [1], 1)).toThrow("ridgeSolution: X[0][1] is NaN; the inputs must be finite");
    expect(() => ridgeSolution([[1, 2]], [Infinity], 1)).toThrow("ridgeSolution: y[0] is Infinity");
    expect(() => ridgeSolution([], [], 1)).toThrow(RangeError);
    expect(() => ridgeSolution([[1, 2], [3]], [1, 2], 1)).toThrow("ridgeSolution: X: ragged nested array at [1]: expected length 2, got 1");
    expect(() => tikhonovSolution([[1, 2]], [1], [1])).toThrow("tikhonovSolution: penalty has length 1, expected 2 (one penalty per column of X)");
    expect(() => tikhonovSolution([[1, 2]], [1], [1, -2])).toThrow("tikhonovSolution: penalty[1] must be ≥ 0, got -2");
    expect(() => dropoutSolution([[1, 2]], [1], 0)).toThrow("dropoutSolution: the keep probability p must be in (0, 1]");
  });
});

describe("dropoutSolution", () => {
  it("λ_dropout = (1 − p)/p → 0 as p → 1 and grows as p → 0; p = 1 is least squares", () => {
    const c = fixtureCases[0]!;
    const { X, y } = c.input;
    expect(dropoutSolution(X, y, 1).lambda).toBe(0);
    expectClose(dropoutSolution(X, y, 1).w, ridgeSolution(X, y, 0).w, { rtol: 1e-13 });
    expectClose(dropoutSolution(X, y, 0.01).lambda, 99, { rtol: 1e-12 });
    expect(dropoutSolution(X, y, 0.25).lambda).toBe(3);
  });

  it("Γ² is the squared column norms, w = pw / p", () => {
    fc.assert(
      fc.property(problemArb, fc.double({ min: 0.05, max: 0.95, noNaN: true }), ([X, y], p) => {
        // p < 1 keeps λ_dropout ≥ 0.05, so the system is positive definite whenever no column is zero.
        const ok = X[0]!.every((_, j) => X.some((row) => Math.abs(row[j]!) > 1e-3));
        fc.pre(ok);
        const s = dropoutSolution(X, y, p);
        expectClose(s.gamma2, X[0]!.map((_, j) => X.reduce((acc, row) => acc + row[j]! ** 2, 0)), { rtol: 1e-12 });
        expectClose(s.w, Array.from(s.pw.data, (v) => v / p), { rtol: 1e-15 });
        const { A, b } = normalSystem(X, y, Array.from(s.gamma2.data, (g) => s.lambda * g));
        expectClose(s.pw, gaussSolve(A, b), { rtol: 1e-7, atol: 1e-9 });
      }),
      { numRuns: 200 },
    );
  });

  it("is invariant to feature scale (4.4): rescaling column j by c rescales w_j by 1/c, even for huge and tiny c", () => {
    const { X, y, p } = fixtureCases[1]!.input;
    const base = dropoutSolution(X, y, p).w;
    for (const c of [1e100, 1e-100, 3]) {
      const scaled = X.map((row) => row.map((v, j) => (j === 2 ? v * c : v)));
      const w = dropoutSolution(scaled, y, p).w;
      expectClose(w, Array.from(base.data, (v, j) => (j === 2 ? v / c : v)), { rtol: 1e-10 });
      const all = dropoutSolution(X.map((row) => row.map((v) => v * c)), y, p).w;
      expectClose(all, Array.from(base.data, (v) => v / c), { rtol: 1e-10 });
    }
    // Ridge is not: its answer changes with the units of a feature.
    const r1 = ridgeSolution(X, y, 1).w.get(2);
    const r3 = ridgeSolution(X.map((row) => row.map((v, j) => (j === 2 ? v * 3 : v))), y, 1).w.get(2) * 3;
    expect(Math.abs(r1 - r3)).toBeGreaterThan(1e-6);
  });
});
