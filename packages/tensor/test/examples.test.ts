/** Runs examples/*.ts and checks the outputs their comments (and the README) show. */
import { describe, expect, it } from "vitest";
import { expectClose } from "../src/testing";
import { broadcastExample, fitLine, recordExample, squareExample } from "../examples/autodiff";
import { broadcasting, scalars, views } from "../examples/basics";
import { failingCheck, layerCheck, passingCheck } from "../examples/gradcheck";
import { quickstart } from "../examples/quickstart";

describe("examples", () => {
  it("quickstart (the README usage)", () => {
    const r = quickstart();
    expect(r.printed).toBe("tensor([[11, 22, 33],\n        [14, 25, 36]])");
    expect(r.means).toEqual([2.5, 3.5, 4.5]);
    expect(r.biased).toEqual([0.6666666666666666, 0.6666666666666666]);
    expect(r.unbiased).toEqual([1, 1]);
    // L = mean((xW − y)²) over 2 rows: ∇ = (2/2)·xᵀ(xW − y) with xW − y = [0.4, 1.2]
    expectClose(r.gradient as number[][], [[1 * 0.4 + 4 * 1.2], [2 * 0.4 + 5 * 1.2], [3 * 0.4 + 6 * 1.2]]);
  });

  it("basics", () => {
    expect(broadcasting()).toBe("tensor([[11, 21],\n        [12, 22],\n        [13, 23]])");
    expect(views()).toEqual({ shape: [3, 2], strides: [1, 3], shared: true, values: [[0, 3], [1, 4], [2, 5]] });
    expect(scalars()).toEqual([3, -1]);
  });

  it("autodiff", () => {
    expect(squareExample()).toEqual([2, -4, 6]);
    expect(broadcastExample()).toEqual([[[100], [100], [100]], [[6, 6, 6, 6]]]);
    const fit = fitLine();
    // at w = b = 0 the loss is mean(y²) with y = [1, 1.5, 2, 2.5, 3]
    expect(fit.losses[0]).toBeCloseTo(22.5 / 5, 12);
    expect(fit.losses.every((l, i) => i === 0 || l < fit.losses[i - 1]!)).toBe(true);
    expect(fit.w).toBeCloseTo(2, 2);
    expect(fit.b).toBeCloseTo(1, 2);
    // r = xW + b − y = [−0.8, 0, −1.2]; L = mean(r²); ∇W = (2/3) xᵀ r; ∇b = (2/3) Σ r
    const r = recordExample();
    expectClose(r.value, 2.08 / 3);
    expectClose(r.W as number[][], [[(2 / 3) * -6.8], [(2 / 3) * -8.8]]);
    expectClose(r.b as number[], [(2 / 3) * -2]);
  });

  it("gradcheck", () => {
    expect(passingCheck()).toBeLessThan(1e-8);
    expect(layerCheck()).toEqual({ ok: true, names: ["0", "1"], small: [true, true] });
    expect(failingCheck()).toMatch(/^gradcheck: input 0 \[2\]: analytic 0\.880797 vs numeric 2\.64239 \(abs err 1\.76159 > atol \+ rtol·\|numeric\| = 0\.00265239; input shape \[3\], max abs err 1\.76159\)$/);
  });
});
