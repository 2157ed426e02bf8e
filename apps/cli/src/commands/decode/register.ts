/** `hw decode …`: decoding a language model (Question 2). */
import { InvalidArgumentError, Option, type Command } from "commander";
import type { BeamSearchResult, LengthPenalty } from "@hw/decoding";
import type { LanguageModelInput } from "@hw/decoding/schema";
import { leaf, type Context } from "../../command";
import { InputError, UsageError } from "../../errors";
import { formatNumber } from "../../format";
import type { Sink } from "../../io";
import { integer, nonNegative, positive, real } from "../../options";
import { startProgress } from "../../progress";
import { beamTraceText, header, sequenceJson, sequencesText, trellisText } from "./format";
import { languageModelOf, lmFormat, markovExample } from "./input";
import { lib } from "./lib";
import { registerHmm } from "./hmm";

interface StepsOption {
  readonly steps?: number;
  readonly trace?: boolean;
}

/** The generation controls of greedy, beam and sample (`--force-words`: beam only). */
interface ControlFlags {
  readonly repetitionPenalty?: number;
  readonly minNewTokens?: number;
  readonly badWords?: string[][];
  readonly forceWords?: string[][];
}

/** `"a b, c"` → `[["a", "b"], ["c"]]`: phrases separated by commas, tokens by spaces. */
function phrases(raw: string): string[][] {
  const out = raw.split(",").map((p) => p.trim().split(/\s+/).filter((t) => t !== ""));
  if (out.length === 0 || out.some((p) => p.length === 0)) throw new InvalidArgumentError('expected phrases separated by commas, tokens by spaces, e.g. "the cat, red"');
  return out;
}

/** Add `--repetition-penalty`, `--min-new-tokens`, `--bad-words` (and `--force-words`). */
function controlOptions(cmd: Command, force: boolean): Command {
  cmd
    .addOption(new Option("--repetition-penalty <θ>", "CTRL repetition penalty θ > 0 over the whole history (1 = off)").argParser(positive))
    .addOption(new Option("--min-new-tokens <m>", "mask the end token until m tokens were generated (needs an end token)").argParser(integer(0)))
    .addOption(new Option("--bad-words <phrases>", 'token sequences never generated: "tok tok, tok"').argParser(phrases));
  if (force) cmd.addOption(new Option("--force-words <phrases>", 'constrained beam search: every result contains each phrase: "tok tok, tok"').argParser(phrases));
  return cmd;
}

/** The library options of the control flags that were given. */
function controlsOf(o: ControlFlags): ControlFlags {
  return {
    ...(o.repetitionPenalty === undefined ? {} : { repetitionPenalty: o.repetitionPenalty }),
    ...(o.minNewTokens === undefined ? {} : { minNewTokens: o.minNewTokens }),
    ...(o.badWords === undefined ? {} : { badWords: o.badWords }),
    ...(o.forceWords === undefined ? {} : { forceWords: o.forceWords }),
  };
}

const CONTROL_FLAGS = { repetitionPenalty: "--repetition-penalty", minNewTokens: "--min-new-tokens", badWords: "--bad-words", forceWords: "--force-words" };

const stepsOption = (): Option => new Option("--steps <T>", "number of tokens T to decode (default: the input's steps)").argParser(integer(1));

function loaded(ctx: Context<StepsOption>): { lm: ReturnType<typeof languageModelOf>["lm"]; steps: number; n: number } {
  const { lm, steps: fileSteps } = languageModelOf(ctx.input as LanguageModelInput);
  const steps = ctx.options.steps ?? fileSteps;
  if (steps === undefined) throw new UsageError(`--steps: missing (give --steps T, or "steps" in ${ctx.inputName})`);
  return { lm, steps, n: lm.vocabulary.length };
}

