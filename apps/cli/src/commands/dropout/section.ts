/** Question 4 of `hw solve` (moving to @hw/problem-set). */
import {
  compareDropoutRidge,
  dropoutSolution,
  expectedDropoutLoss,
  monteCarloDropoutLoss,
  ridgeSolution,
  tikhonovSolution,
  trainDropoutRegression,
} from "@hw/regularization";
import { add, grad, mul, square, sub, sum, tensor, type Tensor } from "@hw/tensor";
import type { Check, SolveSection } from "../../solve/section";
import { comparisonText, fmt, vec } from "./format";
import { builtInData } from "./input";

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const maxAbsValue = (a: ArrayLike<number>): number => Math.max(...Array.from(a, Math.abs));

/** E_R over all masks of a tiny problem, by enumeration (an independent check of 4.1). */
function enumerated(X: number[][], y: number[], w: number[], p: number): number {
  const n = X.length;
  const d = w.length;
  let total = 0;
  for (let bits = 0; bits < 2 ** (n * d); bits++) {
    let prob = 1;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let j = 0; j < d; j++) {
        const kept = ((bits >> (i * d + j)) & 1) === 1;
        prob *= kept ? p : 1 - p;
        if (kept) pred += X[i]![j]! * w[j]!;
      }
      loss += (y[i]! - pred) ** 2;
    }
    total += prob * loss;
  }
  return total;
}

