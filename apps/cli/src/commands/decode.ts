/** `hw decode …` and Question 2 of `hw solve`: decoding a language model. */
import { Option, type Command } from "commander";
import {
  beamSearch,
  countSequences,
  exampleMarkov,
  exampleTree,
  exhaustiveSearch,
  greedyDecode,
  languageModel,
  markovLM,
  sample,
  treeLM,
  viterbi,
  type BeamSearchResult,
  type BeamTraceStep,
  type DecodedSequence,
  type LanguageModel,
  type LengthPenalty,
  type TreeNode,
  type ViterbiTrellis,
} from "@hw/decoding";
import { InputError } from "../errors";
import { integerOption, matrix, numberOption, object } from "../input";
import { emit, readJson, type OutputOptions, type Sink } from "../io";
import { startProgress } from "../progress";
import type { Check, SolveSection } from "../solve/section";

// ------------------------------------------------------------------------------------------------
// Input: the --lm file (the `input` objects of markov.json / tree.json) or a built-in example

/** A language model read from `--lm`, with the steps its file may carry. */
export interface LoadedLM {
  readonly lm: LanguageModel;
  readonly name: string;
  readonly steps?: number;
}

function parseTreeNodes(value: unknown, path: string): TreeNode[] {
  if (!Array.isArray(value)) throw new InputError(`${path}: expected an array of { token, prob, children? }, got ${value === null ? "null" : typeof value}`);
  return value.map((raw: unknown, i) => {
    const where = `${path}[${i}]`;
    const o = object(raw, where);
    if (typeof o.token !== "string") throw new InputError(`${where}.token: expected a string, got ${typeof o.token}`);
    if (typeof o.prob !== "number" || !Number.isFinite(o.prob)) throw new InputError(`${where}.prob: expected a finite number, got ${String(o.prob)}`);
    if (o.prob < 0 || o.prob > 1) throw new InputError(`${where}.prob: ${o.prob} is not a probability in [0, 1] (token ${JSON.stringify(o.token)})`);
    return {
      token: o.token,
      prob: o.prob,
      ...(o.children === undefined ? {} : { children: parseTreeNodes(o.children, `${where}.children`) }),
    };
  });
}

/** Parse a Markov `{ type: "markov", vocab, bos?, P, steps? }` or tree `{ type: "tree", children, bos?, steps? }` LM. */
export function parseLM(raw: unknown, name: string): LoadedLM {
  const o = object(raw, name);
  let steps: number | undefined;
  if (o.steps !== undefined) {
    if (typeof o.steps !== "number" || !Number.isInteger(o.steps) || o.steps < 1) {
      throw new InputError(`steps: expected an integer ≥ 1, got ${JSON.stringify(o.steps)}`);
    }
    steps = o.steps;
  }
  const bos = o.bos === undefined ? "<BOS>" : o.bos;
  if (typeof bos !== "string") throw new InputError(`bos: expected a token string, got ${typeof bos}`);
  const withSteps = (lm: LanguageModel): LoadedLM => ({ lm, name, ...(steps === undefined ? {} : { steps }) });
  if (o.type === "markov") {
    if (!Array.isArray(o.vocab) || o.vocab.some((v) => typeof v !== "string")) throw new InputError("vocab: expected an array of token strings");
    const vocab = o.vocab as string[];
    if (!vocab.includes(bos)) throw new InputError(`bos: unknown token ${JSON.stringify(bos)} (not in vocab)`);
    const P = matrix(o.P, "P", vocab.length, vocab.length);
    return withSteps(markovLM({ vocab, bos, P }));
  }
  if (o.type === "tree") return withSteps(treeLM(parseTreeNodes(o.children, "children"), { bos }));
  throw new InputError(`type: expected "markov" or "tree", got ${JSON.stringify(o.type)}`);
}

/** `--lm FILE|-|example:tree|example:markov`. */
export function loadLM(spec: string): LoadedLM {
  if (spec === "example:tree") return { lm: exampleTree, name: spec, steps: 3 };
  if (spec === "example:markov") return { lm: exampleMarkov, name: spec, steps: 3 };
  if (spec.startsWith("example:")) throw new InputError(`--lm ${spec}: unknown example (example:tree, example:markov)`);
  return parseLM(readJson(spec), spec);
}

function stepsOf(loaded: LoadedLM, raw: string | undefined): number {
  const fromFlag = integerOption(raw, "--steps", 1);
  const steps = fromFlag ?? loaded.steps;
  if (steps === undefined) throw new InputError(`--steps: missing (give --steps T, or "steps" in ${loaded.name})`);
  return steps;
}

