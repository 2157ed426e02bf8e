/** Question 3 of `hw solve` (moving to @hw/problem-set). */
import {
  batchNorm,
  batchNormBackward,
  groupNorm,
  instanceNorm,
  layerNorm,
  problemTensor,
  weightNorm,
  weightNormGrad,
  whitenedBatchNormEqualsWeightNorm,
} from "@hw/normalization";
import { add, div, grad, matmul, mean, mul, sqrt, sub, sum, tensor, variance, type Tensor } from "@hw/tensor";
import type { Check, SolveSection } from "../../solve/section";
import { show } from "./format";

/** max |a − b| over two equally shaped tensors or nested arrays. */
function maxAbsDiff(a: Tensor, b: Tensor): number {
  let m = 0;
  const x = a.contiguous();
  const y = b.contiguous();
  for (let i = 0; i < x.size; i++) m = Math.max(m, Math.abs(x.data[x.offset + i]! - y.data[y.offset + i]!));
  return m;
}

/** Mean and biased variance of the problem tensor by direct loops (the independent computation). */
function directStats(x: number[][][], pick: (b: number, c: number) => string): Map<string, { mean: number; var: number }> {
  const pools = new Map<string, number[]>();
  x.forEach((row, b) => {
    row.forEach((feat, c) => {
      const key = pick(b, c);
      pools.set(key, [...(pools.get(key) ?? []), ...feat]);
    });
  });
  const out = new Map<string, { mean: number; var: number }>();
  for (const [k, v] of pools) {
    const mean = v.reduce((a, t) => a + t, 0) / v.length;
    out.set(k, { mean, var: v.reduce((a, t) => a + (t - mean) ** 2, 0) / v.length });
  }
  return out;
}

const fmt = (v: number): string => v.toExponential(1);

