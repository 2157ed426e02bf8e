/** `hw solve`: the worked solution of a variant (argument parsing and output; the work is @hw/problem-set's). */
import { Option, type Command } from "commander";
import type { SectionReport, VariantSeed } from "@hw/problem-set";
import { describeCommand } from "../command";
import { InputError, UsageError } from "../errors";
import { emit, readJson, toJson, type Sink } from "../io";
import { versions } from "../versions";
import { lib, loadProblemSet } from "./problem-set/lib";

interface SolveOptions {
  readonly question?: string[];
  readonly variant: string;
  readonly format: "text" | "markdown" | "latex" | "json";
  readonly json?: boolean;
  readonly checkAgainst?: string;
  readonly out?: string;
}

/** The versions of the packages that compute a solution (carried by every JSON output). */
export function packageVersions(): Record<string, string> {
  return versions();
}

/** The variant flag: "original" or a non-negative integer; anything else is a usage error (exit 2). */
export function variantOption(raw: string, flag = "--variant"): VariantSeed {
  try {
    return lib.parseVariantSeed(raw);
  } catch {
    throw new UsageError(`${flag} ${JSON.stringify(raw)}: expected "original" or a non-negative integer seed`);
  }
}

/** The JSON of `hw solve --format json`. */
export function solutionJson(variant: VariantSeed, reports: readonly SectionReport[]) {
  return { variant, versions: packageVersions(), key: lib.generateVariant(variant).key, questions: reports, summary: lib.solutionSummary(reports) };
}

/** One number that moved between two solutions. */
export interface MovedNumber {
  readonly path: string;
  readonly old: number | string;
  readonly now: number | string;
  readonly relative?: number;
}

/** Every number of `old` (at the same paths in `now`) that moved by more than `rtol` relative, or vanished. */
export function movedNumbers(old: unknown, now: unknown, rtol = 1e-12, path = ""): { moved: MovedNumber[]; compared: number } {
  if (typeof old === "number") {
    if (typeof now !== "number") return { moved: [{ path, old, now: now === undefined ? "(missing)" : JSON.stringify(now) }], compared: 1 };
    const scale = Math.max(Math.abs(old), Math.abs(now));
    const diff = Math.abs(old - now);
    const moved = Number.isNaN(old) ? !Number.isNaN(now) : !(diff <= rtol * scale);
    return { moved: moved ? [{ path, old, now, relative: scale === 0 ? 0 : diff / scale }] : [], compared: 1 };
  }
  if (Array.isArray(old) || (typeof old === "object" && old !== null)) {
    const entries = Array.isArray(old) ? old.map((v, i) => [String(i), v] as const) : Object.entries(old);
    let compared = 0;
    const moved: MovedNumber[] = [];
    for (const [k, v] of entries) {
      const next = now !== null && typeof now === "object" ? (now as Record<string, unknown>)[k] : undefined;
      const r = movedNumbers(v, next, rtol, Array.isArray(old) ? `${path}[${k}]` : path === "" ? k : `${path}.${k}`);
      compared += r.compared;
      moved.push(...r.moved);
    }
    return { moved, compared };
  }
  return { moved: [], compared: 0 };
}

function checkAgainst(sink: Sink, file: string, options: SolveOptions): void {
  const raw = readJson(file, "--check-against");
  if (raw === null || typeof raw !== "object" || !("questions" in raw) || !Array.isArray((raw).questions)) {
    throw new InputError(`--check-against ${file}: not the JSON of hw solve (expected { variant, key, questions: [...] })`);
  }
  const old = raw as { variant?: unknown; versions?: Record<string, string>; key?: unknown; questions: { id: string; data?: unknown }[] };
  const variant = old.variant === undefined ? "original" : variantOption(typeof old.variant === "number" || typeof old.variant === "string" ? String(old.variant) : JSON.stringify(old.variant), `--check-against ${file}: variant`);
  const reports = lib.solveVariant(variant, { questions: old.questions.map((q) => q.id) });
  const byId = new Map(reports.map((r) => [r.id, r.data]));
  const key = movedNumbers(old.key ?? {}, lib.generateVariant(variant).key, 1e-12, "key");
  const data = old.questions.map((q) => movedNumbers(q.data ?? {}, byId.get(q.id), 1e-12, `questions[${q.id}].data`));
  const moved = [...key.moved, ...data.flatMap((d) => d.moved)];
  const compared = key.compared + data.reduce((s, d) => s + d.compared, 0);
  const from = old.versions?.["@hw/problem-set"] ?? "an unknown release";
  const result = { variant, versions: packageVersions(), against: { file, versions: old.versions ?? {} }, compared, moved };
  emit(sink, { json: options.format === "json" || options.json === true, ...(options.out === undefined ? {} : { out: options.out }) }, result, () =>
    [
      `Recomputed variant ${variant} (computed by @hw/problem-set ${from}, now ${versions()["@hw/problem-set"]!}): ${compared} numbers compared, tolerance 1e-12 relative.`,
      ...(moved.length === 0 ? ["No answer moved."] : [`${moved.length} moved:`, ...moved.slice(0, 50).map((m) => `  ${m.path}: ${m.old} → ${m.now}${m.relative === undefined ? "" : ` (relative change ${m.relative.toExponential(2)})`}`), ...(moved.length > 50 ? [`  … and ${moved.length - 50} more`] : [])]),
    ].join("\n"),
  );
  if (moved.length > 0) throw new InputError(`solve --check-against: ${moved.length} of ${compared} numbers moved by more than 1e-12 (relative), first ${moved[0]!.path}`);
}

/** `hw solve`: the whole problem set end to end, each answer verified, for any variant. */
export function registerSolve(program: Command, sink: Sink): void {
  const cmd = program
    .command("solve")
    .description("work the whole problem set (any variant) and verify every answer")
    .addOption(new Option("-q, --question <n...>", "only these questions").choices(["1", "2", "3", "4"]))
    .option("--variant <seed>", 'the variant: "original" (the problem set\'s own numbers) or an integer seed', "original")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "latex", "json"]).default("text"))
    .option("--json", "the same as --format json (with the versions of the packages that computed it)")
    .option("--check-against <file>", "recompute an earlier `hw solve --json` and report every number that moved by more than 1e-12 (relative)")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
  describeCommand(cmd, {
    examples: ["hw solve", "hw solve --variant 7 --format markdown --out solution.md", "hw solve --question 2 3 --json", "hw solve --check-against answers-2025.json"],
    json: "{ variant, versions, key, questions: [{ id, status, checks, data }], summary }",
  });
  cmd.action(async (options: SolveOptions) => {
      await loadProblemSet();
      if (options.checkAgainst !== undefined) {
        checkAgainst(sink, options.checkAgainst, options);
        return;
      }
      const variant = variantOption(options.variant);
      const reports = lib.solveVariant(variant, options.question === undefined ? {} : { questions: options.question });
      const format = options.json === true ? "json" : options.format;
      const text = format === "json" ? toJson(solutionJson(variant, reports)) : lib.formatSolution(reports, format, variant);
      emit(sink, options.out === undefined ? {} : { out: options.out }, null, () => text);
      if (reports.some((r) => r.status === "failed")) {
        throw new InputError(`solve: verification failed in question ${reports.filter((r) => r.status === "failed").map((r) => r.id).join(", ")}`);
      }
    });
}
