/** `hw decode hmm …` (hidden Markov models) and `hw decode ngram fit`. */
import { Option, type Command } from "commander";
import type { HiddenMarkovModel, LabelledSequence } from "@hw/decoding";
import { HmmInputSchema, schemas, type HmmInput } from "@hw/decoding/schema";
import { leaf, type Context, type InputFormat } from "../../command";
import { InputError, UsageError } from "../../errors";
import { formatNumber, toJson } from "../../format";
import { readJson, readText, type Sink } from "../../io";
import { integer, nonNegative, positive } from "../../options";
import { startProgress } from "../../progress";
import { jsonSchemaOf, schemaUrl } from "../../schema-url";
import { lib as hmmLib } from "./lib";

/** The classic weather HMM with three observations (Viterbi: sun, rain, rain). */
export function hmmExample(): Record<string, unknown> {
  return {
    type: "hmm",
    states: ["rain", "sun"],
    symbols: ["walk", "shop", "clean"],
    start: [0.6, 0.4],
    transition: [
      [0.7, 0.3],
      [0.4, 0.6],
    ],
    emission: [
      [0.1, 0.4, 0.5],
      [0.6, 0.3, 0.1],
    ],
    obs: ["walk", "shop", "clean"],
  };
}

/** `--model FILE|-|example` (the same option as `--input`). */
export const hmmFormat: InputFormat = {
  summary: '{ type: "hmm", states, symbols, start, transition, emission, obs?, lengths? }',
  schema: HmmInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas.hmm, "@hw/decoding", "hmm"),
  schemaUrl: schemaUrl("@hw/decoding", "hmm"),
  builtIns: { example: hmmExample },
  aliases: ["--model"],
};

interface ObsOptions {
  readonly obs?: string;
}

interface LoadedObs {
  /** All symbols, concatenated. */
  readonly obs: (string | number)[];
  /** The sequence lengths when there are several. */
  readonly lengths?: number[];
  /** The sequences one by one. */
  readonly sequences: (string | number)[][];
  /** Labelled sequences (fit only): `[{ states, observations }]`. */
  readonly labelled?: LabelledSequence[];
}

const isSymbol = (x: unknown): x is string | number => typeof x === "string" || (typeof x === "number" && Number.isInteger(x) && x >= 0);

function symbols(value: unknown, where: string): (string | number)[] {
  if (!Array.isArray(value) || value.length === 0) throw new InputError(`${where}: expected a non-empty array of symbols (strings or ids)`);
  const bad = (value as unknown[]).findIndex((x) => !isSymbol(x));
  if (bad >= 0) throw new InputError(`${where}[${bad}]: expected a symbol string or id, got ${JSON.stringify((value as unknown[])[bad])}`);
  return value as (string | number)[];
}

function split(obs: (string | number)[], lengths: readonly number[] | undefined): (string | number)[][] {
  if (lengths === undefined) return [obs];
  let at = 0;
  return lengths.map((L) => obs.slice((at += L) - L, at));
}

/**
 * The observations: `--obs FILE` (a JSON array of symbols, an array of sequences, `{ obs, lengths? }`
 * or, for fit, labelled sequences `[{ states, observations }]`), else the model file's `obs` and `lengths`.
 */
