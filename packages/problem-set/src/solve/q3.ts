/** Question 3 worked on a variant: pooled statistics (with exact fractions), batch-norm backward, 3.2 and 3.3, verified. */
import { batchNorm, batchNormBackward, groupNorm, instanceNorm, layerNorm, weightNorm, weightNormGrad, whitenedBatchNormEqualsWeightNorm } from "@hw/normalization";
import { add, div, grad, matmul, mean, mul, sqrt, sub, sum, tensor, variance, type Tensor } from "@hw/tensor";
import { toNumbers, varianceOf } from "../internal/numbers";
import type { Q3Data } from "../variant";
import { show } from "./format";
import type { Check, SectionResult } from "./section";

const fmt = (v: number): string => v.toExponential(1);

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

/** An exact fraction p/q of integers, reduced. */
function fraction(p: number, q: number): { text: string; value: number } {
  const g = gcd(p, q) || 1;
  const [a, b] = [p / g, q / g];
  return { text: b === 1 ? String(a) : `${a}/${b}`, value: a / b };
}

/** Mean and biased variance of integer pools as exact fractions: μ = S/n, σ² = (nQ − S²)/n². */
function exactStats(x: number[][][], pick: (b: number, c: number) => number, count: number): { mean: ReturnType<typeof fraction>[]; variance: ReturnType<typeof fraction>[] } {
  const S = new Array<number>(count).fill(0);
  const Q = new Array<number>(count).fill(0);
  const n = new Array<number>(count).fill(0);
  x.forEach((row, b) => {
    row.forEach((feat, c) => {
      for (const v of feat) {
        const k = pick(b, c);
        S[k] = S[k]! + v;
        Q[k] = Q[k]! + v * v;
        n[k] = n[k]! + 1;
      }
    });
  });
  return { mean: S.map((s, k) => fraction(s, n[k]!)), variance: S.map((s, k) => fraction(n[k]! * Q[k]! - s * s, n[k]! * n[k]!)) };
}

