import { Option, type Command } from "commander";
import { InputError } from "../errors";
import { emit, type OutputOptions, type Sink } from "../io";
import { formatSection, runSection, type SectionReport, type SolveSection } from "../solve/section";

interface SolveOptions extends OutputOptions {
  readonly question?: string[];
}

/** Work the chosen questions (all by default) and report; exit code 1 when any check fails. */
export function solve(sections: readonly SolveSection[], questions: readonly string[] | undefined): SectionReport[] {
  const wanted = questions ?? sections.map((s) => s.id);
  for (const q of wanted) {
    if (!sections.some((s) => s.id === q)) {
      throw new InputError(`solve: no question ${q} (the problem set has ${sections.map((s) => s.id).join(", ")})`);
    }
  }
  return sections.filter((s) => wanted.includes(s.id)).map(runSection);
}

/** The one-line summary that ends `hw solve`. */
export function summary(reports: readonly SectionReport[]): string {
  const count = (status: string) => reports.filter((r) => r.status === status).length;
  const checks = reports.flatMap((r) => r.checks);
  return `${count("verified")} verified, ${count("failed")} failed, ${count("pending")} pending (${checks.filter((c) => c.ok).length}/${checks.length} checks passed)`;
}

/** `hw solve`: the whole problem set end to end, each answer verified. */
export function registerSolve(program: Command, sink: Sink, sections: readonly SolveSection[]): void {
  program
    .command("solve")
    .description("work the whole problem set with built-in data and verify every answer")
    .addOption(new Option("-q, --question <n...>", "only these questions").choices(sections.map((s) => s.id)))
    .option("--json", "print the reports as JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw solve\n  $ hw solve --question 2 3\n  $ hw solve --json --out answers.json")
    .action((options: SolveOptions) => {
      const reports = solve(sections, options.question);
      emit(sink, options, { questions: reports, summary: summary(reports) }, () =>
        [...reports.map(formatSection), "", summary(reports)].join("\n\n"),
      );
      if (reports.some((r) => r.status === "failed")) {
        throw new InputError(`solve: verification failed in question ${reports.filter((r) => r.status === "failed").map((r) => r.id).join(", ")}`);
      }
    });
}