interface ExhaustiveOptions extends StepsOption {
  readonly numReturnSequences: number;
  readonly limit: number;
}
interface BeamOptions extends StepsOption, ControlFlags {
  readonly beamWidth: number;
  readonly eos?: string;
  readonly lengthPenalty?: string;
  readonly earlyStopping?: "true" | "false" | "never";
  readonly numReturnSequences?: number;
  readonly numBeamGroups?: number;
  readonly diversityPenalty?: number;
  readonly noRepeatNgramSize?: number;
}
interface SampleOptions extends StepsOption, ControlFlags {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly seed: number;
  readonly numReturnSequences: number;
}
interface CountOptions {
  readonly vocabularySize: number;
  readonly steps: number;
}

/** An option whose long name starts with `--no-` but takes a value (commander would read it as a negation). */
function valueOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  option.negate = false;
  return option;
}

/** Flags renamed to the vocabulary's spelling; the old ones keep working for one minor version. */
export const DECODE_DEPRECATED_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "decode beam": { "--beam": "--beam-width", "--num-return": "--num-return-sequences", "--groups": "--num-beam-groups", "--diversity": "--diversity-penalty", "--no-repeat-ngram": "--no-repeat-ngram-size" },
  "decode sample": { "--samples": "--num-return-sequences" },
  "decode count": { "--vocab": "--vocabulary-size" },
  "decode exhaustive": { "--top": "--num-return-sequences" },
};