// ------------------------------------------------------------------------------------------------
// Output

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v));

/** The JSON form of sequences: tokens (without `<BOS>`), logProb, and score when it differs. */
function sequenceJson(s: DecodedSequence): { tokens: string[]; logProb: number; score?: number } {
  return { tokens: [...s.tokens], logProb: s.logProb, ...(s.score === undefined ? {} : { score: s.score }) };
}

function sequencesText(seqs: readonly DecodedSequence[]): string {
  if (seqs.length === 0) return "  (no sequence of that length has non-zero probability)";
  const width = Math.max(...seqs.map((s) => s.tokens.join(" ").length), 8);
  return seqs
    .map((s, k) => {
      const extra = s.score === undefined ? "" : `  score = ${fmt(s.score)}`;
      return `  ${k + 1}. ${s.tokens.join(" ").padEnd(width)}  log p = ${fmt(s.logProb)}  p = ${Math.exp(s.logProb).toPrecision(4)}${extra}`;
    })
    .join("\n");
}

/** A readable step-by-step account of a beam-search trace. */
export function beamTraceText(trace: readonly BeamTraceStep[]): string {
  const lines: string[] = [];
  for (const step of trace) {
    lines.push(`step ${step.step}:`);
    const considered = step.candidates.filter((c) => c.logProb > -Infinity);
    for (const c of considered) {
      const parent = step.parents[c.beam]!;
      const seq = [...parent.tokens, c.token].join(" ");
      const why = c.status === "pruned" ? `pruned (${c.reason ?? ""})` : c.status;
      lines.push(`    ${seq.padEnd(24)} s = ${fmt(c.score)}  ${why}`);
    }
    const impossible = step.candidates.length - considered.length;
    if (impossible > 0) lines.push(`    (+ ${impossible} candidates of probability 0)`);
  }
  return lines.join("\n");
}

function trellisText(lm: LanguageModel, tr: ViterbiTrellis, steps: number): string {
  const S = tr.states.length;
  const w = Math.max(10, ...tr.states.map((s) => s.length + 1));
  const head = `  t  ${tr.states.map((s) => s.padStart(w)).join("")}`;
  const rows = [head];
  for (let t = 0; t <= steps; t++) {
    const cells = tr.states.map((_, s) => {
      const d = tr.logDelta[t * S + s]!;
      const a = t === 0 ? "" : tr.backPointers[(t - 1) * S + s]!;
      const cell = d === -Infinity ? "−∞" : `${d.toFixed(3)}${a === "" || a === -1 ? "" : `←${a}`}`;
      return cell.padStart(w);
    });
    rows.push(`  ${String(t).padStart(1)}  ${cells.join("")}`);
  }
  rows.push(`  (log δ_t(j) ← a_t(j), the index of the best previous state; path: ${tr.path.map((s) => tr.states[s] ?? lm.vocabulary[lm.bos]).join(" → ")})`);
  return rows.join("\n");
}

// ------------------------------------------------------------------------------------------------
// Commands

interface DecodeOptions extends OutputOptions {
  readonly lm: string;
  readonly steps?: string;
  readonly trace?: boolean;
}
interface ExhaustiveOptions extends DecodeOptions {
  readonly top?: string;
  readonly limit?: string;
}
interface BeamOptions extends DecodeOptions {
  readonly beam?: string;
  readonly eos?: string;
  readonly lengthPenalty?: string;
  readonly earlyStopping?: string;
  readonly numReturn?: string;
  readonly groups?: string;
  readonly diversity?: string;
  readonly noRepeatNgram?: string;
}
interface SampleCliOptions extends DecodeOptions {
  readonly temperature?: string;
  readonly topK?: string;
  readonly topP?: string;
  readonly seed?: string;
  readonly samples?: string;
}
interface CountOptions extends OutputOptions {
  readonly vocab: string;
  readonly steps: string;
}

function common(cmd: Command, jsonShape: string): Command {
  return cmd
    .requiredOption("--lm <file>", "LM JSON { type: markov, vocab, bos, P } or { type: tree, children } (- for stdin), or example:tree / example:markov")
    .option("--steps <T>", "number of tokens T to decode (default: the file's steps)")
    .option("--json", `print JSON ${jsonShape}`)
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output");
}

