// Fixtures: test/fixtures/markov.json and tree.json are the shared PyTorch/NumPy float64 references
// (../shared/fixtures/, copied unchanged); markov-input.json and tree-input.json are the `input`
// objects of their first cases, as a user would pass them to --lm.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { runCaptured, spawnBin } from "./helpers";

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
interface Seq {
  tokens: string[];
  logProb: number;
}
interface Case {
  input: Record<string, unknown>;
  expected: Record<string, Seq | Seq[] | number>;
}
const load = (name: string): Case[] => (JSON.parse(readFileSync(fixture(name), "utf8")) as { cases: Case[] }).cases;
const dir = mkdtempSync(join(tmpdir(), "hw-decode-"));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

async function decodeJson(argv: string[]): Promise<Seq[]> {
  const r = await runCaptured(["decode", ...argv, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { sequences: Seq[] }).sequences;
}

function expectSeqs(actual: Seq[], expected: Seq[]): void {
  expect(actual.map((s) => s.tokens)).toEqual(expected.map((s) => s.tokens));
  expectClose(
    actual.map((s) => s.logProb),
    expected.map((s) => s.logProb),
    { rtol: 1e-12, atol: 0 },
  );
}

describe("hw decode … --json on every fixture case", () => {
  load("markov.json").forEach((c, n) => {
    it(`markov.json case ${n}: viterbi, exhaustive top 3, greedy, beam 2 and 3, count`, async () => {
      const lm = write(`markov${n}.json`, c.input);
      const e = c.expected as { viterbi: Seq; greedy: Seq; top3: Seq[]; beam2: Seq[]; beam3: Seq[]; count: number };
      expectSeqs(await decodeJson(["viterbi", "--lm", lm]), [e.viterbi]);
      expectSeqs(await decodeJson(["exhaustive", "--lm", lm, "--num-return-sequences", "3"]), e.top3);
      expectSeqs(await decodeJson(["greedy", "--lm", lm]), [e.greedy]);
      expectSeqs(await decodeJson(["beam", "--lm", lm, "--beam-width", "2"]), e.beam2);
      expectSeqs(await decodeJson(["beam", "--lm", lm, "--beam-width", "3"]), e.beam3);
        const input = c.input as { vocab: string[]; steps: number };
      const r = await runCaptured(["decode", "count", "--vocabulary-size", String(input.vocab.length), "--steps", String(input.steps), "--json"]);
      const { versions: _versions, ...counted } = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(counted).toEqual({ vocabularySize: input.vocab.length, steps: input.steps, count: String(e.count) });
    });
  });
  load("tree.json").forEach((c, n) => {
    it(`tree.json case ${n}: optimum, ranking, greedy, beam 1–3`, async () => {
      const lm = write(`tree${n}.json`, c.input);
      const e = c.expected as { best: Seq; greedy: Seq; beam1: Seq[]; beam2: Seq[]; beam3: Seq[]; ranked: Seq[] };
      expectSeqs(await decodeJson(["exhaustive", "--lm", lm]), [e.best]);
      expectSeqs(await decodeJson(["exhaustive", "--lm", lm, "--num-return-sequences", "50"]), e.ranked);
      expectSeqs(await decodeJson(["greedy", "--lm", lm]), [e.greedy]);
      for (const B of [1, 2, 3] as const) expectSeqs(await decodeJson(["beam", "--lm", lm, "--beam-width", String(B)]), e[`beam${B}`]);
      // The built-in example is the same tree.
      expectSeqs(await decodeJson(["beam", "--lm", "example:tree", "--beam-width", "3"]), e.beam3);
    });
  });
});

describe("hw decode output", () => {
  it("beam --trace --json adds every step's candidates", async () => {
    const r = await runCaptured(["decode", "beam", "--input", "example:tree", "--beam-width", "2", "--trace", "--json"]);
    const out = JSON.parse(r.stdout) as { sequences: Seq[]; stopReason: string; trace: { step: number; candidates: { status: string; token: string }[] }[] };
    expect(out.stopReason).toBe("max-steps");
    expect(out.trace).toHaveLength(3);
    expect(out.trace[0]!.candidates.filter((c) => c.status === "kept").map((c) => c.token)).toEqual(["the", "a"]);
  });
  it("text reports: beam trace, Viterbi trellis, count", async () => {
    const beam = await runCaptured(["decode", "beam", "--input", "example:tree", "--beam-width", "2", "--trace"]);
    expect(beam.stdout).toContain("1. a red fox");
    expect(beam.stdout).toMatch(/red +s = -1\.60944 +pruned \(outside the top B\)/);
    const vit = await runCaptured(["decode", "viterbi", "--lm", "example:markov", "--trace"]);
    expect(vit.stdout).toContain("cloud rain rain");
    expect(vit.stdout).toContain("log δ_t(j)");
    const count = await runCaptured(["decode", "count", "--vocabulary-size", "10000", "--steps", "10"]);
    expect(count.stdout.trim()).toBe(`N^T = 10000^10 = 1${"0".repeat(40)} (41 digits)`);
  });
  it("viterbi --trace --json includes the trellis; steps come from the file or --steps", async () => {
    const r = await runCaptured(["decode", "viterbi", "--lm", fixture("markov-input.json"), "--steps", "2", "--trace", "--json"]);
    const out = JSON.parse(r.stdout) as { steps: number; trace: { states: string[]; logDelta: number[][] } };
    expect(out.steps).toBe(2);
    expect(out.trace.states).toHaveLength(5);
    // −∞ is written as the JSON number -1e999, which JSON.parse reads back as -Infinity.
    expect(r.stdout).toContain("-1e999");
    expect(out.trace.logDelta[0]).toEqual([0, -Infinity, -Infinity, -Infinity, -Infinity]);
  });
  it("sample is reproducible with --seed and reads stdin with --lm -", () => {
    const a = spawnBin(["decode", "sample", "--input", "-", "--seed", "5", "--num-return-sequences", "3", "--json"], readFileSync(fixture("tree-input.json"), "utf8"));
    const b = spawnBin(["decode", "sample", "--lm", "example:tree", "--seed", "5", "--num-return-sequences", "3", "--json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect((JSON.parse(a.stdout) as { seed: number }).seed).toBe(5);
  });
  it("beam options reach the library (diverse groups, --num-return-sequences)", async () => {
    const seqs = await decodeJson(["beam", "--input", "example:tree", "--beam-width", "4", "--num-return-sequences", "2"]);
    expect(seqs).toHaveLength(2);
    const diverse = await decodeJson(["beam", "--input", "example:tree", "--beam-width", "2", "--num-beam-groups", "2", "--diversity-penalty", "5"]);
    expect(diverse.map((s) => s.tokens[0])).not.toEqual(["a", "a"]);
  });
  it("--no-repeat-ngram-size reaches the library (commander would read --no-… as a negation)", async () => {
    const markov = fixture("markov-input.json");
    const plain = await decodeJson(["beam", "--input", markov, "--beam-width", "1", "--steps", "4"]);
    const blocked = await decodeJson(["beam", "--input", markov, "--beam-width", "1", "--steps", "4", "--no-repeat-ngram-size", "1"]);
    // With 1-grams blocked no token repeats; the unblocked greedy path repeats w2.
    expect(plain[0]!.tokens).toEqual(["w3", "w4", "w2", "w2"]);
    expect(blocked[0]!.tokens).toEqual(["w3", "w4", "w2", "w1"]);
    const bad = await runCaptured(["decode", "beam", "--input", markov, "--no-repeat-ngram-size", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("hw: --no-repeat-ngram-size abc: expected a number\n");
  });
  it("old flag spellings still work, with one deprecation line each", async () => {
    const r = await runCaptured(["decode", "beam", "--lm", "example:tree", "--beam", "3", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("hw: warning: --beam is deprecated (removed in 0.2.0); use --beam-width\n");
    expect((JSON.parse(r.stdout) as { beamWidth: number }).beamWidth).toBe(3);
  });
});

describe("hw decode: bad input exits 1 with one clear line", () => {
  const markov = JSON.parse(readFileSync(fixture("markov-input.json"), "utf8")) as { P: number[][] };
  const notStochastic = { ...markov, P: markov.P.map((row, i) => (i === 2 ? row.map((v) => v * 1.1) : row)) };
  const negative = { ...markov, P: markov.P.map((row, i) => (i === 1 ? [row[0]! + row[1]! + 0.5, -0.5, ...row.slice(2)] : row)) };
  const cases: [string, string[], RegExp][] = [
    ["P not stochastic", ["viterbi", "--lm", write("bad1.json", notStochastic)], /^hw: markovLM: row 2 of P \("w2"\) sums to 1\.1\d*, expected 1 within 1e-9$/],
    ["negative probability", ["viterbi", "--lm", write("bad2.json", negative)], /^hw: markovLM: P\[1\]\[1\] = -0.5 is not a probability in \[0, 1\]$/],
    ["unknown bos token", ["greedy", "--lm", write("bad3.json", { ...markov, bos: "<S>" })], /^hw: bos: unknown token "<S>" \(not in vocabulary\)$/],
    ["exhaustive too large", ["exhaustive", "--lm", "example:tree", "--steps", "7"], /^hw: exhaustiveSearch: N\^T = 12\^7 ≈ 10\^7 sequences exceeds the --limit 1000000/],
    ["Viterbi on a tree", ["viterbi", "--lm", "example:tree"], /^hw: viterbi: this language model has no markovOrder/],
    ["tree prob > 1", ["greedy", "--lm", write("bad4.json", { type: "tree", children: [{ token: "a", prob: 1.5 }], steps: 1 })], /^hw: children\[0\]\.prob: expected a probability in \[0, 1\], got number 1\.5$/],
    ["misspelled key", ["greedy", "--input", write("bad10.json", { type: "tree", children: [{ tokn: "a", prob: 1 }], steps: 1 })], /^hw: children\[0\]: unknown key `tokn` — did you mean `token`\?$/],
    ["tree siblings sum > 1", ["greedy", "--lm", write("bad5.json", { type: "tree", children: [{ token: "a", prob: 0.6 }, { token: "b", prob: 0.6 }], steps: 1 })], /^hw: treeLM: the children of <BOS> have probabilities summing to 1\.2/],
    ["wrong P shape", ["greedy", "--lm", write("bad6.json", { ...markov, P: [[1]] })], /^hw: P: expected a 5×5 matrix \(N×N for N = 5 tokens\), got 1×1$/],
    ["unknown type", ["greedy", "--lm", write("bad7.json", { type: "rnn" })], /^hw: type: expected "markov", "tree" or "ngram", got the string "rnn"$/],
    ["not JSON", ["greedy", "--lm", write("bad9.json", "{nope")], /^hw: --input .*: not valid JSON/],
  ];
  it.each(cases)("%s", async (_name, argv, message) => {
    const r = await runCaptured(["decode", ...argv]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  const usage: [string, string[], RegExp][] = [
    ["unknown eos token", ["beam", "--lm", "example:tree", "--eos", "zebra"], /^hw: beamSearch: unknown --eos token "zebra"/],
    ["B < 1", ["beam", "--lm", "example:tree", "--beam-width", "0"], /^hw: --beam-width 0: expected an integer ≥ 1$/],
    ["T < 1", ["greedy", "--lm", "example:tree", "--steps", "0"], /^hw: --steps 0: expected an integer ≥ 1$/],
    ["missing steps", ["greedy", "--lm", write("bad8.json", { type: "tree", children: [] })], /^hw: --steps: missing/],
    ["length penalty without eos", ["beam", "--lm", "example:tree", "--length-penalty", "average"], /^hw: beamSearch: --length-penalty average has no effect without --eos/],
    ["groups not dividing B, named by flag", ["beam", "--input", "example:tree", "--beam-width", "3", "--num-beam-groups", "2"], /^hw: beamSearch: --num-beam-groups 2 does not divide --beam-width 3$/],
    ["bad length penalty", ["beam", "--input", "example:tree", "--length-penalty", "power()"], /^hw: --length-penalty power\(\): expected none, average, power\(α\) or gnmt\(α\)/],
  ];
  it.each(usage)("%s: exit 2", async (_name, argv, message) => {
    const r = await runCaptured(["decode", ...argv]);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("the built binary: exit codes and streams", () => {
    const ok = spawnBin(["decode", "beam", "--input", "example:tree", "--beam-width", "3", "--json"]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { sequences: Seq[] }).sequences[0]!.tokens).toEqual(["red", "fox", "ran"]);
    const bad = spawnBin(["decode", "beam", "--input", "example:tree", "--beam-width", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("hw: --beam-width 0: expected an integer ≥ 1\n");
    const usage = spawnBin(["decode", "beam"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split("\n")).toHaveLength(1);
  });
});

