/** `hw rnn …`: the bidirectional RNN of Question 1. */
import { InvalidArgumentError, Option, type Command } from "commander";
import type { TrainResult } from "@hw/rnn";
import { leaf } from "../../command";
import { InputError, UsageError } from "../../errors";
import type { Sink } from "../../io";
import { integer, positive } from "../../options";
import { startProgress } from "../../progress";
import { batchGradText, checkTable, gradJson, gradText, num, trainText } from "./format";
import { registerRnnFlow } from "./flow";
import { birnnAnyFormat, birnnFormat, isBatch, params, sizes, type BirnnBatchInput, type BirnnInput } from "./input";
import { lib } from "./lib";

/** Render DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz). */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}

/** Memory (bytes) and work (operations) of one forward + backward pass over an input. */
function passCost(i: BirnnInput | BirnnBatchInput): { memory: number; work: number; why: string } {
  const { T, B, D, H, K } = sizes(i);
  const perStep = 2 * (H * D + H * H + K * H);
  const batch = B === 1 ? "" : `B·`;
  return {
    memory: 8 * (12 * T * B * H + 4 * (H * D + H * H + K * H) + 2 * T * B * K),
    work: 6 * T * B * perStep,
    why: `${batch}T·(H·D + H² + K·H) = ${B === 1 ? "" : `${B}·`}${T}·(${H}·${D} + ${H}² + ${K}·${H})`,
  };
}

/** `--lengths 5,3,2`: one positive integer per sequence. */
function lengthList(raw: string): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === "") || values.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError("expected a comma-separated list of integers ≥ 1, one per sequence (e.g. 5,3,2)");
  }
  return values;
}

/** `--truncate k` (regular truncation) or `--truncate k1,k2` (Williams & Peng's BPTT(k2; k1), k2 ≥ k1). */
function truncation(raw: string): number | { k1: number; k2: number } {
  const parts = raw.split(",").map((p) => Number(p.trim()));
  if ((parts.length !== 1 && parts.length !== 2) || parts.some((n) => !Number.isInteger(n) || n < 1) || raw.trim() === "") {
    throw new InvalidArgumentError("expected k (an integer ≥ 1) or k1,k2 (integers with 1 ≤ k1 ≤ k2)");
  }
  if (parts.length === 1) return parts[0]!;
  const [k1, k2] = parts as [number, number];
  if (k2 < k1) throw new InvalidArgumentError(`expected k1 ≤ k2 (the gradient flows back k2 steps from every k1-th step), got k1 = ${k1}, k2 = ${k2}`);
  return { k1, k2 };
}

interface GradOptions {
  readonly lengths?: number[];
  readonly truncate?: number | { k1: number; k2: number };
}

function initialStates(i: BirnnInput | BirnnBatchInput) {
  return { ...(i.hfInit === undefined ? {} : { hfInit: i.hfInit }), ...(i.hbInit === undefined ? {} : { hbInit: i.hbInit }) };
}

interface GraphOptions {
  readonly steps: number;
  readonly format: "dot" | "mermaid" | "svg" | "text" | "json";
}

interface TrainCliOptions {
  readonly lengths?: number[];
  readonly steps: number;
  readonly seed: number;
  readonly optimizer: "adam" | "sgd";
  readonly lr?: number;
  readonly clipNorm: number;
  readonly hiddenSize: number;
}

/** Flags renamed to the vocabulary's spelling; the old ones keep working for one minor version. */
export const RNN_DEPRECATED_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "rnn train": { "--hidden": "--hidden-size", "--clip": "--clip-norm" },
};

