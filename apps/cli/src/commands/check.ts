/** `hw check`: grade an answers file (verdict table, JSON or Gradescope results), or print a template. */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Command } from "commander";
import type { CheckAnswersOptions, CheckReport, VariantSeed } from "@hw/problem-set";
import { InputError, UsageError } from "../errors";
import { readJson, toJson, writeFileSafely, emit, type Sink } from "../io";
import { describeCommand } from "../command";
import { lib, loadProblemSet } from "./problem-set/lib";
import { variantOption } from "./solve";

/** Answers files at or above this size are refused without being read. */
export const MAX_ANSWERS_BYTES = 10 * 1024 * 1024;
/** Answers files with this many parts or more are refused. */
export const MAX_ANSWERS_PARTS = 1_000_000;

interface CheckOptions {
  readonly variant?: string;
  readonly json?: boolean;
  readonly gradescope?: string;
  readonly template?: boolean;
  readonly config?: string;
  readonly out?: string;
}

/** Read at most MAX_ANSWERS_BYTES from a file or stdin; refuse anything larger with one line. */
export function readAnswersText(path: string): string {
  const limit = `the limit is ${MAX_ANSWERS_BYTES / 1024 / 1024} MB`;
  if (path !== "-") {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new InputError(`${path}: cannot read (no such file)`);
    }
    if (size >= MAX_ANSWERS_BYTES) throw new InputError(`${path}: ${(size / 1024 / 1024).toFixed(1)} MB is too large for an answers file (${limit})`);
  }
  const fd = path === "-" ? 0 : openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
        if ((error as NodeJS.ErrnoException).code === "EOF") break;
        throw error;
      }
      if (n === 0) break;
      total += n;
      if (total >= MAX_ANSWERS_BYTES) throw new InputError(`${path === "-" ? "standard input" : path}: more than ${MAX_ANSWERS_BYTES / 1024 / 1024} MB is too large for an answers file (${limit})`);
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** Validate an answers file: `{ "variant"?: S, "answers": { … } }`. */
export function parseAnswersFile(text: string, path: string): { variant?: VariantSeed; answers: Record<string, unknown> } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(`${path}: expected an object { "variant": S, "answers": { "<part id>": value } }`);
  const o = raw as Record<string, unknown>;
  const answers = o.answers;
  if (answers === null || typeof answers !== "object" || Array.isArray(answers)) throw new InputError(`${path}: "answers" must be an object { "<part id>": value }`);
  let count = 0;
  for (const _ in answers) {
    if (++count >= MAX_ANSWERS_PARTS) throw new InputError(`${path}: ${MAX_ANSWERS_PARTS.toLocaleString("en")} or more parts is not an answers file (the problem set has 22)`);
  }
  let variant: VariantSeed | undefined;
  if (o.variant !== undefined) {
    try {
      variant = lib.parseVariantSeed(o.variant);
    } catch {
      throw new InputError(`${path}: "variant" must be "original" or a non-negative integer seed, got ${JSON.stringify(o.variant)}`);
    }
  }
  return { ...(variant === undefined ? {} : { variant }), answers: answers as Record<string, unknown> };
}

const mark = (p: CheckReport["parts"][number]): string => (p.correct ? "✓" : p.score > 0 ? "◐" : "✗");
const pts = (v: number): string => String(Number(v.toFixed(3)));

/** The verdict table. */
export function reportText(r: CheckReport): string {
  const w = Math.max(...r.parts.map((p) => p.id.length));
  const lines = [`Variant ${r.variant}: score ${pts(r.score)} / ${pts(r.maxScore)}`, ""];
  for (const p of r.parts) {
    lines.push(`${mark(p)} ${p.id.padEnd(w)}  ${`${pts(p.score)}/${pts(p.maxScore)}`.padStart(5)}  ${p.message}`);
    if (p.counterexample !== undefined) lines.push(`  ${" ".repeat(w)}         counterexample: ${lib.counterexampleText(p.counterexample)}`);
  }
  return lines.join("\n");
}

/** Gradescope's autograder results.json. */
export function gradescopeResults(r: CheckReport) {
  return {
    score: r.score,
    max_score: r.maxScore,
    output: `Variant ${r.variant}: ${pts(r.score)} / ${pts(r.maxScore)}`,
    tests: r.parts.map((p) => ({
      name: p.id,
      score: p.score,
      max_score: p.maxScore,
      status: p.correct ? "passed" : "failed",
      output: p.counterexample === undefined ? p.message : `${p.message}\ncounterexample: ${lib.counterexampleText(p.counterexample)}`,
    })),
  };
}

function readConfig(path: string): CheckAnswersOptions {
  const raw = readJson(path, "--config");
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(`--config ${path}: expected { "rtol"?, "atol"?, "parts"?: { "<part id>": { "weight"?, "rtol"?, "atol"? } } }`);
  return raw;
}

/** `hw check`. */
export function registerCheck(program: Command, sink: Sink): void {
  const cmd = program
    .command("check")
    .description("check an answers file part by part: verdicts, scores, diagnosed mistakes and counterexamples")
    .argument("[answers]", 'answers JSON { "variant": S, "answers": { "<part id>": number | array | tokens | { "formula": "…" } } } (- for stdin)')
    .option("--variant <seed>", 'the variant ("original" or a seed) when the file does not name one')
    .option("--json", "print { variant, score, maxScore, parts: [{ id, correct, score, maxScore, mistake?, message, counterexample? }] }")
    .option("--gradescope <file>", "also write Gradescope's autograder results.json to FILE")
    .option("--config <file>", 'instructor settings { "rtol"?, "atol"?, "parts"?: { "<id>": { "weight"?, "rtol"?, "atol"? } } }')
    .option("--template", "print an answers file listing every part with its kind, shape and formula variables")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
  describeCommand(cmd, {
    examples: ["hw check --template --variant 7 > answers.json", "hw check answers.json", "hw check answers.json --json", "hw check /autograder/submission/answers.json --gradescope /autograder/results/results.json"],
    json: "{ variant, score, maxScore, parts: [{ id, correct, score, maxScore, mistake?, message, counterexample? }], versions }",
  });
  cmd.action(async (answersPath: string | undefined, options: CheckOptions) => {
      await loadProblemSet();
      const flagVariant = options.variant === undefined ? undefined : variantOption(options.variant);
      const output = { ...(options.out === undefined ? {} : { out: options.out }) };
      if (options.template === true) {
        emit(sink, { ...output, json: true }, lib.answerTemplate(lib.generateVariant(flagVariant ?? "original")), () => "");
        return;
      }
      if (answersPath === undefined) throw new UsageError("check: missing the answers file (hw check ANSWERS.json, or hw check --template)");
      const file = parseAnswersFile(readAnswersText(answersPath), answersPath);
      if (file.variant !== undefined && flagVariant !== undefined && file.variant !== flagVariant) {
        throw new InputError(`${answersPath}: the answers are for variant ${file.variant}, not --variant ${flagVariant}`);
      }
      const variant = file.variant ?? flagVariant ?? "original";
      let report: CheckReport;
      try {
        report = lib.checkAnswers(variant, file.answers, options.config === undefined ? {} : readConfig(options.config));
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) throw new InputError(error.message);
        throw error;
      }
      if (options.gradescope !== undefined) writeFileSafely(options.gradescope, `${toJson(gradescopeResults(report))}\n`);
      emit(sink, { ...output, json: options.json === true }, report, () => reportText(report));
    });
}
