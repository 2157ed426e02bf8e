/** `solveVariant`: the worked solution of a variant, every answer verified; formatted as text, Markdown or LaTeX. */
import { readOptions } from "@hw/tensor";
import { generateVariant, type Variant } from "./generate-variant";
import { solveQ1 } from "./solve/q1";
import { solveQ2 } from "./solve/q2";
import { solveQ3 } from "./solve/q3";
import { solveQ4 } from "./solve/q4";
import { runSection, type SectionReport } from "./solve/section";
import type { VariantSeed } from "./variant";

export type { Check, SectionReport, SectionResult, SectionStatus } from "./solve/section";

/** The questions, in order. */
export const QUESTIONS = [
  { id: "1", title: "Backprop through a bidirectional RNN" },
  { id: "2", title: "Decoding a language model" },
  { id: "3", title: "Normalization" },
  { id: "4", title: "Dropout versus weight decay in linear regression" },
] as const;

/** Options of {@link solveVariant}. */
export interface SolveVariantOptions {
  /** Only these questions ("1" … "4"). @defaultValue all */
  readonly questions?: readonly string[];
}

/**
 * Work the questions of a variant with the topic packages and verify every answer independently
 * (analytic vs autodiff vs finite differences, dynamic programs vs enumeration, closed forms vs Monte
 * Carlo and exact enumeration). A section that throws becomes a failed check, never an exception.
 *
 * @throws RangeError for an unknown question id or an invalid seed.
 */
export function solveVariant(variant: Variant | VariantSeed, options?: SolveVariantOptions): SectionReport[] {
  const o = readOptions("solveVariant", options, ["questions"]);
  const v = typeof variant === "object" ? variant : generateVariant(variant);
  const wanted = o.questions ?? QUESTIONS.map((q) => q.id);
  for (const q of wanted) {
    if (!QUESTIONS.some((x) => x.id === q)) throw new RangeError(`solveVariant: no question ${q} (the problem set has 1, 2, 3, 4)`);
  }
  const run = { "1": () => solveQ1(v.data.q1), "2": () => solveQ2(v.data.q2), "3": () => solveQ3(v.data.q3), "4": () => solveQ4(v.data.q4) };
  return QUESTIONS.filter((q) => wanted.includes(q.id)).map((q) => runSection(q.id, q.title, run[q.id]));
}

/** The one-line summary that ends a solution. */
export function solutionSummary(reports: readonly SectionReport[]): string {
  const count = (status: string) => reports.filter((r) => r.status === status).length;
  const checks = reports.flatMap((r) => r.checks);
  return `${count("verified")} verified, ${count("failed")} failed (${checks.filter((c) => c.ok).length}/${checks.length} checks passed)`;
}

/** Output formats of {@link formatSolution}. */
export type SolutionFormat = "text" | "markdown" | "latex";

function textSection(r: SectionReport): string {
  const lines = [`Question ${r.id} — ${r.title}`, "=".repeat(Math.min(78, r.title.length + 13))];
  if (r.text.trim() !== "") lines.push(r.text.trimEnd());
  if (r.checks.length > 0) {
    lines.push("", "Verification:");
    for (const c of r.checks) lines.push(`  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  }
  lines.push("", `Status: ${r.status}`);
  return lines.join("\n");
}

function markdownSection(r: SectionReport): string {
  return [
    `## Question ${r.id} — ${r.title}`,
    "",
    "```text",
    r.text.trimEnd(),
    "```",
    "",
    "**Verification**",
    "",
    ...r.checks.map((c) => `- ${c.ok ? "✓" : "✗"} **${c.name}**: ${c.detail.replace(/([*_|])/g, "\\$1")}`),
    "",
    `Status: **${r.status}**`,
  ].join("\n");
}

const latexText = (s: string): string => s.replace(/[\\{}$&#^_%~]/g, (c) => (c === "\\" ? "\\textbackslash{}" : c === "~" ? "\\textasciitilde{}" : c === "^" ? "\\textasciicircum{}" : `\\${c}`));

function latexSection(r: SectionReport): string {
  return [
    `\\section*{Question ${r.id} --- ${latexText(r.title)}}`,
    "\\begin{verbatim}",
    r.text.trimEnd().replace(/\\end\{verbatim\}/g, "\\end {verbatim}"),
    "\\end{verbatim}",
    "\\paragraph{Verification}",
    "\\begin{itemize}",
    ...r.checks.map((c) => `  \\item[${c.ok ? "$\\checkmark$" : "$\\times$"}] \\textbf{${latexText(c.name)}}: \\verb|${c.detail.replace(/\|/g, "/")}|`),
    "\\end{itemize}",
    `Status: \\textbf{${r.status}}`,
  ].join("\n");
}

/**
 * Format worked sections: plain text (what `hw solve` prints), Markdown, or a LaTeX document (compiled
 * with XeLaTeX or LuaLaTeX for the Unicode maths of the worked text).
 */
export function formatSolution(reports: readonly SectionReport[], format: SolutionFormat, variant: VariantSeed = "original"): string {
  const summary = solutionSummary(reports);
  if (format === "markdown") return [`# Worked solution — variant ${variant}`, "", ...reports.map(markdownSection).flatMap((s) => [s, ""]), summary, ""].join("\n");
  if (format === "latex") {
    return [
      "\\documentclass{article}",
      "\\usepackage{amsmath,amssymb,fontspec}",
      "\\usepackage[margin=2cm]{geometry}",
      `\\title{Worked solution --- variant ${variant}}`,
      "\\date{}",
      "\\begin{document}",
      "\\maketitle",
      ...reports.map(latexSection),
      "",
      latexText(summary),
      "\\end{document}",
      "",
    ].join("\n");
  }
  return [...reports.map(textSection), "", summary].join("\n\n");
}
