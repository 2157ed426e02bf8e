/** `hw norm …`: batch, layer, instance, group and RMS normalization and weight norm (Question 3). */
import { Option, type Command } from "commander";
import type { NormalizeResult } from "@hw/normalization";
import type { NormInput, WeightNormInput } from "@hw/normalization/schema";
import { tensor, type NestedArray, type Tensor } from "@hw/tensor";
import { leaf } from "../../command";
import { InputError, UsageError } from "../../errors";
import { formatNumber } from "../../format";
import type { Sink } from "../../io";
import { integer, positive } from "../../options";
import { POOLS, showValues as show } from "./format";
import { normFormat, weightNormFormat } from "./input";
import { lib } from "./lib";

/** The normalization kinds of `hw norm`. */
export const KINDS = ["batch", "layer", "instance", "group", "rms"] as const;
export type Kind = (typeof KINDS)[number];

interface KindOptions {
  readonly kind: Kind;
  readonly groups?: number;
  readonly eps?: number;
}

function shapeOf(x: NormInput["x"]): [number, number, number] {
  return [x.length, x[0]!.length, x[0]![0]!.length];
}

/** γ or β checked against the kind: length C (batch, instance, group) or C×F (layer, rms). */
function param(input: NormInput, name: "gamma" | "beta", kind: Kind): NestedArray | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (kind === "rms" && name === "beta") throw new InputError("beta: RMS norm has no shift (PyTorch's nn.RMSNorm has a weight γ only); remove \"beta\" or use --kind layer");
  const [, c, f] = shapeOf(input.x);
  const isMatrix = Array.isArray(value[0]);
  if (kind === "layer" || kind === "rms") {
    const m = value as number[][];
    if (!isMatrix || m.length !== c || m[0]!.length !== f) {
      throw new InputError(`${name}: expected a ${c}×${f} matrix (C×F, elementwise for ${kind} norm), got ${isMatrix ? `${m.length}×${m[0]!.length}` : `a vector of length ${value.length}`}`);
    }
    return m;
  }
  if (isMatrix || value.length !== c) {
    throw new InputError(`${name}: expected a vector of length ${c} (one per channel for ${kind} norm), got ${isMatrix ? "a matrix" : `length ${value.length}`}`);
  }
  return value;
}

/** What one normalization kind computes: `rms` has no mean or variance, only the root mean square. */
export type KindResult = (NormalizeResult & { readonly rms?: undefined }) | { readonly y: Tensor; readonly rms: Tensor; readonly mean?: undefined; readonly variance?: undefined };

/** Run one normalization kind. */
export function runKind(kind: Kind, input: NormInput, options: { eps?: number; groups?: number; withParams: boolean }): KindResult {
  const x = tensor(input.x);
  const gamma = options.withParams ? param(input, "gamma", kind) : undefined;
  const beta = options.withParams ? param(input, "beta", kind) : undefined;
  const eps = options.eps ?? input.eps;
  const o = { ...(eps === undefined ? {} : { eps }), ...(gamma === undefined ? {} : { gamma }), ...(beta === undefined ? {} : { beta }) };
  switch (kind) {
    case "batch":
      return lib.batchNorm(x, o);
    case "layer":
      return lib.layerNorm(x, x.shape.slice(1), o);
    case "instance":
      return lib.instanceNorm(x, o);
    case "rms":
      return lib.rmsNorm(x, x.shape.slice(1), o);
    case "group": {
      const groups = options.groups ?? input.groups;
      if (groups === undefined) throw new UsageError('--groups: required with --kind group (or a "groups" field in the input)');
      return lib.groupNorm(x, groups, o);
    }
  }
}

function cost(input: NormInput): { memory: number; work: number; why: string } {
  const [b, c, f] = shapeOf(input.x);
  return { memory: 8 * b * c * f * 4, work: 10 * b * c * f, why: `B·C·F = ${b}·${c}·${f}` };
}

// Checked in `run` rather than by commander, so that `--print-example` works without it.
const kindOption = (): Option => new Option("--kind <kind>", "which normalization (required)").choices(KINDS);

function kindOf(options: KindOptions): Kind {
  if ((options.kind as Kind | undefined) === undefined) throw new UsageError("required option '--kind <kind>' not specified");
  return options.kind;
}
const groupsOption = (): Option => new Option("--groups <G>", "number of groups (--kind group), dividing C").argParser(integer(1));
const FLAGS = { groups: "--groups", numGroups: "--groups", eps: "--eps" };

