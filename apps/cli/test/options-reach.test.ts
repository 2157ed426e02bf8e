// Every flag of every command reaches the library (issue 11: `--no-repeat-ngram 2` was silently
// ignored). The test walks the whole command tree: an option without an entry below fails it, so a
// new flag cannot be added without showing where its value goes.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { commandPath, leafMeta, plainMeta } from "../src/command";
import { studentSeed } from "../src/commands/assign";
import { lib as decodeLib } from "../src/commands/decode/lib";
import { lib as dropoutLib } from "../src/commands/dropout/lib";
import { lib as normLib } from "../src/commands/norm/lib";
import { lib as problemSetLib } from "../src/commands/problem-set/lib";
import { lib as rnnLib } from "../src/commands/rnn/lib";
import { createProgram } from "../src/program";
import { runCaptured } from "./helpers";

const libs = { decode: decodeLib, rnn: rnnLib, norm: normLib, dropout: dropoutLib, ridge: dropoutLib, solve: problemSetLib, assign: problemSetLib, check: problemSetLib } as const;
const dir = mkdtempSync(join(tmpdir(), "hw-reach-"));

/** Files the problem-set commands read: an answers file (no variant), instructor settings, a roster, a secret, an earlier solution. */
const answersFile = join(dir, "answers.json");
writeFileSync(answersFile, JSON.stringify({ answers: {} }));
const configFile = join(dir, "config.json");
writeFileSync(configFile, JSON.stringify({ rtol: 1e-3 }));
const rosterFile = join(dir, "roster.csv");
writeFileSync(rosterFile, "id,name\nada,Ada\n");
const secretFile = join(dir, "course.secret");
const SECRET = "0123456789abcdef0123456789abcdef";
writeFileSync(secretFile, `${SECRET}\n`);
/** Sample weights for the built-in ridge example (n = 40), and a batch of two sequences for `rnn grad --lengths`. */
const weightsFile = join(dir, "weights.json");
writeFileSync(weightsFile, JSON.stringify(Array.from({ length: 40 }, (_, i) => 1 + (i % 3))));
const batchFile = join(dir, "batch.json");
const one = [[0.1]];
writeFileSync(batchFile, JSON.stringify({ Wf: one, Uf: one, Vf: one, Wb: one, Ub: one, Vb: one, x: [[[1], [2]], [[3], [4]]], z: [[[0], [1]], [[1], [0]]] }));
const corpusFile = join(dir, "corpus.txt");
writeFileSync(corpusFile, "the cat sat\nthe dog sat\n");
const obsFile = join(dir, "obs.json");
writeFileSync(obsFile, JSON.stringify([["walk", "shop"], ["clean"]]));
const oneObsFile = join(dir, "one-obs.json");
writeFileSync(oneObsFile, JSON.stringify(["shop", "shop"]));
const labelledFile = join(dir, "labelled.json");
writeFileSync(labelledFile, JSON.stringify([{ states: ["rain", "sun"], observations: ["walk", "shop"] }]));
const oldSolution = join(dir, "old-solution.json");
writeFileSync(oldSolution, JSON.stringify({ variant: "original", questions: [{ id: "2" }] }));

/** The arguments every run of a command starts with (a valid input). */
const BASE: Record<string, string[]> = {
  "rnn grad": ["--input", "example"],
  "rnn gradcheck": ["--input", "example"],
  "rnn graph": [],
  "rnn train": ["--steps", "2"],
  "rnn flow": ["--input", "example"],
  "decode exhaustive": ["--input", "example:tree"],
  "decode viterbi": ["--input", "example:markov"],
  "decode greedy": ["--input", "example:tree"],
  "decode beam": ["--input", "example:tree"],
  "decode sample": ["--input", "example:tree"],
  "decode count": ["--vocabulary-size", "5", "--steps", "3"],
  "decode hmm viterbi": ["--input", "example"],
  "decode hmm posterior": ["--input", "example"],
  "decode hmm forward": ["--input", "example"],
  "decode hmm nbest": ["--input", "example"],
  "decode hmm fit": ["--input", "example", "--max-iter", "5"],
  "decode ngram fit": ["--corpus", corpusFile, "--n", "2"],
  "norm stats": ["--kind", "batch"],
  "norm apply": ["--kind", "batch"],
  "norm weightnorm-grad": [],
  "dropout expected-loss": ["--input", "example"],
  "dropout solve": ["--input", "example"],
  "dropout compare": ["--input", "example"],
  "dropout train": ["--input", "example", "--epochs", "5"],
  "ridge solve": ["--input", "example"],
  "ridge cv": ["--input", "example", "--lambdas", "0.1,1"],
  solve: ["--question", "1"],
  assign: ["--out", join(dir, "assign")],
  check: [answersFile],
};

