import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { weightNorm, whitenedBatchNormEqualsWeightNorm } from "./index";

describe("whitenedBatchNormEqualsWeightNorm (Question 3.2)", () => {
  const u = [1, -2, 0.5, 3];
  it("the error shrinks like 1/√n as the whitened sample grows", () => {
    const demo = whitenedBatchNormEqualsWeightNorm({ u, gamma: 1.5, beta: 0.25, sizes: [100, 10_000, 1_000_000], seed: 42 });
    const e = demo.rows.map((r) => r.rmsError);
    // rms error ≈ γ·O(1)/√n (the sample mean and std are off by O(1/√n)); 6γ/√n is a loose bound.
    demo.rows.forEach((r) => { expect(r.rmsError).toBeLessThan((6 * 1.5) / Math.sqrt(r.n)); });
    expect(e[2]!).toBeLessThan(e[0]! / 10);
    expectClose(demo.rows[2]!.varianceY, demo.normUSquared, { rtol: 1e-2 }); // sampling error ~ √(2/n)
    expect(Math.abs(demo.rows[2]!.meanY)).toBeLessThan(0.02);
    expectClose(demo.w, weightNorm(u, 1.5), { rtol: 1e-15 });
  });
  it("is reproducible from its seed, and the seed is echoed", () => {
    const a = whitenedBatchNormEqualsWeightNorm({ u, sizes: [50], seed: 7 });
    const b = whitenedBatchNormEqualsWeightNorm({ u, sizes: [50], seed: 7 });
    expect(a.rows).toEqual(b.rows);
    expect(a.seed).toBe(7);
    expect(whitenedBatchNormEqualsWeightNorm({ u, sizes: [50], seed: 8 }).rows).not.toEqual(a.rows);
  });
  it("rejects a zero u and bad sample sizes", () => {
    expect(() => whitenedBatchNormEqualsWeightNorm({ u: [0, 0] })).toThrow(/^whitenedBatchNormEqualsWeightNorm: u must be a non-zero finite vector/);
    expect(() => whitenedBatchNormEqualsWeightNorm({ u, sizes: [1] })).toThrow("whitenedBatchNormEqualsWeightNorm: sample sizes must be integers ≥ 2, got 1");
  });
});
