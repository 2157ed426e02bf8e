/** `hw rnn …` and Question 1 of `hw solve`: the bidirectional RNN, its BPTT gradients and its graph. */
import { Option, type Command } from "commander";
import {
  bptt,
  checkGradients,
  train,
  toDot,
  toMermaid,
  unrolledGraph,
  type BpttResult,
  type GradientCheck,
  type TrainResult,
  type UnrolledGraph,
} from "@hw/rnn";
import type { Tensor } from "@hw/tensor";
import { InputError } from "../errors";
import { integerOption, matrix, numberOption, object, vector } from "../input";
import { emit, readJson, type OutputOptions, type Sink } from "../io";
import { startProgress } from "../progress";
import type { Check, SolveSection } from "../solve/section";

// ------------------------------------------------------------------------------------------------
// Input

/** The input of `hw rnn grad` / `gradcheck`: the `input` object of the birnn.json fixture. */
export interface BirnnInput {
  readonly Wf: number[][];
  readonly Uf: number[][];
  readonly Vf: number[][];
  readonly Wb: number[][];
  readonly Ub: number[][];
  readonly Vb: number[][];
  readonly hfInit: number[];
  readonly hbInit: number[];
  readonly x: number[][];
  readonly z: number[][];
}

function required(o: Record<string, unknown>, name: string, what: string): unknown {
  const v = o[name];
  if (v === undefined) throw new InputError(`${name}: missing (expected ${what})`);
  return v;
}

/** Validate the JSON input: every error names the field and the expected vs actual shape. */
export function parseBirnnInput(raw: unknown): BirnnInput {
  const o = object(raw);
  const Wf = matrix(required(o, "Wf", "an H×D matrix"), "Wf");
  const H = Wf.length;
  const D = Wf[0]?.length ?? 0;
  if (H === 0 || D === 0) throw new InputError(`Wf: expected a non-empty H×D matrix, got ${H}×${D}`);
  const Uf = matrix(required(o, "Uf", `a ${H}×${H} matrix`), "Uf", H, H);
  const Vf = matrix(required(o, "Vf", `a K×${H} matrix`), "Vf", undefined, H);
  const K = Vf.length;
  if (K === 0) throw new InputError(`Vf: expected a non-empty K×${H} matrix, got 0×${H}`);
  const Wb = matrix(required(o, "Wb", `a ${H}×${D} matrix`), "Wb", H, D);
  const Ub = matrix(required(o, "Ub", `a ${H}×${H} matrix`), "Ub", H, H);
  const Vb = matrix(required(o, "Vb", `a ${K}×${H} matrix`), "Vb", K, H);
  const zerosH = (): number[] => new Array<number>(H).fill(0);
  const hfInit = o.hfInit === undefined ? zerosH() : vector(o.hfInit, "hfInit", H);
  const hbInit = o.hbInit === undefined ? zerosH() : vector(o.hbInit, "hbInit", H);
  const x = matrix(required(o, "x", `a T×${D} matrix`), "x", undefined, D);
  const T = x.length;
  if (T === 0) throw new InputError(`x: expected a non-empty T×${D} matrix, got 0×${D}`);
  const z = matrix(required(o, "z", `a ${T}×${K} matrix`), "z", T, K);
  return { Wf, Uf, Vf, Wb, Ub, Vb, hfInit, hbInit, x, z };
}

function params(i: BirnnInput) {
  return { Wf: i.Wf, Uf: i.Uf, Vf: i.Vf, Wb: i.Wb, Ub: i.Ub, Vb: i.Vb };
}

// ------------------------------------------------------------------------------------------------
// Formatting

const num = (v: number): string => (Number.isFinite(v) ? (v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(6) : v.toExponential(3)) : String(v));
const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : String(v));

function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

function formatMatrix(m: readonly (readonly number[])[], indent = "    "): string {
  const cells = m.map((r) => r.map(num));
  const width = Math.max(1, ...cells.flat().map((c) => c.length));
  return cells.map((r) => `${indent}[ ${r.map((c) => c.padStart(width)).join("  ")} ]`).join("\n");
}

const vec = (v: readonly number[]): string => `[${v.map(num).join(", ")}]`;