function header(method: string, loaded: LoadedLM, steps: number): string {
  return `${method} on ${loaded.name} (N = ${loaded.lm.vocabulary.length}, T = ${steps})`;
}

/** `hw decode …`: language-model decoding (Question 2). */
export function registerDecode(program: Command, sink: Sink): void {
  const decode = program
    .command("decode")
    .description("decode a language model (Question 2): exhaustive search, Viterbi, greedy, beam search, sampling, counts")
    .addHelpText(
      "after",
      "\nExamples:\n  $ hw decode beam --lm example:tree --beam 2\n  $ hw decode viterbi --lm markov.json --trace\n  $ hw decode exhaustive --lm example:tree --top 5 --json\n  $ hw decode count --vocab 10000 --steps 10",
    );

  common(decode.command("exhaustive"), '{ sequences: [{ tokens, logProb }], count }')
    .description("the exact optimum (and top k) by enumerating all N^T sequences")
    .option("--top <k>", "how many of the best sequences to print", "1")
    .option("--limit <n>", "refuse above this many sequences", "1000000")
    .addHelpText("after", "\nExamples:\n  $ hw decode exhaustive --lm example:tree\n  $ hw decode exhaustive --lm markov.json --top 3 --json")
    .action((options: ExhaustiveOptions) => {
      const loaded = loadLM(options.lm);
      const steps = stepsOf(loaded, options.steps);
      const topK = integerOption(options.top, "--top", 1)!;
      const limit = integerOption(options.limit, "--limit", 1)!;
      const n = loaded.lm.vocabulary.length;
      // Prefixes expanded by the depth-first enumeration (at most): Σ_{t<T} N^t.
      let prefixes = 0;
      for (let t = 0; t < steps && prefixes < 1e15; t++) prefixes += Number(countSequences(n, t));
      const progress = startProgress("exhaustive", prefixes);
      let r;
      try {
        r = exhaustiveSearch(loaded.lm, steps, { topK, limit, onProgress: (k) => {
          progress.update(k);
        } });
      } finally {
        progress.stop();
      }
      emit(sink, options, { method: "exhaustive", steps, sequences: r.sequences.map(sequenceJson), count: r.count }, () =>
        [header("exhaustive search", loaded, steps), `  N^T = ${n}^${steps} = ${r.count} sequences, ${r.scored} of non-zero probability`, sequencesText(r.sequences)].join("\n"),
      );
    });

  common(decode.command("viterbi"), '{ sequences: [{ tokens, logProb }], trace?: { states, logDelta, backPointers, path } }')
    .description("Viterbi decoding of a Markov LM (O(T·N²)); --trace prints the trellis")
    .option("--trace", "include the δ table and back-pointers")
    .addHelpText("after", "\nExamples:\n  $ hw decode viterbi --lm example:markov --trace\n  $ hw decode viterbi --lm markov.json --json")
    .action((options: DecodeOptions) => {
      const loaded = loadLM(options.lm);
      const steps = stepsOf(loaded, options.steps);
      const r = viterbi(loaded.lm, steps, { trellis: options.trace === true });
      const json = {
        method: "viterbi",
        steps,
        sequences: r.sequences.map(sequenceJson),
        operations: r.operations,
        ...(r.trellis === undefined ? {} : { trace: r.trellis }),
      };
      emit(sink, options, json, () =>
        [
          header("Viterbi", loaded, steps),
          sequencesText(r.sequences),
          `  ${r.operations} (i, j, t) cells evaluated (T·N² for a bigram LM)`,
          ...(r.trellis === undefined ? [] : ["", trellisText(loaded.lm, r.trellis, steps)]),
        ].join("\n"),
      );
    });

  common(decode.command("greedy"), "{ sequences: [{ tokens, logProb }] }")
    .description("greedy decoding: the most likely next token at every step")
    .addHelpText("after", "\nExamples:\n  $ hw decode greedy --lm example:tree\n  $ hw decode greedy --lm markov.json --steps 5 --json")
    .action((options: DecodeOptions) => {
      const loaded = loadLM(options.lm);
      const steps = stepsOf(loaded, options.steps);
      const r = greedyDecode(loaded.lm, steps);
      emit(sink, options, { method: "greedy", steps, sequences: r.sequences.map(sequenceJson) }, () =>
        [header("greedy decoding", loaded, steps), sequencesText(r.sequences)].join("\n"),
      );
    });

  common(decode.command("beam"), "{ sequences: [{ tokens, logProb }], stopReason, trace? }")
    .description("beam search (Algorithm 1) with optional eos, length normalisation, diverse groups and n-gram blocking")
    .option("--beam <B>", "beam width B ≥ 1", "2")
    .option("--trace", "show every candidate of every step, kept or pruned")
    .option("--eos <token>", "end-of-sequence token")
    .option("--length-penalty <formula>", "none | average | power(α) | gnmt(α) (needs --eos)")
    .addOption(new Option("--early-stopping <mode>", "HuggingFace stopping mode (needs --eos)").choices(["true", "false", "never"]))
    .option("--num-return <k>", "sequences to return (≤ B)")
    .option("--groups <G>", "diverse beam search: G groups (G divides B)")
    .option("--diversity <λ>", "Hamming diversity penalty between groups")
    .option("--no-repeat-ngram <n>", "forbid repeating any n-gram")
    .addHelpText("after", "\nExamples:\n  $ hw decode beam --lm example:tree --beam 2\n  $ hw decode beam --lm example:tree --beam 3 --trace\n  $ hw decode beam --lm example:tree --beam 2 --groups 2 --diversity 1 --json")
    .action((options: BeamOptions) => {
      const loaded = loadLM(options.lm);
      const steps = stepsOf(loaded, options.steps);
      const beamWidth = integerOption(options.beam, "--beam", 1)!;
      const numReturn = integerOption(options.numReturn, "--num-return", 1);
      const numGroups = integerOption(options.groups, "--groups", 1);
      const diversityPenalty = numberOption(options.diversity, "--diversity", (v) => (v >= 0 ? null : "must be ≥ 0"));
      const noRepeatNgramSize = integerOption(options.noRepeatNgram, "--no-repeat-ngram", 1);
      const early = options.earlyStopping;
      const r: BeamSearchResult = beamSearch(loaded.lm, {
        beamWidth,
        steps,
        trace: options.trace === true,
        ...(options.eos === undefined ? {} : { eos: options.eos }),
        ...(options.lengthPenalty === undefined ? {} : { lengthPenalty: options.lengthPenalty as LengthPenalty }),
        ...(early === undefined ? {} : { earlyStopping: early === "never" ? "never" : early === "true" }),
        ...(numReturn === undefined ? {} : { numReturn }),
        ...(numGroups === undefined ? {} : { numGroups }),
        ...(diversityPenalty === undefined ? {} : { diversityPenalty }),
        ...(noRepeatNgramSize === undefined ? {} : { noRepeatNgramSize }),
      });
      const json = {
        method: "beam",
        beamWidth,
        steps,
        sequences: r.sequences.map(sequenceJson),
        stopReason: r.stopReason,
        ...(r.trace === undefined ? {} : { trace: r.trace }),
      };
      emit(sink, options, json, () =>
        [
          header(`beam search (B = ${beamWidth})`, loaded, steps),
          sequencesText(r.sequences),
          `  stopped: ${r.stopReason} after ${r.stepsTaken} step(s)`,
          ...(r.trace === undefined ? [] : ["", beamTraceText(r.trace)]),
        ].join("\n"),
      );
    });

  common(decode.command("sample"), "{ sequences: [{ tokens, logProb }], seed }")
    .description("ancestral sampling with temperature → top-k → top-p (seeded)")
    .option("--temperature <τ>", "temperature τ > 0", "1")
    .option("--top-k <k>", "keep the k most likely tokens (0 = off)", "0")
    .option("--top-p <p>", "nucleus mass p in (0, 1] (1 = off)", "1")
    .option("--seed <n>", "seed of the generator", "0")
    .option("--samples <n>", "number of sequences", "1")
    .addHelpText("after", "\nExamples:\n  $ hw decode sample --lm example:tree --seed 1 --samples 5\n  $ hw decode sample --lm markov.json --temperature 0.7 --top-p 0.9 --json")
    .action((options: SampleCliOptions) => {
      const loaded = loadLM(options.lm);
      const steps = stepsOf(loaded, options.steps);
      const r = sample(loaded.lm, steps, {
        temperature: numberOption(options.temperature, "--temperature", (v) => (v > 0 ? null : "must be > 0"))!,
        topK: integerOption(options.topK, "--top-k", 0)!,
        topP: numberOption(options.topP, "--top-p", (v) => (v > 0 && v <= 1 ? null : "must be in (0, 1]"))!,
        seed: integerOption(options.seed, "--seed", 0)!,
        numSamples: integerOption(options.samples, "--samples", 1)!,
      });
      emit(sink, options, { method: "sample", steps, sequences: r.sequences.map(sequenceJson), seed: r.seed }, () =>
        [header(`sampling (seed ${String(r.seed)})`, loaded, steps), sequencesText(r.sequences)].join("\n"),
      );
    });

  decode
    .command("count")
    .description("the number N^T of sequences of length T + 1 that start with <BOS> (Q2.1), exactly")
    .requiredOption("--vocab <N>", "vocabulary size N (including <BOS>)")
    .requiredOption("--steps <T>", "number of tokens T after <BOS>")
    .option("--json", "print JSON { vocab, steps, count } (count as a decimal string)")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw decode count --vocab 10000 --steps 10\n  $ hw decode count --vocab 5 --steps 4 --json")
    .action((options: CountOptions) => {
      const n = integerOption(options.vocab, "--vocab", 1)!;
      const steps = integerOption(options.steps, "--steps", 0)!;
      const count = countSequences(n, steps);
      emit(sink, options, { vocab: n, steps, count }, () => `N^T = ${n}^${steps} = ${count} (${count.toString().length} digits)`);
    });
}

