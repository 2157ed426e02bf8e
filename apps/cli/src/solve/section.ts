/** The frame of `hw solve`: one section per question of the problem set, each verifying its answers. */

/** One verification: a computed answer compared with an independent one. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** The numbers behind the verdict, e.g. "max |analytic − autodiff| = 3.1e-16". */
  readonly detail: string;
}

/** What a section computes: readable text, machine-readable data and its checks. */
export interface SectionResult {
  readonly text: string;
  readonly checks: readonly Check[];
  readonly data?: unknown;
  /** Set while the section's issue has not landed: the section is listed but not worked. */
  readonly pending?: string;
}

/** One question of the problem set. */
export interface SolveSection {
  /** "1" … "4". */
  readonly id: string;
  readonly title: string;
  run(): SectionResult;
}

export type SectionStatus = "verified" | "failed" | "pending";

export interface SectionReport extends SectionResult {
  readonly id: string;
  readonly title: string;
  readonly status: SectionStatus;
}

/** Run one section, turning a thrown error into a failed check rather than a crash. */
export function runSection(section: SolveSection): SectionReport {
  let result: SectionResult;
  try {
    result = section.run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { text: "", checks: [{ name: "section ran", ok: false, detail: message }] };
  }
  const status: SectionStatus =
    result.pending !== undefined ? "pending" : result.checks.every((c) => c.ok) ? "verified" : "failed";
  return { id: section.id, title: section.title, status, ...result };
}

/** The readable report of one section. */
export function formatSection(report: SectionReport): string {
  const lines = [`Question ${report.id} — ${report.title}`, "=".repeat(Math.min(78, report.title.length + 13))];
  if (report.pending !== undefined) {
    lines.push(`(pending: ${report.pending})`);
  } else {
    if (report.text.trim() !== "") lines.push(report.text.trimEnd());
    if (report.checks.length > 0) {
      lines.push("", "Verification:");
      for (const c of report.checks) lines.push(`  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
    }
  }
  lines.push("", `Status: ${report.status}`);
  return lines.join("\n");
}