/** The JSON of `hw rnn grad --json`: nested arrays, as in birnn.json's `expected`. */
export function gradJson(r: BpttResult) {
  const g = r.grads;
  return {
    loss: r.loss,
    hf: r.hf.toArray(),
    hb: r.hb.toArray(),
    y: r.y.toArray(),
    grads: {
      Wf: g.Wf.toArray(),
      Uf: g.Uf.toArray(),
      Vf: g.Vf.toArray(),
      Wb: g.Wb.toArray(),
      Ub: g.Ub.toArray(),
      Vb: g.Vb.toArray(),
      hfInit: g.hfInit.toArray(),
      hbInit: g.hbInit.toArray(),
    },
    dhf: r.dhf.toArray(),
    dhb: r.dhb.toArray(),
  };
}

function gradText(i: BirnnInput, r: BpttResult): string {
  const T = i.x.length;
  const lines = [
    `Bidirectional sigmoid RNN: T = ${T}, D = ${i.Wf[0]!.length}, H = ${i.Wf.length}, K = ${i.Vf.length}`,
    `Loss L = Σ_t ‖z_t − y_t‖² = ${num(r.loss)}`,
    "",
    "Per step (t = 1..T): states, outputs and the total gradients ∇_{h_t}L of the Q1.2 recursion",
  ];
  const hf = rows(r.hf);
  const hb = rows(r.hb);
  const y = rows(r.y);
  const dhf = rows(r.dhf);
  const dhb = rows(r.dhb);
  for (let t = 0; t < T; t++) {
    lines.push(
      `  t = ${t + 1}`,
      `    h⁽ᶠ⁾ = ${vec(hf[t]!)}`,
      `    h⁽ᵇ⁾ = ${vec(hb[t]!)}`,
      `    y    = ${vec(y[t]!)}`,
      `    ∇_{h⁽ᶠ⁾}L = ${vec(dhf[t]!)}`,
      `    ∇_{h⁽ᵇ⁾}L = ${vec(dhb[t]!)}`,
    );
  }
  lines.push("", "Gradients of L:");
  const g = r.grads;
  for (const [name, t] of [["Wf", g.Wf], ["Uf", g.Uf], ["Vf", g.Vf], ["Wb", g.Wb], ["Ub", g.Ub], ["Vb", g.Vb]] as const) {
    lines.push(`  ∇${name} (${t.shape.join("×")}):`, formatMatrix(rows(t)));
  }
  lines.push(`  ∇hfInit = ${vec(g.hfInit.toArray() as number[])}`, `  ∇hbInit = ${vec(g.hbInit.toArray() as number[])}`);
  return lines.join("\n");
}