function loadObs(ctx: Context<ObsOptions>, model: HmmInput, allowLabelled = false): LoadedObs {
  const file = ctx.options.obs;
  if (file === undefined) {
    if (model.obs === undefined) throw new UsageError(`--obs: missing (give --obs FILE, or "obs" in ${ctx.inputName})`);
    return { obs: model.obs, ...(model.lengths === undefined ? {} : { lengths: model.lengths }), sequences: split(model.obs, model.lengths) };
  }
  const where = `--obs ${file}`;
  const raw = readJson(file, "--obs");
  if (Array.isArray(raw) && raw.length > 0 && raw.every((x) => typeof x === "object" && x !== null && !Array.isArray(x))) {
    if (!allowLabelled) throw new InputError(`${where}: labelled sequences { states, observations } are for fit only`);
    const labelled = (raw as Record<string, unknown>[]).map((x, i) => {
      const keys = Object.keys(x).filter((k) => k !== "states" && k !== "observations");
      if (keys.length > 0) throw new InputError(`${where}[${i}]: unknown key \`${keys[0]!}\` (expected { states, observations })`);
      const states = x.states;
      if (!Array.isArray(states) || !states.every((s) => typeof s === "string")) throw new InputError(`${where}[${i}].states: expected an array of state names`);
      const observations = symbols(x.observations, `${where}[${i}].observations`);
      if (!observations.every((s) => typeof s === "string")) throw new InputError(`${where}[${i}].observations: expected symbol strings`);
      return { states: states, observations: observations };
    });
    return { obs: labelled.flatMap((l) => l.observations), sequences: labelled.map((l) => l.observations), labelled };
  }
  if (Array.isArray(raw) && raw.length > 0 && raw.every(Array.isArray)) {
    const sequences = (raw as unknown[]).map((s, i) => symbols(s, `${where}[${i}]`));
    return { obs: sequences.flat(), lengths: sequences.map((s) => s.length), sequences };
  }
  if (Array.isArray(raw)) {
    const obs = symbols(raw, where);
    return { obs, sequences: [obs] };
  }
  if (typeof raw === "object" && raw !== null) {
    const o = raw as Record<string, unknown>;
    const extra = Object.keys(o).find((k) => k !== "obs" && k !== "lengths" && k !== "$schema");
    if (extra !== undefined) throw new InputError(`${where}: unknown key \`${extra}\` (expected { obs, lengths? })`);
    const obs = symbols(o.obs, `${where}: obs`);
    if (o.lengths === undefined) return { obs, sequences: [obs] };
    if (!Array.isArray(o.lengths) || !o.lengths.every((L) => Number.isInteger(L) && (L as number) >= 1)) throw new InputError(`${where}: lengths: expected an array of positive integers`);
    const lengths = o.lengths as number[];
    return { obs, lengths, sequences: split(obs, lengths) };
  }
  throw new InputError(`${where}: expected an array of symbols, an array of sequences or { obs, lengths? }`);
}

function modelOf(input: HmmInput): HiddenMarkovModel {
  return hmmLib.hmm({ states: input.states, symbols: input.symbols, start: input.start, transition: input.transition, emission: input.emission });
}

/** A model as an input file (probabilities), so that a fitted model can be decoded with --model. */
export function modelJson(m: HiddenMarkovModel): Record<string, unknown> {
  const exp = (rows: unknown): unknown => (Array.isArray(rows) ? rows.map(exp) : Math.exp(rows as number));
  return { type: "hmm", states: [...m.states], symbols: [...m.symbols], start: exp(m.logStart.toArray()), transition: exp(m.logTransition.toArray()), emission: exp(m.logEmission.toArray()) };
}

const obsOption = (): Option => new Option("--obs <file>", "JSON observations: [symbols…], [[…], […]] (several sequences) or { obs, lengths? } (default: the model's obs)");

/** Rough work of one forward/Viterbi pass: T·S². */
function cost(ctx: Context<ObsOptions>, model: HmmInput, T: number, factor = 1): void {
  const S = model.states.length;
  ctx.budget({ memory: 8 * T * S * 3, work: factor * T * S * S, why: `T·S² = ${T}·${S}²${factor === 1 ? "" : ` × ${factor}`}` });
}

const tableRows = (t: { toArray(): unknown }): number[][] => t.toArray() as number[][];

interface NbestOptions extends ObsOptions {
  readonly k: number;
}
interface FitOptions extends ObsOptions {
  readonly maxIter: number;
  readonly tol: number;
  readonly addK: number;
}
interface NgramFitOptions {
  readonly corpus: string;
  readonly n: number;
  readonly smoothing: "kneser-ney" | "add-k";
  readonly k?: number;
  readonly discount?: number;
}

