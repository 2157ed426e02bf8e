// `hw assign`, `hw check` and `hw solve --variant / --format / --check-against`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateVariant, PARTS } from "@hw/problem-set";
import { studentSeed } from "../src/commands/assign";
import { runCaptured, spawnBin } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "hw-problem-set-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(root, "");
  return out;
}

describe("hw assign", () => {
  it("writes problem.md, problem.tex, data.json and key.json; the key scores full marks", async () => {
    const out = join(dir, "seed7");
    const r = await runCaptured(["assign", "--seed", "7", "--out", out]);
    expect(r.code).toBe(0);
    const files = readTree(out);
    expect(Object.keys(files).sort()).toEqual(["data.json", "key.json", "problem.md", "problem.tex"]);
    expect(files["problem.md"]).toContain("$$\nW^{(f)} = \\begin{bmatrix}");
    for (const id of PARTS.map((p) => p.id)) expect(files["problem.md"]).toContain(`\`${id}\``);
    expect(files["problem.tex"]).toMatch(/^\\documentclass\{article\}[\s\S]*\\end\{document\}\n$/);
    expect(JSON.parse(files["data.json"]!)).toMatchObject({ variant: 7, q2: { markov: { type: "markov" }, tree: { type: "tree" } } });
    const check = await runCaptured(["check", join(out, "key.json"), "--json"]);
    const report = JSON.parse(check.stdout) as { score: number; maxScore: number; variant: number };
    expect([check.code, report.variant, report.score]).toEqual([0, 7, PARTS.length]);
  });

  it("gives each student of a roster a variant from HMAC(secret, id): same secret → identical folders, another secret → other variants", async () => {
    const roster = write("roster.csv", "name,student_id\nAda,ada01\nAlan,alan02\n");
    const secretA = write("a.secret", "correct horse battery staple 1\n");
    const secretB = write("b.secret", "correct horse battery staple 2\n");
    const run = async (secret: string, name: string) => {
      const out = join(dir, name);
      const r = await runCaptured(["assign", "--roster", roster, "--secret-file", secret, "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      return readTree(out);
    };
    const a1 = await run(secretA, "a1");
    const a2 = await run(secretA, "a2");
    const b = await run(secretB, "b");
    expect(a1).toEqual(a2);
    expect(Object.keys(a1).sort()).toEqual(
      ["keys/ada01.json", "keys/alan02.json", "keys/seeds.csv", ...["ada01", "alan02"].flatMap((s) => ["data.json", "problem.md", "problem.tex"].map((f) => `students/${s}/${f}`))].sort(),
    );
    expect(a1["students/ada01/data.json"]).not.toBe(b["students/ada01/data.json"]);
    expect(a1["students/ada01/data.json"]).not.toBe(a1["students/alan02/data.json"]);
    expect(a1["keys/seeds.csv"]).toBe(`id,seed\nada01,${studentSeed("correct horse battery staple 1", "ada01")}\nalan02,${studentSeed("correct horse battery staple 1", "alan02")}\n`);
  });

  it("refuses bad usage with exit 2 and a short secret with exit 1", async () => {
    expect((await runCaptured(["assign", "--out", dir])).code).toBe(2);
    expect((await runCaptured(["assign", "--seed", "x", "--out", dir])).code).toBe(2);
    const short = await runCaptured(["assign", "--roster", write("r.csv", "id\na\n"), "--secret-file", write("s", "short"), "--out", dir]);
    expect([short.code, short.stderr.trim().split("\n").length]).toEqual([1, 1]);
  });

  it("writes a roster all or nothing: a student whose file cannot be written leaves the output folder as it was", async () => {
    const out = join(dir, "half");
    // The last student's problem.md is a folder already: writing it fails after the others were planned.
    mkdirSync(join(out, "students", "zoe", "problem.md"), { recursive: true });
    const before = readTree(out);
    const roster = write("half.csv", "id\nada\nbob\nzoe\n");
    const secret = write("half.secret", "0123456789abcdef0123456789abcdef");
    const r = await runCaptured(["assign", "--roster", roster, "--secret-file", secret, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hw: --out .*zoe.*problem\.md: is a directory\n$/);
    expect(readTree(out)).toEqual(before);
    expect(readdirSync(join(out, "students"))).toEqual(["zoe"]);
    expect(readdirSync(out)).toEqual(["students"]);
  });
});

describe("hw check", () => {
  it("prints a verdict table with diagnoses, counterexamples and partial credit", async () => {
    const v = generateVariant(3);
    const answers = {
      variant: 3,
      answers: {
        ...v.key,
        "1.2.dLt_dhf": { formula: "Vf'*(y_t - z_t)" },
        "1.2.jac_f": { formula: "Uf*diag(hf_next_t .* (1 - hf_next_t))" },
        "1.3.dL_dWf": { formula: "sum_t(dL_dhf_t * x_t')" },
        "2.1.count": { formula: "import('fs')" },
        "3.3.dL_du": { formula: "3*gamma/norm(u)*(I - u*u'/(u'*u))*dL_dw" },
        "2.2.viterbi": (v.key["2.2.viterbi"] as unknown as { tokens: string[] }).tokens,
        "9.9": 1,
      },
    };
    const r = await runCaptured(["check", write("answers.json", answers)]);
    expect(r.code).toBe(0);
    const line = (id: string) => r.stdout.split("\n").find((l) => l.slice(2).startsWith(id)) ?? "";
    expect(r.stdout).toMatch(/^Variant 3: score 16\.5 \/ 22/);
    expect(line("1.2.dLt_dhf")).toMatch(/^✗ .*missing-factor-2/);
    expect(line("1.2.jac_f")).toMatch(/^✗ .*transposed-jacobian/);
    expect(line("1.3.dL_dWf")).toMatch(/^✗ .*missing-diag/);
    expect(line("2.1.count")).toMatch(/^✗ .*import\(…\) is not allowed/);
    // With n = 1 the projection is 0, so a wrong scale still gives the right 0: the smallest counterexample has n = 2.
    expect(line("3.3.dL_du")).toMatch(/^✗ .*wrong: sizes n = 2/);
    expect(r.stdout).toMatch(/counterexample: sizes n = 2, seed \d+: entry \(1, 1\) yours /);
    expect(line("2.2.viterbi")).toMatch(/^◐ .*0\.5\/1 .*tokens correct, logProb missing/);
    expect(line("9.9")).toMatch(/unknown part id "9\.9"/);
    expect(line("4.3.w_l2")).toMatch(/^✓ /);
  });

  it("writes JSON and Gradescope results", async () => {
    const v = generateVariant("original");
    const gs = join(dir, "results.json");
    const r = await runCaptured(["check", write("orig.json", { variant: "original", answers: { "3.1.var_batch": (v.key["3.1.var_batch"] as number[]).map((x) => (x * 12) / 11) } }), "--json", "--gradescope", gs]);
    const report = JSON.parse(r.stdout) as { variant: string; score: number; maxScore: number; parts: { id: string; correct: boolean; mistake?: string }[] };
    expect(report.variant).toBe("original");
    expect(report.parts.find((p) => p.id === "3.1.var_batch")).toMatchObject({ correct: false, mistake: "unbiased-variance" });
    const g = JSON.parse(readFileSync(gs, "utf8")) as { score: number; tests: { name: string; score: number; max_score: number; output: string }[] };
    expect(g.score).toBe(0);
    expect(g.tests).toHaveLength(PARTS.length);
    expect(g.tests.find((t) => t.name === "3.1.var_batch")!.output).toMatch(/^unbiased-variance: /);
  });

  it("prints a template that is itself a valid answers file", async () => {
    const t = await runCaptured(["check", "--template", "--variant", "5"]);
    const template = JSON.parse(t.stdout) as { variant: number; answers: Record<string, null>; parts: Record<string, { shape: string; formula?: { variables: string[] } }> };
    expect(template.variant).toBe(5);
    expect(Object.keys(template.answers)).toEqual(PARTS.map((p) => p.id));
    expect(template.parts["1.2.jac_f"]).toMatchObject({ shape: "T−1×H×H = 2×2×2", formula: { variables: expect.arrayContaining(["Uf", "hf_next_t"]) as unknown } });
    const r = await runCaptured(["check", write("template.json", t.stdout), "--json"]);
    expect((JSON.parse(r.stdout) as { score: number }).score).toBe(0);
  });

  it("refuses an answers file of 10 MB or 10⁶ parts with one line, and bad input with exit codes 1 and 2", async () => {
    const big = join(dir, "big.json");
    writeFileSync(big, `{"answers":{"a":"${"x".repeat(10 * 1024 * 1024)}"}}`);
    const r = await runCaptured(["check", big]);
    expect([r.code, r.stderr.trim().split("\n").length]).toEqual([1, 1]);
    expect(r.stderr).toMatch(/10\.0 MB is too large for an answers file \(the limit is 10 MB\)/);
    const many = write("many.json", `{"answers":{${Array.from({ length: 1_000_000 }, (_, i) => `"${i.toString(36)}":0`).join(",")}}}`);
    const parts = await runCaptured(["check", many]);
    expect([parts.code, parts.stderr.trim()]).toEqual([1, `hw: ${many}: 1,000,000 or more parts is not an answers file (the problem set has 22)`]);
    expect((await runCaptured(["check", write("bad.json", "{")])).code).toBe(1);
    expect((await runCaptured(["check", write("list.json", "[]")])).code).toBe(1);
    expect((await runCaptured(["check", write("ok.json", { answers: {} }), "--variant", "nope"])).code).toBe(2);
    expect((await runCaptured(["check"])).code).toBe(2);
  });

  it("reads answers from standard input through the binary", () => {
    const r = spawnBin(["check", "-", "--json"], JSON.stringify({ variant: "original", answers: { "2.1.count": { formula: "N^T" } } }));
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { score: number }).score).toBe(1);
  }, 60_000);
});

describe("hw solve --variant / --format / --check-against", () => {
  it("works a generated variant in Markdown and LaTeX", async () => {
    const md = await runCaptured(["solve", "--variant", "11", "--question", "2", "3", "--format", "markdown"]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# Worked solution — variant 11\n\n## Question 2/);
    const tex = await runCaptured(["solve", "--variant", "11", "--question", "3", "--format", "latex"]);
    expect(tex.stdout).toContain("\\section*{Question 3 --- Normalization}");
    expect((await runCaptured(["solve", "--variant", "-3"])).code).toBe(2);
  });

  it("reports no change against its own output, and catches a deliberately changed constant", async () => {
    const first = await runCaptured(["solve", "--question", "2", "3", "--json"]);
    const old = JSON.parse(first.stdout) as { versions: Record<string, string>; key: Record<string, unknown>; questions: { id: string; data: { weightNorm: { s: number } } }[] };
    expect(old.versions["@hw/problem-set"]).toMatch(/^\d+\.\d+\.\d+/);
    const same = await runCaptured(["solve", "--check-against", write("old.json", old)]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/\d+ numbers compared, tolerance 1e-12 relative\.\nNo answer moved\./);
    // An earlier release whose 3.3 scale s was computed with a slightly different constant.
    old.questions[1]!.data.weightNorm.s *= 1 + 1e-9;
    (old.key["3.1.mu_batch"] as number[])[1]! += 1e-6;
    const moved = await runCaptured(["solve", "--check-against", write("old2.json", old)]);
    expect(moved.code).toBe(1);
    expect(moved.stdout).toContain("2 moved:");
    expect(moved.stdout).toContain("key.3.1.mu_batch[1]:");
    expect(moved.stdout).toContain("questions[3].data.weightNorm.s:");
    expect(moved.stderr.trim()).toMatch(/^hw: solve --check-against: 2 of \d+ numbers moved by more than 1e-12 \(relative\), first key\.3\.1\.mu_batch\[1\]$/);
  });
});
