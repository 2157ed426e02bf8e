import { createRng, tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import fixtures from "../test/fixtures/ridge.json";
import { ridge } from "./ridge";
import { ridgeSolution } from "./ridge-solution";

interface Case {
  input: { X: number[][]; y: number[] | number[][]; lambda: number; fitIntercept: boolean; sampleWeight: number[] | null };
  expected: { w: number[] | number[][]; intercept: number | number[] };
}

describe("ridge (scikit-learn Ridge(solver='cholesky') parity)", () => {
  it.each((fixtures.cases as Case[]).map((c, i) => [i, c] as const))("fixture case %i: w and intercept at rtol 1e-9", (_i, c) => {
    const { X, y, lambda, fitIntercept, sampleWeight } = c.input;
    const fit = ridge(X, y, { lambda, fitIntercept, ...(sampleWeight === null ? {} : { sampleWeight }) });
    expect(fit.form).toBe(X.length < X[0]!.length ? "dual" : "primal");
    expectClose(fit.w, c.expected.w, { rtol: 1e-9, atol: 1e-12 });
    if (typeof c.expected.intercept === "number") expectClose(fit.intercept, c.expected.intercept, { rtol: 1e-9, atol: 1e-12 });
    else expectClose(fit.intercept, c.expected.intercept, { rtol: 1e-9, atol: 1e-12 });
  });
  it("without intercept and weights it is ridgeSolution", () => {
    const X = [[1, 0], [0, 1], [1, 1]];
    expectClose(ridge(X, [1, 2, 3], { lambda: 1 }).w, ridgeSolution(X, [1, 2, 3], 1).w, { rtol: 1e-15 });
    expectClose(ridge(X, [1, 2, 3], { lambda: 1 }).w, [0.875, 1.375], { rtol: 1e-14 });
  });
  it("fits an exact line with λ = 0 and an intercept; integer weights equal repeated rows", () => {
    const fit = ridge([[0], [1], [2]], [1, 3, 5], { lambda: 0, fitIntercept: true });
    expectClose(fit.w, [2], { rtol: 1e-14 });
    expectClose(fit.intercept, 1, { rtol: 1e-14 });
    const rng = createRng(4);
    const X = rng.normal([6, 3]).toArray() as number[][];
    const y = rng.normal([6]).toArray() as number[];
    const weighted = ridge(X, y, { lambda: 0.3, fitIntercept: true, sampleWeight: [1, 2, 1, 3, 1, 1] });
    const rep = [0, 1, 1, 2, 3, 3, 3, 4, 5];
    const repeated = ridge(rep.map((i) => X[i]!), rep.map((i) => y[i]!), { lambda: 0.3, fitIntercept: true });
    expectClose(weighted.w, repeated.w, { rtol: 1e-12 });
    expectClose(weighted.intercept, repeated.intercept, { rtol: 1e-12 });
  });
  it("the dual form keeps small-λ digits for a wide X (the minimum-norm interpolant as λ → 0)", () => {
    const rng = createRng(9);
    const X = rng.normal([5, 40]);
    const y = rng.normal([5]);
    const fit = ridge(X, y, { lambda: 1e-12 });
    expect(fit.form).toBe("dual");
    // Interpolates: Xw = y to ~λ·‖(XXᵀ)⁻¹‖ relative.
    const Xa = X.toArray() as number[][];
    const pred = Xa.map((row) => row.reduce((s, v, j) => s + v * fit.w.get(j), 0));
    expectClose(pred, y, { rtol: 1e-9, atol: 1e-10 });
  });
  it("validates with the op name and the values; options are strict", () => {
    expect(() => ridge([[1, 2]], [1, 2])).toThrow("ridge: y must have n = 1 rows (shape [1] or [1, k]) to match X [1,2], got shape [2]");
    expect(() => ridge([[1], [2]], [1, 2], { sampleWeight: [1, -1] })).toThrow("ridge: sampleWeight[1] must be ≥ 0, got -1");
    expect(() => ridge([[1], [2]], [1, 2], { fitIntercept: true, sampleWeight: [0, 0] })).toThrow("ridge: the sample weights sum to 0");
    expect(() => ridge([[1], [2]], [1, 2], { alpha: 1 } as never)).toThrow("ridge: unknown option `alpha`");
    expect(() => ridge([[1, 1], [2, 2]], [1, 2], { lambda: 0 })).toThrow(/^ridge: XᵀX \+ λI \(λ = 0\) is singular to working precision/);
    expect(() => ridge([[1, 1, 1], [2, 2, 2]], tensor([1, 2]), { lambda: 0 })).toThrow(/the dual form for n = 2 < d = 3\) is singular/);
  });
});
