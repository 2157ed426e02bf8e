/** `hw rnn …`: the bidirectional RNN of Question 1. */
import { Option, type Command } from "commander";
import type { TrainResult } from "@hw/rnn";
import { leaf } from "../../command";
import { InputError } from "../../errors";
import type { Sink } from "../../io";
import { integer, positive } from "../../options";
import { startProgress } from "../../progress";
import { checkTable, gradJson, gradText, num, trainText } from "./format";
import { registerRnnFlow } from "./flow";
import { birnnFormat, params, sizes, type BirnnInput } from "./input";
import { lib } from "./lib";

/** Render DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz). */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}

/** Memory (bytes) and work (operations) of one forward + backward pass over an input. */
function passCost(i: BirnnInput): { memory: number; work: number; why: string } {
  const { T, D, H, K } = sizes(i);
  const perStep = 2 * (H * D + H * H + K * H);
  return { memory: 8 * (12 * T * H + 4 * (H * D + H * H + K * H) + 2 * T * K), work: 6 * T * perStep, why: `T·(H·D + H² + K·H) = ${T}·(${H}·${D} + ${H}² + ${K}·${H})` };
}

function initialStates(i: BirnnInput) {
  return { ...(i.hfInit === undefined ? {} : { hfInit: i.hfInit }), ...(i.hbInit === undefined ? {} : { hbInit: i.hbInit }) };
}

interface GraphOptions {
  readonly steps: number;
  readonly format: "dot" | "mermaid" | "svg" | "text" | "json";
}

interface TrainCliOptions {
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

  leaf<object>(rnn, "grad", {
    description: "loss, states, outputs and every gradient by backprop through time (Q1.2–1.3)",
    examples: ["hw rnn grad --input example", "hw rnn grad --input birnn.json --json --out grads.json", "cat birnn.json | hw rnn grad --input - --json"],
    input: birnnFormat,
    json: "{ loss, hf, hb, y, grads, dhf, dhb }",
    quantities: { loss: "the loss L", hf: "the forward states h⁽ᶠ⁾", hb: "the backward states h⁽ᵇ⁾", y: "the outputs y", grads: "the gradient", dhf: "the total gradient ∇_{h⁽ᶠ⁾}L", dhb: "the total gradient ∇_{h⁽ᵇ⁾}L" },
    run: (ctx) => {
      const input = ctx.input as BirnnInput;
      ctx.budget(passCost(input));
      const r = lib.bptt(params(input), input.x, input.z, { ...initialStates(input), terms: false, maxMemory: ctx.maxMemory });
      return { result: gradJson(r), text: () => gradText(input, r) };
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
    examples: ["hw rnn train", "hw rnn train --steps 500 --seed 7 --optimizer sgd --clip-norm 0.5", "hw rnn train --json --out curve.json"],
    json: "{ seed, losses, evalBefore, evalAfter, baseline, clippedSteps }",
    flags: { steps: "--steps", seed: "--seed", optimizer: "--optimizer", learningRate: "--lr", lr: "--lr", clipNorm: "--clip-norm", hiddenSize: "--hidden-size" },
    quantities: { losses: "the training loss", evalBefore: "the held-out MSE before training", evalAfter: "the held-out MSE after training" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--steps <n>", "optimisation steps").argParser(integer(1)).default(300))
        .addOption(new Option("--seed <s>", "seed of the initialisation and the data").argParser(integer(0)).default(0))
        .addOption(new Option("--optimizer <name>", "optimizer").choices(["adam", "sgd"]).default("adam"))
        .addOption(new Option("--lr <rate>", "learning rate (default 0.03 for Adam, 0.5 for SGD)").argParser(positive))
        .addOption(new Option("--clip-norm <norm>", "clip the global gradient norm to this").argParser(positive).default(1))
        .addOption(new Option("--hidden-size <H>", "hidden units per direction").argParser(integer(1)).default(8)),
    run: (ctx) => {
      const o = ctx.options;
      const H = o.hiddenSize;
      // train(): T = 12, batch 16, one input and one output unit; Adam keeps 3 copies of the parameters.
      const T = 12;
      const B = 16;
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