/** Where a flag's value must arrive: the library function, the argument, and the value seen there. */
interface Reach {
  readonly args: readonly string[];
  readonly fn: string;
  /** Reads the value from the call's arguments. */
  readonly read: (call: readonly unknown[]) => unknown;
  readonly want: unknown;
}
const arg = (i: number) => (call: readonly unknown[]) => call[i];
const opt = (i: number, key: string) => (call: readonly unknown[]) => (call[i] as Record<string, unknown> | undefined)?.[key];

const REACH: Record<string, Reach> = {
  "decode exhaustive --steps": { args: ["--steps", "2"], fn: "exhaustiveSearch", read: arg(1), want: 2 },
  "decode exhaustive --num-return-sequences": { args: ["--num-return-sequences", "3"], fn: "exhaustiveSearch", read: opt(2, "numReturnSequences"), want: 3 },
  "decode exhaustive --limit": { args: ["--limit", "5000"], fn: "exhaustiveSearch", read: opt(2, "limit"), want: 5000 },
  "decode viterbi --steps": { args: ["--steps", "2"], fn: "viterbi", read: arg(1), want: 2 },
  "decode viterbi --trace": { args: ["--trace"], fn: "viterbi", read: opt(2, "trellis"), want: true },
  "decode greedy --steps": { args: ["--steps", "2"], fn: "greedyDecode", read: arg(1), want: 2 },
  "decode beam --steps": { args: ["--steps", "2"], fn: "beamSearch", read: arg(1), want: 2 },
  "decode beam --beam-width": { args: ["--beam-width", "3"], fn: "beamSearch", read: opt(2, "beamWidth"), want: 3 },
  "decode beam --trace": { args: ["--trace"], fn: "beamSearch", read: opt(2, "trace"), want: true },
  "decode beam --eos": { args: ["--eos", "cat"], fn: "beamSearch", read: opt(2, "eos"), want: "cat" },
  "decode beam --length-penalty": { args: ["--eos", "cat", "--length-penalty", "gnmt(0.6)"], fn: "beamSearch", read: opt(2, "lengthPenalty"), want: "gnmt(0.6)" },
  "decode beam --early-stopping": { args: ["--eos", "cat", "--early-stopping", "never"], fn: "beamSearch", read: opt(2, "earlyStopping"), want: "never" },
  "decode beam --num-return-sequences": { args: ["--num-return-sequences", "1"], fn: "beamSearch", read: opt(2, "numReturnSequences"), want: 1 },
  "decode beam --num-beam-groups": { args: ["--num-beam-groups", "2"], fn: "beamSearch", read: opt(2, "numBeamGroups"), want: 2 },
  "decode beam --diversity-penalty": { args: ["--num-beam-groups", "2", "--diversity-penalty", "0.5"], fn: "beamSearch", read: opt(2, "diversityPenalty"), want: 0.5 },
  "decode beam --no-repeat-ngram-size": { args: ["--no-repeat-ngram-size", "2"], fn: "beamSearch", read: opt(2, "noRepeatNgramSize"), want: 2 },
  "decode sample --steps": { args: ["--steps", "2"], fn: "sample", read: arg(1), want: 2 },
  "decode sample --temperature": { args: ["--temperature", "0.5"], fn: "sample", read: opt(2, "temperature"), want: 0.5 },
  "decode sample --top-k": { args: ["--top-k", "2"], fn: "sample", read: opt(2, "topK"), want: 2 },
  "decode sample --top-p": { args: ["--top-p", "0.9"], fn: "sample", read: opt(2, "topP"), want: 0.9 },
  "decode sample --seed": { args: ["--seed", "7"], fn: "sample", read: opt(2, "seed"), want: 7 },
  "decode sample --num-return-sequences": { args: ["--num-return-sequences", "3"], fn: "sample", read: opt(2, "numReturnSequences"), want: 3 },
  "decode hmm viterbi --obs": { args: ["--obs", obsFile], fn: "viterbi", read: (call) => [call[1], call[2]], want: [["walk", "shop", "clean"], { lengths: [2, 1] }] },
  "decode hmm posterior --obs": { args: ["--obs", obsFile], fn: "posterior", read: opt(2, "lengths"), want: [2, 1] },
  "decode hmm forward --obs": { args: ["--obs", obsFile], fn: "forward", read: opt(2, "lengths"), want: [2, 1] },
  "decode hmm nbest --obs": { args: ["--obs", oneObsFile], fn: "nBestViterbi", read: arg(1), want: ["shop", "shop"] },
  "decode hmm nbest --k": { args: ["--k", "2"], fn: "nBestViterbi", read: arg(2), want: 2 },
  "decode hmm fit --obs": { args: ["--obs", obsFile], fn: "baumWelch", read: arg(1), want: [["walk", "shop"], ["clean"]] },
  "decode hmm fit --max-iter": { args: ["--max-iter", "3"], fn: "baumWelch", read: opt(2, "maxIter"), want: 3 },
  "decode hmm fit --tol": { args: ["--tol", "0.001"], fn: "baumWelch", read: opt(2, "tol"), want: 0.001 },
  "decode hmm fit --add-k": { args: ["--obs", labelledFile, "--add-k", "0.5"], fn: "fitHmm", read: opt(1, "smoothing"), want: { kind: "add-k", k: 0.5 } },
  "decode ngram fit --corpus": { args: [], fn: "ngramLM", read: arg(0), want: "the cat sat\nthe dog sat\n" },
  "decode ngram fit --n": { args: ["--n", "3"], fn: "ngramLM", read: opt(1, "n"), want: 3 },
  "decode ngram fit --smoothing": { args: ["--smoothing", "add-k"], fn: "ngramLM", read: opt(1, "smoothing"), want: { kind: "add-k", k: 1 } },
  "decode ngram fit --k": { args: ["--smoothing", "add-k", "--k", "0.5"], fn: "ngramLM", read: opt(1, "smoothing"), want: { kind: "add-k", k: 0.5 } },
  "decode ngram fit --discount": { args: ["--discount", "0.5"], fn: "ngramLM", read: opt(1, "smoothing"), want: { kind: "kneser-ney", discount: 0.5 } },
  "decode greedy --repetition-penalty": { args: ["--repetition-penalty", "1.5"], fn: "greedyDecode", read: opt(2, "repetitionPenalty"), want: 1.5 },
  "decode greedy --min-new-tokens": { args: ["--min-new-tokens", "0"], fn: "greedyDecode", read: opt(2, "minNewTokens"), want: 0 },
  "decode greedy --bad-words": { args: ["--bad-words", "the cat, fox"], fn: "greedyDecode", read: opt(2, "badWords"), want: [["the", "cat"], ["fox"]] },
  "decode beam --repetition-penalty": { args: ["--repetition-penalty", "2"], fn: "beamSearch", read: opt(2, "repetitionPenalty"), want: 2 },
  "decode beam --min-new-tokens": { args: ["--eos", "cat", "--min-new-tokens", "1"], fn: "beamSearch", read: opt(2, "minNewTokens"), want: 1 },
  "decode beam --bad-words": { args: ["--bad-words", "red"], fn: "beamSearch", read: opt(2, "badWords"), want: [["red"]] },
  "decode beam --force-words": { args: ["--force-words", "red"], fn: "beamSearch", read: opt(2, "forceWords"), want: [["red"]] },
  "decode sample --repetition-penalty": { args: ["--repetition-penalty", "1.2"], fn: "sample", read: opt(2, "repetitionPenalty"), want: 1.2 },
  "decode sample --min-new-tokens": { args: ["--min-new-tokens", "0"], fn: "sample", read: opt(2, "minNewTokens"), want: 0 },
  "decode sample --bad-words": { args: ["--bad-words", "the"], fn: "sample", read: opt(2, "badWords"), want: [["the"]] },
  "decode count --vocabulary-size": { args: ["--vocabulary-size", "7"], fn: "countSequences", read: arg(0), want: 7 },
  "decode count --steps": { args: ["--steps", "2"], fn: "countSequences", read: arg(1), want: 2 },
  "rnn graph --steps": { args: ["--steps", "4"], fn: "unrolledGraph", read: arg(0), want: 4 },
  "rnn graph --format": { args: ["--format", "mermaid"], fn: "toMermaid", read: (call) => (call[0] as { steps: number }).steps, want: 3 },
  "rnn train --steps": { args: ["--steps", "3"], fn: "train", read: opt(0, "steps"), want: 3 },
  "rnn train --seed": { args: ["--seed", "5"], fn: "train", read: opt(0, "seed"), want: 5 },
  "rnn train --optimizer": { args: ["--optimizer", "sgd"], fn: "train", read: opt(0, "optimizer"), want: "sgd" },
  "rnn train --lr": { args: ["--lr", "0.1"], fn: "train", read: opt(0, "lr"), want: 0.1 },
  "rnn train --clip-norm": { args: ["--clip-norm", "0.5"], fn: "train", read: opt(0, "clipNorm"), want: 0.5 },
  "rnn train --hidden-size": { args: ["--hidden-size", "3"], fn: "train", read: opt(0, "hiddenSize"), want: 3 },
  "rnn train --lengths": { args: ["--lengths", "4,2"], fn: "train", read: opt(0, "lengths"), want: [4, 2] },
  "rnn grad --truncate": { args: ["--truncate", "2,3"], fn: "bptt", read: opt(3, "truncate"), want: { k1: 2, k2: 3 } },
  "rnn grad --lengths": { args: ["--input", batchFile, "--lengths", "2,1"], fn: "bptt", read: opt(3, "lengths"), want: [2, 1] },
  "norm stats --kind": { args: ["--kind", "instance"], fn: "instanceNorm", read: (call) => (call[0] as { shape: number[] }).shape, want: [4, 2, 3] },
  "norm stats --groups": { args: ["--kind", "group", "--groups", "2"], fn: "groupNorm", read: arg(1), want: 2 },
  "norm apply --kind": { args: ["--kind", "layer"], fn: "layerNorm", read: arg(1), want: [2, 3] },
  "norm apply --groups": { args: ["--kind", "group", "--groups", "1"], fn: "groupNorm", read: arg(1), want: 1 },
  "norm apply --eps": { args: ["--eps", "0.01"], fn: "batchNorm", read: opt(1, "eps"), want: 0.01 },
  "dropout expected-loss --p": { args: ["--p", "0.7"], fn: "expectedDropoutLoss", read: opt(2, "p"), want: 0.7 },
  "dropout expected-loss --drop": { args: ["--drop", "0.25"], fn: "expectedDropoutLoss", read: opt(2, "p"), want: 0.75 },
  "dropout expected-loss --num-samples": { args: ["--num-samples", "10"], fn: "monteCarloDropoutLoss", read: opt(2, "numSamples"), want: 10 },
  "dropout expected-loss --seed": { args: ["--num-samples", "10", "--seed", "4"], fn: "monteCarloDropoutLoss", read: opt(2, "seed"), want: 4 },
  "dropout solve --p": { args: ["--p", "0.7"], fn: "dropoutSolution", read: arg(2), want: 0.7 },
  "dropout solve --drop": { args: ["--drop", "0.25"], fn: "dropoutSolution", read: arg(2), want: 0.75 },
  "dropout compare --p": { args: ["--p", "0.7"], fn: "compareDropoutRidge", read: opt(2, "p"), want: 0.7 },
  "dropout compare --drop": { args: ["--drop", "0.25"], fn: "compareDropoutRidge", read: opt(2, "p"), want: 0.75 },
  "dropout compare --lambda": { args: ["--lambda", "2"], fn: "compareDropoutRidge", read: opt(2, "lambda"), want: 2 },
  "dropout train --p": { args: ["--p", "0.7"], fn: "trainDropoutRegression", read: opt(2, "p"), want: 0.7 },
  "dropout train --drop": { args: ["--drop", "0.25"], fn: "trainDropoutRegression", read: opt(2, "p"), want: 0.75 },
  "dropout train --epochs": { args: ["--epochs", "7"], fn: "trainDropoutRegression", read: opt(2, "epochs"), want: 7 },
  "dropout train --lr": { args: ["--lr", "0.001"], fn: "trainDropoutRegression", read: opt(2, "lr"), want: 0.001 },
  "dropout train --seed": { args: ["--seed", "3"], fn: "trainDropoutRegression", read: opt(2, "seed"), want: 3 },
  "ridge solve --lambda": { args: ["--lambda", "0.5"], fn: "ridgeSolution", read: arg(2), want: 0.5 },
  "ridge solve --intercept": { args: ["--intercept", "--lambda", "0.5"], fn: "ridge", read: opt(2, "fitIntercept"), want: true },
  "ridge solve --weights": { args: ["--weights", weightsFile], fn: "ridge", read: (call) => (call[2] as { sampleWeight: number[] }).sampleWeight.length, want: 40 },
  "ridge cv --lambdas": { args: ["--lambdas", "0.5,2"], fn: "ridgeCV", read: opt(2, "lambdas"), want: [0.5, 2] },
  "ridge cv --intercept": { args: ["--intercept"], fn: "ridgeCV", read: opt(2, "fitIntercept"), want: true },
  "ridge cv --weights": { args: ["--weights", weightsFile], fn: "ridgeCV", read: (call) => (call[2] as { sampleWeight: number[] }).sampleWeight.length, want: 40 },
  "solve --question": { args: ["--variant", "original"], fn: "solveVariant", read: opt(1, "questions"), want: ["1"] },
  "solve --variant": { args: ["--variant", "7"], fn: "solveVariant", read: arg(0), want: 7 },
  "solve --format": { args: ["--format", "markdown"], fn: "formatSolution", read: arg(1), want: "markdown" },
  "solve --check-against": { args: ["--check-against", oldSolution], fn: "solveVariant", read: opt(1, "questions"), want: ["2"] },
  "assign --seed": { args: ["--seed", "9"], fn: "generateVariant", read: arg(0), want: 9 },
  "assign --roster": { args: ["--roster", rosterFile, "--secret-file", secretFile], fn: "generateVariant", read: arg(0), want: studentSeed(SECRET, "ada") },
  "assign --secret-file": { args: ["--secret-file", secretFile, "--roster", rosterFile], fn: "generateVariant", read: arg(0), want: studentSeed(SECRET, "ada") },
  "check --variant": { args: ["--variant", "7"], fn: "checkAnswers", read: arg(0), want: 7 },
  "check --config": { args: ["--config", configFile], fn: "checkAnswers", read: opt(2, "rtol"), want: 1e-3 },
  "check --template": { args: ["--template", "--variant", "5"], fn: "answerTemplate", read: (call) => (call[0] as { seed: unknown }).seed, want: 5 },
};

