/** `hw rnn flow`: gradient norms per time step and the singular values of the Jacobian products. */
import { Option, type Command } from "commander";
import { matrixNorm } from "@hw/tensor";
import { leaf } from "../../command";
import type { Sink } from "../../io";
import { formatNumber, formatTable } from "../../format";
import { vegaLiteSvg } from "../../plot";
import { birnnFormat, params, sizes, type BirnnInput } from "./input";
import { lib } from "./lib";

interface FlowOptions {
  readonly plot?: string;
}

/** What `hw rnn flow --json` prints. */
export interface FlowJson {
  /** ‖∇_{h⁽ᶠ⁾_t}L‖₂ for t = 1…T. */
  readonly totalF: number[];
  readonly totalB: number[];
  /** ‖∇_{h⁽ᶠ⁾_t}L_T‖₂: what the last loss term sends back to step t. */
  readonly fromLastF: number[];
  /** ‖∇_{h⁽ᵇ⁾_t}L_1‖₂: what the first loss term sends to step t through the backward chain. */
  readonly fromFirstB: number[];
  /** Row s−1: the singular values (descending) of ∂h⁽ᶠ⁾_T/∂h⁽ᶠ⁾_{T−s}, s = 1…T. */
  readonly spectrumF: number[][];
  /** Row s−1: the singular values of ∂h⁽ᵇ⁾_1/∂h⁽ᵇ⁾_{1+s}, s = 1…T. */
  readonly spectrumB: number[][];
  /** (‖U⁽ᶠ⁾‖₂/4)^s, the bound on σ_max of span s with sigmoid units (σ′ ≤ 1/4). */
  readonly boundF: number[];
  readonly boundB: number[];
}

/** The flow of an input: the library's norms and spectra, plus the sigmoid bound per span. */
function computeFlow(input: BirnnInput): FlowJson {
  const f = lib.gradientFlow(params(input), input.x, input.z, {
    ...(input.hfInit === undefined ? {} : { hfInit: input.hfInit }),
    ...(input.hbInit === undefined ? {} : { hbInit: input.hbInit }),
    spectrum: true,
  });
  const { T } = sizes(input);
  const normF = matrixNorm(input.Uf, { ord: 2 }).item();
  const normB = matrixNorm(input.Ub, { ord: 2 }).item();
  const bound = (n: number) => Array.from({ length: T }, (_, s) => (n / 4) ** (s + 1));
  return {
    totalF: f.totalF,
    totalB: f.totalB,
    fromLastF: f.fromLastF,
    fromFirstB: f.fromFirstB,
    spectrumF: f.spectrumF!.toArray() as number[][],
    spectrumB: f.spectrumB!.toArray() as number[][],
    boundF: bound(normF),
    boundB: bound(normB),
  };
}

function flowText(input: BirnnInput, r: FlowJson): string {
  const { T, H } = sizes(input);
  const n = (v: number) => formatNumber(v);
  const steps = formatTable(
    ["t", "‖∇h(f)_t L‖", "‖∇h(b)_t L‖", "‖∇h(f)_t L_T‖", "‖∇h(b)_t L_1‖"],
    r.totalF.map((_, t) => [String(t + 1), n(r.totalF[t]!), n(r.totalB[t]!), n(r.fromLastF[t]!), n(r.fromFirstB[t]!)]),
  );
  const spans = formatTable(
    ["s", "fwd σ_max", "fwd σ_min", "(‖Uf‖₂/4)^s", "bwd σ_max", "bwd σ_min", "(‖Ub‖₂/4)^s"],
    r.spectrumF.map((row, s) => {
      const b = r.spectrumB[s]!;
      return [String(s + 1), n(row[0]!), n(row[row.length - 1]!), n(r.boundF[s]!), n(b[0]!), n(b[b.length - 1]!), n(r.boundB[s]!)];
    }),
  );
  return [
    `Gradient flow through time (T = ${T}, H = ${H}; sigmoid units, σ′ ≤ 1/4)`,
    "",
    steps,
    "",
    "Singular values of the Jacobian products over a span of s steps:",
    "forward ∂h(f)_T/∂h(f)_{T−s}, backward ∂h(b)_1/∂h(b)_{1+s}; σ_max never exceeds the bound",
    "",
    spans,
  ].join("\n");
}

