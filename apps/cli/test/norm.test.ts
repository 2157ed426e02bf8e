// `hw norm …` and `hw solve -q 3`, against the PyTorch/NumPy fixtures (test/fixtures, copied from
// ../shared/fixtures/normalization.json and weightnorm.json) at rtol 1e-9.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { runCaptured, spawnBin } from "./helpers";

type N3 = number[][][];
interface NormCase {
  input: { x: N3; gamma: number[]; beta: number[]; eps: number };
  expected: {
    batch: { mean: number[]; var: number[]; y: N3 };
    layer: { mean: number[]; var: number[]; gamma: number[][]; beta: number[][]; y: N3 };
    instance: { mean: number[][]; var: number[][]; y: N3 };
    group: { groups: number; mean: number[][]; var: number[][]; y: N3 };
  };
}
interface WnCase {
  input: { u: number[]; gamma: number; gradW: number[] };
  expected: { w: number[]; gradU: number[]; gradGamma: number; s: number };
}
const load = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as { cases: T[] }).cases;

const dir = mkdtempSync(join(tmpdir(), "hw-norm-"));
let counter = 0;
function file(value: unknown): string {
  const path = join(dir, `in-${counter++}.json`);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}
const tol = { rtol: 1e-9, atol: 1e-12 };

async function json(argv: string[]): Promise<Record<string, unknown>> {
  const r = await runCaptured(argv);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe.each(load<NormCase>("normalization.json").map((c, i) => [i, c] as const))("hw norm on normalization.json case %i", (_i, c) => {
  const inputFile = file(c.input);
  const e = c.expected;
  it.each([
    ["batch", [], e.batch],
    ["layer", [], e.layer],
    ["instance", [], e.instance],
    ["group", ["--groups", "3"], e.group],
  ] as const)("stats --kind %s", async (kind, extra, want) => {
    const out = await json(["norm", "stats", "--kind", kind, ...extra, "--input", inputFile, "--json"]);
    expect(Object.keys(out)).toEqual(["mean", "variance", "versions"]);
    expectClose(out.mean as number[], want.mean, tol);
    expectClose(out.variance as number[], want.var, tol);
  });
  it.each([
    ["batch", [], e.batch.y],
    ["instance", [], e.instance.y],
    ["group", ["--groups", "3"], e.group.y],
  ] as const)("apply --kind %s with the file's per-channel gamma/beta and eps", async (kind, extra, y) => {
    const out = await json(["norm", "apply", "--kind", kind, ...extra, "--input", inputFile, "--json"]);
    expectClose(out.y as N3, y, tol);
  });
  it("apply --kind layer with the elementwise C×F gamma/beta", async () => {
    const layerFile = file({ x: c.input.x, gamma: e.layer.gamma, beta: e.layer.beta, eps: c.input.eps });
    const out = await json(["norm", "apply", "--kind", "layer", "--input", layerFile, "--json"]);
    expectClose(out.y as N3, e.layer.y, tol);
  });
});

describe.each(load<WnCase>("weightnorm.json").map((c, i) => [i, c] as const))("hw norm weightnorm-grad on weightnorm.json case %i", (_i, c) => {
  it("prints w, gradU, gradGamma, s", async () => {
    const out = await json(["norm", "weightnorm-grad", "--input", file(c.input), "--json"]);
    expectClose(out.w as number[], c.expected.w, tol);
    expectClose(out.gradU as number[], c.expected.gradU, tol);
    expectClose(out.gradGamma as number, c.expected.gradGamma, tol);
    expectClose(out.s as number, c.expected.s, tol);
  });
});

describe("hw norm with the problem's tensor (example:q3)", () => {
  it("stats --kind instance --json has shape [B, C] and the 3.1 answers", async () => {
    const out = await json(["norm", "stats", "--kind", "instance", "--input", "example:q3", "--json"]);
    expectClose(out.mean as number[][], [[2, 2], [8 / 3, 10 / 3], [8 / 3, 7 / 3], [8 / 3, 8 / 3]], { rtol: 1e-12 });
  });
  it("stats --kind group --groups 2 has shape [B, G]", async () => {
    const out = await json(["norm", "stats", "--kind", "group", "--groups", "2", "--json"]);
    expect((out.variance as number[][]).map((r) => r.length)).toEqual([2, 2, 2, 2]);
  });
  it("prints a readable report by default", async () => {
    const r = await runCaptured(["norm", "stats", "--kind", "batch"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("per channel, over batch and features");
    expect(r.stdout).toContain("mean     = [2.5, 2.58333]");
    expect(r.stdout).toContain("variance = [0.583333, 1.07639]");
    const short = await runCaptured(["norm", "stats", "--kind", "batch", "--digits", "3"]);
    expect(short.stdout).toContain("variance = [0.583, 1.08]");
  });
  it("weightnorm-grad example shows gradU ⊥ u", async () => {
    const r = await runCaptured(["norm", "weightnorm-grad"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/uᵀ gradU = (-?\d(\.\d+)?e-1[5-9]|0)\)/);
  });
});

describe("hw norm rejects bad input (exit 1) and bad flags (exit 2) with one line", () => {
  const x2 = file({ x: [[1, 2], [3, 4]] });
  const ragged = file({ x: [[[1, 2, 3], [1, 2]], [[1, 2, 3], [4, 5, 6]]] });
  const nan = file({ x: [[[1, "NaN", 3], [1, 2, 3]], [[1, 2, 3], [4, 5, 6]]] });
  const nanLiteral = file('{ "x": [[[1, NaN]]] }');
  const badGamma = file({ x: [[[1, 2, 3], [1, 2, 3]], [[1, 2, 3], [4, 5, 6]]], gamma: [1, 2, 3] });
  const cases: [string, string[], RegExp, number?][] = [
    ["rank 2 instead of 3", ["norm", "stats", "--kind", "batch", "--input", x2], /^hw: x\[0\]\[0\]: expected a vector \(array of numbers\), got number 1$/],
    ["groups not dividing C", ["norm", "stats", "--kind", "group", "--groups", "3"], /^hw: groupNorm: --groups must be a positive integer dividing the 2 channels of shape \[4,2,3\], got 3$/, 2],
    ["group without --groups", ["norm", "stats", "--kind", "group"], /^hw: --groups: required with --kind group/, 2],
    ["eps 0", ["norm", "apply", "--kind", "layer", "--eps", "0"], /^hw: --eps 0: expected a number > 0$/, 2],
    ["eps negative", ["norm", "apply", "--kind", "batch", "--eps", "-1e-5"], /^hw: --eps -1e-5: expected a number > 0$/, 2],
    ["eps 0 in the file", ["norm", "apply", "--kind", "batch", "--input", file({ x: [[[1, 2]]], eps: 0 })], /^hw: eps: expected a number > 0, got number 0$/],
    ["misspelled key", ["norm", "apply", "--kind", "batch", "--input", file({ x: [[[1, 2]]], gamm: [1] })], /^hw: unknown key `gamm` — did you mean `gamma`\?$/],
    ["ragged arrays", ["norm", "stats", "--kind", "layer", "--input", ragged], /^hw: x\[0\]\[1\]: ragged array: expected length 3, got 2$/],
    ["NaN as a string", ["norm", "stats", "--kind", "batch", "--input", nan], /^hw: x\[0\]\[0\]\[1\]: expected a finite number, got the string "NaN"$/],
    ["NaN literal (not JSON)", ["norm", "stats", "--kind", "batch", "--input", nanLiteral], /^hw: --input .*: not valid JSON/],
    ["gamma of the wrong length", ["norm", "apply", "--kind", "batch", "--input", badGamma], /^hw: gamma: expected a vector of length 2 \(one per channel for batch norm\), got length 3$/],
    ["missing file", ["norm", "stats", "--kind", "batch", "--input", join(dir, "nosuch.json")], /^hw: --input .*nosuch\.json: cannot read \(no such file\)$/],
    ["zero u", ["norm", "weightnorm-grad", "--input", file({ u: [0, 0], gamma: 1, gradW: [1, 1] })], /^hw: weightNormGrad: u has zero norm/],
    ["gradW length", ["norm", "weightnorm-grad", "--input", file({ u: [1, 0], gamma: 1, gradW: [1] })], /^hw: gradW: expected a vector of length 2 \(the length of u\), got length 1$/],
  ];
  it.each(cases)("%s", async (_name, argv, message, code = 1) => {
    const r = await runCaptured(argv);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
  it("the built binary: exit 1 for bad input, 2 for a missing --kind, 0 with JSON from stdin", () => {
    expect(spawnBin(["norm", "stats", "--kind", "batch", "--input", x2]).code).toBe(1);
    const usage = spawnBin(["norm", "stats"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toMatch(/^hw: required option '--kind <kind>' not specified$/);
    const ok = spawnBin(["norm", "stats", "--kind", "layer", "--input", "-", "--json"], JSON.stringify({ x: [[[1, 3, 2], [1, 2, 3]]] }));
    expect(ok.code).toBe(0);
    expectClose((JSON.parse(ok.stdout) as { mean: number[] }).mean, [2], { rtol: 1e-15 });
  });
});

describe("hw solve --question 3", () => {
  it("verifies every check and prints the six tensors", async () => {
    const r = await runCaptured(["solve", "--question", "3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Status: verified");
    for (const name of ["μ_batch", "σ²_batch", "μ_layer", "σ²_layer", "μ_instance", "σ²_instance"]) expect(r.stdout).toContain(name);
    expect(r.stdout).not.toContain("✗");
  });
  it("--json carries the data and the checks", async () => {
    const out = (await json(["solve", "-q", "3", "--json"])) as { questions: { status: string; checks: { ok: boolean }[]; data: { batch: { mean: number[] } } }[] };
    const q = out.questions[0]!;
    expect(q.status).toBe("verified");
    expect(q.checks.length).toBeGreaterThanOrEqual(6);
    expectClose(q.data.batch.mean, [2.5, 31 / 12], { rtol: 1e-12 });
  });
});