/** Options whose effect is on the output, checked by what the command prints or writes. */
const OBSERVED = new Set(["--input", "--print-example", "--json", "--out", "--digits", "--max-memory", "--max-work", "--plot", "--gradescope"]);
/** Commands whose output holds no formatted non-integer number, so `--digits` cannot change it. */
const NO_DECIMALS = new Set(["decode count", "rnn graph", "decode hmm fit", "decode ngram fit"]);

function leaves(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => (leafMeta(c) === undefined && plainMeta(c) === undefined ? leaves(c) : [c]));
}

const program = createProgram({ stdout: () => undefined, stderr: () => undefined });
const commands = leaves(program).map((c) => ({ cmd: c, path: commandPath(c).join(" ") }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the command tree", () => {
  it("has a base argv for every leaf command", () => {
    expect(commands.map((c) => c.path).sort()).toEqual(Object.keys(BASE).sort());
  });
});

describe.each(commands)("hw $path", ({ cmd, path }) => {
  const base = [...path.split(" "), ...BASE[path]!];
  const options = cmd.options.filter((o) => !o.hidden).map((o) => o.long!);

  it("every option is either traced to the library or observed in the output", () => {
    const untraced = options.filter((flag) => REACH[`${path} ${flag}`] === undefined && !OBSERVED.has(flag));
    expect(untraced).toEqual([]);
  });

  const traced = options.filter((flag) => REACH[`${path} ${flag}`] !== undefined);
  it.each(traced)("%s reaches the library", async (flag) => {
    const reach = REACH[`${path} ${flag}`]!;
    const lib = libs[path.split(" ")[0] as keyof typeof libs] as unknown as Record<string, (...args: unknown[]) => unknown>;
    const spy = vi.spyOn(lib, reach.fn);
    const r = await runCaptured([...base, ...reach.args]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(spy).toHaveBeenCalled();
    expect(reach.read(spy.mock.calls[0]!)).toEqual(reach.want);
  });

  // `hw assign` writes a folder (its --out, tested below) and has no --json.
  if (options.includes("--json")) it("--json, --out FILE and --out - change where and how the result goes", async () => {
    const json = await runCaptured([...base, "--json"]);
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toContain("versions");
    const out = join(dir, `${path.replace(" ", "-")}.txt`);
    const file = await runCaptured([...base, "--out", out]);
    expect(file.stdout).toBe("");
    const text = await runCaptured([...base]);
    expect(readFileSync(out, "utf8")).toBe(text.stdout);
    expect((await runCaptured([...base, "--out", "-"])).stdout).toBe(text.stdout);
  });

  // `hw solve`, `hw assign` and `hw check` have no budget flags (their work is fixed and small).
  if (options.includes("--max-memory")) it("--max-memory and --max-work refuse in one line naming the flag", async () => {
    for (const flag of ["--max-memory", "--max-work"]) {
      const r = await runCaptured([...base, flag, "1"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(new RegExp(`^hw ${path}: needs about .* — pass ${flag} \\S+ to allow it\\n$`));
    }
  });

  if (options.includes("--digits") && !NO_DECIMALS.has(path)) {
    it("--digits changes the printed precision", async () => {
      const two = await runCaptured([...base, "--digits", "2"]);
      const twelve = await runCaptured([...base, "--digits", "12"]);
      expect(two.code).toBe(0);
      expect(twelve.stdout.length).toBeGreaterThan(two.stdout.length);
    });
  }

  if (options.includes("--print-example")) {
    it("--print-example writes a valid input file with its $schema; --input reads it back", async () => {
      const example = join(dir, `${path.replace(" ", "-")}-example.json`);
      const r = await runCaptured([...path.split(" "), "--print-example", "--out", example]);
      expect(r.code).toBe(0);
      const parsed = JSON.parse(readFileSync(example, "utf8")) as { $schema: string };
      expect(parsed.$schema).toMatch(/^https:\/\/unpkg\.com\/@hw\/[a-z]+@\d+\.\d+\.\d+\/dist\/schemas\/[a-z-]+\.schema\.json$/);
      const withFile = base.map((a, i) => (base[i - 1] === "--input" ? example : a));
      if (!withFile.includes(example)) withFile.push("--input", example);
      const back = await runCaptured(withFile);
      expect(back.stderr).toBe("");
      expect(back.code).toBe(0);
    });
  }
});

describe("hw dropout compare --plot", () => {
  it("writes the chart only when the command succeeds", async () => {
    const plot = join(dir, "paths.svg");
    const ok = await runCaptured(["dropout", "compare", "--input", "example", "--plot", plot]);
    expect(ok.code).toBe(0);
    expect(readFileSync(plot, "utf8").startsWith("<svg")).toBe(true);
    const failed = join(dir, "failed.svg");
    const bad = await runCaptured(["dropout", "compare", "--input", "example", "--plot", failed, "--max-work", "1"]);
    expect(bad.code).toBe(1);
    expect(existsSync(failed)).toBe(false);
  });
});

describe("decode's --lm is an alias of --input", () => {
  it("reads the same file", async () => {
    const file = join(dir, "tree.json");
    writeFileSync(file, JSON.stringify({ type: "tree", children: [{ token: "a", prob: 1 }], steps: 1 }));
    const a = await runCaptured(["decode", "greedy", "--lm", file, "--json"]);
    const b = await runCaptured(["decode", "greedy", "--input", file, "--json"]);
    expect(a.code).toBe(0);
    expect(a.stdout.replace(file, "")).toBe(b.stdout.replace(file, ""));
  });
});

describe("hw decode hmm: --model is an alias of --input", () => {
  it("reads the same file", async () => {
    const a = await runCaptured(["decode", "hmm", "viterbi", "--model", "example", "--json"]);
    const b = await runCaptured(["decode", "hmm", "viterbi", "--input", "example", "--json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("hw check --gradescope", () => {
  it("writes Gradescope's results.json beside the report", async () => {
    const results = join(dir, "results.json");
    const r = await runCaptured(["check", answersFile, "--gradescope", results]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const written = JSON.parse(readFileSync(results, "utf8")) as { score: number; max_score: number; tests: unknown[] };
    expect(written.max_score).toBeGreaterThan(0);
    expect(written.tests.length).toBeGreaterThan(0);
  });
});

describe("hw assign --out", () => {
  it("writes the problem, data and key of the variant into the folder", async () => {
    const out = join(dir, "assign-7");
    const r = await runCaptured(["assign", "--seed", "7", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const f of ["problem.md", "problem.tex", "data.json", "key.json"]) expect(existsSync(join(out, f))).toBe(true);
    expect((JSON.parse(readFileSync(join(out, "key.json"), "utf8")) as { variant: unknown }).variant).toBe(7);
  });
});