/** `hw norm …`: batch, layer, instance and group normalization (Question 3). */
export function registerNorm(program: Command, sink: Sink): void {
  const norm = program
    .command("norm")
    .description("batch, layer, instance, group and RMS normalization and weight norm (Question 3)")
    .addHelpText("after", "\nExamples:\n  $ hw norm stats --kind batch --input example:q3\n  $ hw norm apply --kind group --groups 3 --input x.json --json\n  $ hw norm weightnorm-grad --input wn.json");

  leaf<KindOptions>(norm, "stats", {
    description: "mean and (biased) variance of each pooled group of a B×C×F tensor (--kind rms: the root mean square, no centring)",
    examples: ["hw norm stats --kind instance --input example:q3", "hw norm stats --kind group --groups 3 --input x.json --json", "hw norm stats --kind rms --input example:q3"],
    input: normFormat,
    json: "{ mean, variance } ({ rms } for --kind rms)",
    flags: FLAGS,
    quantities: { mean: "the mean", variance: "the variance", rms: "the root mean square" },
    configure: (cmd) => cmd.addOption(kindOption()).addOption(groupsOption()),
    run: (ctx) => {
      const input = ctx.input as NormInput;
      const kind = kindOf(ctx.options);
      ctx.budget(cost(input));
      const r = runKind(kind, input, { ...(ctx.options.groups === undefined ? {} : { groups: ctx.options.groups }), withParams: false });
      if (r.rms !== undefined) {
        const rms = r.rms;
        return {
          result: { rms: rms.toArray() },
          text: () => [`rms norm statistics (${POOLS.rms}) of x with shape [${shapeOf(input.x).join(", ")}]:`, show("rms = √(mean x² + ε) = ", rms)].join("\n"),
        };
      }
      return {
        result: { mean: r.mean.toArray(), variance: r.variance.toArray() },
        text: () => [`${kind} norm statistics (${POOLS[kind]}) of x with shape [${shapeOf(input.x).join(", ")}]:`, show("mean     = ", r.mean), show("variance = ", r.variance)].join("\n"),
      };
    },
  }, sink);

  leaf<KindOptions>(norm, "apply", {
    description: "normalize a B×C×F tensor (training-mode statistics) with the input's gamma/beta",
    examples: ["hw norm apply --kind batch --input example:q3", "hw norm apply --kind layer --eps 1e-3 --input x.json --json --out y.json", "hw norm apply --kind rms --input example:q3"],
    input: normFormat,
    json: "{ y }",
    flags: FLAGS,
    quantities: { y: "the normalized output y" },
    configure: (cmd) =>
      cmd
        .addOption(kindOption())
        .addOption(groupsOption())
        .addOption(new Option("--eps <E>", "added to the variance (rms: the mean square) inside the square root (> 0; default: the input's eps, else 1e-5; rms: the machine epsilon, as PyTorch)").argParser(positive))
        .addHelpText("after", "\ngamma/beta: per channel (length C) for batch, instance and group; C×F (elementwise) for layer; rms takes gamma (C×F) only."),
    run: (ctx) => {
      const input = ctx.input as NormInput;
      const kind = kindOf(ctx.options);
      ctx.budget(cost(input));
      const { eps, groups } = ctx.options;
      const r = runKind(kind, input, { ...(eps === undefined ? {} : { eps }), ...(groups === undefined ? {} : { groups }), withParams: true });
      return {
        result: { y: r.y.toArray() },
        text: () => [`${kind} norm of x with shape [${shapeOf(input.x).join(", ")}] (eps ${formatNumber(eps ?? input.eps ?? (kind === "rms" ? Number.EPSILON : 1e-5))}):`, show("y = ", r.y)].join("\n"),
      };
    },
  }, sink);

  leaf<object>(norm, "weightnorm-grad", {
    description: "weight norm w = γu/‖u‖ and its gradient ∇_u L = s W⊥ ∇_w L (Question 3.3)",
    examples: ["hw norm weightnorm-grad --input example:q3", "hw norm weightnorm-grad --input wn.json --json"],
    input: weightNormFormat,
    json: "{ w, gradU, gradGamma, s }",
    quantities: { w: "the weights w", gradU: "the gradient ∇_u L", gradGamma: "the gradient ∂L/∂γ", s: "the scale s = γ/‖u‖" },
    run: (ctx) => {
      const { u, gamma, gradW } = ctx.input as WeightNormInput;
      ctx.budget({ memory: 8 * u.length * u.length + 64 * u.length, work: 4 * u.length * u.length, why: `the ${u.length}×${u.length} projection W⊥` });
      const r = lib.weightNormGrad(u, gamma, gradW);
      const orth = u.reduce((a, v, i) => a + v * r.gradU.get(i), 0);
      return {
        result: { w: r.w.toArray(), gradU: r.gradU.toArray(), gradGamma: r.gradGamma.item(), s: r.s.item() },
        text: () =>
          [
            show("w         = ", r.w),
            `${show("gradU     = ", r.gradU)}   (= s W⊥ gradW; uᵀ gradU = ${formatNumber(orth, 3)})`,
            `gradGamma = ${formatNumber(r.gradGamma.item())}`,
            `s         = γ/‖u‖ = ${formatNumber(r.s.item())}`,
          ].join("\n"),
      };
    },
  }, sink);
}
