/** Question 4 worked on a variant: the expected dropout loss, w_dropout, w_L2 and the comparison, verified. */
import { compareDropoutRidge, dropoutSolution, expectedDropoutLoss, monteCarloDropoutLoss, ridgeSolution, tikhonovSolution, trainDropoutRegression, type DropoutRidgeComparison } from "@hw/regularization";
import { add, grad, mul, square, sub, sum, tensor, type Tensor } from "@hw/tensor";
import { toNumbers } from "../internal/numbers";
import type { Q4Data } from "../variant";
import { table } from "./format";
import { fmtNumber as fmt, intervalCheck, type Check, type SectionResult } from "./section";

const vec = (v: ArrayLike<number>): string => `[${Array.from(v, fmt).join(", ")}]`;
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const maxAbsValue = (a: ArrayLike<number>): number => Math.max(...Array.from(a, Math.abs));

/** The readable 4.4 table. */
export function comparisonText(c: DropoutRidgeComparison): string {
  const body = c.features.map((f) => [String(f.feature), fmt(f.columnNorm), fmt(f.dropoutPenalty), fmt(f.ridgePenalty), fmt(f.pwDropout), fmt(f.wDropout), fmt(f.wRidge)]);
  return [
    `keep probability p = ${fmt(c.p)}, λ_dropout = (1 − p)/p = ${fmt(c.lambdaDropout)}, ridge λ = ${fmt(c.lambdaRidge)}, 1/p = ${fmt(c.scale)}`,
    "",
    table(["j", "‖X_:j‖", "dropout penalty λΓ²_jj", "ridge penalty λ", "p·w_dropout", "w_dropout", "w_L2"], body),
    "",
    "Dropout is ridge on p·w with a per-feature penalty λΓ²_jj (larger for larger ‖X_:j‖); its weights are then scaled by 1/p.",
    "L2 weight decay penalizes every coefficient by the same λ.",
  ].join("\n");
}

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

/** How many standard errors the Monte Carlo interval of the 4.1 check spans. */
export const MONTE_CARLO_SE = 4;

