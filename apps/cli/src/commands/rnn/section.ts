/** Question 1 of `hw solve` (moving to @hw/problem-set). */
import { bptt, checkGradients, unrolledGraph } from "@hw/rnn";
import type { Tensor } from "@hw/tensor";
import type { Check, SolveSection } from "../../solve/section";
import { checkTable, formatMatrix, graphText, gradJson, num, rows, sci, vec } from "./format";
import { EXAMPLE, EXAMPLE_LOSS, params } from "./input";

function maxAbs(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

/** Question 1 of `hw solve`. */
export const rnnSection: SolveSection = {
  id: "1",
  title: "Backprop through a bidirectional RNN",
  run: () => {
    const ex = EXAMPLE;
    const init = { hfInit: ex.hfInit, hbInit: ex.hbInit };
    const r = bptt(params(ex), ex.x, ex.z, init);
    const terms = r.terms!;
    const c = checkGradients(params(ex), ex.x, ex.z, init);
    const T = ex.x.length;
    const lf = rows(terms.localF);
    const lb = rows(terms.localB);
    const tf = rows(terms.totalF);
    const tb = rows(terms.totalB);
    const jf = terms.jacobianF.toArray() as number[][][];
    const jb = terms.jacobianB.toArray() as number[][][];
    const text = [
      "1.1 " + graphText(unrolledGraph(3)),
      "",
      "1.2 Local gradients and Jacobians (σ′ = h ⊙ (1 − h) for the sigmoid):",
      "  ∇_{h_t⁽ᶠ⁾} L_t = 2 V⁽ᶠ⁾ᵀ (y_t − z_t)        ∇_{h_t⁽ᵇ⁾} L_t = 2 V⁽ᵇ⁾ᵀ (y_t − z_t)",
      "  ∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾ = diag(h_{t+1}⁽ᶠ⁾ ⊙ (1 − h_{t+1}⁽ᶠ⁾)) U⁽ᶠ⁾",
      "  ∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾ = diag(h_{t−1}⁽ᵇ⁾ ⊙ (1 − h_{t−1}⁽ᵇ⁾)) U⁽ᵇ⁾",
      "  ∇_{h_t⁽ᶠ⁾} L = ∇_{h_t⁽ᶠ⁾} L_t + (∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾)ᵀ ∇_{h_{t+1}⁽ᶠ⁾} L   (t = T … 1)",
      "  ∇_{h_t⁽ᵇ⁾} L = ∇_{h_t⁽ᵇ⁾} L_t + (∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾)ᵀ ∇_{h_{t−1}⁽ᵇ⁾} L   (t = 1 … T)",
      `  On the built-in example (PyTorch fixture birnn.json case 0: T = ${T}, D = 3, H = 4, K = 2), L = ${num(r.loss)}:`,
      ...Array.from({ length: T }, (_, t) =>
        [
          `  t = ${t + 1}: ∇_{h⁽ᶠ⁾}L_t = ${vec(lf[t]!)}   ∇_{h⁽ᶠ⁾}L = ${vec(tf[t]!)}`,
          `         ∇_{h⁽ᵇ⁾}L_t = ${vec(lb[t]!)}   ∇_{h⁽ᵇ⁾}L = ${vec(tb[t]!)}`,
        ].join("\n"),
      ),
      "  ∂h_3⁽ᶠ⁾/∂h_2⁽ᶠ⁾ =",
      formatMatrix(jf[2]!),
      "  ∂h_2⁽ᵇ⁾/∂h_3⁽ᵇ⁾ =",
      formatMatrix(jb[1]!),
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
    const lossErr = Math.abs(r.loss - EXAMPLE_LOSS);
    const checks: Check[] = [
      { name: "loss matches PyTorch (birnn.json case 0)", ok: lossErr <= 1e-9 * EXAMPLE_LOSS, detail: `L = ${r.loss} vs ${EXAMPLE_LOSS} (|Δ| = ${sci(lossErr)})` },
      ...c.entries.map(
        (e): Check => ({
          name: `∇${e.name}: analytic = autodiff = finite differences`,
          ok: e.ok,
          detail: `max|a−ad| = ${sci(e.analyticVsAutodiff)}, max|a−fd| = ${sci(e.analyticVsNumeric)}, max|ad−fd| = ${sci(e.autodiffVsNumeric)} (max|∇| = ${sci(e.scale)})`,
        }),
      ),
      { name: "per-step terms add up to ∇W⁽ᶠ⁾ and ∇U⁽ᵇ⁾ (Q1.3)", ok: stepErr <= 1e-12, detail: `max |Σ_t term_t − total| = ${sci(stepErr)}` },
    ];
    return { text, checks, data: { loss: r.loss, grads: gradJson(r).grads, check: c.entries } };
  },
};