function checkTable(c: GradientCheck): string {
  const head = ["gradient", "shape", "max|analytic−autodiff|", "max|analytic−numeric|", "max|autodiff−numeric|", "max|∇|", "ok"];
  const body = c.entries.map((e) => [e.name, e.shape.join("×"), sci(e.analyticVsAutodiff), sci(e.analyticVsNumeric), sci(e.autodiffVsNumeric), sci(e.scale), e.ok ? "✓" : "✗"]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) => `  ${r.map((c, j) => c.padEnd(widths[j]!)).join("  ")}`.trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** The graph as text: the two chains, then every edge of each step. */
export function graphText(g: UnrolledGraph): string {
  const label = new Map(g.nodes.map((n) => [n.id, n.label]));
  const T = g.steps;
  const l = (id: string): string => label.get(id) ?? id;
  const chainF = [l("hf0"), ...Array.from({ length: T }, (_, t) => l(`hf${t + 1}`))].join(" —U⁽ᶠ⁾→ ");
  const chainB = [...Array.from({ length: T }, (_, t) => l(`hb${t + 1}`)), l(`hb${T + 1}`)].join(" ←U⁽ᵇ⁾— ");
  const lines = [
    `Computational graph unrolled for t = 1..${T} (${g.nodes.length} nodes, ${g.edges.length} edges; the weights are shared across steps)`,
    `  forward chain : ${chainF}`,
    `  backward chain: ${chainB}`,
  ];
  for (let t = 1; t <= T; t++) {
    const into = (to: string) =>
      g.edges
        .filter((e) => e.to === to)
        .map((e) => (e.label === "" ? `${l(e.from)} → ${l(to)}` : `${l(e.from)} —${e.label}→ ${l(to)}`))
        .join(", ");
    lines.push(`  t = ${t}: ${[into(`hf${t}`), into(`hb${t}`), into(`y${t}`), into(`L${t}`)].join("; ")}; ${l(`L${t}`)} → L`);
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------------------------------------
// Commands

interface GradOptions extends OutputOptions {
  readonly input: string;
}

interface GraphOptions {
  readonly steps?: string;
  readonly format: "dot" | "mermaid" | "svg" | "text" | "json";
  readonly out?: string;
}

/** Render DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz). */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}

/** `hw rnn …`: the bidirectional RNN of Question 1. */
export function registerRnn(program: Command, sink: Sink): void {
  const rnn = program
    .command("rnn")
    .description("the bidirectional RNN of Question 1: BPTT gradients, gradient checks, the unrolled graph, training")
    .addHelpText("after", "\nExamples:\n  $ hw rnn grad --input birnn.json --json\n  $ hw rnn gradcheck --input birnn.json\n  $ hw rnn graph --steps 3 --format svg --out graph.svg\n  $ hw rnn train --steps 300 --seed 1");

  rnn
    .command("grad")
    .description("loss, states, outputs and every gradient by backprop through time (Q1.2–1.3)")
    .requiredOption("--input <file>", "JSON { Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z } (- for stdin)")
    .option("--json", "print JSON { loss, hf, hb, y, grads, dhf, dhb }")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw rnn grad --input birnn.json\n  $ hw rnn grad --input birnn.json --json --out grads.json\n  $ cat birnn.json | hw rnn grad --input - --json")
    .action((options: GradOptions) => {
      const input = parseBirnnInput(readJson(options.input));
      const r = bptt(params(input), input.x, input.z, { hfInit: input.hfInit, hbInit: input.hbInit, terms: false });
      emit(sink, options, gradJson(r), () => gradText(input, r));
    });

  rnn
    .command("gradcheck")
    .description("analytic (BPTT) vs autodiff vs finite differences: max error per parameter")
    .requiredOption("--input <file>", "JSON { Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z } (- for stdin)")
    .option("--json", "print the comparison as JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw rnn gradcheck --input birnn.json\n  $ hw rnn gradcheck --input birnn.json --json")
    .action((options: GradOptions) => {
      const input = parseBirnnInput(readJson(options.input));
      const c = checkGradients(params(input), input.x, input.z, { hfInit: input.hfInit, hbInit: input.hbInit });
      emit(sink, options, c, () =>
        [
          `Gradient check of L = ${num(c.loss)} (central differences, eps = ${c.eps}; pass: |a − n| ≤ ${c.atol} + ${c.rtol}·|n|)`,
          checkTable(c),
          "",
          c.ok ? "All gradients agree." : "Some gradients disagree.",
        ].join("\n"),
      );
      if (!c.ok) throw new InputError(`rnn gradcheck: ${c.entries.filter((e) => !e.ok).map((e) => e.name).join(", ")} disagree`);
    });

  rnn
    .command("graph")
    .description("the computational graph unrolled for T steps (Q1.1) as DOT, Mermaid, SVG or text")
    .option("--steps <T>", "number of time steps (1…1000)", "3")
    .addOption(new Option("--format <format>", "output format").choices(["dot", "mermaid", "svg", "text", "json"]).default("dot"))
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw rnn graph --steps 3\n  $ hw rnn graph --steps 3 --format svg --out graph.svg\n  $ hw rnn graph --format mermaid")
    .action(async (options: GraphOptions) => {
      const steps = integerOption(options.steps, "--steps", 1) ?? 3;
      if (steps > 1000) throw new InputError(`--steps ${steps}: must be ≤ 1000`);
      const g = unrolledGraph(steps);
      const text =
        options.format === "svg"
          ? await renderSvg(toDot(g))
          : options.format === "mermaid"
            ? toMermaid(g)
            : options.format === "text"
              ? graphText(g)
              : options.format === "json"
                ? JSON.stringify(g, null, 2)
                : toDot(g);
      emit(sink, { out: options.out }, g, () => text);
    });

  rnn
    .command("train")
    .description("train the BiRNN (SGD or Adam, gradient clipping) on a seeded task that needs past and future inputs")
    .option("--steps <n>", "optimisation steps", "300")
    .option("--seed <s>", "seed of the initialisation and the data", "0")
    .addOption(new Option("--optimizer <name>", "optimizer").choices(["adam", "sgd"]).default("adam"))
    .option("--lr <rate>", "learning rate (default 0.03 for Adam, 0.5 for SGD)")
    .option("--clip <norm>", "clip the global gradient norm to this", "1")
    .option("--hidden <H>", "hidden units per direction", "8")
    .option("--json", "print JSON { seed, losses, evalBefore, evalAfter, baseline, clippedSteps }")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw rnn train\n  $ hw rnn train --steps 500 --seed 7 --optimizer sgd --clip 0.5\n  $ hw rnn train --json --out curve.json")
    .action((options: TrainCliOptions) => {
      const steps = integerOption(options.steps, "--steps", 1) ?? 300;
      if (steps > 100_000) throw new InputError(`--steps ${steps}: must be ≤ 100000`);
      const seed = integerOption(options.seed, "--seed", 0) ?? 0;
      const hiddenSize = integerOption(options.hidden, "--hidden", 1) ?? 8;
      const learningRate = numberOption(options.lr, "--lr", (v) => (v > 0 ? null : "must be > 0"));
      const clipNorm = numberOption(options.clip, "--clip", (v) => (v > 0 ? null : "must be > 0")) ?? 1;
      const progress = startProgress("training", steps);
      let result: TrainResult;
      try {
        result = train({
          steps,
          seed,
          hiddenSize,
          optimizer: options.optimizer,
          clipNorm,
          ...(learningRate === undefined ? {} : { learningRate }),
          onStep: (s) => {
            progress.update(s);
          },
        });
      } finally {
        progress.stop();
      }
      const { params: _params, ...summary } = result;
      emit(sink, options, summary, () => trainText(result, options.optimizer));
    });
}

interface TrainCliOptions extends OutputOptions {
  readonly steps?: string;
  readonly seed?: string;
  readonly optimizer: "adam" | "sgd";
  readonly lr?: string;
  readonly clip?: string;
  readonly hidden?: string;
}

/** A text plot of a loss curve: one row per bucket of steps, bar length ∝ mean loss. */
export function lossCurve(losses: readonly number[], rowsWanted = 15, width = 50): string {
  const n = losses.length;
  const buckets = Math.min(rowsWanted, n);
  const means: { from: number; to: number; mean: number }[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let s = 0;
    for (let i = from; i < to; i++) s += losses[i]!;
    means.push({ from: from + 1, to, mean: s / (to - from) });
  }
  const top = Math.max(...means.map((m) => m.mean));
  const label = (m: { from: number; to: number }) => `${m.from}–${m.to}`;
  const lw = Math.max(...means.map((m) => label(m).length));
  return means
    .map((m) => `  steps ${label(m).padStart(lw)} │${"█".repeat(Math.max(1, Math.round((m.mean / top) * width))).padEnd(width)} ${m.mean.toFixed(4)}`)
    .join("\n");
}

function trainText(r: TrainResult, optimizer: string): string {
  return [
    `Training the bidirectional RNN on z_t = (x_{t−1} + x_{t+1})/2 (needs the past AND the future input)`,
    `  optimizer ${optimizer}, ${r.losses.length} steps, seed ${r.seed}, clipped steps: ${r.clippedSteps}`,
    "",
    "Training loss (mean squared error per step, averaged per bucket):",
    lossCurve(r.losses),
    "",
    `Held-out MSE: ${r.evalBefore.toFixed(4)} before → ${r.evalAfter.toFixed(4)} after (predicting 0 gives ${r.baseline.toFixed(4)})`,
  ].join("\n");
}

// ------------------------------------------------------------------------------------------------
// hw solve, Question 1

/** The built-in example: case 0 of the PyTorch fixture birnn.json (D = 3, H = 4, K = 2, T = 5). */
export const EXAMPLE: BirnnInput = {
  Wf: [[-0.6145254153925269, -0.3856236908052894, -0.3720464804772249], [-0.45206108157314223, 0.0784952786085924, -0.5467786048827091], [-0.05472195478676018, 0.2917113960478098, 0.11168675887808878], [-0.0046657634566853005, 0.014525241176089375, -0.23864730149868593]],
  Uf: [[0.305488596360231, -0.16168445520014377, -0.5742844828703546, -0.5355617143884509], [0.19633523945175782, -0.42452678538417904, 0.017426259412247135, 0.2965733956074379], [0.5948211681169105, 0.6995792979528925, 0.549822392426078, 0.5274076106136166], [0.48296022941033523, -0.4837728687259316, -0.4612489884163329, 0.6778775130605547]],
  Vf: [[0.43778776309036055, -0.08981135428464046, -0.11995028005040954, -0.10022948250020582], [0.3608663446917679, 0.591517675672174, 0.6500577952773576, -0.4535743718298978]],
  Wb: [[0.6354516490174587, -0.26126872179299204, -0.0638432274628477], [-0.2862270957746617, -0.43748954539775153, -0.3594392691166792], [-0.21098517199120476, -0.07829870654374706, -0.13037810196407132], [-0.29968611863425504, 0.42503048641260266, -0.24952780498588567]],
  Ub: [[-0.19053632388750874, -0.28208621276896656, 0.2289432130204236, -0.34276624507624237], [-0.11987930554021274, 0.47537690091235885, 0.33856554896582286, -0.2989123381248283], [0.4100024507110813, 0.00016285855766406954, 0.5568366839268559, -0.5528255827800798], [0.11327931729692936, 0.6813239717070517, -0.5158666180212828, -0.3652075973316613]],
  Vb: [[-0.2734423295597314, 0.022182780973441618, -0.06798277094241698, -0.009950299565786878], [0.04209177099318701, -0.3293921297189425, -0.4660350050432833, 0.06746779783833318]],
  hfInit: [-0.18343380713696097, 0.026154262690087138, -0.040490733672482355, 0.10177257376156555],
  hbInit: [0.026298452798231318, -0.19286403670025182, 0.11423046421314957, 0.2407148305990298],
  x: [[-1.3695484482894653, -0.6140999728687724, 1.2043124156138691], [0.12263399937274942, 0.8745144835895573, 0.769914487746897], [0.6461227740083317, 1.3787779010170669, 0.6389285062338802], [-0.7480637518798681, 1.399290754062713, 0.1512118241255357], [-0.22386312729405541, 0.11736575944111531, 1.0196900670286237]],
  z: [[-0.19250806037130921, -1.0604998777074874], [1.1076572627112395, 1.0595913713787084], [1.1558090344445717, 1.3125274754405065], [-0.23799742449646596, -0.2536483834652602], [0.5277149762126228, 0.5039391235633838]],
};

/** PyTorch's loss for {@link EXAMPLE} (birnn.json, case 0). */
export const EXAMPLE_LOSS = 7.847845705540357;

function maxAbs(a: readonly number[], b: readonly number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

/** Question 1 of `hw solve`. */
export const rnnSection: SolveSection = {
  id: "1",
  title: "Backprop through a bidirectional RNN",
  run: () => {
    const ex = EXAMPLE;
    const init = { hfInit: ex.hfInit, hbInit: ex.hbInit };
    const r = bptt(params(ex), ex.x, ex.z, init);
    const terms = r.terms!;
    const c = checkGradients(params(ex), ex.x, ex.z, init);
    const T = ex.x.length;
    const lf = rows(terms.localF);
    const lb = rows(terms.localB);
    const tf = rows(terms.totalF);
    const tb = rows(terms.totalB);
    const jf = terms.jacobianF.toArray() as number[][][];
    const jb = terms.jacobianB.toArray() as number[][][];
    const text = [
      "1.1 " + graphText(unrolledGraph(3)),
      "",
      "1.2 Local gradients and Jacobians (σ′ = h ⊙ (1 − h) for the sigmoid):",
      "  ∇_{h_t⁽ᶠ⁾} L_t = 2 V⁽ᶠ⁾ᵀ (y_t − z_t)        ∇_{h_t⁽ᵇ⁾} L_t = 2 V⁽ᵇ⁾ᵀ (y_t − z_t)",
      "  ∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾ = diag(h_{t+1}⁽ᶠ⁾ ⊙ (1 − h_{t+1}⁽ᶠ⁾)) U⁽ᶠ⁾",
      "  ∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾ = diag(h_{t−1}⁽ᵇ⁾ ⊙ (1 − h_{t−1}⁽ᵇ⁾)) U⁽ᵇ⁾",
      "  ∇_{h_t⁽ᶠ⁾} L = ∇_{h_t⁽ᶠ⁾} L_t + (∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾)ᵀ ∇_{h_{t+1}⁽ᶠ⁾} L   (t = T … 1)",
      "  ∇_{h_t⁽ᵇ⁾} L = ∇_{h_t⁽ᵇ⁾} L_t + (∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾)ᵀ ∇_{h_{t−1}⁽ᵇ⁾} L   (t = 1 … T)",
      `  On the built-in example (PyTorch fixture birnn.json case 0: T = ${T}, D = 3, H = 4, K = 2), L = ${num(r.loss)}:`,
      ...Array.from({ length: T }, (_, t) =>
        [
          `  t = ${t + 1}: ∇_{h⁽ᶠ⁾}L_t = ${vec(lf[t]!)}   ∇_{h⁽ᶠ⁾}L = ${vec(tf[t]!)}`,
          `         ∇_{h⁽ᵇ⁾}L_t = ${vec(lb[t]!)}   ∇_{h⁽ᵇ⁾}L = ${vec(tb[t]!)}`,
        ].join("\n"),
      ),
      "  ∂h_3⁽ᶠ⁾/∂h_2⁽ᶠ⁾ =",
      formatMatrix(jf[2]!),
      "  ∂h_2⁽ᵇ⁾/∂h_3⁽ᵇ⁾ =",
      formatMatrix(jb[1]!),
      "",
      "1.3 Every step contributes; the contributions add up:",
      "  ∇_{W⁽ᶠ⁾} L = Σ_t (∇_{h_t⁽ᶠ⁾}L ⊙ h_t⁽ᶠ⁾ ⊙ (1 − h_t⁽ᶠ⁾)) x_tᵀ",
      formatMatrix(rows(r.grads.Wf)),
      "  ∇_{U⁽ᵇ⁾} L = Σ_t (∇_{h_t⁽ᵇ⁾}L ⊙ h_t⁽ᵇ⁾ ⊙ (1 − h_t⁽ᵇ⁾)) (h_{t+1}⁽ᵇ⁾)ᵀ   (h_{T+1}⁽ᵇ⁾ = the initial state)",
      formatMatrix(rows(r.grads.Ub)),
      "",
      "Verification table (analytic BPTT vs @hw/tensor autodiff vs central finite differences):",
      checkTable(c),
    ].join("\n");
    const sumSteps = (s: Tensor): number[] => {
      const a = s.toArray() as number[][][];
      return a[0]!.flatMap((row, i) => row.map((_, j) => a.reduce((acc, m) => acc + m[i]![j]!, 0)));
    };
    const flatOf = (t: Tensor): number[] => (t.toArray() as number[][]).flat();
    const stepErr = Math.max(maxAbs(sumSteps(terms.stepsWf), flatOf(r.grads.Wf)), maxAbs(sumSteps(terms.stepsUb), flatOf(r.grads.Ub)));
    const lossErr = Math.abs(r.loss - EXAMPLE_LOSS);
    const checks: Check[] = [
      { name: "loss matches PyTorch (birnn.json case 0)", ok: lossErr <= 1e-9 * EXAMPLE_LOSS, detail: `L = ${r.loss} vs ${EXAMPLE_LOSS} (|Δ| = ${sci(lossErr)})` },
      ...c.entries.map(
        (e): Check => ({
          name: `∇${e.name}: analytic = autodiff = finite differences`,
          ok: e.ok,
          detail: `max|a−ad| = ${sci(e.analyticVsAutodiff)}, max|a−fd| = ${sci(e.analyticVsNumeric)}, max|ad−fd| = ${sci(e.autodiffVsNumeric)} (max|∇| = ${sci(e.scale)})`,
        }),
      ),
      { name: "per-step terms add up to ∇W⁽ᶠ⁾ and ∇U⁽ᵇ⁾ (Q1.3)", ok: stepErr <= 1e-12, detail: `max |Σ_t term_t − total| = ${sci(stepErr)}` },
    ];
    return { text, checks, data: { loss: r.loss, grads: gradJson(r).grads, check: c.entries } };
  },
};
