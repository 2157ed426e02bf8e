// hw decode hmm … and hw decode ngram fit: values against hand computation on the classic weather
// HMM (start rain 0.6 / sun 0.4, A = [[0.7, 0.3], [0.4, 0.6]], B = [[0.1, 0.4, 0.5], [0.6, 0.3, 0.1]]
// over walk, shop, clean) and against @hw/decoding called directly; exit codes on the built binary.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { greedyDecode, ngramLM } from "@hw/decoding";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { runCaptured, spawnBin } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "hw-hmm-"));
const write = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

async function json<T>(argv: string[]): Promise<T> {
  const r = await runCaptured([...argv, "--json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe("hw decode hmm on the weather HMM (walk, shop, clean)", () => {
  it("viterbi: sun rain rain with p(x, z) = 0.4·0.6 · 0.4·0.4 · 0.7·0.5 = 0.01344", async () => {
    const r = await json<{ states: string[]; path: number[]; logProb: number }>(["decode", "hmm", "viterbi", "--model", "example"]);
    expect(r.states).toEqual(["sun", "rain", "rain"]);
    expect(r.path).toEqual([1, 0, 0]);
    expectClose([r.logProb], [Math.log(0.4 * 0.6 * 0.4 * 0.4 * 0.7 * 0.5)], { rtol: 1e-14 });
  });

  it("forward: p(x) = 0.033612 (sum over the 8 paths); posterior rows sum to 1 and their argmax is printed", async () => {
    const f = await json<{ logLikelihood: number; logAlpha: number[][] }>(["decode", "hmm", "forward", "--model", "example"]);
    expectClose([Math.exp(f.logLikelihood)], [0.033612], { rtol: 1e-12 });
    // α_1 = π ⊙ B[:, walk] = [0.06, 0.24].
    expectClose(f.logAlpha[0]!, [Math.log(0.06), Math.log(0.24)], { rtol: 1e-14 });
    const p = await json<{ logLikelihood: number; posteriors: number[][]; decoded: string[] }>(["decode", "hmm", "posterior", "--model", "example"]);
    expectClose([p.logLikelihood], [f.logLikelihood], { rtol: 1e-14 });
    for (const row of p.posteriors) expectClose([row[0]! + row[1]!], [1], { rtol: 1e-14 });
    expect(p.decoded).toEqual(["sun", "rain", "rain"]);
  });

  it("nbest: the 3 best paths by hand (0.01344, 0.00864, 0.005880)", async () => {
    const r = await json<{ paths: { states: string[]; logProb: number }[] }>(["decode", "hmm", "nbest", "--model", "example", "--k", "3"]);
    expect(r.paths.map((p) => p.states.join(" "))).toEqual(["sun rain rain", "sun sun rain", "rain rain rain"]);
    // sun sun rain: 0.4·0.6 · 0.6·0.3 · 0.4·0.5; rain rain rain: 0.6·0.1 · 0.7·0.4 · 0.7·0.5.
    expectClose(r.paths.map((p) => p.logProb), [Math.log(0.01344), Math.log(0.4 * 0.6 * 0.6 * 0.3 * 0.4 * 0.5), Math.log(0.6 * 0.1 * 0.7 * 0.4 * 0.7 * 0.5)], { rtol: 1e-14 });
  });

  it("--obs with several sequences decodes each alone (hmmlearn lengths)", async () => {
    const both = await json<{ states: string[]; logProb: number; sequences: { states: string[]; logProb: number }[] }>(["decode", "hmm", "viterbi", "--model", "example", "--obs", write("two.json", [["walk", "shop", "clean"], ["clean"]])]);
    const first = await json<{ states: string[]; logProb: number }>(["decode", "hmm", "viterbi", "--model", "example", "--obs", write("a.json", ["walk", "shop", "clean"])]);
    const second = await json<{ states: string[]; logProb: number }>(["decode", "hmm", "viterbi", "--model", "example", "--obs", write("b.json", { obs: ["clean"] })]);
    expect(both.sequences).toEqual([{ states: first.states, logProb: first.logProb }, { states: second.states, logProb: second.logProb }]);
    expect(both.states).toEqual([...first.states, ...second.states]);
    expectClose([both.logProb], [first.logProb + second.logProb], { rtol: 1e-14 });
    const viaLengths = await json<{ states: string[] }>(["decode", "hmm", "viterbi", "--model", "example", "--obs", write("c.json", { obs: ["walk", "shop", "clean", "clean"], lengths: [3, 1] })]);
    expect(viaLengths.states).toEqual(both.states);
  });

  it("fit: Baum–Welch's log-likelihood never decreases and the fitted model decodes with --model", async () => {
    const obs = write("seqs.json", [["walk", "walk", "shop", "clean"], ["clean", "clean", "shop"], ["walk", "shop", "walk"]]);
    const r = await json<{ model: Record<string, unknown>; logLikelihoods: number[]; converged: boolean }>(["decode", "hmm", "fit", "--model", "example", "--obs", obs, "--max-iter", "30"]);
    expect(r.logLikelihoods.length).toBeGreaterThan(2);
    for (let i = 1; i < r.logLikelihoods.length; i++) expect(r.logLikelihoods[i]!).toBeGreaterThanOrEqual(r.logLikelihoods[i - 1]! - 1e-12);
    const fitted = write("fitted.json", r.model);
    const f = await json<{ logLikelihoods: number[]; logLikelihood: number }>(["decode", "hmm", "forward", "--model", fitted, "--obs", obs]);
    // The fitted model's likelihood of the data is the last EM value (to print/parse precision).
    expectClose([f.logLikelihood], [r.logLikelihoods.at(-1)!], { rtol: 1e-9 });
    // Without --json and with --out, the file is the model itself.
    const out = join(dir, "model.json");
    expect((await runCaptured(["decode", "hmm", "fit", "--model", "example", "--obs", obs, "--out", out])).code).toBe(0);
    expect((JSON.parse(readFileSync(out, "utf8")) as { type: string }).type).toBe("hmm");
  });

  it("fit with labelled sequences: add-k counts by hand", async () => {
    // One sequence rain→sun emitting walk, shop; add-1: π = [2, 1]/3, A = [[1, 2]/3, [1, 1]/2], B = [[2, 1, 1]/4, [1, 2, 1]/4].
    const labelled = write("labelled.json", [{ states: ["rain", "sun"], observations: ["walk", "shop"] }]);
    const r = await json<{ method: string; model: { start: number[]; transition: number[][]; emission: number[][] } }>(["decode", "hmm", "fit", "--model", "example", "--obs", labelled, "--add-k", "1"]);
    expect(r.method).toBe("supervised");
    expectClose(r.model.start, [2 / 3, 1 / 3], { rtol: 1e-12 });
    expectClose(r.model.transition.flat(), [1 / 3, 2 / 3, 1 / 2, 1 / 2], { rtol: 1e-12 });
    expectClose(r.model.emission.flat(), [0.5, 0.25, 0.25, 0.25, 0.5, 0.25], { rtol: 1e-12 });
  });
});

describe("hw decode ngram fit and --lm { type: \"ngram\" }", () => {
  const corpus = "the cat sat on the mat\nthe dog sat on the rug\na cat ran\n";
  it("writes an --lm file that decodes as ngramLM does", async () => {
    const out = join(dir, "lm.json");
    const r = await runCaptured(["decode", "ngram", "fit", "--corpus", write("corpus.txt", corpus), "--n", "3", "--smoothing", "add-k", "--k", "0.5", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual({ type: "ngram", n: 3, corpus, smoothing: { kind: "add-k", k: 0.5 } });
    const got = await json<{ sequences: { tokens: string[]; logProb: number }[] }>(["decode", "greedy", "--lm", out, "--steps", "6"]);
    const ref = greedyDecode(ngramLM(corpus, { n: 3, smoothing: { kind: "add-k", k: 0.5 } }), 6).sequences[0]!;
    expect(got.sequences[0]!.tokens).toEqual(ref.tokens);
    expectClose([got.sequences[0]!.logProb], [ref.logProb], { rtol: 1e-14 });
  });

  it("reads a tokenised JSON corpus, and a hand-written { type: \"ngram\" } file with Kneser–Ney", async () => {
    const sentences = [["a", "b"], ["a", "c"], ["b", "c"]];
    const fitted = await json<{ corpus: string[][]; vocabularySize: number; sentences: number }>(["decode", "ngram", "fit", "--corpus", write("c.json", sentences), "--n", "2"]);
    expect(fitted.corpus).toEqual(sentences);
    expect(fitted.sentences).toBe(3);
    const lm = write("kn.json", { type: "ngram", n: 2, corpus: sentences, smoothing: { kind: "kneser-ney", discount: 0.5 }, steps: 3 });
    const got = await json<{ sequences: { tokens: string[]; logProb: number }[] }>(["decode", "beam", "--lm", lm, "--beam-width", "2"]);
    const ref = await import("@hw/decoding").then((d) => d.beamSearch(ngramLM(sentences, { n: 2, smoothing: { kind: "kneser-ney", discount: 0.5 } }), 3, { beamWidth: 2 }));
    expect(got.sequences.map((s) => s.tokens)).toEqual(ref.sequences.map((s) => s.tokens));
  });
});

describe("hw decode greedy|beam|sample: generation controls", () => {
  it("the values equal the library's with the same controls", async () => {
    const { beamSearch, exampleMarkov, exampleTree, greedyDecode: greedy } = await import("@hw/decoding");
    const g = await json<{ sequences: { tokens: string[]; logProb: number }[] }>(["decode", "greedy", "--input", "example:markov", "--steps", "4", "--repetition-penalty", "3", "--bad-words", "rain rain"]);
    const gRef = greedy(exampleMarkov, 4, { repetitionPenalty: 3, badWords: [["rain", "rain"]] }).sequences[0]!;
    expect(g.sequences[0]!.tokens).toEqual(gRef.tokens);
    expectClose([g.sequences[0]!.logProb], [gRef.logProb], { rtol: 1e-14 });
    const b = await json<{ sequences: { tokens: string[]; logProb: number; score: number }[] }>(["decode", "beam", "--input", "example:tree", "--beam-width", "2", "--force-words", "cat"]);
    const bRef = beamSearch(exampleTree, 3, { beamWidth: 2, forceWords: [["cat"]] }).sequences;
    expect(b.sequences.map((s) => s.tokens)).toEqual(bRef.map((s) => s.tokens));
    for (const s of b.sequences) expect(s.tokens).toContain("cat");
  });

  it("refuses nonsense in one line", () => {
    const zero = spawnBin(["decode", "greedy", "--input", "example:tree", "--repetition-penalty", "0"]);
    expect(zero.stderr).toBe("hw: --repetition-penalty 0: expected a number > 0\n");
    expect(zero.code).toBe(2);
    const far = spawnBin(["decode", "beam", "--input", "example:tree", "--force-words", "the cat, red fox"]);
    expect(far.stderr.trim()).toMatch(/^hw: beamSearch: --force-words need at least 4 tokens, more than --?steps 3$/);
    expect(far.code).toBe(2);
  });
});

describe("hw decode hmm / ngram: bad input exits 1 or 2 with one line (built binary)", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["no obs anywhere", ["decode", "hmm", "viterbi", "--model", write("noobs.json", { type: "hmm", states: ["a"], symbols: ["x"], start: [1], transition: [[1]], emission: [[1]] })], 2, /^hw: --obs: missing \(give --obs FILE, or "obs" in .*\)$/],
    ["unknown symbol", ["decode", "hmm", "viterbi", "--model", "example", "--obs", write("bad-sym.json", ["walk", "swim"])], 1, /^hw: viterbi: obs\[1\] = "swim" is not one of the symbols/],
    ["rows not stochastic", ["decode", "hmm", "forward", "--model", write("bad-rows.json", { type: "hmm", states: ["a"], symbols: ["x"], start: [0.5], transition: [[1]], emission: [[1]], obs: ["x"] })], 1, /^hw: hmm: start sums to 0\.5, expected 1 within 1e-9$/],
    ["misspelled key", ["decode", "hmm", "forward", "--model", write("typo.json", { type: "hmm", states: ["a"], symbols: ["x"], start: [1], transition: [[1]], emision: [[1]] })], 1, /^hw: unknown key `emision` — did you mean `emission`\?$/],
    ["impossible observations", ["decode", "hmm", "viterbi", "--model", write("imp.json", { type: "hmm", states: ["a", "b"], symbols: ["x", "y"], start: [1, 0], transition: [[0, 1], [1, 0]], emission: [[1, 0], [0, 1]], obs: ["x", "x"] })], 1, /^hw: viterbi: the observations have probability 0/],
    ["lengths not cutting obs", ["decode", "hmm", "forward", "--model", "example", "--obs", write("bad-len.json", { obs: ["walk"], lengths: [2] })], 1, /^hw: forward: lengths sum to 2, but obs has 1 symbols$/],
    ["nbest of several sequences", ["decode", "hmm", "nbest", "--model", "example", "--obs", write("two2.json", [["walk"], ["shop"]])], 2, /^hw: --obs: nbest decodes one sequence/],
    ["ngram n out of range", ["decode", "ngram", "fit", "--corpus", write("c2.txt", "a b\n"), "--n", "0"], 2, /^hw: --n 0: expected an integer ≥ 1$/],
    ["ngram --k without add-k", ["decode", "ngram", "fit", "--corpus", write("c3.txt", "a b\n"), "--n", "2", "--k", "1"], 2, /^hw: --k: only for --smoothing add-k$/],
    ["ngram corpus missing", ["decode", "ngram", "fit", "--corpus", join(dir, "nope.txt"), "--n", "2"], 1, /^hw: --corpus .*nope\.txt: cannot read/],
    ["ngram lm with a bad smoothing", ["decode", "greedy", "--lm", write("bad-ngram.json", { type: "ngram", n: 2, corpus: "a b", smoothing: { kind: "laplace" } })], 1, /^hw: smoothing: expected \{ kind: "add-k", k\? \} or \{ kind: "kneser-ney", discount\? \}/],
  ];
  it.each(cases)("%s", (_name, argv, code, message) => {
    const r = spawnBin(argv);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.code).toBe(code);
  });

  it("help shows an example; --print-example prints a model that decodes", () => {
    const help = spawnBin(["decode", "hmm", "viterbi", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Example");
    expect(help.stdout).toContain("$ hw decode hmm viterbi --model example");
    const example = spawnBin(["decode", "hmm", "fit", "--print-example"]);
    expect((JSON.parse(example.stdout) as { $schema: string }).$schema).toMatch(/dist\/schemas\/hmm\.schema\.json$/);
    const ok = spawnBin(["decode", "hmm", "viterbi", "--model", "-", "--json"], example.stdout);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { states: string[] }).states).toEqual(["sun", "rain", "rain"]);
  });
});
