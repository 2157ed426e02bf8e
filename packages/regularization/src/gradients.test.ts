/**
 * The analytic gradients behind the package, checked against @hw/tensor autodiff and against central
 * finite differences in float64: the SGD step of trainDropoutRegression (gradient of one mask's loss)
 * and the stationarity of the closed forms (gradient of the expected loss at w_dropout, of the ridge
 * objective at w_L2).
 */
import { describe, expect, it } from "vitest";
import { add, createRng, grad, mul, square, sub, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { dropoutLoss, expectedDropoutLoss } from "./dropout-loss";
import { dropoutSolution } from "./dropout-solution";
import { ridgeSolution } from "./ridge-solution";
import { trainDropoutRegression } from "./train-dropout-regression";
import { fixtureCases } from "../test/reference";

/** Central differences of f at w (step h per coordinate). */
function finiteDiff(f: (w: number[]) => number, w: readonly number[], h = 1e-5): number[] {
  return w.map((_, j) => {
    const up = [...w];
    const down = [...w];
    up[j] = up[j]! + h;
    down[j] = down[j]! - h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe("gradients", () => {
  it("one SGD step is −lr·∇ of the mean masked loss (autodiff and finite differences)", () => {
    const { X, y } = fixtureCases[0]!.input;
    const n = X.length;
    const d = X[0]!.length;
    const p = 0.7;
    const seed = 12;
    const lr = 0.01;
    // The first draw of createRng(seed) in trainDropoutRegression (full batch) is this mask.
    const R = createRng(seed).bernoulli([n, d], p);
    const Xm = mul(tensor(X), R);
    const meanLoss = (w: Tensor): Tensor => mul(1 / n, sum(square(sub(tensor(y), sum(mul(Xm, w), 1)))));
    const w0 = tensor(new Array<number>(d).fill(0));
    const g = Array.from(grad(meanLoss)(w0).data);
    const fit = trainDropoutRegression(X, y, { p, epochs: 1, seed, lr });
    expectClose(fit.wLast, g.map((v) => -lr * v), { rtol: 1e-12, atol: 1e-15 });
    const Rows = R.toArray() as number[][];
    // Finite differences of the package's own dropoutLoss: truncation error O(h²)·f‴, loosened to 1e-6.
    const fd = finiteDiff((w) => dropoutLoss(X, y, { w, mask: Rows }) / n, new Array<number>(d).fill(0));
    expectClose(g, fd, { rtol: 1e-6, atol: 1e-6 });
  });

  it.each(fixtureCases.map((c, i) => [i, c] as const))("∇E_R[L] vanishes at w_dropout and ∇(ridge objective) at w_L2 (case %i)", (_i, c) => {
    const { X, y, p, lambda } = c.input;
    const drop = dropoutSolution(X, y, p);
    const g2 = drop.gamma2;
    const Xt = tensor(X);
    const yt = tensor(y);
    const expected = (w: Tensor): Tensor =>
      add(sum(square(sub(yt, mul(p, sum(mul(Xt, w), 1))))), mul(p * (1 - p), sum(mul(g2, square(w)))));
    // The autodiff expression is the closed form itself:
    expectClose(expected(tensor(c.input.w)).item(), expectedDropoutLoss(X, y, { w: c.input.w, p }), { rtol: 1e-12 });
    const scale = (drop.gamma2.toArray() as number[]).reduce((a, b) => a + b, 0) * Math.max(...Array.from(drop.w.data, Math.abs));
    const gd = Array.from(grad(expected)(drop.w).data);
    expect(Math.max(...gd.map(Math.abs))).toBeLessThan(1e-11 * scale);
    // …and finite differences of expectedDropoutLoss agree with autodiff at the fixture's w.
    const at = c.input.w;
    expectClose(finiteDiff((w) => expectedDropoutLoss(X, y, { w, p }), at), Array.from(grad(expected)(tensor(at)).data), { rtol: 1e-6, atol: 1e-5 });

    const ridge = ridgeSolution(X, y, lambda);
    const objective = (w: Tensor): Tensor => add(sum(square(sub(yt, sum(mul(Xt, w), 1)))), mul(lambda, sum(square(w))));
    const gr = Array.from(grad(objective)(ridge.w).data);
    expect(Math.max(...gr.map(Math.abs))).toBeLessThan(1e-11 * scale);
  });
});
