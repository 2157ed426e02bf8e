/**
 * `hw assign`: write a variant's problem (Markdown and LaTeX), data and key; or, with a roster and a
 * course secret, one folder per student with the seed derived by HMAC-SHA256(secret, student id) and the
 * keys in a separate folder.
 */
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import type { VariantSeed } from "@hw/problem-set";
import { InputError, UsageError } from "../errors";
import { readText, toJson, writeAllStaged, type Sink } from "../io";
import { startProgress } from "../progress";
import { describeCommand } from "../command";
import { lib, loadProblemSet } from "./problem-set/lib";
import { variantOption } from "./solve";

interface AssignOptions {
  readonly seed?: string;
  readonly roster?: string;
  readonly secretFile?: string;
  readonly out: string;
}

/** A student's seed: the first 48 bits of HMAC-SHA256(secret, "hw-variant:" + id) — reproducible, and not computable without the secret. */
export function studentSeed(secret: string, id: string): number {
  return createHmac("sha256", secret).update(`hw-variant:${id}`).digest().readUIntBE(0, 6);
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/** Student ids from a roster CSV: the column named id / student_id / sid / email (else the first), one row per student. */
export function readRoster(text: string, file: string): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new InputError(`--roster ${file}: empty (expected a CSV with a header row and one student per row)`);
  const cells = (line: string) => line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
  const header = cells(lines[0]!).map((h) => h.toLowerCase());
  const column = Math.max(0, header.findIndex((h) => ["id", "student_id", "studentid", "sid", "email"].includes(h)));
  const ids = lines.slice(1).map((l, i) => {
    const id = cells(l)[column] ?? "";
    if (!ID.test(id)) throw new InputError(`--roster ${file}: row ${i + 2}: student id ${JSON.stringify(id)} is not usable as a folder name (letters, digits and . _ @ + -)`);
    return id;
  });
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new InputError(`--roster ${file}: student id ${id} appears twice`);
    seen.add(id);
  }
  if (ids.length === 0) throw new InputError(`--roster ${file}: no students (only a header row)`);
  return ids;
}

interface PlannedFile {
  readonly path: string;
  readonly text: string;
}

/** The four files of one variant (computed in memory; nothing is written yet). */
function variantFiles(dir: string, seed: VariantSeed, keyDir: string, keyName: string): PlannedFile[] {
  const v = lib.generateVariant(seed);
  return [
    { path: join(dir, "problem.md"), text: lib.renderProblem(v, "markdown") },
    { path: join(dir, "problem.tex"), text: lib.renderProblem(v, "latex") },
    { path: join(dir, "data.json"), text: `${toJson({ variant: v.seed, ...v.data })}\n` },
    { path: join(keyDir, keyName), text: `${toJson({ variant: v.seed, answers: v.key })}\n` },
  ];
}

/**
 * Write every planned file or none: the folders are created, every file is staged next to its target
 * (a temporary file, {@link writeAllStaged}), and only when all of them are staged are they renamed into
 * place. On a failure the staged files and the folders this call created are removed, so a roster that fails half-way
 * (a full disk, a read-only folder) leaves the output folder as it was.
 */
function writeAllOrNothing(files: readonly PlannedFile[]): void {
  const created: string[] = [];
  try {
    for (const d of new Set(files.map((f) => dirname(f.path)))) {
      let first: string | undefined;
      try {
        first = mkdirSync(d, { recursive: true });
      } catch (error) {
        throw new InputError(`--out: cannot create the folder ${d} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      }
      if (first !== undefined) created.push(first);
    }
    writeAllStaged(files.map((f) => ({ flag: "--out", path: f.path, text: f.text })));
  } catch (error) {
    for (const d of created.reverse()) rmSync(d, { recursive: true, force: true });
    throw error;
  }
}

/** `hw assign`. */
export function registerAssign(program: Command, sink: Sink): void {
  const cmd = program
    .command("assign")
    .description("hand out a variant: problem.md, problem.tex, data.json and key.json (or one folder per student of a roster)")
    .option("--seed <seed>", 'the variant: "original" or an integer seed')
    .option("--roster <file>", "CSV of students (column id, student_id, sid or email; else the first): one variant each")
    .option("--secret-file <file>", "with --roster: the course secret the seeds are derived from (HMAC-SHA256; keep it private)")
    .requiredOption("--out <dir>", "the folder to write into")
  describeCommand(
    cmd,
    { examples: ["hw assign --seed 7 --out hw7", "hw assign --roster roster.csv --secret-file course.secret --out handout"] },
    "    (handout/students/<id>/ for each student, handout/keys/<id>.json and handout/keys/seeds.csv for the staff)",
  );
  cmd.action(async (options: AssignOptions) => {
      await loadProblemSet();
      if ((options.seed === undefined) === (options.roster === undefined)) throw new UsageError("assign: give either --seed S or --roster FILE --secret-file F");
      if (options.seed !== undefined) {
        const seed = variantOption(options.seed, "--seed");
        writeAllOrNothing(variantFiles(options.out, seed, options.out, "key.json"));
        sink.stdout(`Wrote variant ${seed} to ${options.out}: problem.md, problem.tex, data.json, key.json\n`);
        return;
      }
      if (options.secretFile === undefined) throw new UsageError("assign: --roster needs --secret-file F (the course secret)");
      let secret: string;
      try {
        secret = readFileSync(options.secretFile, "utf8").trim();
      } catch {
        throw new InputError(`--secret-file ${options.secretFile}: cannot read`);
      }
      if (secret.length < 16) throw new InputError(`--secret-file ${options.secretFile}: the secret has ${secret.length} characters; use at least 16 (e.g. openssl rand -hex 32)`);
      const ids = readRoster(readText(options.roster!, "--roster"), options.roster!);
      const keys = join(options.out, "keys");
      const seeds: string[] = ["id,seed"];
      const files: PlannedFile[] = [];
      const progress = startProgress("variants", ids.length);
      try {
        ids.forEach((id, i) => {
          const seed = studentSeed(secret, id);
          files.push(...variantFiles(join(options.out, "students", id), seed, keys, `${id}.json`));
          seeds.push(`${id},${seed}`);
          progress.update(i + 1);
        });
      } finally {
        progress.stop();
      }
      files.push({ path: join(keys, "seeds.csv"), text: `${seeds.join("\n")}\n` });
      writeAllOrNothing(files);
      sink.stdout(`Wrote ${ids.length} variants to ${join(options.out, "students")} and their keys to ${keys} (keep that folder private)\n`);
    });
}
