/** The readable output of `hw rnn …` (numbers through the shared formatter, `--digits`). */
import type { BpttResult, GradientCheck, TrainResult } from "@hw/rnn";
import type { Tensor } from "@hw/tensor";
import { formatMatrix, formatNumber, formatVector } from "../../format";
import type { BirnnBatchInput, BirnnInput } from "./input";

const num = (v: number): string => formatNumber(v);
const sci = (v: number): string => formatNumber(v, 2);
const vec = (v: readonly number[]): string => formatVector(v);

/** The rows of a matrix tensor. */
export function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

export { formatMatrix, num, sci, vec };

/** The JSON of `hw rnn grad --json`: nested arrays, as in birnn.json's `expected`. */
export function gradJson(r: BpttResult) {
  const g = r.grads;
  return {
    loss: r.loss,
    hf: r.hf.toArray(),
    hb: r.hb.toArray(),
    y: r.y.toArray(),
    grads: {
      Wf: g.Wf.toArray(),
      Uf: g.Uf.toArray(),
      Vf: g.Vf.toArray(),
      Wb: g.Wb.toArray(),
      Ub: g.Ub.toArray(),
      Vb: g.Vb.toArray(),
      hfInit: g.hfInit.toArray(),
      hbInit: g.hbInit.toArray(),
    },
    dhf: r.dhf.toArray(),
    dhb: r.dhb.toArray(),
  };
}

/** What `--truncate` did, for the header. */
function truncationLine(truncate: number | { k1: number; k2: number } | undefined): string[] {
  if (truncate === undefined) return [];
  return typeof truncate === "number"
    ? [`Truncated BPTT: blocks of ${truncate} steps from each chain's start (no gradient crosses a block boundary through the state)`]
    : [`Truncated BPTT(k2 = ${truncate.k2}; k1 = ${truncate.k1}): every ${truncate.k1} steps the last ${truncate.k1} losses are backpropagated ${truncate.k2} steps`];
}

function gradientLines(r: BpttResult): string[] {
  const lines = ["", "Gradients of L:"];
  const g = r.grads;
  for (const [name, t] of [["Wf", g.Wf], ["Uf", g.Uf], ["Vf", g.Vf], ["Wb", g.Wb], ["Ub", g.Ub], ["Vb", g.Vb]] as const) {
    lines.push(`  ∇${name} (${t.shape.join("×")}):`, formatMatrix(rows(t)));
  }
  return lines;
}

/** The text of `hw rnn grad` for a batch: sizes, lengths, the loss and the weight gradients. */
export function batchGradText(i: BirnnBatchInput, r: BpttResult, lengths: readonly number[] | undefined, truncate?: number | { k1: number; k2: number }): string {
  const T = i.x.length;
  const B = i.x[0]!.length;
  const g = r.grads;
  return [
    `Bidirectional sigmoid RNN on a batch: T = ${T}, B = ${B}, D = ${i.Wf[0]!.length}, H = ${i.Wf.length}, K = ${i.Vf.length}`,
    lengths === undefined ? "Every sequence has T steps." : `Lengths ${lengths.join(", ")}: steps t > lengths[b] are padding (zero states, no loss, no gradient); the backward chain starts at each sequence's own last step.`,
    ...truncationLine(truncate),
    `Loss L = Σ_b Σ_t ‖z_t − y_t‖² = ${num(r.loss)}`,
    ...gradientLines(r),
    "  ∇hfInit (B×H):",
    formatMatrix(g.hfInit.ndim === 1 ? [g.hfInit.toArray() as number[]] : rows(g.hfInit)),
    "  ∇hbInit (B×H):",
    formatMatrix(g.hbInit.ndim === 1 ? [g.hbInit.toArray() as number[]] : rows(g.hbInit)),
  ].join("\n");
}

export function gradText(i: BirnnInput, r: BpttResult, truncate?: number | { k1: number; k2: number }): string {
  const T = i.x.length;
  const lines = [
    `Bidirectional sigmoid RNN: T = ${T}, D = ${i.Wf[0]!.length}, H = ${i.Wf.length}, K = ${i.Vf.length}`,
    ...truncationLine(truncate),
    `Loss L = Σ_t ‖z_t − y_t‖² = ${num(r.loss)}`,
    "",
    "Per step (t = 1..T): states, outputs and the total gradients ∇_{h_t}L of the Q1.2 recursion",
  ];
  const hf = rows(r.hf);
  const hb = rows(r.hb);
  const y = rows(r.y);
  const dhf = rows(r.dhf);
  const dhb = rows(r.dhb);
  for (let t = 0; t < T; t++) {
    lines.push(
      `  t = ${t + 1}`,
      `    h⁽ᶠ⁾ = ${vec(hf[t]!)}`,
      `    h⁽ᵇ⁾ = ${vec(hb[t]!)}`,
      `    y    = ${vec(y[t]!)}`,
      `    ∇_{h⁽ᶠ⁾}L = ${vec(dhf[t]!)}`,
      `    ∇_{h⁽ᵇ⁾}L = ${vec(dhb[t]!)}`,
    );
  }
  lines.push(...gradientLines(r));
  const g = r.grads;
  lines.push(`  ∇hfInit = ${vec(g.hfInit.toArray() as number[])}`, `  ∇hbInit = ${vec(g.hbInit.toArray() as number[])}`);
  return lines.join("\n");
}

export function checkTable(c: GradientCheck): string {
  const head = ["gradient", "shape", "max|analytic−autodiff|", "max|analytic−numeric|", "max|autodiff−numeric|", "max|∇|", "ok"];
  const body = c.entries.map((e) => [e.name, e.shape.join("×"), sci(e.analyticVsAutodiff), sci(e.analyticVsNumeric), sci(e.autodiffVsNumeric), sci(e.scale), e.ok ? "✓" : "✗"]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => `  ${r.map((c, j) => c.padEnd(widths[j]!)).join("  ")}`.trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** A text plot of a loss curve: one row per bucket of steps, bar length ∝ mean loss. */
export function lossCurve(losses: readonly number[], rowsWanted = 15, width = 50): string {
  const n = losses.length;
  const buckets = Math.min(rowsWanted, n);
  const means: { from: number; to: number; mean: number }[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let s = 0;
    for (let i = from; i < to; i++) s += losses[i]!;
    means.push({ from: from + 1, to, mean: s / (to - from) });
  }
  const top = Math.max(...means.map((m) => m.mean));
  const label = (m: { from: number; to: number }) => `${m.from}–${m.to}`;
  const lw = Math.max(...means.map((m) => label(m).length));
  return means
    .map((m) => `  steps ${label(m).padStart(lw)} │${"█".repeat(Math.max(1, Math.round((m.mean / top) * width))).padEnd(width)} ${formatNumber(m.mean)}`)
    .join("\n");
}

export function trainText(r: TrainResult, optimizer: string): string {
  return [
    `Training the bidirectional RNN on z_t = (x_{t−1} + x_{t+1})/2 (needs the past AND the future input)`,
    `  optimizer ${optimizer}, ${r.losses.length} steps, seed ${r.seed}, clipped steps: ${r.clippedSteps}`,
    "",
    "Training loss (mean squared error per step, averaged per bucket):",
    lossCurve(r.losses),
    "",
    `Held-out MSE: ${formatNumber(r.evalBefore)} before → ${formatNumber(r.evalAfter)} after (predicting 0 gives ${formatNumber(r.baseline)})`,
  ].join("\n");
}

// ------------------------------------------------------------------------------------------------
