/** Question 1 worked on a variant: the BiRNN's local gradients, Jacobians and weight gradients, verified. */
import { bptt, checkGradients, toText, unrolledGraph, type GradientCheck } from "@hw/rnn";
import type { Tensor } from "@hw/tensor";
import { ORIGINAL_Q1, ORIGINAL_Q1_LOSS } from "../internal/original";
import type { Q1Data } from "../variant";
import { formatMatrix, num, rows, sci, vec } from "./format";
import type { Check, SectionResult } from "./section";

function checkTable(c: GradientCheck): string {
  const head = ["gradient", "shape", "max|analytic−autodiff|", "max|analytic−numeric|", "max|autodiff−numeric|", "max|∇|", "ok"];
  const body = c.entries.map((e) => [e.name, e.shape.join("×"), sci(e.analyticVsAutodiff), sci(e.analyticVsNumeric), sci(e.autodiffVsNumeric), sci(e.scale), e.ok ? "✓" : "✗"]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => `  ${r.map((c, j) => c.padEnd(widths[j]!)).join("  ")}`.trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

function maxAbs(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

/** Question 1 on BiRNN data `ex`. */
export function solveQ1(ex: Q1Data): SectionResult {
  const params = { Wf: ex.Wf, Uf: ex.Uf, Vf: ex.Vf, Wb: ex.Wb, Ub: ex.Ub, Vb: ex.Vb };
  const init = { hfInit: ex.hfInit, hbInit: ex.hbInit };
  const r = bptt(params, ex.x, ex.z, { ...init, terms: true });
  const terms = r.terms!;
  const c = checkGradients(params, ex.x, ex.z, init);
  const T = ex.x.length;
  const [H, D, K] = [ex.Wf.length, ex.Wf[0]!.length, ex.Vf.length];
  const lf = rows(terms.localF);
  const lb = rows(terms.localB);
  const tf = rows(terms.totalF);
  const tb = rows(terms.totalB);
  const jf = terms.jacobianF.toArray() as number[][][];
  const jb = terms.jacobianB.toArray() as number[][][];
  const tj = Math.min(2, T - 1);
  const text = [
    "1.1 " + toText(unrolledGraph(3)),
    "",
    "1.2 Local gradients and Jacobians (σ′ = h ⊙ (1 − h) for the sigmoid):",
    "  ∇_{h_t⁽ᶠ⁾} L_t = 2 V⁽ᶠ⁾ᵀ (y_t − z_t)        ∇_{h_t⁽ᵇ⁾} L_t = 2 V⁽ᵇ⁾ᵀ (y_t − z_t)",
    "  ∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾ = diag(h_{t+1}⁽ᶠ⁾ ⊙ (1 − h_{t+1}⁽ᶠ⁾)) U⁽ᶠ⁾",
    "  ∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾ = diag(h_{t−1}⁽ᵇ⁾ ⊙ (1 − h_{t−1}⁽ᵇ⁾)) U⁽ᵇ⁾",
    "  ∇_{h_t⁽ᶠ⁾} L = ∇_{h_t⁽ᶠ⁾} L_t + (∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾)ᵀ ∇_{h_{t+1}⁽ᶠ⁾} L   (t = T … 1)",
    "  ∇_{h_t⁽ᵇ⁾} L = ∇_{h_t⁽ᵇ⁾} L_t + (∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾)ᵀ ∇_{h_{t−1}⁽ᵇ⁾} L   (t = 1 … T)",
    `  On this variant's data (T = ${T}, D = ${D}, H = ${H}, K = ${K}), L = ${num(r.loss)}:`,
    ...Array.from({ length: T }, (_, t) =>
      [`  t = ${t + 1}: ∇_{h⁽ᶠ⁾}L_t = ${vec(lf[t]!)}   ∇_{h⁽ᶠ⁾}L = ${vec(tf[t]!)}`, `         ∇_{h⁽ᵇ⁾}L_t = ${vec(lb[t]!)}   ∇_{h⁽ᵇ⁾}L = ${vec(tb[t]!)}`].join("\n"),
    ),
    ...(T >= 2
      ? [`  ∂h_${tj + 1}⁽ᶠ⁾/∂h_${tj}⁽ᶠ⁾ =`, formatMatrix(jf[tj]!), `  ∂h_${tj}⁽ᵇ⁾/∂h_${tj + 1}⁽ᵇ⁾ =`, formatMatrix(jb[tj - 1]!)]
      : []),
    "",
    "1.3 Every step contributes; the contributions add up:",
    "  ∇_{W⁽ᶠ⁾} L = Σ_t (∇_{h_t⁽ᶠ⁾}L ⊙ h_t⁽ᶠ⁾ ⊙ (1 − h_t⁽ᶠ⁾)) x_tᵀ",
    formatMatrix(rows(r.grads.Wf)),
    "  ∇_{U⁽ᵇ⁾} L = Σ_t (∇_{h_t⁽ᵇ⁾}L ⊙ h_t⁽ᵇ⁾ ⊙ (1 − h_t⁽ᵇ⁾)) (h_{t+1}⁽ᵇ⁾)ᵀ   (h_{T+1}⁽ᵇ⁾ = the initial state)",
    formatMatrix(rows(r.grads.Ub)),
    "",
    "Verification table (analytic BPTT vs @hw/tensor autodiff vs central finite differences):",
    checkTable(c),
  ].join("\n");
  const sumSteps = (s: Tensor): number[] => {
    const a = s.toArray() as number[][][];
    return a[0]!.flatMap((row, i) => row.map((_, j) => a.reduce((acc, m) => acc + m[i]![j]!, 0)));
  };
  const flatOf = (t: Tensor): number[] => (t.toArray() as number[][]).flat();
  const stepErr = Math.max(maxAbs(sumSteps(terms.stepsWf), flatOf(r.grads.Wf)), maxAbs(sumSteps(terms.stepsUb), flatOf(r.grads.Ub)));
  const checks: Check[] = [];
  if (ex === ORIGINAL_Q1) {
    const lossErr = Math.abs(r.loss - ORIGINAL_Q1_LOSS);
    checks.push({ name: "loss matches PyTorch (birnn.json case 0)", ok: lossErr <= 1e-9 * ORIGINAL_Q1_LOSS, detail: `L = ${r.loss} vs ${ORIGINAL_Q1_LOSS} (|Δ| = ${sci(lossErr)})` });
  }
  checks.push(
    ...c.entries.map(
      (e): Check => ({
        name: `∇${e.name}: analytic = autodiff = finite differences`,
        ok: e.ok,
        detail: `max|a−ad| = ${sci(e.analyticVsAutodiff)}, max|a−fd| = ${sci(e.analyticVsNumeric)}, max|ad−fd| = ${sci(e.autodiffVsNumeric)} (max|∇| = ${sci(e.scale)})`,
      }),
    ),
    { name: "per-step terms add up to ∇W⁽ᶠ⁾ and ∇U⁽ᵇ⁾ (Q1.3)", ok: stepErr <= 1e-12, detail: `max |Σ_t term_t − total| = ${sci(stepErr)}` },
  );
  const g = r.grads;
  return {
    text,
    checks,
    data: {
      loss: r.loss,
      grads: { Wf: g.Wf.toArray(), Uf: g.Uf.toArray(), Vf: g.Vf.toArray(), Wb: g.Wb.toArray(), Ub: g.Ub.toArray(), Vb: g.Vb.toArray(), hfInit: g.hfInit.toArray(), hbInit: g.hbInit.toArray() },
    },
  };
}