/** The SVG chart: log σ_i against the span s, forward and backward side by side, with the bound. */
async function flowSvg(r: FlowJson): Promise<string> {
  const points: { chain: string; s: number; series: string; value: number }[] = [];
  const add = (chain: string, spectrum: number[][], bound: number[]) => {
    spectrum.forEach((row, s) => {
      row.forEach((value, i) => {
        // A log scale cannot show 0: values that underflowed are left out (the JSON keeps them).
        if (value > 0) points.push({ chain, s: s + 1, series: `σ${i + 1}`, value });
      });
      if (bound[s]! > 0 && Number.isFinite(bound[s])) points.push({ chain, s: s + 1, series: "bound (‖U‖₂/4)^s", value: bound[s]! });
    });
  };
  add("forward: ∂h(f)_T / ∂h(f)_{T−s}", r.spectrumF, r.boundF);
  add("backward: ∂h(b)_1 / ∂h(b)_{1+s}", r.spectrumB, r.boundB);
  return vegaLiteSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Singular values of the BiRNN's Jacobian products (sigmoid units)",
    data: { values: points },
    facet: { column: { field: "chain", type: "nominal", title: null } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "s", type: "quantitative", title: "span s (steps)", axis: { tickMinStep: 1 } },
        y: { field: "value", type: "quantitative", title: "singular value (log scale)", scale: { type: "log" } },
        color: { field: "series", type: "nominal", title: null },
        strokeDash: { condition: { test: "indexof(datum.series, 'bound') === 0", value: [4, 3] }, value: [1, 0] },
      },
    },
  });
}

/** Adds `hw rnn flow` under `hw rnn`. */
export function registerRnnFlow(rnn: Command, sink: Sink): void {
  leaf<FlowOptions>(rnn, "flow", {
    description: "gradient norms per time step and the singular values of the Jacobian products (vanishing gradients)",
    examples: ["hw rnn flow --input example", "hw rnn flow --input birnn.json --json", "hw rnn flow --input birnn.json --plot spectrum.svg"],
    input: birnnFormat,
    json: "{ totalF, totalB, fromLastF, fromFirstB, spectrumF, spectrumB, boundF, boundB }",
    // (‖U‖₂/4)^s overflows for large weights and long spans; that is an honest ∞, not an error.
    allowNonFinite: ["boundF", "boundB"],
    quantities: {
      totalF: "the gradient norm ‖∇h(f)_t L‖",
      totalB: "the gradient norm ‖∇h(b)_t L‖",
      fromLastF: "the gradient norm ‖∇h(f)_t L_T‖",
      fromFirstB: "the gradient norm ‖∇h(b)_t L_1‖",
      spectrumF: "a singular value of the forward Jacobian products",
      spectrumB: "a singular value of the backward Jacobian products",
      boundF: "the bound (‖Uf‖₂/4)^s",
      boundB: "the bound (‖Ub‖₂/4)^s",
    },
    configure: (cmd) => cmd.addOption(new Option("--plot <file.svg>", "also write the singular values against the span as an SVG chart")),
    run: async (ctx) => {
      const input = ctx.input as BirnnInput;
      const { T, D, H, K } = sizes(input);
      ctx.budget({
        memory: 8 * (14 * T * H + 2 * T * H * H + 4 * (H * D + H * H + K * H) + 2 * T * K),
        // One forward/backward pass, then per span one H×H product and one SVD per chain.
        work: 6 * T * (H * D + H * H + K * H) + 2 * T * 40 * H * H * H,
        why: `T·H³ = ${T}·${H}³ for the spectra`,
      });
      const r = computeFlow(input);
      const plot = ctx.options.plot;
      const extra = plot === undefined ? [] : [{ flag: "--plot", path: plot, text: await flowSvg(r) }];
      return { result: r, text: () => flowText(input, r), extra };
    },
  }, sink);
}
