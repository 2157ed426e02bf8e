import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import fixtures from "../test/fixtures/ridge-cv.json";
import { ridge } from "./ridge";
import { ridgeCV } from "./ridge-cv";

interface Case {
  input: { X: number[][]; y: number[] | number[][]; lambdas: number[]; fitIntercept: boolean; sampleWeight: number[] | null };
  expected: { lambda: number; w: number[] | number[][]; intercept: number | number[]; looSquaredErrors: unknown; bestScore: number };
}

describe("ridgeCV (scikit-learn RidgeCV leave-one-out parity)", () => {
  it.each((fixtures.cases as Case[]).map((c, i) => [i, c] as const))("fixture case %i: same λ, same LOO errors, same fit (rtol 1e-9)", (_i, c) => {
    const { X, y, lambdas, fitIntercept, sampleWeight } = c.input;
    const cv = ridgeCV(X, y, { lambdas, fitIntercept, ...(sampleWeight === null ? {} : { sampleWeight }) });
    expect(cv.lambda).toBe(c.expected.lambda);
    expectClose(cv.looSquaredErrors, c.expected.looSquaredErrors as number[][], { rtol: 1e-9, atol: 1e-12 });
    expectClose(-Math.min(...(cv.looMeanSquaredErrors.toArray() as number[])), c.expected.bestScore, { rtol: 1e-9 });
    expectClose(cv.w, c.expected.w, { rtol: 1e-9, atol: 1e-12 });
    if (typeof c.expected.intercept === "number") expectClose(cv.intercept, c.expected.intercept, { rtol: 1e-9, atol: 1e-12 });
    else expectClose(cv.intercept, c.expected.intercept, { rtol: 1e-9, atol: 1e-12 });
  });
  it("the shortcut equals refitting without each sample (brute force)", () => {
    const c = (fixtures.cases as Case[])[0]!;
    const X = c.input.X.slice(0, 12);
    const y = (c.input.y as number[]).slice(0, 12);
    const cv = ridgeCV(X, y, { lambdas: [0.5], fitIntercept: true });
    X.forEach((row, i) => {
      const fit = ridge(X.filter((_, j) => j !== i), y.filter((_, j) => j !== i), { lambda: 0.5, fitIntercept: true });
      const pred = row.reduce((s, v, j) => s + v * fit.w.get(j), fit.intercept as number);
      expectClose(cv.looSquaredErrors.get(0, i), (y[i]! - pred) ** 2, { rtol: 1e-9 });
    });
  });
  it("validates its options", () => {
    expect(() => ridgeCV([[1], [2]], [1, 2], { lambdas: [] })).toThrow("ridgeCV: options.lambdas must be a non-empty array");
    expect(() => ridgeCV([[1], [2]], [1, 2], { alphas: [1] } as never)).toThrow("ridgeCV: unknown option `alphas`");
    expect(() => ridgeCV([[1], [2]], [1, 2], { lambdas: [-1] })).toThrow("ridgeCV: lambdas[] must be a finite number ≥ 0, got -1");
  });
});