// ------------------------------------------------------------------------------------------------
// hw solve, Question 2

const close = (a: number, b: number, rtol = 1e-12): boolean => Math.abs(a - b) <= rtol * Math.abs(b);

function treePathProb(tokens: readonly string[]): number {
  let nodes: readonly TreeNode[] | undefined = exampleTree.children;
  let p = 1;
  for (const t of tokens) {
    const node: TreeNode | undefined = nodes?.find((c) => c.token === t);
    if (node === undefined) return 0;
    p *= node.prob;
    nodes = node.children;
  }
  return p;
}

function runDecodeSection(): { text: string; checks: Check[]; data: unknown } {
  const checks: Check[] = [];
  const lines: string[] = [];

  // 2.1
  const N = 5;
  const T = 4;
  const uniform = languageModel({
    vocabulary: ["<BOS>", "a", "b", "c", "d"],
    logProbs: () => new Float64Array(N).fill(-Math.log(N)),
  });
  const enumerated = exhaustiveSearch(uniform, T).scored;
  const big = countSequences(10_000, 10);
  lines.push(
    "2.1  Sequences of length T + 1 starting with <BOS>: each of w_1 … w_T is any of the N words, so N^T.",
    `     N = ${N}, T = ${T}: ${countSequences(N, T)};  N = 10,000, T = 10: ${big} (10^40).`,
  );
  checks.push({ name: "2.1 N^T = enumerated sequences", ok: BigInt(enumerated) === countSequences(N, T), detail: `countSequences(${N}, ${T}) = ${countSequences(N, T)}, enumeration scored ${enumerated}` });

  // 2.2
  const lm = exampleMarkov;
  const steps = 4;
  const v = viterbi(lm, steps, { trellis: true });
  const ex = exhaustiveSearch(lm, steps);
  const best = v.sequences[0]!;
  const nV = lm.vocabulary.length;
  lines.push(
    "",
    `2.2  Viterbi on the built-in Markov LM (${lm.vocabulary.join(", ")}), T = ${steps}:`,
    "     log δ_t(j) = max_i [log P_ij + log δ_{t−1}(i)],  a_t(j) = argmax_i […],  w*_T = argmax_j δ_T(j),  w*_t = a_{t+1}(w*_{t+1}).",
    trellisText(lm, v.trellis!, steps).replace(/^/gm, "   "),
    `     w* = ${best.tokens.join(" ")}  (log p = ${fmt(best.logProb)})`,
    `     Operations: Viterbi T·N² = ${v.operations} cell updates (time O(TN²), space O(TN) = ${(steps + 1) * nV} δ + ${steps * nV} pointers);`,
    `     enumeration scores ${ex.scored} sequences × T = ${ex.scored * steps} additions (O(T·N^T)).`,
    "     2.2f: an RNN/GRU/LSTM LM conditions on the whole prefix (its state is not a function of w_{t−1}), so the recurrence",
    "     does not hold; Viterbi applies to n-gram LMs (state = last n − 1 words) and HMMs.",
  );
  checks.push({
    name: "2.2 Viterbi = exhaustive optimum",
    ok: best.tokens.join(" ") === ex.sequences[0]!.tokens.join(" ") && close(best.logProb, ex.sequences[0]!.logProb),
    detail: `Viterbi ${best.tokens.join(" ")} ${fmt(best.logProb)} vs exhaustive ${ex.sequences[0]!.tokens.join(" ")} ${fmt(ex.sequences[0]!.logProb)}`,
  });
  let refused = "";
  try {
    viterbi(exampleTree, 3);
  } catch (error) {
    refused = error instanceof TypeError ? "TypeError" : String(error);
  }
  checks.push({ name: "2.2f Viterbi refuses a non-Markov LM", ok: refused === "TypeError", detail: `viterbi(exampleTree) threw ${refused || "nothing"}` });

  // 2.3
  const B = 3;
  const beamOps = steps * B * nV;
  const full = beamSearch(lm, { beamWidth: 25, steps: 2 });
  const top25 = exhaustiveSearch(lm, 2, { topK: 25 });
  lines.push(
    "",
    "2.3  Beam search: each step scores B·N candidates s_b(j) = l_{t−1}^(b) + log p(w_t = j | w^(b)_{0:t−1}) and keeps the best B",
    `     (partial selection O(BN), or O(BN log BN) with a full sort). Time O(T·B·N), memory O(T·B): here B = ${B}, N = ${nV}, T = ${steps}`,
    `     → ${beamOps} candidate scores, vs ${v.operations} Viterbi cells and N^T = ${countSequences(nV, steps)} sequences; linear in N.`,
  );
  checks.push({
    name: "2.3 beam search with B ≥ N^T = exhaustive top B",
    ok: full.sequences.length === top25.sequences.length && full.sequences.every((s, k) => close(s.logProb, top25.sequences[k]!.logProb)),
    detail: `B = 25, T = 2: ${full.sequences.length} beams vs ${top25.sequences.length} sequences, best ${fmt(full.sequences[0]!.logProb)} = ${fmt(top25.sequences[0]!.logProb)}`,
  });

  // 2.4
  const g = greedyDecode(exampleTree, 3).sequences[0]!;
  const b2 = beamSearch(exampleTree, { beamWidth: 2, steps: 3 }).sequences;
  const b3 = beamSearch(exampleTree, { beamWidth: 3, steps: 3 }).sequences;
  const opt = exhaustiveSearch(exampleTree, 3).sequences[0]!;
  const row = (name: string, s: DecodedSequence): string => `     ${name.padEnd(12)} ${s.tokens.join(" ").padEnd(14)} log p = ${fmt(s.logProb)}  (p = ${Math.exp(s.logProb).toFixed(4)})`;
  lines.push(
    "",
    "2.4  The example tree LM (Viterbi does not apply: the conditionals depend on the whole prefix):",
    row("optimum", opt),
    row("greedy", g),
    row("beam B = 2", b2[0]!),
    row("beam B = 3", b3[0]!),
    "     Greedy commits to 'the' (0.5) and beam B = 2 keeps 'the'/'a' but drops 'red' (0.2) at step 1, whose continuation",
    "     'fox ran' (0.95 · 0.95) is the best; B = 3 keeps it. Mitigations: larger B, length normalisation, diverse beam",
    "     search (groups with a diversity penalty), sampling (temperature, top-k, top-p).",
  );
  const want = (tokens: string[], s: DecodedSequence, name: string): Check => {
    const p = treePathProb(tokens);
    return {
      name,
      ok: s.tokens.join(" ") === tokens.join(" ") && close(s.logProb, Math.log(p)),
      detail: `${s.tokens.join(" ")} ${fmt(s.logProb)} vs ${tokens.join(" ")} ln ${p.toPrecision(4)} = ${fmt(Math.log(p))} (product of the tree's probabilities)`,
    };
  };
  checks.push(want(["red", "fox", "ran"], opt, "2.4a optimum"));
  checks.push(want(["the", "cat", "is"], g, "2.4b greedy"));
  checks.push(want(["a", "red", "fox"], b2[0]!, "2.4c beam B = 2"));
  checks.push(want(["red", "fox", "ran"], b3[0]!, "2.4d beam B = 3 finds the optimum"));

  return {
    text: lines.join("\n"),
    checks,
    data: {
      count: { N, T, value: countSequences(N, T) },
      viterbi: { tokens: best.tokens, logProb: best.logProb, operations: v.operations },
      tree: { optimum: opt, greedy: g, beam2: b2, beam3: b3 },
    },
  };
}

/** Question 2 of `hw solve`. */
export const decodeSection: SolveSection = {
  id: "2",
  title: "Decoding a language model",
  run: runDecodeSection,
};