/** Question 4 on data `q`. */
export function solveQ4(q: Q4Data): SectionResult {
  const { X, y, w, p, lambda } = q;
  const samples = 20000;
  const seed = 4;
  const checks: Check[] = [];
  const lines: string[] = [`Data: n = ${X.length}, d = ${X[0]!.length}, keep probability p = ${p} (p = probability of KEEPING an input), λ = ${lambda}, w = ${vec(w)}.`, ""];

  // 4.1
  const closed = expectedDropoutLoss(X, y, w, p);
  const mc = monteCarloDropoutLoss(X, y, w, p, { samples, seed });
  const k = MONTE_CARLO_SE;
  lines.push(
    "4.1  E_R‖y − (X⊙R)w‖² = ‖y − pXw‖² + p(1−p)‖Γw‖², Γ = diag(XᵀX)^½",
    `     closed form: ${fmt(closed)}`,
    `     Monte Carlo (${samples} masks, seed ${seed}): ${fmt(mc.mean)} ± ${fmt(mc.stderr)} (standard error), 95% interval [${fmt(mc.interval[0])}, ${fmt(mc.interval[1])}]`,
  );
  checks.push(intervalCheck(`4.1 closed form inside the Monte Carlo interval mean ± ${k} s.e.`, closed, [mc.mean - k * mc.stderr, mc.mean + k * mc.stderr], `mean ± ${k} s.e.`));
  const tinyX = X.slice(0, 3).map((row) => row.slice(0, 3));
  const exactTiny = enumerated(tinyX, y.slice(0, 3), w.slice(0, 3), p);
  const closedTiny = expectedDropoutLoss(tinyX, y.slice(0, 3), w.slice(0, 3), p);
  checks.push({
    name: "4.1 closed form vs exact enumeration of all 2^9 masks (3×3 sub-problem)",
    ok: Math.abs(closedTiny - exactTiny) <= 1e-10 * Math.abs(exactTiny),
    detail: `closed form ${fmt(closedTiny)}, enumeration ${fmt(exactTiny)}, |diff| = ${Math.abs(closedTiny - exactTiny).toExponential(1)}`,
  });

  // 4.2
  const drop = dropoutSolution(X, y, p);
  const dw = toNumbers(drop.w);
  const dpw = toNumbers(drop.pw);
  const gamma2 = toNumbers(drop.gamma2);
  lines.push("", "4.2  p·w_dropout = (XᵀX + λ_dropout Γ²)⁻¹Xᵀy, λ_dropout = (1 − p)/p", `     λ_dropout = ${fmt(drop.lambda)}, Γ² = ${vec(gamma2)}`, `     p·w_dropout = ${vec(dpw)}`, `     w_dropout   = ${vec(dw)}`);
  const Xt = tensor(X);
  const yt = tensor(y);
  const g2 = tensor(gamma2);
  const expectedLossT = (wt: Tensor): Tensor => add(sum(square(sub(yt, mul(p, sum(mul(Xt, wt), 1))))), mul(p * (1 - p), sum(mul(g2, square(wt)))));
  const gradDrop = toNumbers(grad(expectedLossT)(tensor(dw)));
  const scaleDrop = gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(dw) + 1;
  checks.push({ name: "4.2 gradient of E_R[L] at w_dropout is zero (autodiff)", ok: maxAbsValue(gradDrop) <= 1e-10 * scaleDrop, detail: `max |∇E_R[L](w_dropout)| = ${maxAbsValue(gradDrop).toExponential(2)} (scale ${fmt(scaleDrop)})` });
  const fit = trainDropoutRegression(X, y, p, { epochs: 4000, seed });
  const sgdGap = maxAbs(toNumbers(fit.w), dw);
  checks.push({ name: "4.2 SGD with fresh masks converges to w_dropout", ok: sgdGap <= 0.02 * maxAbsValue(dw), detail: `max |w_SGD − w_dropout| = ${sgdGap.toExponential(2)} (4000 epochs, seed ${seed}, averaged iterates; tolerance 2% of max |w|)` });

  // 4.3
  const ridge = ridgeSolution(X, y, lambda);
  const rw = toNumbers(ridge.w);
  lines.push("", `4.3  w_L2 = (XᵀX + λI)⁻¹Xᵀy with λ = ${fmt(lambda)}`, `     w_L2 = ${vec(rw)}`);
  const ridgeLossT = (wt: Tensor): Tensor => add(sum(square(sub(yt, sum(mul(Xt, wt), 1)))), mul(lambda, sum(square(wt))));
  const gradRidge = toNumbers(grad(ridgeLossT)(tensor(rw)));
  const scaleRidge = gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(rw) + 1;
  checks.push({ name: "4.3 gradient of ‖y − Xw‖² + λ‖w‖² at w_L2 is zero (autodiff)", ok: maxAbsValue(gradRidge) <= 1e-10 * scaleRidge, detail: `max |∇(w_L2)| = ${maxAbsValue(gradRidge).toExponential(2)} (scale ${fmt(scaleRidge)})` });

  // 4.4
  const c = compareDropoutRidge(X, y, p, { lambda });
  const cg2 = toNumbers(c.gamma2);
  const cpw = toNumbers(c.pwDropout);
  lines.push("", "4.4  Dropout versus L2:", ...comparisonText(c).split("\n").map((l) => `     ${l}`));
  const tik = toNumbers(tikhonovSolution(X, y, cg2.map((g) => c.lambdaDropout * g)).w);
  checks.push({
    name: "4.4 dropout = Tikhonov ridge on p·w with per-feature penalty λΓ²_jj",
    ok: maxAbs(tik, cpw) <= 1e-12 * maxAbsValue(cpw) && maxAbs(cpw.map((v) => v / p), toNumbers(c.wDropout)) <= 1e-15 * maxAbsValue(toNumbers(c.wDropout)),
    detail: `max |tikhonov(λΓ²) − p·w_dropout| = ${maxAbs(tik, cpw).toExponential(1)}; w_dropout = p·w_dropout / p`,
  });
  const ratios = toNumbers(c.dropoutPenalty).map((v, j) => v / cg2[j]!);
  checks.push({
    name: "4.4 dropout penalty ∝ ‖X_:j‖² (data-dependent), ridge penalty constant",
    ok: ratios.every((r) => Math.abs(r - c.lambdaDropout) <= 1e-14 * c.lambdaDropout),
    detail: `penalties ${vec(toNumbers(c.dropoutPenalty))} vs ‖X_:j‖² ${vec(cg2)}: every ratio = λ_dropout = ${fmt(c.lambdaDropout)}; ridge: ${fmt(lambda)} for all`,
  });

  return {
    text: lines.join("\n"),
    checks,
    data: {
      p,
      lambda,
      expectedLoss: closed,
      monteCarlo: { mean: mc.mean, stderr: mc.stderr, samples, seed, interval: mc.interval },
      dropout: { lambdaDropout: drop.lambda, gamma2, w: dw, pw: dpw },
      ridge: { w: rw },
      comparison: c.features,
    },
  };
}
