import type { SolveSection } from "../solve/section";

/** A placeholder section for a question whose topic package has not landed yet. */
export function pendingSection(id: string, title: string, issue: string): SolveSection {
  return { id, title, run: () => ({ text: "", checks: [], pending: `worked by ${issue}, not landed yet` }) };
}
