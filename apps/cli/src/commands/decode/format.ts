/** The readable output of `hw decode …`. */
import type { BeamTraceStep, DecodedSequence, LanguageModel, ViterbiTrellis } from "@hw/decoding";
import { formatNumber } from "../../format";

/** The JSON form of a sequence: tokens (without `<BOS>`), logProb, and score when it differs. */
export function sequenceJson(s: DecodedSequence): { tokens: string[]; logProb: number; score?: number } {
  return { tokens: [...s.tokens], logProb: s.logProb, ...(s.score === undefined ? {} : { score: s.score }) };
}

/** One numbered line per sequence: tokens, log p, p (and the score when it differs). */
export function sequencesText(seqs: readonly DecodedSequence[]): string {
  if (seqs.length === 0) return "  (no sequence of that length has non-zero probability)";
  const width = Math.max(...seqs.map((s) => s.tokens.join(" ").length), 8);
  return seqs
    .map((s, k) => {
      const extra = s.score === undefined ? "" : `  score = ${formatNumber(s.score)}`;
      return `  ${k + 1}. ${s.tokens.join(" ").padEnd(width)}  log p = ${formatNumber(s.logProb)}  p = ${formatNumber(Math.exp(s.logProb), 4)}${extra}`;
    })
    .join("\n");
}

/** A readable step-by-step account of a beam-search trace. */
export function beamTraceText(trace: readonly BeamTraceStep[]): string {
  const lines: string[] = [];
  for (const step of trace) {
    lines.push(`step ${step.step}:`);
    const considered = step.candidates.filter((c) => c.logProb > -Infinity);
    for (const c of considered) {
      const parent = step.parents[c.beam]!;
      const seq = [...parent.tokens, c.token].join(" ");
      const why = c.status === "pruned" ? `pruned (${c.reason ?? ""})` : c.status;
      lines.push(`    ${seq.padEnd(24)} s = ${formatNumber(c.score)}  ${why}`);
    }
    const impossible = step.candidates.length - considered.length;
    if (impossible > 0) lines.push(`    (+ ${impossible} candidates of probability 0)`);
  }
  return lines.join("\n");
}

/** The Viterbi trellis: log δ_t(j) with the back-pointer a_t(j) of each cell. */
export function trellisText(lm: LanguageModel, tr: ViterbiTrellis, steps: number): string {
  const S = tr.states.length;
  const w = Math.max(10, ...tr.states.map((s) => s.length + 1));
  const head = `  t  ${tr.states.map((s) => s.padStart(w)).join("")}`;
  const rows = [head];
  for (let t = 0; t <= steps; t++) {
    const cells = tr.states.map((_, s) => {
      const d = tr.logDelta[t * S + s]!;
      const a = t === 0 ? "" : tr.backPointers[(t - 1) * S + s]!;
      const cell = d === -Infinity ? "−∞" : `${formatNumber(d, 4)}${a === "" || a === -1 ? "" : `←${a}`}`;
      return cell.padStart(w);
    });
    rows.push(`  ${String(t).padStart(1)}  ${cells.join("")}`);
  }
  rows.push(`  (log δ_t(j) ← a_t(j), the index of the best previous state; path: ${tr.path.map((s) => tr.states[s] ?? lm.vocabulary[lm.bos]).join(" → ")})`);
  return rows.join("\n");
}

/** `<method> on <input> (N = …, T = …)`. */
export function header(method: string, name: string, lm: LanguageModel, steps: number): string {
  return `${method} on ${name} (N = ${lm.vocabulary.length}, T = ${steps})`;
}