/** `hw rnn …`: the bidirectional RNN of Question 1. */
export function registerRnn(program: Command, sink: Sink): void {
  const rnn = program
    .command("rnn")
    .description("the bidirectional RNN of Question 1: BPTT gradients, gradient checks, the unrolled graph, training")
    .addHelpText("after", "\nExamples:\n  $ hw rnn grad --input birnn.json --json\n  $ hw rnn gradcheck --input example\n  $ hw rnn graph --steps 3 --format svg --out graph.svg\n  $ hw rnn train --steps 300 --seed 1\n  $ hw rnn flow --input example --plot spectrum.svg");

  leaf<GradOptions>(rnn, "grad", {
    description: "loss, states, outputs and every gradient by backprop through time (Q1.2–1.3), for one sequence or a padded batch",
    examples: [
      "hw rnn grad --input example",
      "hw rnn grad --input birnn.json --json --out grads.json",
      "hw rnn grad --input batch.json --lengths 5,3,2 --json",
      "hw rnn grad --input example --truncate 2",
      "hw rnn grad --input example --truncate 2,4",
      "cat birnn.json | hw rnn grad --input - --json",
    ],
    input: birnnAnyFormat,
    json: "{ loss, hf, hb, y, grads, dhf, dhb } (batched input: a B axis after the time axis; padded steps are 0)",
    flags: { lengths: "--lengths", truncate: "--truncate" },
    quantities: { loss: "the loss L", hf: "the forward states h⁽ᶠ⁾", hb: "the backward states h⁽ᵇ⁾", y: "the outputs y", grads: "the gradient", dhf: "the total gradient ∇_{h⁽ᶠ⁾}L", dhb: "the total gradient ∇_{h⁽ᵇ⁾}L" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--lengths <list>", "per-sequence lengths of a padded batch (x T×B×D), e.g. 5,3,2; overrides the input's \"lengths\"").argParser(lengthList))
        .addOption(new Option("--truncate <k|k1,k2>", "truncated BPTT: k = blocks of k steps (regular truncation); k1,k2 = every k1 steps backpropagate k2 ≥ k1 steps").argParser(truncation)),
    run: (ctx) => {
      const input = ctx.input as BirnnInput | BirnnBatchInput;
      const { truncate } = ctx.options;
      const lengths = ctx.options.lengths ?? (isBatch(input) ? input.lengths : undefined);
      if (lengths !== undefined) {
        if (!isBatch(input)) throw new UsageError("--lengths: needs a batched input (x of shape T×B×D, z T×B×K); this input holds one sequence (x is T×D)");
        const { T, B } = sizes(input);
        if (lengths.length !== B) throw new UsageError(`--lengths: expected ${B} lengths (one per sequence of the input's batch), got ${lengths.length}`);
        const b = lengths.findIndex((n) => n > T);
        if (b >= 0) throw new UsageError(`--lengths: entry ${b + 1} is ${lengths[b]!}, longer than the input's T = ${T} steps`);
      }
      ctx.budget(passCost(input));
      const options = { ...initialStates(input), terms: false, maxMemory: ctx.maxMemory, ...(lengths === undefined ? {} : { lengths }), ...(truncate === undefined ? {} : { truncate }) };
      const r = lib.bptt(params(input), input.x, input.z, options);
      return { result: gradJson(r), text: () => (isBatch(input) ? batchGradText(input, r, lengths, truncate) : gradText(input, r, truncate)) };
    },
  }, sink);

  leaf<object>(rnn, "gradcheck", {
    description: "analytic (BPTT) vs autodiff vs finite differences: max error per parameter",
    examples: ["hw rnn gradcheck --input example", "hw rnn gradcheck --input birnn.json --json"],
    input: birnnFormat,
    json: "{ loss, eps, rtol, atol, ok, entries: [{ name, shape, analyticVsAutodiff, analyticVsNumeric, autodiffVsNumeric, scale, ok }] }",
    quantities: { loss: "the loss L", entries: "the gradient check" },
    run: (ctx) => {
      const input = ctx.input as BirnnInput;
      const { T, D, H, K } = sizes(input);
      const one = passCost(input);
      const parameters = 2 * (H * D + H * H + K * H + H);
      ctx.budget({ memory: one.memory * 4, work: one.work * (2 * parameters + 4), why: `2 passes per parameter: 2·${parameters} · T·(H·D + H² + K·H) with T = ${T}, D = ${D}, H = ${H}, K = ${K}` });
      const c = lib.checkGradients(params(input), input.x, input.z, initialStates(input));
      if (!c.ok) throw new InputError(`hw rnn gradcheck: ${c.entries.filter((e) => !e.ok).map((e) => e.name).join(", ")} disagree (analytic vs autodiff vs finite differences)`);
      return {
        result: c,
        text: () =>
          [`Gradient check of L = ${num(c.loss)} (central differences, eps = ${c.eps}; pass: |a − n| ≤ ${c.atol} + ${c.rtol}·|n|)`, checkTable(c), "", "All gradients agree."].join("\n"),
      };
    },
  }, sink);

  leaf<GraphOptions>(rnn, "graph", {
    description: "the computational graph unrolled for T steps (Q1.1) as DOT, Mermaid, SVG or text",
    examples: ["hw rnn graph --steps 3", "hw rnn graph --steps 3 --format svg --out graph.svg", "hw rnn graph --format mermaid"],
    json: "{ steps, nodes: [{ id, label, kind }], edges: [{ from, to, label }] }",
    flags: { steps: "--steps" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--steps <T>", "number of time steps (1…1000)").argParser(integer(1, 1000)).default(3))
        .addOption(new Option("--format <format>", "output format").choices(["dot", "mermaid", "svg", "text", "json"]).default("dot")),
    run: async (ctx) => {
      const { steps, format } = ctx.options;
      ctx.budget({ memory: 4096 * steps, work: 1e5 * steps, why: `a graph of ${6 * steps + 3} nodes` });
      const g = lib.unrolledGraph(steps);
      const text =
        format === "svg" ? await renderSvg(lib.toDot(g)) : format === "mermaid" ? lib.toMermaid(g) : format === "text" ? lib.toText(g) : format === "json" ? JSON.stringify(g, null, 2) : lib.toDot(g);
      return { result: g, text: () => text };
    },
  }, sink);

  leaf<TrainCliOptions>(rnn, "train", {
    description: "train the BiRNN (SGD or Adam, gradient clipping) on a seeded task that needs past and future inputs",
    examples: ["hw rnn train", "hw rnn train --steps 500 --seed 7 --optimizer sgd --clip-norm 0.5", "hw rnn train --lengths 12,9,6,3 --seed 1", "hw rnn train --json --out curve.json"],
    json: "{ seed, losses, evalBefore, evalAfter, baseline, clippedSteps }",
    flags: { steps: "--steps", seed: "--seed", optimizer: "--optimizer", learningRate: "--lr", lr: "--lr", clipNorm: "--clip-norm", hiddenSize: "--hidden-size", lengths: "--lengths" },
    quantities: { losses: "the training loss", evalBefore: "the held-out MSE before training", evalAfter: "the held-out MSE after training" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--steps <n>", "optimisation steps").argParser(integer(1)).default(300))
        .addOption(new Option("--seed <s>", "seed of the initialisation and the data").argParser(integer(0)).default(0))
        .addOption(new Option("--optimizer <name>", "optimizer").choices(["adam", "sgd"]).default("adam"))
        .addOption(new Option("--lr <rate>", "learning rate (default 0.03 for Adam, 0.5 for SGD)").argParser(positive))
        .addOption(new Option("--clip-norm <norm>", "clip the global gradient norm to this").argParser(positive).default(1))
        .addOption(new Option("--hidden-size <H>", "hidden units per direction").argParser(integer(1)).default(8))
        .addOption(new Option("--lengths <list>", "variable-length batches: the length of each sequence of a batch, e.g. 12,9,6,3 (batch size = their count, T = the largest; default 16 sequences of 12 steps)").argParser(lengthList)),
    run: (ctx) => {
      const o = ctx.options;
      const H = o.hiddenSize;
      // train(): T = 12, batch 16 (or the --lengths batch), one input and one output unit; Adam keeps 3 copies of the parameters.
      const lengths = o.lengths;
      const T = lengths === undefined ? 12 : Math.max(...lengths);
      const B = lengths === undefined ? 16 : lengths.length;
      const parameters = 2 * (H * H + 2 * H) + 2 * H + 1;
      ctx.budget({
        memory: 8 * (6 * parameters + 64 * T * H * 8 + B * T * H * 8),
        // Forward, backward and the optimizer step: ~36 flops per recurrent weight per step and example.
        work: (o.steps * B + 2 * 64) * T * 36 * (H * H + 2 * H),
        why: `steps·batch·T·H² = ${o.steps}·${B}·${T}·${H}²`,
      });
      const progress = startProgress("training", o.steps);
      let result: TrainResult;
      try {
        result = lib.train({
          steps: o.steps,
          seed: o.seed,
          hiddenSize: H,
          optimizer: o.optimizer,
          clipNorm: o.clipNorm,
          maxMemory: ctx.maxMemory,
          ...(o.lr === undefined ? {} : { lr: o.lr }),
          ...(lengths === undefined ? {} : { lengths, length: T, batchSize: B }),
          onStep: (s) => {
            progress.update(s);
          },
        });
      } finally {
        progress.stop();
      }
      const { params: _params, ...summary } = result;
      return { result: summary, text: () => trainText(result, o.optimizer) };
    },
  }, sink);
  registerRnnFlow(rnn, sink);
}