/** `hw decode …`: language-model decoding (Question 2). */
export function registerDecode(program: Command, sink: Sink): void {
  const decode = program
    .command("decode")
    .description("decode a language model (Question 2): exhaustive search, Viterbi, greedy, beam search, sampling, counts")
    .addHelpText("after", "\nExamples:\n  $ hw decode beam --input example:tree --beam-width 2\n  $ hw decode viterbi --input markov.json --trace\n  $ hw decode count --vocabulary-size 10000 --steps 10");

  leaf<ExhaustiveOptions>(decode, "exhaustive", {
    description: "the exact optimum (and top k) by enumerating all N^T sequences",
    examples: ["hw decode exhaustive --input example:tree", "hw decode exhaustive --input markov.json --num-return-sequences 3 --json"],
    input: lmFormat,
    json: "{ method, steps, sequences: [{ tokens, logProb }], count }",
    flags: { numReturnSequences: "--num-return-sequences", topK: "--num-return-sequences", limit: "--limit", steps: "--steps" },
    configure: (cmd) =>
      cmd
        .addOption(stepsOption())
        .addOption(new Option("--num-return-sequences <k>", "how many of the best sequences to print").argParser(integer(1)).default(1))
        .addOption(new Option("--limit <n>", "refuse above this many sequences").argParser(integer(1)).default(1_000_000)),
    run: (ctx) => {
      const { lm, steps, n } = loaded(ctx);
      const { numReturnSequences: topK, limit } = ctx.options;
      const sequences = n ** steps;
      ctx.budget({ memory: 64 * topK * steps + 8 * n * steps, work: Math.min(sequences, limit) * steps, why: `min(N^T, --limit) · T = min(${n}^${steps}, ${limit}) · ${steps}` });
      // Prefixes expanded by the depth-first enumeration (at most): Σ_{t<T} N^t.
      let prefixes = 0;
      for (let t = 0; t < steps && prefixes < 1e15; t++) prefixes += n ** t;
      const progress = startProgress("exhaustive", prefixes);
      let r;
      try {
        r = lib.exhaustiveSearch(lm, steps, { numReturnSequences: topK, limit, onProgress: (k) => { progress.update(k); } });
      } finally {
        progress.stop();
      }
      const result = r;
      return {
        result: { method: "exhaustive", steps, sequences: result.sequences.map(sequenceJson), count: result.count },
        text: () =>
          [header("exhaustive search", ctx.inputName, lm, steps), `  N^T = ${n}^${steps} = ${result.count} sequences, ${result.scored} of non-zero probability`, sequencesText(result.sequences)].join("\n"),
      };
    },
  }, sink);

  leaf<StepsOption>(decode, "viterbi", {
    description: "Viterbi decoding of a Markov LM (O(T·N²)); --trace prints the trellis",
    examples: ["hw decode viterbi --input example:markov --trace", "hw decode viterbi --input markov.json --json"],
    input: { ...lmFormat, builtIns: { ...lmFormat.builtIns, example: markovExample } },
    json: "{ method, steps, sequences: [{ tokens, logProb }], operations, trace?: { states, logDelta, backPointers, path } }",
    flags: { steps: "--steps", trellis: "--trace" },
    allowNonFinite: ["logDelta", "logProb"],
    configure: (cmd) => cmd.addOption(stepsOption()).option("--trace", "include the δ table and back-pointers"),
    // Viterbi needs a Markov LM: its example is the Markov one.
    run: (ctx) => {
      const { lm, steps, n } = loaded(ctx);
      const trellis = ctx.options.trace === true;
      ctx.budget({ memory: (steps + 1) * n * (trellis ? 24 : 12), work: steps * n * n, why: `T·N² = ${steps}·${n}² cells, T·N back-pointers` });
      const r = lib.viterbi(lm, steps, { trellis, maxMemory: ctx.maxMemory });
      const json = { method: "viterbi", steps, sequences: r.sequences.map(sequenceJson), operations: r.operations, ...(r.trellis === undefined ? {} : { trace: r.trellis }) };
      return {
        result: json,
        text: () =>
          [
            header("Viterbi", ctx.inputName, lm, steps),
            sequencesText(r.sequences),
            `  ${r.operations} (i, j, t) cells evaluated (T·N² for a bigram LM)`,
            ...(r.trellis === undefined ? [] : ["", trellisText(lm, r.trellis, steps)]),
          ].join("\n"),
      };
    },
  }, sink);

  leaf<StepsOption & ControlFlags>(decode, "greedy", {
    description: "greedy decoding: the most likely next token at every step",
    examples: ["hw decode greedy --input example:tree", "hw decode greedy --input markov.json --steps 5 --json"],
    input: lmFormat,
    json: "{ method, steps, sequences: [{ tokens, logProb }] }",
    flags: { steps: "--steps", ...CONTROL_FLAGS },
    allowNonFinite: ["logProb"],
    configure: (cmd) => controlOptions(cmd.addOption(stepsOption()), false),
    run: (ctx) => {
      const { lm, steps, n } = loaded(ctx);
      ctx.budget({ memory: 8 * (n + steps), work: steps * n, why: `T·N = ${steps}·${n}` });
      const r = lib.greedyDecode(lm, steps, controlsOf(ctx.options));
      return {
        result: { method: "greedy", steps, sequences: r.sequences.map(sequenceJson) },
        text: () => [header("greedy decoding", ctx.inputName, lm, steps), sequencesText(r.sequences)].join("\n"),
      };
    },
  }, sink);

  leaf<BeamOptions>(decode, "beam", {
    description: "beam search (Algorithm 1) with optional eos, length normalisation, diverse groups and n-gram blocking",
    examples: ["hw decode beam --input example:tree --beam-width 2", "hw decode beam --input example:tree --beam-width 3 --trace", "hw decode beam --input example:tree --beam-width 2 --num-beam-groups 2 --diversity-penalty 1 --json"],
    input: lmFormat,
    json: "{ method, beamWidth, steps, sequences: [{ tokens, logProb, score? }], stopReason, trace? }",
    flags: {
      beamWidth: "--beam-width",
      steps: "--steps",
      eos: "--eos",
      lengthPenalty: "--length-penalty",
      earlyStopping: "--early-stopping",
      numReturnSequences: "--num-return-sequences",
      numReturn: "--num-return-sequences",
      numBeamGroups: "--num-beam-groups",
      numGroups: "--num-beam-groups",
      diversityPenalty: "--diversity-penalty",
      noRepeatNgramSize: "--no-repeat-ngram-size",
      ...CONTROL_FLAGS,
    },
    allowNonFinite: ["logProb", "score"],
    configure: (cmd) =>
      controlOptions(
      cmd
        .addOption(stepsOption())
        .addOption(new Option("--beam-width <B>", "beam width B ≥ 1").argParser(integer(1)).default(2))
        .option("--trace", "show every candidate of every step, kept or pruned")
        .option("--eos <token>", "end-of-sequence token")
        .addOption(new Option("--length-penalty <formula>", "none | average | power(α) | gnmt(α) (needs --eos)").argParser(lengthPenalty))
        .addOption(new Option("--early-stopping <mode>", "Hugging Face stopping mode (needs --eos)").choices(["true", "false", "never"]))
        .addOption(new Option("--num-return-sequences <k>", "sequences to return (≤ B)").argParser(integer(1)))
        .addOption(new Option("--num-beam-groups <G>", "diverse beam search: G groups (G divides B)").argParser(integer(1)))
        .addOption(new Option("--diversity-penalty <λ>", "Hamming diversity penalty between groups (≥ 0)").argParser(nonNegative))
        .addOption(valueOption("--no-repeat-ngram-size <n>", "forbid repeating any n-gram (n ≥ 1)").argParser(integer(1))),
        true,
      ),
    run: (ctx) => {
      const { lm, steps, n } = loaded(ctx);
      const o = ctx.options;
      const B = o.beamWidth;
      const trace = o.trace === true;
      ctx.budget({
        memory: 8 * B * n * 2 + 16 * B * steps + (trace ? 96 * steps * B * n : 0),
        work: steps * B * n * 4,
        why: `T·B·N = ${steps}·${B}·${n} candidates${trace ? ", each kept in the trace" : ""}`,
      });
      const early = o.earlyStopping;
      const r: BeamSearchResult = lib.beamSearch(lm, steps, {
        beamWidth: B,
        trace,
        maxMemory: ctx.maxMemory,
        ...(o.eos === undefined ? {} : { eos: o.eos }),
        ...(o.lengthPenalty === undefined ? {} : { lengthPenalty: o.lengthPenalty as LengthPenalty }),
        ...(early === undefined ? {} : { earlyStopping: early === "never" ? "never" : early === "true" }),
        ...(o.numReturnSequences === undefined ? {} : { numReturnSequences: o.numReturnSequences }),
        ...(o.numBeamGroups === undefined ? {} : { numBeamGroups: o.numBeamGroups }),
        ...(o.diversityPenalty === undefined ? {} : { diversityPenalty: o.diversityPenalty }),
        ...(o.noRepeatNgramSize === undefined ? {} : { noRepeatNgramSize: o.noRepeatNgramSize }),
        ...controlsOf(o),
      });
      const json = { method: "beam", beamWidth: B, steps, sequences: r.sequences.map(sequenceJson), stopReason: r.stopReason, ...(r.trace === undefined ? {} : { trace: r.trace }) };
      return {
        result: json,
        text: () =>
          [
            header(`beam search (B = ${B})`, ctx.inputName, lm, steps),
            sequencesText(r.sequences),
            `  stopped: ${r.stopReason} after ${r.stepsTaken} step(s)`,
            ...(r.trace === undefined ? [] : ["", beamTraceText(r.trace)]),
          ].join("\n"),
      };
    },
  }, sink);

  leaf<SampleOptions>(decode, "sample", {
    description: "ancestral sampling with temperature → top-k → top-p (seeded)",
    examples: ["hw decode sample --input example:tree --seed 1 --num-return-sequences 5", "hw decode sample --input markov.json --temperature 0.7 --top-p 0.9 --json"],
    input: lmFormat,
    json: "{ method, steps, sequences: [{ tokens, logProb }], seed }",
    flags: { temperature: "--temperature", topK: "--top-k", topk: "--top-k", topP: "--top-p", seed: "--seed", numSamples: "--num-return-sequences", numReturnSequences: "--num-return-sequences", steps: "--steps", ...CONTROL_FLAGS },
    allowNonFinite: ["logProb"],
    configure: (cmd) =>
      controlOptions(
      cmd
        .addOption(stepsOption())
        .addOption(new Option("--temperature <τ>", "temperature τ > 0").argParser(positive).default(1))
        .addOption(new Option("--top-k <k>", "keep the k most likely tokens (0 = off)").argParser(integer(0)).default(0))
        .addOption(new Option("--top-p <p>", "nucleus mass p in (0, 1] (1 = off)").argParser(real((v) => (v > 0 && v <= 1 ? null : "expected a number in (0, 1]"))).default(1))
        .addOption(new Option("--seed <n>", "seed of the generator").argParser(integer(0)).default(0))
        .addOption(new Option("--num-return-sequences <n>", "number of sequences to draw").argParser(integer(1)).default(1)),
        false,
      ),
    run: (ctx) => {
      const { lm, steps, n } = loaded(ctx);
      const o = ctx.options;
      ctx.budget({ memory: 8 * n * 4 + 16 * o.numReturnSequences * steps, work: o.numReturnSequences * steps * n * 4, why: `samples·T·N = ${o.numReturnSequences}·${steps}·${n}` });
      const r = lib.sample(lm, steps, { temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed, numReturnSequences: o.numReturnSequences, ...controlsOf(o) });
      return {
        result: { method: "sample", steps, sequences: r.sequences.map(sequenceJson), seed: r.seed },
        text: () => [header(`sampling (seed ${String(r.seed)})`, ctx.inputName, lm, steps), sequencesText(r.sequences)].join("\n"),
      };
    },
  }, sink);

  registerHmm(decode, sink);

  leaf<CountOptions>(decode, "count", {
    description: "the number N^T of sequences of length T + 1 that start with <BOS> (Q2.1), exactly",
    examples: ["hw decode count --vocabulary-size 10000 --steps 10", "hw decode count --vocabulary-size 5 --steps 4 --json"],
    json: "{ vocabularySize, steps, count } (count as a decimal string: exact beyond 2^53)",
    flags: {},
    configure: (cmd) =>
      cmd
        .addOption(new Option("--vocabulary-size <N>", "vocabulary size N (including <BOS>)").argParser(integer(1)).makeOptionMandatory())
        .addOption(new Option("--steps <T>", "number of tokens T after <BOS>").argParser(integer(0)).makeOptionMandatory()),
    run: (ctx) => {
      const { vocabularySize: n, steps } = ctx.options;
      const bits = steps * Math.log2(Math.max(n, 2));
      // BigInt is limited to 2^30 bits in V8; printing costs ~ digits² operations.
      if (bits > 2 ** 30) throw new InputError(`hw decode count: N^T = ${n}^${steps} has about ${formatNumber(bits * Math.log10(2), 3)} digits, beyond the ${2 ** 30}-bit limit of JavaScript integers`);
      const digits = bits * Math.log10(2);
      ctx.budget({ memory: bits / 4 + 2 * digits, work: digits + (digits * digits) / 50, why: `N^T has ${Math.ceil(digits)} digits` });
      const count = lib.countSequences(n, steps);
      return {
        result: { vocabularySize: n, steps, count },
        text: () => `N^T = ${n}^${steps} = ${count} (${count.toString().length} digits)`,
      };
    },
  }, sink);
}

/** `--length-penalty`: none | average | power(α) | gnmt(α) with a finite α. */
function lengthPenalty(raw: string): string {
  if (raw === "none" || raw === "average") return raw;
  const m = /^(power|gnmt)\(\s*([^)]+?)\s*\)$/.exec(raw);
  if (m !== null && m[2]!.trim() !== "" && Number.isFinite(Number(m[2]))) return `${m[1]!}(${Number(m[2])})`;
  throw new InvalidArgumentError("expected none, average, power(α) or gnmt(α) with a number α");
}