/** `hw decode hmm viterbi|posterior|forward|nbest|fit` and `hw decode ngram fit`. */
export function registerHmm(decode: Command, sink: Sink): void {
  const group = decode
    .command("hmm")
    .description("hidden Markov models: Viterbi, posteriors, forward, n-best paths, fitting (hmmlearn-style lengths)")
    .addHelpText("after", "\nExamples:\n  $ hw decode hmm viterbi --model example\n  $ hw decode hmm fit --model init.json --obs sequences.json --out fitted.json --json");
  const flags = { k: "--k", maxIter: "--max-iter", tol: "--tol" };

  leaf<ObsOptions>(group, "viterbi", {
    description: "the most likely state path and its joint log p(x, z) (per sequence with lengths)",
    examples: ["hw decode hmm viterbi --model example", "hw decode hmm viterbi --model hmm.json --obs obs.json --json"],
    input: hmmFormat,
    json: "{ method, states, path, logProb, sequences?: [{ states, logProb }] }",
    flags,
    configure: (cmd) => cmd.addOption(obsOption()),
    run: (ctx) => {
      const input = ctx.input as HmmInput;
      const o = loadObs(ctx, input);
      cost(ctx, input, o.obs.length);
      const m = modelOf(input);
      const r = hmmLib.viterbi(m, o.obs, o.lengths === undefined ? undefined : { lengths: o.lengths });
      const per = r.sequences?.map((s) => ({ states: [...s.states], logProb: s.logProb }));
      return {
        result: { method: "viterbi", states: [...r.states], path: [...r.path], logProb: r.logProb, ...(per === undefined ? {} : { sequences: per }) },
        text: () =>
          [
            `Viterbi on ${ctx.inputName} (S = ${m.states.length}, T = ${o.obs.length}${o.lengths === undefined ? "" : `, ${o.lengths.length} sequences`})`,
            ...(per ?? [{ states: r.states, logProb: r.logProb }]).map((s, i) => `  ${per === undefined ? "" : `${i + 1}. `}${s.states.join(" ")}  log p(x, z) = ${formatNumber(s.logProb)}`),
          ].join("\n"),
      };
    },
  }, sink);

  leaf<ObsOptions>(group, "posterior", {
    description: "posterior state marginals γ_t(j) = p(z_t = j | x) by forward–backward, and the per-position argmax",
    examples: ["hw decode hmm posterior --model example", "hw decode hmm posterior --model hmm.json --obs obs.json --json"],
    input: hmmFormat,
    json: "{ method, stateNames, logLikelihood, posteriors: [[γ_t(j)]], decoded: [state per position] }",
    flags,
    configure: (cmd) => cmd.addOption(obsOption()),
    run: (ctx) => {
      const input = ctx.input as HmmInput;
      const o = loadObs(ctx, input);
      cost(ctx, input, o.obs.length, 2);
      const m = modelOf(input);
      const options = o.lengths === undefined ? undefined : { lengths: o.lengths };
      const r = hmmLib.posterior(m, o.obs, options);
      const decoded = hmmLib.posteriorDecode(m, o.obs, options);
      const gamma = tableRows(r.posteriors);
      return {
        result: { method: "posterior", stateNames: [...m.states], logLikelihood: r.logLikelihood, posteriors: gamma, decoded: [...decoded.states] },
        text: () => {
          const w = Math.max(8, ...m.states.map((s) => s.length + 1));
          return [
            `posterior on ${ctx.inputName}: log p(x) = ${formatNumber(r.logLikelihood)}`,
            `  t  ${"x".padEnd(8)}${m.states.map((s) => s.padStart(w)).join("")}  argmax`,
            ...gamma.map((row, t) => `  ${String(t + 1).padStart(1)}  ${String(o.obs[t]).padEnd(8)}${row.map((g) => formatNumber(g, 4).padStart(w)).join("")}  ${decoded.states[t]!}`),
          ].join("\n");
        },
      };
    },
  }, sink);

  leaf<ObsOptions>(group, "forward", {
    description: "the forward algorithm: log p(x) and the log α table (log-sum-exp)",
    examples: ["hw decode hmm forward --model example", "hw decode hmm forward --model hmm.json --obs obs.json --json"],
    input: hmmFormat,
    json: "{ method, logLikelihood, logAlpha: [[log α_t(j)]], logLikelihoods?: [per sequence] }",
    flags,
    allowNonFinite: ["logLikelihood", "logAlpha", "logLikelihoods"],
    configure: (cmd) => cmd.addOption(obsOption()),
    run: (ctx) => {
      const input = ctx.input as HmmInput;
      const o = loadObs(ctx, input);
      cost(ctx, input, o.obs.length);
      const m = modelOf(input);
      const r = hmmLib.forward(m, o.obs, o.lengths === undefined ? undefined : { lengths: o.lengths });
      const per = r.sequences?.map((s) => s.logLikelihood);
      return {
        result: { method: "forward", logLikelihood: r.logLikelihood, logAlpha: tableRows(r.logAlpha), ...(per === undefined ? {} : { logLikelihoods: per }) },
        text: () =>
          [`forward on ${ctx.inputName}: log p(x) = ${formatNumber(r.logLikelihood)}  p(x) = ${formatNumber(Math.exp(r.logLikelihood), 4)}`, ...(per ?? []).map((ll, i) => `  sequence ${i + 1}: log p = ${formatNumber(ll)}`)].join("\n"),
      };
    },
  }, sink);

  leaf<NbestOptions>(group, "nbest", {
    description: "the k most likely state paths exactly (list Viterbi)",
    examples: ["hw decode hmm nbest --model example --k 3", "hw decode hmm nbest --model hmm.json --obs obs.json --k 5 --json"],
    input: hmmFormat,
    json: "{ method, k, paths: [{ states, logProb }] }",
    flags,
    configure: (cmd) => cmd.addOption(obsOption()).addOption(new Option("--k <k>", "how many paths").argParser(integer(1)).default(3)),
    run: (ctx) => {
      const input = ctx.input as HmmInput;
      const o = loadObs(ctx, input);
      if (o.sequences.length > 1) throw new UsageError("--obs: nbest decodes one sequence (got several; give one)");
      const k = ctx.options.k;
      ctx.budget({ memory: 24 * o.obs.length * input.states.length * k, work: o.obs.length * input.states.length ** 2 * k * 8, why: `T·S²·k = ${o.obs.length}·${input.states.length}²·${k}` });
      const paths = hmmLib.nBestViterbi(modelOf(input), o.obs, k).map((p) => ({ states: [...p.states], logProb: p.logProb }));
      return {
        result: { method: "nbest", k, paths },
        text: () => [`${paths.length} best paths on ${ctx.inputName}`, ...paths.map((p, i) => `  ${i + 1}. ${p.states.join(" ")}  log p(x, z) = ${formatNumber(p.logProb)}`)].join("\n"),
      };
    },
  }, sink);

  leaf<FitOptions>(group, "fit", {
    description: "fit an HMM: Baum–Welch (EM) from --model on unlabelled sequences, or supervised add-k counts from labelled ones",
    examples: ["hw decode hmm fit --model init.json --obs sequences.json --out fitted.json", "hw decode hmm fit --model example --obs labelled.json --add-k 0.5 --json"],
    input: hmmFormat,
    json: "{ method, model: { type, states, symbols, start, transition, emission }, logLikelihoods?, converged? }",
    flags: { ...flags, smoothing: "--add-k", k: "--add-k" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--obs <file>", "JSON sequences [[…], …] (Baum–Welch) or labelled [{ states, observations }, …] (supervised) (default: the model's obs)"))
        .addOption(new Option("--max-iter <n>", "the most EM iterations").argParser(integer(1)).default(100))
        .addOption(new Option("--tol <ε>", "stop when the log-likelihood gains less than this").argParser(nonNegative).default(1e-8))
        .addOption(new Option("--add-k <k>", "add-k smoothing of the supervised counts").argParser(nonNegative).default(1)),
    run: (ctx) => {
      const input = ctx.input as HmmInput;
      const o = loadObs(ctx, input, true);
      if (o.labelled !== undefined) {
        ctx.budget({ memory: 8 * input.states.length * (input.states.length + input.symbols.length), work: o.obs.length * 4, why: `${o.obs.length} labelled symbols` });
        const m = hmmLib.fitHmm(o.labelled, { smoothing: { kind: "add-k", k: ctx.options.addK }, states: input.states, symbols: input.symbols });
        const model = modelJson(m);
        return { result: { method: "supervised", model }, text: () => toJson(model) };
      }
      cost(ctx, input, o.obs.length, 3 * ctx.options.maxIter);
      const progress = startProgress("baum-welch", ctx.options.maxIter);
      let r;
      try {
        r = hmmLib.baumWelch(modelOf(input), o.sequences, {
          maxIter: ctx.options.maxIter,
          tol: ctx.options.tol,
          onProgress: (done) => {
            progress.update(done);
          },
        });
      } finally {
        progress.stop();
      }
      const model = modelJson(r.model);
      return { result: { method: "baum-welch", model, logLikelihoods: [...r.logLikelihoods], converged: r.converged }, text: () => toJson(model) };
    },
  }, sink);

  const ngram = decode.command("ngram").description("n-gram language models: fit one from a corpus into an --lm file");
  leaf<NgramFitOptions>(ngram, "fit", {
    description: 'fit an n-gram LM and write it as an --lm file { type: "ngram", n, corpus, smoothing } (printed as JSON)',
    examples: ["hw decode ngram fit --corpus corpus.txt --n 3 --out lm.json", "hw decode ngram fit --corpus sentences.json --n 2 --smoothing add-k --k 0.5"],
    json: '{ type: "ngram", n, corpus, smoothing, vocabularySize, sentences }',
    flags: { n: "--n", corpus: "--corpus", smoothing: "--smoothing", k: "--k", discount: "--discount" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--corpus <file>", "the corpus: text (one sentence per line) or JSON [[token, …], …]; - for standard input").makeOptionMandatory())
        .addOption(new Option("--n <n>", "the order n (2 = bigram)").argParser(integer(1, 100)).makeOptionMandatory())
        .addOption(new Option("--smoothing <kind>", "kneser-ney or add-k").choices(["kneser-ney", "add-k"]).default("kneser-ney"))
        .addOption(new Option("--k <k>", "add-k: the pseudo-count k > 0").argParser(positive))
        .addOption(new Option("--discount <D>", "kneser-ney: the discount D in (0, 1)").argParser(positive)),
    run: (ctx) => {
      const o = ctx.options;
      if (o.smoothing === "add-k" && o.discount !== undefined) throw new UsageError("--discount: only for --smoothing kneser-ney");
      if (o.smoothing === "kneser-ney" && o.k !== undefined) throw new UsageError("--k: only for --smoothing add-k");
      const text = readText(o.corpus, "--corpus");
      let corpus: string | string[][] = text;
      if (/^\s*\[/.test(text)) {
        try {
          corpus = JSON.parse(text) as string[][];
        } catch (error) {
          throw new InputError(`--corpus ${o.corpus}: not valid JSON (${(error as Error).message.split("\n")[0]!})`);
        }
      }
      ctx.budget({ memory: 40 * text.length * o.n, work: text.length * o.n * 10, why: `${text.length} characters × n = ${o.n}` });
      const smoothing = o.smoothing === "add-k" ? { kind: "add-k" as const, k: o.k ?? 1 } : { kind: "kneser-ney" as const, discount: o.discount ?? 0.75 };
      const lm = hmmLib.ngramLM(corpus, { n: o.n, smoothing });
      const file = { type: "ngram", n: o.n, corpus, smoothing };
      const sentences = typeof corpus === "string" ? corpus.split(/\n+/).filter((l) => l.trim() !== "").length : corpus.length;
      return { result: { ...file, vocabularySize: lm.vocabulary.length, sentences }, text: () => toJson(file) };
    },
  }, sink);
}
