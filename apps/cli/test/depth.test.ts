// Issue 17 through the built `hw` binary and in-process: `hw rnn grad --lengths/--truncate` against
// PyTorch's padded nn.RNN fixture (test/fixtures/padded.json, copied from packages/rnn) and the
// library; `hw rnn train --lengths`; `hw norm stats|apply --kind rms` against rmsnorm.json (copied
// from packages/normalization); `hw ridge solve --intercept --weights` and `hw ridge cv --lambdas`
// against scikit-learn's Ridge/RidgeCV (ridge.json, ridge-cv.json, copied from packages/regularization).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bptt } from "@hw/rnn";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { runCaptured, spawnBin } from "./helpers";

const fixture = <T>(name: string): T[] => (JSON.parse(readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), "utf8")) as { cases: T[] }).cases;
const dir = mkdtempSync(join(tmpdir(), "hw-depth-"));
let counter = 0;
const write = (value: unknown): string => {
  const path = join(dir, `in-${counter++}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const tol = { rtol: 1e-9, atol: 1e-12 };

async function json(argv: string[]): Promise<Record<string, unknown>> {
  const r = await runCaptured(argv);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

type Arr = number[] | number[][] | number[][][];
interface PaddedCase {
  nonlinearity: string;
  lengths: number[];
  input: Record<string, Arr>;
  expected: { loss: number; hf: Arr; hb: Arr; y: Arr; grads: Record<string, Arr> };
}

describe("hw rnn grad on a padded batch", () => {
  const c = fixture<PaddedCase>("padded.json").find((k) => k.nonlinearity === "sigmoid")!;
  const inputFile = write(c.input);

  it(`--lengths ${c.lengths.join(",")} matches PyTorch (each sequence run alone) at rtol 1e-9, through the built binary`, () => {
    const r = spawnBin(["rnn", "grad", "--input", inputFile, "--lengths", c.lengths.join(","), "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PaddedCase["expected"];
    expect(Math.abs(out.loss - c.expected.loss)).toBeLessThanOrEqual(1e-9 * c.expected.loss);
    for (const k of ["hf", "hb", "y"] as const) expectClose(out[k], c.expected[k], { ...tol, message: k });
    for (const [k, g] of Object.entries(c.expected.grads)) expectClose(out.grads[k] as number[][], g, { ...tol, message: k });
  });

  it("the input's own \"lengths\" is used when --lengths is absent; without lengths the padding counts", async () => {
    const withLengths = await json(["rnn", "grad", "--input", write({ ...c.input, lengths: c.lengths }), "--json"]);
    expect(Math.abs((withLengths.loss as number) - c.expected.loss)).toBeLessThanOrEqual(1e-9 * c.expected.loss);
    const full = await json(["rnn", "grad", "--input", inputFile, "--json"]);
    expect(full.loss).not.toBeCloseTo(c.expected.loss, 3);
  });

  it("--truncate k and k1,k2 give the library's truncated gradients (also with --lengths)", async () => {
    const { x, z, hfInit, hbInit, ...params } = c.input;
    for (const [flag, truncate] of [["2", 2], ["1,3", { k1: 1, k2: 3 }]] as const) {
      const out = await json(["rnn", "grad", "--input", inputFile, "--lengths", c.lengths.join(","), "--truncate", flag, "--json"]);
      const want = bptt(params as never, x!, z!, { hfInit: hfInit!, hbInit: hbInit!, lengths: c.lengths, truncate });
      expectClose((out.grads as Record<string, number[][]>).Ub!, want.grads.Ub, { rtol: 1e-12, atol: 1e-15, message: `--truncate ${flag}` });
      expect(out.loss).toBe(want.loss);
    }
    const text = await runCaptured(["rnn", "grad", "--input", "example", "--truncate", "2,4"]);
    expect(text.stdout).toContain("Truncated BPTT(k2 = 4; k1 = 2)");
  });

  it("refuses bad --lengths and --truncate in one line (exit 2 usage, 1 data)", () => {
    const cases: [string[], number, string][] = [
      [["--lengths", "5,0,3,1"], 2, "hw: --lengths 5,0,3,1: expected a comma-separated list of integers ≥ 1, one per sequence (e.g. 5,3,2)"],
      [["--lengths", "5,2"], 2, "hw: --lengths: expected 4 lengths (one per sequence of the input's batch), got 2"],
      [["--lengths", "5,2,3,9"], 2, "hw: --lengths: entry 4 is 9, longer than the input's T = 5 steps"],
      [["--truncate", "3,2"], 2, "hw: --truncate 3,2: expected k1 ≤ k2 (the gradient flows back k2 steps from every k1-th step), got k1 = 3, k2 = 2"],
      [["--truncate", "0"], 2, "hw: --truncate 0: expected k (an integer ≥ 1) or k1,k2 (integers with 1 ≤ k1 ≤ k2)"],
    ];
    for (const [flags, code, message] of cases) {
      const r = spawnBin(["rnn", "grad", "--input", inputFile, ...flags]);
      expect(r.code, flags.join(" ")).toBe(code);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`${message}\n`);
    }
    const single = spawnBin(["rnn", "grad", "--input", "example", "--lengths", "3"]);
    expect(single.code).toBe(2);
    expect(single.stderr).toBe("hw: --lengths: needs a batched input (x of shape T×B×D, z T×B×K); this input holds one sequence (x is T×D)\n");
    const ragged = spawnBin(["rnn", "grad", "--input", write({ ...c.input, z: (c.input.z as number[][][]).slice(1) })]);
    expect(ragged.code).toBe(1);
    expect(ragged.stderr).toBe("hw: z: expected 5 steps (as x), got 4\n");
  });
});

describe("hw rnn train --lengths", () => {
  it("trains on batches of those lengths (batch size = their count) and echoes the seed", async () => {
    const out = await json(["rnn", "train", "--steps", "40", "--seed", "2", "--lengths", "12,7,3", "--json"]);
    expect(out.seed).toBe(2);
    expect((out.losses as number[]).length).toBe(40);
    expect(out.evalAfter as number).toBeLessThan(out.evalBefore as number);
    const same = await json(["rnn", "train", "--steps", "40", "--seed", "2", "--lengths", "12,7,3", "--json"]);
    expect(same.losses).toEqual(out.losses);
    const bad = spawnBin(["rnn", "train", "--lengths", "4,x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("hw: --lengths 4,x: expected a comma-separated list of integers ≥ 1, one per sequence (e.g. 5,3,2)\n");
  });
});

interface RmsCase {
  input: { x: number[][][]; normalizedShape: number | number[]; eps: number; gamma: number[][] };
  expected: { y: number[][][]; rms: number[] };
}

describe("hw norm --kind rms", () => {
  const c = fixture<RmsCase>("rmsnorm.json").find((k) => Array.isArray(k.input.normalizedShape) && k.input.normalizedShape.length === 2)!;
  it("stats and apply match the nn.RMSNorm formula (rmsnorm.json) at rtol 1e-9", () => {
    const inputFile = write({ x: c.input.x, eps: c.input.eps, gamma: c.input.gamma });
    const stats = spawnBin(["norm", "stats", "--kind", "rms", "--input", inputFile, "--json"]);
    expect(stats.code).toBe(0);
    const s = JSON.parse(stats.stdout) as { rms: number[] };
    expect(Object.keys(s)).toEqual(["rms", "versions"]);
    const applied = spawnBin(["norm", "apply", "--kind", "rms", "--input", inputFile, "--json"]);
    expect(applied.stderr).toBe("");
    expectClose((JSON.parse(applied.stdout) as { y: number[][][] }).y, c.expected.y, tol);
    // No centring: the statistic is √(mean x² + ε) with the input's ε (the machine epsilon without one).
    const ms = c.input.x.map((m) => m.flat().reduce((a, v) => a + v * v, 0) / m.flat().length);
    expectClose(s.rms, ms.map((v) => Math.sqrt(v + c.input.eps)), { rtol: 1e-14 });
    const noEps = JSON.parse(spawnBin(["norm", "stats", "--kind", "rms", "--input", write({ x: c.input.x }), "--json"]).stdout) as { rms: number[] };
    expectClose(noEps.rms, ms.map((v) => Math.sqrt(v + Number.EPSILON)), { rtol: 1e-14 });
  });
  it("refuses beta (RMSNorm has no shift) in one line", async () => {
    const r = await runCaptured(["norm", "apply", "--kind", "rms", "--input", "example:q3"]);
    expect(r.code).toBe(0);
    const withBeta = spawnBin(["norm", "apply", "--kind", "rms", "--input", write({ x: c.input.x, beta: [1, 2, 3] })]);
    expect(withBeta.code).toBe(1);
    expect(withBeta.stderr).toBe('hw: beta: RMS norm has no shift (PyTorch\'s nn.RMSNorm has a weight γ only); remove "beta" or use --kind layer\n');
  });
});

interface RidgeCase {
  input: { X: number[][]; y: number[] | number[][]; lambda: number; fitIntercept: boolean; sampleWeight: number[] | null };
  expected: { w: number[] | number[][]; intercept: number | number[] };
}
interface RidgeCvCase {
  input: { X: number[][]; y: number[] | number[][]; lambdas: number[]; fitIntercept: boolean; sampleWeight: number[] | null };
  expected: { lambda: number; w: number[] | number[][]; intercept: number | number[]; bestScore: number };
}

describe("hw ridge solve --intercept --weights = scikit-learn Ridge(solver=\"cholesky\")", () => {
  fixture<RidgeCase>("ridge.json").forEach((c, i) => {
    const n = c.input.X.length;
    const d = c.input.X[0]!.length;
    const k = Array.isArray(c.input.y[0]) ? (c.input.y[0]).length : 1;
    it(`case ${String(i)} (n = ${String(n)}, d = ${String(d)}, k = ${String(k)}${c.input.fitIntercept ? ", intercept" : ""}${c.input.sampleWeight ? ", weights" : ""}) at rtol 1e-9`, async () => {
      const args = ["ridge", "solve", "--input", write({ X: c.input.X, y: c.input.y }), "--lambda", String(c.input.lambda), "--json"];
      if (c.input.fitIntercept) args.push("--intercept");
      if (c.input.sampleWeight) args.push("--weights", write(c.input.sampleWeight));
      const out = await json(args);
      expectClose(out.w as number[], c.expected.w, { rtol: 1e-9, atol: 1e-10 });
      if (c.input.fitIntercept || c.input.sampleWeight || k > 1 || n < d) {
        expectClose([out.intercept as number].flat(), [c.expected.intercept].flat(), { rtol: 1e-9, atol: 1e-10 });
        expect(out.form).toBe(n < d ? "dual" : "primal");
      }
    });
  });
  it("refuses a weights file that does not fit, in one line", () => {
    const c = fixture<RidgeCase>("ridge.json")[0]!;
    const inputFile = write({ X: c.input.X, y: c.input.y, lambda: 1 });
    const short = spawnBin(["ridge", "solve", "--input", inputFile, "--weights", write([1, 2])]);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/^hw ridge solve: --weights \S+: expected 30 weights \(one per row of X\), got 2\n$|^hw: --weights \S+: expected 30 weights \(one per row of X\), got 2\n$/);
    const negative = spawnBin(["ridge", "solve", "--input", inputFile, "--weights", write(c.input.y.map(() => -1))]);
    expect(negative.code).toBe(1);
    expect(negative.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
  });
});

describe("hw ridge cv --lambdas = scikit-learn RidgeCV(alphas)", () => {
  fixture<RidgeCvCase>("ridge-cv.json").forEach((c, i) => {
    it(`case ${String(i)}: the same λ, weights, intercept and best leave-one-out score`, async () => {
      const args = ["ridge", "cv", "--input", write({ X: c.input.X, y: c.input.y }), "--lambdas", c.input.lambdas.join(","), "--json"];
      if (c.input.fitIntercept) args.push("--intercept");
      if (c.input.sampleWeight) args.push("--weights", write(c.input.sampleWeight));
      const out = await json(args);
      expect(out.lambda).toBe(c.expected.lambda);
      expectClose(out.w as number[], c.expected.w, { rtol: 1e-9, atol: 1e-10 });
      expectClose([out.intercept as number].flat(), [c.expected.intercept].flat(), { rtol: 1e-9, atol: 1e-10 });
      const best = Math.min(...(out.looMeanSquaredErrors as number[]));
      expect(Math.abs(-best - c.expected.bestScore)).toBeLessThanOrEqual(1e-9 * Math.abs(c.expected.bestScore));
    });
  });
  it("needs --lambdas (exit 2) and refuses a bad grid", () => {
    const missing = spawnBin(["ridge", "cv", "--input", "example"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("hw: required option '--lambdas <list>' not specified (e.g. --lambdas 0.01,0.1,1,10)\n");
    const bad = spawnBin(["ridge", "cv", "--input", "example", "--lambdas", "1,-2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("hw: --lambdas 1,-2: expected a comma-separated list of penalties ≥ 0 (e.g. 0.01,0.1,1,10)\n");
    const text = spawnBin(["ridge", "cv", "--input", "example", "--lambdas", "0.1,1,10"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("← chosen");
  });
});
