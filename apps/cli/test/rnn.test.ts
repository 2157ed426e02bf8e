// Fixtures: test/fixtures/birnn.json is the shared PyTorch 1.13 float64 reference (../shared/fixtures/birnn.json,
// copied unchanged); birnn-input.json is the `input` object of its first case.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { EXAMPLE_LOSS } from "../src/commands/rnn/input";
import { runCaptured, spawnBin } from "./helpers";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
interface Case {
  input: Record<string, unknown>;
  expected: { loss: number; grads: Record<string, unknown>; [k: string]: unknown };
}
const cases = (JSON.parse(readFileSync(fixture("birnn.json"), "utf8")) as { cases: Case[] }).cases;
const dir = mkdtempSync(join(tmpdir(), "hw-rnn-"));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

describe("hw rnn grad", () => {
  cases.forEach((c, n) => {
    it(`--json matches PyTorch on case ${n} (rtol 1e-9)`, async () => {
      const r = await runCaptured(["rnn", "grad", "--input", write(`case${n}.json`, c.input), "--json"]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Case["expected"];
      expect(Object.keys(out)).toEqual(["loss", "hf", "hb", "y", "grads", "dhf", "dhb", "versions"]);
      expect(Object.keys(out.grads)).toEqual(["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"]);
      expect(Math.abs(out.loss - c.expected.loss)).toBeLessThanOrEqual(1e-9 * c.expected.loss);
      for (const k of ["hf", "hb", "y", "dhf", "dhb"]) expectClose(out[k] as number[][], c.expected[k] as number[][], { rtol: 1e-9, message: k });
      for (const k of Object.keys(c.expected.grads)) expectClose(out.grads[k] as number[], c.expected.grads[k] as number[], { rtol: 1e-9, message: k });
    });
  });

  it("prints a readable report without --json, and hfInit/hbInit default to zeros", async () => {
    const { hfInit: _a, hbInit: _b, ...rest } = cases[0]!.input;
    const r = await runCaptured(["rnn", "grad", "--input", write("noinit.json", rest)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("T = 5, D = 3, H = 4, K = 2");
    expect(r.stdout).toMatch(/Loss L = Σ_t ‖z_t − y_t‖² = \d\.\d{5}\n/);
    expect(r.stdout).toContain("∇Wf (4×3):");
    expect(r.stdout).toContain("∇hbInit = [");
  });

  it("reads standard input with --input - (built binary)", () => {
    const r = spawnBin(["rnn", "grad", "--input", "-", "--json"], readFileSync(fixture("birnn-input.json"), "utf8"));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { loss: number }).loss).toBeCloseTo(cases[0]!.expected.loss, 12);
  });

  it("writes --out atomically", async () => {
    const out = join(dir, "grads.json");
    const r = await runCaptured(["rnn", "grad", "--input", fixture("birnn-input.json"), "--json", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect((JSON.parse(readFileSync(out, "utf8")) as { loss: number }).loss).toBeCloseTo(EXAMPLE_LOSS, 12);
  });
});

describe("hw rnn: bad input exits 1 with one line naming the field and the shapes", () => {
  const base = cases[0]!.input;
  const bad: [string, unknown, RegExp][] = [
    ["missing matrix", { ...base, Ub: undefined }, /^hw: Ub: missing \(required\)$/],
    ["Uf not H×H", { ...base, Uf: [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]] }, /^hw: Uf: expected a 4×4 matrix \(H×H; Wf is 4×3\), got 4×3$/],
    ["ragged rows", { ...base, Wb: [[1, 2, 3], [1, 2], [1, 2, 3], [1, 2, 3]] }, /^hw: Wb: ragged rows: row 0 has 3 entries, row 1 has 2$/],
    ["NaN", { ...base, x: [[1, 2, "NaN"]] }, /^hw: x\[0\]\[2\]: expected a finite number, got the string "NaN"$/],
    ["z of the wrong length", { ...base, z: [[1, 2]] }, /^hw: z: expected a 5×2 matrix \(T×K; Wf is 4×3\), got 1×2$/],
    ["hfInit of the wrong length", { ...base, hfInit: [0, 0] }, /^hw: hfInit: expected a vector of length H = 4, got length 2$/],
    ["x with the wrong D", { ...base, x: [[1, 2]] }, /^hw: x: expected a 1×3 matrix \(T×D; Wf is 4×3\), got 1×2$/],
    ["not an object", [1, 2], /^hw: expected a BiRNN input \{ Wf, Uf, Vf, Wb, Ub, Vb, hfInit\?, hbInit\?, x, z \}, got an array of length 2$/],
    ["misspelled key", { ...base, hfinit: [0, 0, 0, 0] }, /^hw: unknown key `hfinit` — did you mean `hfInit`\?$/],
  ];
  for (const [what, input, message] of bad) {
    it(what, async () => {
      const r = await runCaptured(["rnn", "grad", "--input", write(`${what}.json`, input)]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    });
  }

  it("a number too large for float64 (1e999 parses to Infinity)", async () => {
    const text = JSON.stringify({ ...base, x: [[0, 0, 0]], z: [[0, 0]] }).replace('"x":[[0,0,0]]', '"x":[[1,2,1e999]]');
    const r = await runCaptured(["rnn", "grad", "--input", write("huge.json", text)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("hw: x[0][2]: expected a finite number, got number Infinity\n");
  });

  it("finite inputs whose result overflows: one line naming the quantity", async () => {
    const z = (base.z as number[][]).map((row, t) => row.map((v, k) => (t === 0 && k === 0 ? 1e200 : v)));
    const r = await runCaptured(["rnn", "grad", "--input", write("overflow.json", { ...base, z })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^hw: bptt: the loss overflowed to Infinity although every input is finite \(largest \|input\| = 1\.000e\+200\); rescale the inputs or targets\n$/);
  });

  it("the built binary: exit 1, one line; missing file; invalid JSON; missing --input is a usage error (2)", () => {
    const r = spawnBin(["rnn", "grad", "--input", write("bad.json", { ...base, Uf: [[1]] })]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("hw: Uf: expected a 4×4 matrix (H×H; Wf is 4×3), got 1×1");
    const nofile = spawnBin(["rnn", "gradcheck", "--input", join(dir, "nope.json")]);
    expect(nofile.code).toBe(1);
    expect(nofile.stderr.trim()).toMatch(/no such file/);
    const notjson = spawnBin(["rnn", "grad", "--input", write("bad.txt", "{ nope")]);
    expect(notjson.code).toBe(1);
    expect(notjson.stderr.trim().split("\n")).toHaveLength(1);
    expect(spawnBin(["rnn", "grad"]).code).toBe(2);
  });
});

describe("hw rnn gradcheck", () => {
  it("prints analytic vs autodiff vs finite differences per parameter", async () => {
    const r = await runCaptured(["rnn", "gradcheck", "--input", fixture("birnn-input.json")]);
    expect(r.code).toBe(0);
    for (const name of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"]) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(r.stdout).toContain("max|analytic−autodiff|");
    expect(r.stdout).toContain("All gradients agree.");
  });
  it("--json gives the numbers", async () => {
    const r = await runCaptured(["rnn", "gradcheck", "--input", fixture("birnn-input.json"), "--json"]);
    const out = JSON.parse(r.stdout) as { ok: boolean; entries: { name: string; analyticVsAutodiff: number; analyticVsNumeric: number }[] };
    expect(out.ok).toBe(true);
    expect(out.entries).toHaveLength(8);
    for (const e of out.entries) {
      expect(e.analyticVsAutodiff).toBeLessThan(1e-12);
      expect(e.analyticVsNumeric).toBeLessThan(1e-7);
    }
  });
});

describe("hw rnn graph", () => {
  it("prints DOT by default, with the weight-labelled edges", async () => {
    const r = await runCaptured(["rnn", "graph", "--steps", "3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"hf0" -> "hf1" [xlabel="U⁽ᶠ⁾"];');
    expect(r.stdout).toContain('"x1" -> "hf1" [label="W⁽ᶠ⁾"];');
    expect(r.stdout.split("\n").filter((l) => l.includes("->") && !l.includes("style=invis"))).toHaveLength(27);
  });
  it("prints Mermaid, text and JSON", async () => {
    expect((await runCaptured(["rnn", "graph", "--format", "mermaid"])).stdout.startsWith("flowchart BT")).toBe(true);
    const text = (await runCaptured(["rnn", "graph", "--format", "text", "--steps", "2"])).stdout;
    expect(text).toContain("forward chain : h₀⁽ᶠ⁾ —U⁽ᶠ⁾→ h₁⁽ᶠ⁾ —U⁽ᶠ⁾→ h₂⁽ᶠ⁾");
    expect(text).toContain("backward chain: h₁⁽ᵇ⁾ ←U⁽ᵇ⁾— h₂⁽ᵇ⁾ ←U⁽ᵇ⁾— h₃⁽ᵇ⁾");
    const json = JSON.parse((await runCaptured(["rnn", "graph", "--format", "json"])).stdout) as { nodes: unknown[]; edges: unknown[] };
    expect(json.nodes).toHaveLength(21);
    expect(json.edges).toHaveLength(27);
  });
  it("renders SVG with Graphviz (viz.js) into --out", async () => {
    const out = join(dir, "graph.svg");
    const r = await runCaptured(["rnn", "graph", "--steps", "3", "--format", "svg", "--out", out]);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain("h₁⁽ᶠ⁾");
    expect(svg).toContain("W⁽ᵇ⁾");
  });
  it("rejects bad --steps and --format (exit 2)", async () => {
    const r = await runCaptured(["rnn", "graph", "--steps", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("hw: --steps 0: expected an integer ≥ 1");
    expect((await runCaptured(["rnn", "graph", "--steps", "x"])).stderr.trim()).toBe("hw: --steps x: expected a number");
    expect((await runCaptured(["rnn", "graph", "--format", "png"])).code).toBe(2);
  });
});


describe("hw rnn train", () => {
  it("shows the loss falling, with the seed echoed", async () => {
    const r = await runCaptured(["rnn", "train", "--steps", "120", "--seed", "4"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("seed 4");
    expect(r.stdout).toMatch(/steps +1–8 │█+/);
    const [, before, after] = /Held-out MSE: ([\d.]+) before → ([\d.]+) after/.exec(r.stdout) ?? [];
    expect(Number(after)).toBeLessThan(0.5 * Number(before));
  });
  it("--json gives the curve and is reproducible", async () => {
    const a = JSON.parse((await runCaptured(["rnn", "train", "--steps", "20", "--seed", "2", "--json", "--optimizer", "sgd"])).stdout) as { seed: number; losses: number[] };
    const b = JSON.parse((await runCaptured(["rnn", "train", "--steps", "20", "--seed", "2", "--json", "--optimizer", "sgd"])).stdout) as { losses: number[] };
    expect(a.seed).toBe(2);
    expect(a.losses).toHaveLength(20);
    expect(a.losses).toEqual(b.losses);
  });
  it("rejects bad flag values and choices with exit 2", async () => {
    expect((await runCaptured(["rnn", "train", "--steps", "0"])).stderr.trim()).toBe("hw: --steps 0: expected an integer ≥ 1");
    expect((await runCaptured(["rnn", "train", "--lr", "-1"])).stderr.trim()).toBe("hw: --lr -1: expected a number > 0");
    expect((await runCaptured(["rnn", "train", "--lr", "-1"])).code).toBe(2);
    expect((await runCaptured(["rnn", "train", "--optimizer", "rmsprop"])).code).toBe(2);
  });
  it("a learning rate that overflows the loss is refused in one line naming the quantity", async () => {
    const r = await runCaptured(["rnn", "train", "--lr", "1e300", "--steps", "5"]);
    // The library names the flag's value as the cause: a usage error.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hw: train: the training loss became (Infinity|NaN) at step \d+ \(--lr = 1e\+300, .*\): lower --lr\n$/);
  });
  it("refuses a hidden size whose memory is over the budget, naming the flag that lifts it", async () => {
    const r = await runCaptured(["rnn", "train", "--hidden-size", "1e6"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hw rnn train: needs about 96 TB of memory \(.*\), over the 2\.0 GB budget — pass --max-memory 97TB to allow it\n$/);
  });
});