/** Question 3 on data `q`. */
export function solveQ3(q: Q3Data): SectionResult {
  const x = tensor(q.x);
  const [B, C] = x.shape as [number, number, number];
  const bn = batchNorm(x);
  const ln = layerNorm(x, x.shape.slice(1));
  const inorm = instanceNorm(x);
  const checks: Check[] = [];
  const integers = q.x.flat(2).every(Number.isInteger);
  const exact = {
    batch: exactStats(q.x, (_b, c) => c, C),
    layer: exactStats(q.x, (b) => b, B),
    instance: exactStats(q.x, (b, c) => b * C + c, B * C),
  };
  const ours = { batch: bn, layer: ln, instance: inorm };
  if (integers) {
    const err = Math.max(
      ...(["batch", "layer", "instance"] as const).flatMap((k) => [
        maxAbsDiff(toNumbers(ours[k].mean), exact[k].mean.map((f) => f.value)),
        maxAbsDiff(toNumbers(varianceOf(ours[k])), exact[k].variance.map((f) => f.value)),
      ]),
    );
    checks.push({ name: "3.1 six statistics vs exact fractions (integer sums, σ² = (nQ − S²)/n²)", ok: err <= 1e-12, detail: `max |package − fraction| = ${fmt(err)}` });
  }
  const g1 = groupNorm(x, 1);
  const gC = groupNorm(x, C);
  const eG = Math.max(
    maxAbsDiff(toNumbers(g1.mean), toNumbers(ln.mean)),
    maxAbsDiff(toNumbers(varianceOf(g1)), toNumbers(varianceOf(ln))),
    maxAbsDiff(toNumbers(gC.mean), toNumbers(inorm.mean)),
    maxAbsDiff(toNumbers(varianceOf(gC)), toNumbers(varianceOf(inorm))),
  );
  checks.push({ name: "3.1 group norm: 1 group = layer, C groups = instance", ok: eG <= 1e-15, detail: `max difference ${fmt(eG)}` });

  // Backward pass: analytic vs autodiff of the formula in @hw/tensor primitives.
  const up = tensor(q.x.map((r, b) => r.map((f, c) => f.map((_, k) => Math.sin(1 + b + 2 * c + 3 * k)))));
  const gammaBn = Array.from({ length: C }, (_, c) => 1.5 - c);
  const betaBn = Array.from({ length: C }, (_, c) => 0.2 - 0.1 * c);
  const analytic = batchNormBackward(x, up, { gamma: gammaBn, beta: betaBn });
  const composed = (a: Tensor): Tensor => {
    const centred = sub(a, mean(a, [0, 2], { keepDims: true }));
    const y = add(mul(div(centred, sqrt(add(variance(a, [0, 2], { keepDims: true }), 1e-5))), tensor(gammaBn.map((g) => [g]))), tensor(betaBn.map((b) => [b])));
    return sum(mul(y, up));
  };
  const eB = maxAbsDiff(toNumbers(analytic.gradX), toNumbers(grad(composed)(x)));
  checks.push({ name: "batch-norm backward (analytic) vs autodiff of the formula", ok: eB <= 1e-12, detail: `max |Δ ∂L/∂x| = ${fmt(eB)}` });

  // 3.2 Monte Carlo on this variant's u and γ.
  const demo = whitenedBatchNormEqualsWeightNorm({ u: q.u, gamma: q.gamma, beta: 0.25, sizes: [100, 10_000, 1_000_000], seed: 3 });
  const errs = demo.rows.map((r) => r.maxAbsError);
  const scale = Math.abs(q.gamma);
  checks.push({
    name: "3.2 BN(uᵀx) = wᵀx + β on whitened samples (Monte Carlo, seed 3)",
    ok: errs[2]! < errs[0]! / 10 && errs[2]! < 0.02 * scale,
    detail: `${demo.rows.map((r) => `n=${r.n}: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`).join("; ")} (→ 0 like 1/√n)`,
  });

  // 3.3 projection and orthogonality.
  const wg = weightNormGrad(q.u, q.gamma, q.gradW);
  const viaMatrix = mul(wg.s, matmul(wg.projection, tensor(q.gradW)));
  const [autoU] = grad((a: Tensor, g: Tensor) => sum(mul(div(mul(g, a), sqrt(sum(mul(a, a)))), tensor(q.gradW))), { argnums: [0] })(tensor(q.u), tensor(q.gamma));
  const eP = maxAbsDiff(toNumbers(wg.gradU), toNumbers(viaMatrix));
  const eA = maxAbsDiff(toNumbers(wg.gradU), toNumbers(autoU));
  const gu = toNumbers(wg.gradU);
  const orth = Math.abs(q.u.reduce((a, v, i) => a + v * gu[i]!, 0));
  const pu = Math.max(...toNumbers(matmul(wg.projection, tensor(q.u))).map(Math.abs));
  checks.push({ name: "3.3 ∇_u L = s W⊥ ∇_w L (matrix form) = autodiff", ok: eP <= 1e-13 && eA <= 1e-12, detail: `max |Δ| vs s·W⊥·∇_w L = ${fmt(eP)}, vs autodiff = ${fmt(eA)}` });
  checks.push({ name: "3.3 orthogonality: W⊥u = 0 and uᵀ∇_u L = 0", ok: pu <= 1e-13 && orth <= 1e-12, detail: `max |W⊥u| = ${fmt(pu)}, |uᵀ∇_u L| = ${fmt(orth)}` });

  const fr = (fs: readonly { text: string }[]) => (integers ? `   (= ${fs.map((f) => f.text).join(", ")})` : "");
  const text = [
    `3.1 x = the ${x.shape.join("×")} tensor (batch × channels × features); biased variances.`,
    show("μ_batch     = ", bn.mean) + fr(exact.batch.mean),
    show("σ²_batch    = ", varianceOf(bn)) + fr(exact.batch.variance),
    show("μ_layer     = ", ln.mean) + fr(exact.layer.mean),
    show("σ²_layer    = ", varianceOf(ln)) + fr(exact.layer.variance),
    show("μ_instance  = ", inorm.mean),
    show("σ²_instance = ", varianceOf(inorm)),
    "",
    `3.2 u = [${q.u.join(", ")}], γ = ${q.gamma}, β = 0.25, ${show("w = γu/‖u‖ = ", demo.w)}`,
    ...demo.rows.map((r) => `    n = ${String(r.n).padStart(7)}: mean(y) = ${r.meanY.toFixed(4)}, var(y) = ${r.varY.toFixed(4)} (‖u‖² = ${demo.normUSquared}), |BN(y) − (wᵀx+β)|: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`),
    "",
    `3.3 u = [${q.u.join(", ")}], γ = ${q.gamma}, ∇_w L = [${q.gradW.join(", ")}]: s = ${toNumbers(wg.s)[0]!.toFixed(6)}, ${show("∇_u L = ", wg.gradU)}`,
  ].join("\n");
  return {
    text,
    checks,
    data: {
      batch: { mean: bn.mean.toArray(), variance: varianceOf(bn).toArray() },
      layer: { mean: ln.mean.toArray(), variance: varianceOf(ln).toArray() },
      instance: { mean: inorm.mean.toArray(), variance: varianceOf(inorm).toArray() },
      whitened: demo.rows,
      weightNorm: { u: q.u, gamma: q.gamma, gradW: q.gradW, w: weightNorm(q.u, q.gamma).toArray(), gradU: wg.gradU.toArray(), s: toNumbers(wg.s)[0], gradGamma: toNumbers(wg.gradGamma)[0] },
    },
  };
}
