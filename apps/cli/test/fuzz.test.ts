// Random JSON inputs for every command (issue 11's acceptance): each run either succeeds with
// finite output, or fails with exit 1 or 2 and exactly one line on stderr — never a stack trace, a
// bare JavaScript message, a hang past 10 s, or a partial output file. The inputs are the
// command's own example with one mutation: a key dropped, an unknown key added, a value replaced by
// a value of another type, a number replaced by a huge or non-finite one, an array made long.
// Runs in-process through `run(argv, sink)` (the machine has 2 cores; spawning is for bin.test.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import type { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleWithSchema, leafMeta } from "../src/command";
import { lib, loadProblemSet } from "../src/commands/problem-set/lib";
import { solutionJson } from "../src/commands/solve";
import { firstNonFinite, toJson } from "../src/format";
import { createProgram } from "../src/program";
import { runCaptured } from "./helpers";

/** Flags that keep each run short (the defaults of train are minutes of work on random data). */
const EXTRA: Record<string, string[]> = {
  "norm stats": ["--kind", "batch"],
  "norm apply": ["--kind", "layer"],
  "dropout train": ["--epochs", "20"],
  "dropout expected-loss": ["--num-samples", "50"],
  "ridge cv": ["--lambdas", "0.1,1,10"],
};

/** Messages that mean an unhandled JavaScript error leaked through. */
const BARE = /Cannot read prop|is not a function|is not iterable|Invalid typed array length|Maximum call stack|Maximum BigInt|Invalid array length|undefined|\[object Object\]|^\s+at /m;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function paths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.slice(0, 4).forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function at(value: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, value);
}

const INF = "__fuzz_infinity__";
const NEG_INF = "__fuzz_neg_infinity__";

const other: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ maxLength: 6 }),
  fc.constantFrom("NaN", "Infinity", "-1", "", "<BOS>"),
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e300, -1e300, 1e-320, 0, -0, 2 ** 53 + 1, 1e9, 0.5),
  fc.constantFrom(INF, NEG_INF),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), { maxLength: 3 }),
  fc.array(fc.array(fc.integer({ min: -2, max: 2 }), { maxLength: 3 }), { maxLength: 3 }),
);

const mutation = fc.record({
  kind: fc.constantFrom("drop", "extra", "replace", "long"),
  where: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("lambd", "vocab", "Wff", "gamm", "children", "steps", "x", "p")),
  value: other,
  copies: fc.integer({ min: 2, max: 3000 }),
});

type Mutation = { kind: string; where: number; key: string; value: Json; copies: number };

function mutate(example: Json, m: Mutation): string {
  const copy = structuredClone(example);
  const all = paths(copy);
  const path = all[m.where % all.length]!;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const target = at(copy, path);
  if (m.kind === "extra") {
    if (target !== null && typeof target === "object" && !Array.isArray(target)) target[m.key] = m.value;
    else if (Array.isArray(target)) target.push(m.value);
  } else if (m.kind === "long" && Array.isArray(target) && target.length > 0) {
    const filler = target[0]!;
    for (let i = 0; i < m.copies; i++) target.push(structuredClone(filler));
  } else if (last !== undefined) {
    const parent = at(copy, parentPath) as Record<string | number, Json> | Json[];
    if (m.kind === "drop") {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else Reflect.deleteProperty(parent, last);
    } else (parent as Record<string | number, Json>)[last] = m.value;
  } else if (m.kind === "replace") {
    return JSON.stringify(m.value);
  }
  return JSON.stringify(copy).replaceAll(`"${INF}"`, "1e999").replaceAll(`"${NEG_INF}"`, "-1e999");
}

function leaves(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => (leafMeta(c) === undefined ? leaves(c) : [c]));
}

const withInput = leaves(createProgram({ stdout: () => undefined, stderr: () => undefined }))
  .map((c) => leafMeta(c)!)
  .filter((m) => m.spec.input !== undefined)
  .map((m) => ({ path: m.path.join(" "), meta: m }));

const RUNS = 25;

/**
 * Run `argv(input, out)` on `RUNS` mutations of `example`: exit 0 with a finite JSON file, or exit 1/2 with
 * one clean line and no file. `failedOutput` (when given) accepts a complete file a failure may write (the
 * report of `hw solve --check-against` that names the moved numbers).
 */
async function fuzzInput(path: string, example: Json, argv: (input: string, out: string) => string[], allowNonFinite?: readonly string[], failedOutput?: (written: unknown) => void): Promise<void> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const dir = mkdtempSync(join(tmpdir(), "hw-fuzz-"));
      const input = join(dir, "input.json");
      writeFileSync(input, mutate(example, m));
      const out = join(dir, "out.json");
      const started = performance.now();
      const r = await runCaptured(argv(input, out));
      const seconds = (performance.now() - started) / 1000;
      n++;
      expect(seconds, `${path}: ${seconds.toFixed(1)} s`).toBeLessThan(10);
      expect(r.stdout).toBe("");
      if (r.code === 0) {
        expect(r.stderr).toBe("");
        const written = JSON.parse(readFileSync(out, "utf8")) as unknown;
        expect(firstNonFinite(written, allowNonFinite)).toBeUndefined();
      } else {
        expect([1, 2]).toContain(r.code);
        const lines = r.stderr.split("\n").filter((l) => l !== "");
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^hw[: ]/);
        expect(lines[0]).not.toMatch(BARE);
        if (failedOutput !== undefined && readdirSync(dir).includes("out.json")) failedOutput(JSON.parse(readFileSync(out, "utf8")));
        else expect(readdirSync(dir)).toEqual(["input.json"]);
      }
    }),
    { numRuns: RUNS, seed: 11 },
  );
  expect(n).toBe(RUNS);
}

