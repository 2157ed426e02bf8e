import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectClose } from "@hw/tensor/testing";
import { dropoutSection } from "../src/commands/dropout/section";
import { runSection } from "../src/solve/section";
import { runCaptured, spawnBin } from "./helpers";

interface Case {
  input: { X: number[][]; y: number[]; w: number[]; p: number; lambda: number };
  expected: { expectedLoss: number; lambdaDropout: number; wDropout: number[]; wRidge: number[] };
}

/** test/fixtures/dropout.json: a copy of the shared PyTorch/NumPy/scikit-learn fixture (float64). */
const cases = (JSON.parse(readFileSync(new URL("./fixtures/dropout.json", import.meta.url), "utf8")) as { cases: Case[] }).cases;
const dir = mkdtempSync(join(tmpdir(), "hw-dropout-"));
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};
const caseFiles = cases.map((c, i) => file(`case${i}.json`, c.input));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const parse = (stdout: string): unknown => JSON.parse(stdout);

describe("hw dropout / hw ridge against the fixture (rtol 1e-9)", () => {
  it.each(cases.map((c, i) => [i, c] as const))("case %i: expected-loss, dropout solve and ridge solve", async (i, c) => {
    const path = caseFiles[i]!;
    const loss = await runCaptured(["dropout", "expected-loss", "--input", path, "--json"]);
    expect(loss.code).toBe(0);
    expectClose((parse(loss.stdout) as { expectedLoss: number }).expectedLoss, c.expected.expectedLoss, { rtol: 1e-9 });

    const drop = await runCaptured(["dropout", "solve", "--input", path, "--p", String(c.input.p), "--json"]);
    expect(drop.code).toBe(0);
    const d = (parse(drop.stdout) as { w: number[]; lambdaDropout: number });
    expectClose(d.w, c.expected.wDropout, { rtol: 1e-9, atol: 1e-12 });
    expectClose(d.lambdaDropout, c.expected.lambdaDropout, { rtol: 1e-12 });

    const ridge = await runCaptured(["ridge", "solve", "--input", path, "--json"]);
    expect(ridge.code).toBe(0);
    expectClose((parse(ridge.stdout) as { w: number[] }).w, c.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i: Monte Carlo agrees with the closed form within 4 standard errors", async (i, c) => {
    const r = await runCaptured(["dropout", "expected-loss", "--input", caseFiles[i]!, "--num-samples", "20000", "--seed", "3", "--json"]);
    expect(r.code).toBe(0);
    const out = (parse(r.stdout) as { expectedLoss: number; monteCarlo: { mean: number; stderr: number; numSamples: number; seed: number } });
    expect(out.monteCarlo.numSamples).toBe(20000);
    expect(out.monteCarlo.seed).toBe(3);
    expect(Math.abs(out.monteCarlo.mean - c.expected.expectedLoss)).toBeLessThanOrEqual(4 * out.monteCarlo.stderr);
  });

  it("--drop q is the same as --p 1−q, and --p overrides the input's p", async () => {
    const c = cases[0]!;
    const a = (parse((await runCaptured(["dropout", "solve", "--input", caseFiles[0]!, "--drop", "0.5", "--json"])).stdout) as { w: number[] });
    const b = (parse((await runCaptured(["dropout", "solve", "--input", caseFiles[0]!, "--p", "0.5", "--json"])).stdout) as { w: number[] });
    expect(a.w).toEqual(b.w);
    expect(c.input.p).not.toBe(0.5);
  });

  it("prints readable text reports", async () => {
    const r = await runCaptured(["dropout", "expected-loss", "--input", caseFiles[0]!, "--num-samples", "500", "--seed", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("expected loss (closed form, 4.1): ");
    expect(r.stdout).toMatch(/Monte Carlo \(500 masks, seed 1\): [\d.]+ ± [\d.]+ \(95% interval/);
    const s = await runCaptured(["dropout", "solve", "--input", caseFiles[0]!]);
    expect(s.stdout).toContain("keep probability p = 0.8, λ_dropout = (1 − p)/p = 0.25");
    const rs = await runCaptured(["ridge", "solve", "--input", caseFiles[0]!, "--lambda", "2"]);
    expect(rs.stdout).toContain("λ = 2\nw_L2 = (XᵀX + λI)⁻¹Xᵀy = [");
  });
});

describe("hw dropout compare", () => {
  it("prints the 4.4 table with both solutions and the per-feature penalties", async () => {
    const c = cases[0]!;
    const r = await runCaptured(["dropout", "compare", "--input", caseFiles[0]!, "--p", "0.8", "--json"]);
    expect(r.code).toBe(0);
    const out = (parse(r.stdout) as { wDropout: number[]; wRidge: number[]; lambdaRidge: number; dropoutPenalty: number[]; gamma2: number[]; scale: number });
    expectClose(out.wDropout, c.expected.wDropout, { rtol: 1e-9, atol: 1e-12 });
    expectClose(out.wRidge, c.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
    expect(out.lambdaRidge).toBe(c.input.lambda);
    expectClose(out.dropoutPenalty, out.gamma2.map((g) => 0.25 * g), { rtol: 1e-14 });
    expect(out.scale).toBe(1.25);
    const text = await runCaptured(["dropout", "compare", "--input", caseFiles[0]!, "--p", "0.8"]);
    expect(text.stdout).toContain("dropout penalty λΓ²_jj");
    expect(text.stdout.split("\n").filter((l) => /^\s*\d+\s/.test(l))).toHaveLength(5);
  });

  it("--plot writes an SVG chart of the regularization paths", async () => {
    const svg = join(dir, "paths.svg");
    const r = await runCaptured(["dropout", "compare", "--input", caseFiles[0]!, "--p", "0.5", "--plot", svg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Regularization paths written to ${svg}`);
    const body = readFileSync(svg, "utf8");
    expect(body.startsWith("<svg")).toBe(true);
    expect(body).toContain("keep probability p");
    expect(body).toContain("λ (log scale)");
    expect((body.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(10);
  });

  it("rejects a --plot name that is not .svg (a usage error)", async () => {
    const r = await runCaptured(["dropout", "compare", "--input", caseFiles[0]!, "--plot", join(dir, "x.png")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hw: --plot .*x\.png: expected a file name ending in \.svg\n$/);
  });
});

describe("hw dropout train", () => {
  it("SGD with fresh masks lands near the closed form", async () => {
    const r = await runCaptured(["dropout", "train", "--input", caseFiles[0]!, "--epochs", "4000", "--seed", "2", "--json"]);
    expect(r.code).toBe(0);
    const out = (parse(r.stdout) as { w: number[]; wClosedForm: number[]; maxAbsDifference: number });
    expectClose(out.wClosedForm, cases[0]!.expected.wDropout, { rtol: 1e-9, atol: 1e-12 });
    expect(out.maxAbsDifference).toBeLessThan(0.03 * Math.max(...out.wClosedForm.map(Math.abs)));
  });
});

describe("bad input (exit 1) and bad flags (exit 2): one clear line", () => {
  const bad = async (argv: string[], code = 1): Promise<string> => {
    const r = await runCaptured(argv);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(r.code, lines[0]).toBe(code);
    return lines[0]!;
  };
  const c = cases[0]!.input;

  it("p outside (0, 1]", async () => {
    expect(await bad(["dropout", "solve", "--input", caseFiles[0]!, "--p", "0"], 2)).toBe(
      "hw: --p 0: expected a keep probability in (0, 1] (p is the probability of KEEPING a unit; use --drop for the drop probability)",
    );
    expect(await bad(["dropout", "expected-loss", "--input", caseFiles[0]!, "--p", "1.5"], 2)).toMatch(/^hw: --p 1\.5: expected a keep probability in \(0, 1\]/);
    expect(await bad(["dropout", "solve", "--input", caseFiles[0]!, "--p", "abc"], 2)).toBe("hw: --p abc: expected a number");
    expect(await bad(["dropout", "solve", "--input", file("p2.json", { ...c, p: 2 })])).toMatch(/^hw: p: expected a keep probability in \(0, 1\]/);
    expect(await bad(["dropout", "solve", "--input", caseFiles[0]!, "--p", "0.5", "--drop", "0.5"], 2)).toBe(
      "hw: --p and --drop are alternatives (keep p = 1 − drop q): give one of them",
    );
    const { p: _p, ...noP } = c;
    expect(await bad(["dropout", "solve", "--input", file("nop.json", noP)], 2)).toBe(
      'hw: --p: missing the keep probability (pass --p P or --drop Q, or put "p" in the input)',
    );
  });

  it("λ < 0", async () => {
    expect(await bad(["ridge", "solve", "--input", caseFiles[0]!, "--lambda", "-1"], 2)).toBe("hw: --lambda -1: expected a number ≥ 0");
    expect(await bad(["ridge", "solve", "--input", file("neg.json", { ...c, lambda: -2 })])).toBe("hw: lambda: expected a penalty ≥ 0, got number -2");
  });

  it("a misspelled key names the closest known one", async () => {
    const { lambda, ...rest } = c;
    expect(await bad(["ridge", "solve", "--input", file("lambd.json", { ...rest, lambd: lambda })])).toBe("hw: unknown key `lambd` — did you mean `lambda`?");
  });

  it("shape mismatch between X and y, and w of the wrong length", async () => {
    expect(await bad(["ridge", "solve", "--input", file("short.json", { ...c, y: c.y.slice(1) })])).toBe(
      "hw: y: expected a vector of length 30 (one target per row of X, which is 30×5), got length 29",
    );
    expect(await bad(["dropout", "expected-loss", "--input", file("w.json", { ...c, w: [1, 2] })])).toBe(
      "hw: w: expected a vector of length 5 (one weight per column of X), got length 2",
    );
    expect(await bad(["dropout", "solve", "--input", file("ragged.json", { ...c, X: [[1, 2], [3]] })])).toBe(
      "hw: X: ragged rows: row 0 has 2 entries, row 1 has 1",
    );
  });

  it("NaN, missing fields, bad JSON and a singular system", async () => {
    expect(await bad(["dropout", "solve", "--input", file("nan.json", '{"X": [[1, NaN]], "y": [1], "p": 0.5}')])).toMatch(
      /^hw: --input .*nan\.json: not valid JSON/,
    );
    expect(await bad(["dropout", "solve", "--input", file("str.json", { ...c, y: c.y.map((v, i) => (i === 3 ? "NaN" : v)) })])).toBe(
      'hw: y[3]: expected a finite number, got the string "NaN"',
    );
    expect(await bad(["dropout", "expected-loss", "--input", file("now.json", { X: c.X, y: c.y, p: 0.5 })], 2)).toBe(
      "hw: w: missing in the input (expected-loss needs the weights w, one per column of X)",
    );
    expect(await bad(["ridge", "solve", "--input", file("sing.json", { X: [[1, 2], [2, 4]], y: [1, 2] }), "--lambda", "0"])).toMatch(
      /^hw: ridgeSolution: XᵀX \+ λI \(λ = 0\) is singular to working precision \(Cholesky pivot 2 of 2, feature 1/,
    );
    expect(await bad(["ridge", "solve", "--input", join(dir, "nosuch.json"), "--lambda", "1"])).toMatch(/cannot read \(no such file\)$/);
    expect(await bad(["dropout", "expected-loss", "--input", caseFiles[0]!, "--num-samples", "1"], 2)).toBe("hw: --num-samples 1: expected an integer ≥ 2");
  });

  it("a failed compare leaves no --plot file behind", async () => {
    const plot = join(dir, "never.svg");
    await bad(["dropout", "compare", "--input", caseFiles[0]!, "--plot", plot, "--out", join(dir, "no", "such", "out.txt")]);
    expect(existsSync(plot)).toBe(false);
  });

  it("refuses Monte Carlo beyond the work budget in one line naming --max-work", async () => {
    const line = await bad(["dropout", "expected-loss", "--input", caseFiles[0]!, "--num-samples", "1e9"]);
    expect(line).toMatch(/^hw dropout expected-loss: needs about 6\.\de11 operations \(masks·n·d = 1000000000·30·5; ~\d+ min\), over the budget of 1\.0e10 \(~50 s\) — pass --max-work 6\.\de11 to allow it$/);
  });
});

describe("the built binary", () => {
  it("reads stdin, prints JSON and exits 0", () => {
    const r = spawnBin(["ridge", "solve", "--input", "-", "--json"], JSON.stringify(cases[1]!.input));
    expect(r.code).toBe(0);
    expectClose((JSON.parse(r.stdout) as { w: number[] }).w, cases[1]!.expected.wRidge, { rtol: 1e-9, atol: 1e-12 });
  });

  it("exits 2 with one line for --p 0 and for an unknown option", () => {
    const r = spawnBin(["dropout", "solve", "--input", caseFiles[0]!, "--p", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--p 0: expected a keep probability in (0, 1]");
    const u = spawnBin(["dropout", "solve", "--bogus"]);
    expect(u.code).toBe(2);
  });

  it("--help of every command shows examples", () => {
    for (const cmd of [["dropout"], ["dropout", "expected-loss"], ["dropout", "solve"], ["dropout", "compare"], ["dropout", "train"], ["ridge"], ["ridge", "solve"]]) {
      const r = spawnBin([...cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Examples:\n  $ hw ");
    }
  });

  it("hw solve --question 4 verifies every check", () => {
    const r = spawnBin(["solve", "--question", "4"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Question 4 — Dropout versus weight decay in linear regression");
    expect(r.stdout).toContain("Status: verified");
    expect(r.stdout).not.toContain("✗");
  });
});

describe("hw solve, Question 4 section", () => {
  it("runs every part with passing checks and the numbers in its data", () => {
    const report = runSection(dropoutSection);
    expect(report.status).toBe("verified");
    expect(report.checks.length).toBeGreaterThanOrEqual(7);
    for (const part of ["4.1", "4.2", "4.3", "4.4"]) expect(report.text).toContain(part);
    const data = report.data as { expectedLoss: number; monteCarlo: { mean: number; stderr: number } };
    expect(Math.abs(data.monteCarlo.mean - data.expectedLoss)).toBeLessThanOrEqual(4 * data.monteCarlo.stderr);
  });
});