/** Question 3 of `hw solve`. */
export const normSection: SolveSection = {
  id: "3",
  title: "Normalization",
  run: () => {
    const x = problemTensor();
    const xs = x.toArray() as number[][][];
    const bn = batchNorm(x);
    const ln = layerNorm(x, [2, 3]);
    const inorm = instanceNorm(x);
    const checks: Check[] = [];

    // 3.1 against direct loops and against the exact fractions of the answer key.
    const direct = (pick: (b: number, c: number) => string, keys: string[], field: "mean" | "var"): number[] => {
      const s = directStats(xs, pick);
      return keys.map((k) => s.get(k)![field]);
    };
    const bKeys = ["0", "1"];
    const lKeys = ["0", "1", "2", "3"];
    const iKeys = lKeys.flatMap((b) => bKeys.map((c) => `${b},${c}`));
    const cmp = (t: Tensor, values: number[]): number => maxAbsDiff(tensor(Array.from(t.contiguous().data)), tensor(values));
    const e31 = Math.max(
      cmp(bn.mean, direct((_b, c) => String(c), bKeys, "mean")),
      cmp(bn.var, direct((_b, c) => String(c), bKeys, "var")),
      cmp(ln.mean, direct((b) => String(b), lKeys, "mean")),
      cmp(ln.var, direct((b) => String(b), lKeys, "var")),
      cmp(inorm.mean, direct((b, c) => `${b},${c}`, iKeys, "mean")),
      cmp(inorm.var, direct((b, c) => `${b},${c}`, iKeys, "var")),
    );
    checks.push({ name: "3.1 six tensors vs direct loops", ok: e31 <= 1e-12, detail: `max |package − loops| = ${fmt(e31)}` });
    const key = [5 / 2, 31 / 12, 7 / 12, 155 / 144, 2, 3, 5 / 2, 8 / 3, 2 / 3, 2 / 3, 5 / 4, 2 / 9];
    const ours = [...bn.mean.data, ...bn.var.data, ...ln.mean.data, ...ln.var.data];
    const eKey = Math.max(...key.map((k, i) => Math.abs(k - ours[i]!)));
    checks.push({
      name: "3.1 batch/layer answers vs the exact fractions",
      ok: eKey <= 1e-12,
      detail: `μ_batch = [5/2, 31/12], σ²_batch = [7/12, 155/144], μ_layer = [2, 3, 5/2, 8/3], σ²_layer = [2/3, 2/3, 5/4, 2/9]: max error ${fmt(eKey)}`,
    });
    const g1 = groupNorm(x, 1);
    const g2 = groupNorm(x, 2);
    const eG = Math.max(cmp(g1.mean, Array.from(ln.mean.data)), cmp(g1.var, Array.from(ln.var.data)), cmp(g2.mean, Array.from(inorm.mean.data)), cmp(g2.var, Array.from(inorm.var.data)));
    checks.push({ name: "3.1 group norm: 1 group = layer, C groups = instance", ok: eG <= 1e-15, detail: `max difference ${fmt(eG)}` });

    // Backward pass on the problem tensor: analytic vs autodiff of the formula in @hw/tensor primitives.
    const up = tensor(xs.map((r, b) => r.map((f, c) => f.map((_, k) => Math.sin(1 + b + 2 * c + 3 * k)))));
    const gammaBn = tensor([[1.5], [-0.5]]);
    const betaBn = tensor([[0.2], [0.1]]);
    const analytic = batchNormBackward(x, up, { gamma: [1.5, -0.5], beta: [0.2, 0.1] });
    const composed = (a: Tensor): Tensor => {
      const centred = sub(a, mean(a, [0, 2], { keepDims: true }));
      const y = add(mul(div(centred, sqrt(add(variance(a, [0, 2], { keepDims: true }), 1e-5))), gammaBn), betaBn);
      return sum(mul(y, up));
    };
    const eB = maxAbsDiff(analytic.gradX, grad(composed)(x));
    checks.push({ name: "batch-norm backward (analytic) vs autodiff of the formula", ok: eB <= 1e-12, detail: `max |Δ ∂L/∂x| = ${fmt(eB)}` });

    // 3.2 Monte Carlo.
    const u32 = [1, -2, 0.5];
    const demo = whitenedBatchNormEqualsWeightNorm({ u: u32, gamma: 1.5, beta: 0.25, sizes: [100, 10_000, 1_000_000], seed: 3 });
    const errs = demo.rows.map((r) => r.maxAbsError);
    const shrinking = errs[2]! < errs[0]! / 10 && errs[2]! < 0.02;
    checks.push({
      name: "3.2 BN(uᵀx) = wᵀx + β on whitened samples (Monte Carlo, seed 3)",
      ok: shrinking,
      detail: `${demo.rows.map((r) => `n=${r.n}: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`).join("; ")} (→ 0 like 1/√n)`,
    });

    // 3.3 projection and orthogonality.
    const u = [1, 2, -2];
    const gradW = [0.3, -0.7, 1.9];
    const wg = weightNormGrad(u, 2, gradW);
    const viaMatrix = mul(wg.s, matmul(wg.projection, tensor(gradW)));
    const [autoU] = grad((a: Tensor, g: Tensor) => sum(mul(div(mul(g, a), sqrt(sum(mul(a, a)))), tensor(gradW))), { argnums: [0] })(tensor(u), tensor(2));
    const eP = maxAbsDiff(wg.gradU, viaMatrix);
    const eA = maxAbsDiff(wg.gradU, autoU);
    const orth = Math.abs(u.reduce((a, v, i) => a + v * wg.gradU.get(i), 0));
    const pu = Math.max(...(matmul(wg.projection, tensor(u)).toArray() as number[]).map(Math.abs));
    checks.push({ name: "3.3 ∇_u L = s W⊥ ∇_w L (matrix form) = autodiff", ok: eP <= 1e-14 && eA <= 1e-12, detail: `max |Δ| vs s·W⊥·∇_w L = ${fmt(eP)}, vs autodiff = ${fmt(eA)}` });
    checks.push({ name: "3.3 orthogonality: W⊥u = 0 and uᵀ∇_u L = 0", ok: pu <= 1e-14 && orth <= 1e-14, detail: `max |W⊥u| = ${fmt(pu)}, |uᵀ∇_u L| = ${fmt(orth)}` });

    const text = [
      "3.1 x = the 4×2×3 tensor (batch × channels × features); biased variances.",
      show("μ_batch     = ", bn.mean),
      show("σ²_batch    = ", bn.var),
      show("μ_layer     = ", ln.mean),
      show("σ²_layer    = ", ln.var),
      show("μ_instance  = ", inorm.mean),
      show("σ²_instance = ", inorm.var),
      "",
      `3.2 u = [${u32.join(", ")}], γ = 1.5, β = 0.25, ${show("w = γu/‖u‖ = ", demo.w)}`,
      ...demo.rows.map((r) => `    n = ${String(r.n).padStart(7)}: mean(y) = ${r.meanY.toFixed(4)}, var(y) = ${r.varY.toFixed(4)} (‖u‖² = ${demo.normUSquared}), |BN(y) − (wᵀx+β)|: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`),
      "",
      `3.3 u = [${u.join(", ")}], γ = 2, ∇_w L = [${gradW.join(", ")}]: s = ${wg.s.item().toFixed(6)}, ${show("∇_u L = ", wg.gradU)}`,
    ].join("\n");
    return {
      text,
      checks,
      data: {
        batch: { mean: bn.mean.toArray(), var: bn.var.toArray() },
        layer: { mean: ln.mean.toArray(), var: ln.var.toArray() },
        instance: { mean: inorm.mean.toArray(), var: inorm.var.toArray() },
        whitened: demo.rows,
        weightNorm: { u, gamma: 2, gradW, w: weightNorm(u, 2).toArray(), gradU: wg.gradU.toArray(), s: wg.s.item(), gradGamma: wg.gradGamma.item() },
      },
    };
  },
};