describe.each(withInput)("fuzz: hw $path --input <random JSON>", ({ path, meta }) => {
  it(`${RUNS} mutated inputs: exit 0 with finite output, or exit 1/2 with one clean line and no file`, async () => {
    await fuzzInput(path, exampleWithSchema(meta.spec.input!) as Json, (input, out) => [...path.split(" "), ...(EXTRA[path] ?? []), "--input", input, "--json", "--out", out], meta.spec.allowNonFinite);
  }, 120_000);
});

// The problem-set commands load @hw/problem-set on first use; these tests build their inputs with it directly.
beforeAll(async () => {
  await loadProblemSet();
});

describe("fuzz: hw check <random answers JSON>", () => {
  it(`${RUNS} mutated answers files: exit 0 with finite output, or exit 1/2 with one clean line and no file`, async () => {
    const template = lib.answerTemplate(lib.generateVariant("original")) as unknown as Json;
    await fuzzInput("check", template, (input, out) => ["check", input, "--json", "--out", out]);
  }, 120_000);
});

describe("fuzz: hw solve --check-against <random earlier solution>", () => {
  it(`${RUNS} mutated solutions: exit 0 with finite output, or exit 1/2 with one clean line and no file (or the full report of what moved)`, async () => {
    const solution = JSON.parse(toJson(solutionJson("original", lib.solveVariant("original", { questions: ["1"] })))) as Json;
    await fuzzInput("solve", solution, (input, out) => ["solve", "--check-against", input, "--json", "--out", out], undefined, (written) => {
      const report = written as { versions?: unknown; moved?: unknown[] };
      expect(report.versions).toBeDefined();
      expect(report.moved?.length).toBeGreaterThan(0);
    });
  }, 120_000);
});

/** A small corpus for `hw decode ngram fit`. */
const fuzzCorpus = join(mkdtempSync(join(tmpdir(), "hw-fuzz-corpus-")), "corpus.txt");
writeFileSync(fuzzCorpus, "the cat sat\nthe dog ran\na cat ran\n");

/** The commands without a JSON input get random flag values instead. */
const FLAG_FUZZ: Record<string, string[]> = {
  "rnn graph": ["--steps", "--format"],
  "rnn train": ["--steps", "--seed", "--lr", "--clip-norm", "--hidden-size", "--lengths"],
  "rnn grad": ["--truncate", "--lengths"],
  "decode count": ["--vocabulary-size", "--steps"],
  "decode ngram fit": ["--n", "--smoothing", "--k", "--discount"],
  solve: ["--variant", "--format", "--question"],
  check: ["--variant"],
};
/** The arguments before the random flag, and after it (a JSON output and, where there is one, a budget). */
const FLAG_BASE: Record<string, string[]> = { "decode count": ["--vocabulary-size", "3", "--steps", "2"], "decode ngram fit": ["--corpus", fuzzCorpus, "--n", "2"], "rnn train": ["--steps", "3"], "rnn grad": ["--input", "example"], solve: ["--question", "1"], check: ["--template"] };
const FLAG_TAIL: Record<string, string[]> = { solve: ["--json"], check: [] };
const flagValue = fc.oneof(
  fc.constantFrom("0", "-1", "1e308", "1e999", "NaN", "abc", "", "2.5", "1e6", "3", "dot", "svg", "0x10", "1e-320"),
  fc.integer({ min: -5, max: 2000 }).map(String),
);

describe.each(Object.entries(FLAG_FUZZ))("fuzz: hw %s with random flag values", (path, flags) => {
  it("exit 0 with finite output, or exit 1/2 with one clean line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...flags), flagValue, async (flag, value) => {
        const base = FLAG_BASE[path] ?? [];
        const started = performance.now();
        // A budget of ~10 s of work: the default (~a minute) is larger than this test's 10 s bound.
        const r = await runCaptured([...path.split(" "), ...base, flag, value, ...(FLAG_TAIL[path] ?? ["--json", "--max-work", "2e9"])]);
        expect((performance.now() - started) / 1000).toBeLessThan(10);
        if (r.code === 0) {
          expect(firstNonFinite(JSON.parse(r.stdout))).toBeUndefined();
        } else {
          const lines = r.stderr.split("\n").filter((l) => l !== "");
          expect(lines, r.stderr).toHaveLength(1);
          expect(lines[0]).not.toMatch(BARE);
        }
      }),
      { numRuns: 20, seed: 12 },
    );
  }, 120_000);
});

describe("fuzz: hw assign --seed <random value>", () => {
  it("exit 0 with the four files, or exit 1/2 with one clean line and no folder", async () => {
    await fc.assert(
      fc.asyncProperty(flagValue, async (value) => {
        const out = join(mkdtempSync(join(tmpdir(), "hw-fuzz-assign-")), "out");
        const r = await runCaptured(["assign", "--seed", value, "--out", out]);
        if (r.code === 0) {
          expect(r.stderr).toBe("");
          expect(readdirSync(out).sort()).toEqual(["data.json", "key.json", "problem.md", "problem.tex"]);
        } else {
          expect([1, 2]).toContain(r.code);
          const lines = r.stderr.split("\n").filter((l) => l !== "");
          expect(lines, r.stderr).toHaveLength(1);
          expect(lines[0]).not.toMatch(BARE);
          expect(existsSync(out)).toBe(false);
        }
      }),
      { numRuns: 20, seed: 13 },
    );
  }, 120_000);
});
