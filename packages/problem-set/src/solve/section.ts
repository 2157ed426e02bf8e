/** The frame of the worked solutions (`hw solve`): one section per question, each verifying its answers. */

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
}

export type SectionStatus = "verified" | "failed";

/** A worked question. */
export interface SectionReport extends SectionResult {
  /** "1" … "4". */
  readonly id: string;
  readonly title: string;
  readonly status: SectionStatus;
}

/** Run a section, turning a thrown error into a failed check rather than a crash. */
export function runSection(id: string, title: string, run: () => SectionResult): SectionReport {
  let result: SectionResult;
  try {
    result = run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { text: "", checks: [{ name: "section ran", ok: false, detail: message }] };
  }
  return { id, title, status: result.checks.every((c) => c.ok) ? "verified" : "failed", ...result };
}

/**
 * A check that a value lies in a stated interval: ✓ exactly when it does, and the detail states the
 * interval that was tested (a check never passes while missing the interval it prints).
 */
export function intervalCheck(name: string, value: number, interval: readonly [number, number], what: string): Check {
  const ok = interval[0] <= value && value <= interval[1];
  return { name, ok, detail: `${fmtNumber(value)} ${ok ? "inside" : "OUTSIDE"} ${what} [${fmtNumber(interval[0])}, ${fmtNumber(interval[1])}]` };
}

/** Eight significant digits, no trailing zeros. */
export function fmtNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : String(v);
}