/** Question 4 of `hw solve`. */
export const dropoutSection: SolveSection = {
  id: "4",
  title: "Dropout versus weight decay in linear regression",
  run() {
    const { X, y, w } = builtInData();
    const p = 0.8;
    const lambda = 1;
    const samples = 20000;
    const seed = 4;
    const checks: Check[] = [];
    const lines: string[] = [
      `Built-in data: n = ${X.length}, d = ${X[0]!.length} (createRng(4); column scales 0.3, 1, 3, 6), keep probability p = ${p} (p = probability of KEEPING an input), w = ${vec(w)}.`,
      "",
    ];

    // 4.1
    const closed = expectedDropoutLoss(X, y, w, p);
    const mc = monteCarloDropoutLoss(X, y, w, p, { samples, seed });
    const z = (mc.mean - closed) / mc.stderr;
    lines.push(
      "4.1  E_R‖y − (X⊙R)w‖² = ‖y − pXw‖² + p(1−p)‖Γw‖², Γ = diag(XᵀX)^½",
      `     closed form: ${fmt(closed)}`,
      `     Monte Carlo (${samples} masks, seed ${seed}): ${fmt(mc.mean)} ± ${fmt(mc.stderr)}, 95% interval [${fmt(mc.interval[0])}, ${fmt(mc.interval[1])}]`,
    );
    checks.push({
      name: "4.1 closed form vs Monte Carlo",
      ok: Math.abs(z) <= 4,
      detail: `closed form ${fmt(closed)}, Monte Carlo ${fmt(mc.mean)} ± ${fmt(mc.stderr)} (|z| = ${Math.abs(z).toFixed(2)} ≤ 4; ${mc.interval[0] <= closed && closed <= mc.interval[1] ? "inside" : "outside"} the 95% interval)`,
    });
    const tinyX = X.slice(0, 3).map((row) => row.slice(0, 3));
    const tinyY = y.slice(0, 3);
    const tinyW = w.slice(0, 3);
    const exactTiny = enumerated(tinyX, tinyY, tinyW, p);
    const closedTiny = expectedDropoutLoss(tinyX, tinyY, tinyW, p);
    checks.push({
      name: "4.1 closed form vs exact enumeration of all 2^9 masks (3×3 sub-problem)",
      ok: Math.abs(closedTiny - exactTiny) <= 1e-10 * Math.abs(exactTiny),
      detail: `closed form ${fmt(closedTiny)}, enumeration ${fmt(exactTiny)}, |diff| = ${Math.abs(closedTiny - exactTiny).toExponential(1)}`,
    });

    // 4.2
    const drop = dropoutSolution(X, y, p);
    lines.push(
      "",
      "4.2  p·w_dropout = (XᵀX + λ_dropout Γ²)⁻¹Xᵀy, λ_dropout = (1 − p)/p",
      `     λ_dropout = ${fmt(drop.lambda)}, Γ² = ${vec(drop.gamma2)}`,
      `     p·w_dropout = ${vec(drop.pw)}`,
      `     w_dropout   = ${vec(drop.w)}`,
    );
    // The gradient of the expected loss, by @hw/tensor autodiff, must vanish at w_dropout.
    const Xt = tensor(X);
    const yt = tensor(y);
    const g2 = tensor(Array.from(drop.gamma2));
    const expectedLossT = (wt: Tensor): Tensor =>
      add(sum(square(sub(yt, mul(p, sum(mul(Xt, wt), 1))))), mul(p * (1 - p), sum(mul(g2, square(wt)))));
    const gradDrop = grad(expectedLossT)(tensor(Array.from(drop.w))).toArray() as number[];
    const scaleDrop = drop.gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(drop.w) + 1;
    checks.push({
      name: "4.2 gradient of E_R[L] at w_dropout is zero (autodiff)",
      ok: maxAbsValue(gradDrop) <= 1e-10 * scaleDrop,
      detail: `max |∇E_R[L](w_dropout)| = ${maxAbsValue(gradDrop).toExponential(2)} (scale ${fmt(scaleDrop)})`,
    });
    const fit = trainDropoutRegression(X, y, p, { epochs: 4000, seed });
    const sgdGap = maxAbs(fit.w, drop.w);
    checks.push({
      name: "4.2 SGD with fresh masks converges to w_dropout",
      ok: sgdGap <= 0.02 * maxAbsValue(drop.w),
      detail: `max |w_SGD − w_dropout| = ${sgdGap.toExponential(2)} (4000 epochs, seed ${seed}, averaged iterates; tolerance 2% of max |w|)`,
    });

    // 4.3
    const ridge = ridgeSolution(X, y, lambda);
    lines.push("", `4.3  w_L2 = (XᵀX + λI)⁻¹Xᵀy with λ = ${fmt(lambda)}`, `     w_L2 = ${vec(ridge.w)}`);
    const ridgeLossT = (wt: Tensor): Tensor => add(sum(square(sub(yt, sum(mul(Xt, wt), 1)))), mul(lambda, sum(square(wt))));
    const gradRidge = grad(ridgeLossT)(tensor(Array.from(ridge.w))).toArray() as number[];
    const scaleRidge = drop.gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(ridge.w) + 1;
    checks.push({
      name: "4.3 gradient of ‖y − Xw‖² + λ‖w‖² at w_L2 is zero (autodiff)",
      ok: maxAbsValue(gradRidge) <= 1e-10 * scaleRidge,
      detail: `max |∇(w_L2)| = ${maxAbsValue(gradRidge).toExponential(2)} (scale ${fmt(scaleRidge)})`,
    });

    // 4.4
    const c = compareDropoutRidge(X, y, p, { lambda });
    lines.push("", "4.4  Dropout versus L2:", ...comparisonText(c).split("\n").map((l) => `     ${l}`));
    const tik = tikhonovSolution(X, y, Array.from(c.gamma2, (g) => c.lambdaDropout * g));
    checks.push({
      name: "4.4 dropout = Tikhonov ridge on p·w with per-feature penalty λΓ²_jj",
      ok: maxAbs(tik.w, c.pwDropout) <= 1e-12 * maxAbsValue(c.pwDropout) && maxAbs(c.pwDropout.map((v) => v / p), c.wDropout) <= 1e-15 * maxAbsValue(c.wDropout),
      detail: `max |tikhonov(λΓ²) − p·w_dropout| = ${maxAbs(tik.w, c.pwDropout).toExponential(1)}; w_dropout = p·w_dropout / p`,
    });
    const ratios = Array.from(c.dropoutPenalty, (v, j) => v / c.gamma2[j]!);
    checks.push({
      name: "4.4 dropout penalty ∝ ‖X_:j‖² (data-dependent), ridge penalty constant",
      ok: ratios.every((r) => Math.abs(r - c.lambdaDropout) <= 1e-14 * c.lambdaDropout),
      detail: `penalties ${vec(c.dropoutPenalty)} vs ‖X_:j‖² ${vec(c.gamma2)}: every ratio = λ_dropout = ${fmt(c.lambdaDropout)}; ridge: ${fmt(lambda)} for all`,
    });

    return {
      text: lines.join("\n"),
      checks,
      data: {
        p,
        lambda,
        expectedLoss: closed,
        monteCarlo: { mean: mc.mean, stderr: mc.stderr, samples, seed, interval: mc.interval },
        dropout: { lambdaDropout: drop.lambda, gamma2: drop.gamma2, w: drop.w, pw: drop.pw },
        ridge: { w: ridge.w },
        comparison: c.features,
      },
    };
  },
};
