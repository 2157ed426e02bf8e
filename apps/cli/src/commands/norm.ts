import { Option, type Command } from "commander";
import {
  batchNorm,
  batchNormBackward,
  groupNorm,
  instanceNorm,
  layerNorm,
  problemTensor,
  weightNorm,
  weightNormGrad,
  whitenedBatchNormEqualsWeightNorm,
  type NormalizeResult,
} from "@hw/normalization";
import { add, div, grad, matmul, mean, mul, sqrt, sub, sum, tensor, variance, type NestedArray, type Tensor } from "@hw/tensor";
import { InputError } from "../errors";
import { emit, readJson, type OutputOptions, type Sink } from "../io";
import { finiteNumber, integerOption, nested, numberOption, object, vector } from "../input";
import type { Check, SolveSection } from "../solve/section";

/** The normalization kinds of `hw norm`. */
export const KINDS = ["batch", "layer", "instance", "group"] as const;
export type Kind = (typeof KINDS)[number];

/** The input of `hw norm stats|apply`. */
export interface NormInput {
  readonly x: Tensor;
  readonly shape: readonly number[];
  readonly gamma?: NestedArray;
  readonly beta?: NestedArray;
  readonly eps?: number;
  readonly groups?: number;
}

/** The built-in weight-norm example (`--input example:q3`). */
export const WEIGHTNORM_EXAMPLE = { u: [1, 2, -2], gamma: 2, gradW: [0.3, -0.7, 1.9] };

function source(path: string | undefined): unknown {
  if (path === undefined || path === "example:q3") return { x: problemTensor().toArray() };
  if (path.startsWith("example:")) throw new InputError(`--input ${path}: unknown example (the built-in one is example:q3)`);
  return readJson(path);
}

/** Read and validate `{ x: B×C×F, gamma?, beta?, eps?, groups? }` for `kind` (γ/β ignored unless `withParams`). */
export function readNormInput(value: unknown, kind: Kind, withParams = true): NormInput {
  const o = object(value);
  if (!("x" in o)) throw new InputError(`input: missing field "x" (a B×C×F nested array)`);
  const { data, shape } = nested(o.x, "x", 3);
  const [, c, f] = shape as [number, number, number];
  const x = tensor(data, shape);
  const param = (name: "gamma" | "beta"): NestedArray | undefined => {
    const v = o[name];
    if (v === undefined || !withParams) return undefined;
    if (kind === "layer") {
      const m = nested(v, name, 2);
      if (m.shape[0] !== c || m.shape[1] !== f) {
        throw new InputError(`${name}: expected a ${c}×${f} matrix (C×F, elementwise for layer norm), got ${m.shape.join("×")}`);
      }
      return v as NestedArray;
    }
    return vector(v, name, c);
  };
  const gamma = param("gamma");
  const beta = param("beta");
  const eps = o.eps === undefined ? undefined : finiteNumber(o.eps, "eps");
  if (eps !== undefined && eps <= 0) throw new InputError(`eps: expected a number > 0, got ${eps}`);
  const groups = o.groups === undefined ? undefined : finiteNumber(o.groups, "groups");
  return {
    x,
    shape,
    ...(gamma === undefined ? {} : { gamma }),
    ...(beta === undefined ? {} : { beta }),
    ...(eps === undefined ? {} : { eps }),
    ...(groups === undefined ? {} : { groups }),
  };
}

/** Run one normalization kind on a validated input. */
export function runKind(kind: Kind, input: NormInput, eps: number | undefined, groupsOption: number | undefined): NormalizeResult {
  const options = {
    ...(eps === undefined ? {} : { eps }),
    ...(input.gamma === undefined ? {} : { gamma: input.gamma }),
    ...(input.beta === undefined ? {} : { beta: input.beta }),
  };
  switch (kind) {
    case "batch":
      return batchNorm(input.x, options);
    case "layer":
      return layerNorm(input.x, input.shape.slice(1), options);
    case "instance":
      return instanceNorm(input.x, options);
    case "group": {
      const groups = groupsOption ?? input.groups;
      if (groups === undefined) throw new InputError("--groups: required with --kind group (or a \"groups\" field in the input)");
      return groupNorm(input.x, groups, options);
    }
  }
}

interface KindOptions extends OutputOptions {
  readonly kind: Kind;
  readonly groups?: string;
  readonly eps?: string;
  readonly input?: string;
}

function kindOption(): Option {
  return new Option("--kind <kind>", "which normalization").choices(KINDS).makeOptionMandatory();
}

function parseCommon(options: KindOptions, withParams: boolean): { input: NormInput; eps: number | undefined; groups: number | undefined } {
  const eps = numberOption(options.eps, "--eps", (v) => (v <= 0 ? "must be > 0" : null));
  const groups = integerOption(options.groups, "--groups", 1);
  const input = readNormInput(source(options.input), options.kind, withParams);
  return { input, eps: eps ?? input.eps, groups };
}

/** `label` followed by the formatted tensor, continuation lines indented under the first. */
export function show(label: string, t: Tensor): string {
  return `${label}${t.toString().replace(/\n/g, `\n${" ".repeat(label.length)}`)}`;
}

const POOLS: Record<Kind, string> = {
  batch: "per channel, over batch and features: shape [C]",
  layer: "per sample, over channels and features: shape [B]",
  instance: "per sample and channel, over features: shape [B, C]",
  group: "per sample and group, over the group's channels and features: shape [B, G]",
};

/** `hw norm …`: batch, layer, instance and group normalization (Question 3). */
export function registerNorm(program: Command, sink: Sink): void {
  const norm = program
    .command("norm")
    .description("batch, layer, instance and group normalization and weight norm (Question 3)")
    .addHelpText("after", "\nExamples:\n  $ hw norm stats --kind batch --input example:q3\n  $ hw norm apply --kind group --groups 3 --input x.json --json\n  $ hw norm weightnorm-grad --input wn.json");

  norm
    .command("stats")
    .description("mean and (biased) variance of each pooled group of a B×C×F tensor")
    .addOption(kindOption())
    .option("--groups <G>", "number of groups (--kind group), dividing C")
    .option("--input <file>", 'JSON { "x": B×C×F nested array } (- for stdin; example:q3 for the problem\'s tensor)', "example:q3")
    .option("--json", "print { mean, var } as JSON")
    .option("--out <file>", "write the output to FILE (atomically)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ hw norm stats --kind instance --input example:q3\n  $ hw norm stats --kind group --groups 3 --input normalization-input.json --json",
    )
    .action((options: KindOptions) => {
      const { input, groups } = parseCommon(options, false);
      const r = runKind(options.kind, input, undefined, groups);
      emit(sink, options, { mean: r.mean.toArray(), var: r.var.toArray() }, () =>
        [`${options.kind} norm statistics (${POOLS[options.kind]}) of x with shape [${input.shape.join(", ")}]:`, show("mean = ", r.mean), show("var  = ", r.var)].join("\n"),
      );
    });

  norm
    .command("apply")
    .description("normalize a B×C×F tensor (training-mode statistics) with the file's gamma/beta")
    .addOption(kindOption())
    .option("--groups <G>", "number of groups (--kind group), dividing C")
    .option("--eps <E>", "added to the variance inside the square root (> 0; default: the file's eps, else 1e-5)")
    .option("--input <file>", 'JSON { "x", "gamma"?, "beta"?, "eps"? } (- for stdin; example:q3)', "example:q3")
    .option("--json", "print { y } as JSON")
    .option("--out <file>", "write the output to FILE (atomically)")
    .addHelpText(
      "after",
      "\ngamma/beta: per channel (length C) for batch, instance and group; C×F (elementwise) for layer.\nExamples:\n  $ hw norm apply --kind batch --input example:q3\n  $ hw norm apply --kind layer --eps 1e-3 --input x.json --json --out y.json",
    )
    .action((options: KindOptions) => {
      const { input, eps, groups } = parseCommon(options, true);
      const r = runKind(options.kind, input, eps, groups);
      emit(sink, options, { y: r.y.toArray() }, () => [`${options.kind} norm of x with shape [${input.shape.join(", ")}] (eps ${eps ?? 1e-5}):`, show("y = ", r.y)].join("\n"));
    });

  norm
    .command("weightnorm-grad")
    .description("weight norm w = γu/‖u‖ and its gradient ∇_u L = s W⊥ ∇_w L (Question 3.3)")
    .option("--input <file>", 'JSON { "u": vector, "gamma": number, "gradW": vector } (- for stdin; example:q3)', "example:q3")
    .option("--json", "print { w, gradU, gradGamma, s } as JSON")
    .option("--out <file>", "write the output to FILE (atomically)")
    .addHelpText("after", "\nExamples:\n  $ hw norm weightnorm-grad --input example:q3\n  $ hw norm weightnorm-grad --input wn.json --json")
    .action((options: OutputOptions & { input: string }) => {
      const o = object(options.input === "example:q3" ? WEIGHTNORM_EXAMPLE : source(options.input));
      const u = vector(o.u, "u");
      if (u.length === 0) throw new InputError("u: expected a non-empty vector");
      const gamma = finiteNumber(o.gamma, "gamma");
      const gradW = vector(o.gradW, "gradW", u.length);
      const r = weightNormGrad(u, gamma, gradW);
      const orth = u.reduce((a, v, i) => a + v * r.gradU.get(i), 0);
      const result = { w: r.w.toArray(), gradU: r.gradU.toArray(), gradGamma: r.gradGamma.item(), s: r.s.item() };
      emit(sink, options, result, () =>
        [
          show("w         = ", r.w),
          `${show("gradU     = ", r.gradU)}   (= s W⊥ gradW; uᵀ gradU = ${orth.toExponential(2)})`,
          `gradGamma = ${r.gradGamma.item()}`,
          `s         = γ/‖u‖ = ${r.s.item()}`,
        ].join("\n"),
      );
    });
}

/** max |a − b| over two equally shaped tensors or nested arrays. */
function maxAbsDiff(a: Tensor, b: Tensor): number {
  let m = 0;
  const x = a.contiguous();
  const y = b.contiguous();
  for (let i = 0; i < x.size; i++) m = Math.max(m, Math.abs(x.data[x.offset + i]! - y.data[y.offset + i]!));
  return m;
}

/** Mean and biased variance of the problem tensor by direct loops (the independent computation). */
function directStats(x: number[][][], pick: (b: number, c: number) => string): Map<string, { mean: number; var: number }> {
  const pools = new Map<string, number[]>();
  x.forEach((row, b) => {
    row.forEach((feat, c) => {
      const key = pick(b, c);
      pools.set(key, [...(pools.get(key) ?? []), ...feat]);
    });
  });
  const out = new Map<string, { mean: number; var: number }>();
  for (const [k, v] of pools) {
    const mean = v.reduce((a, t) => a + t, 0) / v.length;
    out.set(k, { mean, var: v.reduce((a, t) => a + (t - mean) ** 2, 0) / v.length });
  }
  return out;
}

const fmt = (v: number): string => v.toExponential(1);

/** Question 3 of `hw solve`. */
export const normSection: SolveSection = {
  id: "3",
  title: "Normalization",
  run: () => {
    const x = problemTensor();
    const xs = x.toArray() as number[][][];
    const bn = batchNorm(x);
    const ln = layerNorm(x, [2, 3]);
    const inorm = instanceNorm(x);
    const checks: Check[] = [];

    // 3.1 against direct loops and against the exact fractions of the answer key.
    const direct = (pick: (b: number, c: number) => string, keys: string[], field: "mean" | "var"): number[] => {
      const s = directStats(xs, pick);
      return keys.map((k) => s.get(k)![field]);
    };
    const bKeys = ["0", "1"];
    const lKeys = ["0", "1", "2", "3"];
    const iKeys = lKeys.flatMap((b) => bKeys.map((c) => `${b},${c}`));
    const cmp = (t: Tensor, values: number[]): number => maxAbsDiff(tensor(Array.from(t.contiguous().data)), tensor(values));
    const e31 = Math.max(
      cmp(bn.mean, direct((_b, c) => String(c), bKeys, "mean")),
      cmp(bn.var, direct((_b, c) => String(c), bKeys, "var")),
      cmp(ln.mean, direct((b) => String(b), lKeys, "mean")),
      cmp(ln.var, direct((b) => String(b), lKeys, "var")),
      cmp(inorm.mean, direct((b, c) => `${b},${c}`, iKeys, "mean")),
      cmp(inorm.var, direct((b, c) => `${b},${c}`, iKeys, "var")),
    );
    checks.push({ name: "3.1 six tensors vs direct loops", ok: e31 <= 1e-12, detail: `max |package − loops| = ${fmt(e31)}` });
    const key = [5 / 2, 31 / 12, 7 / 12, 155 / 144, 2, 3, 5 / 2, 8 / 3, 2 / 3, 2 / 3, 5 / 4, 2 / 9];
    const ours = [...bn.mean.data, ...bn.var.data, ...ln.mean.data, ...ln.var.data];
    const eKey = Math.max(...key.map((k, i) => Math.abs(k - ours[i]!)));
    checks.push({
      name: "3.1 batch/layer answers vs the exact fractions",
      ok: eKey <= 1e-12,
      detail: `μ_batch = [5/2, 31/12], σ²_batch = [7/12, 155/144], μ_layer = [2, 3, 5/2, 8/3], σ²_layer = [2/3, 2/3, 5/4, 2/9]: max error ${fmt(eKey)}`,
    });
    const g1 = groupNorm(x, 1);
    const g2 = groupNorm(x, 2);
    const eG = Math.max(cmp(g1.mean, Array.from(ln.mean.data)), cmp(g1.var, Array.from(ln.var.data)), cmp(g2.mean, Array.from(inorm.mean.data)), cmp(g2.var, Array.from(inorm.var.data)));
    checks.push({ name: "3.1 group norm: 1 group = layer, C groups = instance", ok: eG <= 1e-15, detail: `max difference ${fmt(eG)}` });

    // Backward pass on the problem tensor: analytic vs autodiff of the formula in @hw/tensor primitives.
    const up = tensor(xs.map((r, b) => r.map((f, c) => f.map((_, k) => Math.sin(1 + b + 2 * c + 3 * k)))));
    const gammaBn = tensor([[1.5], [-0.5]]);
    const betaBn = tensor([[0.2], [0.1]]);
    const analytic = batchNormBackward(x, up, { gamma: [1.5, -0.5], beta: [0.2, 0.1] });
    const composed = (a: Tensor): Tensor => {
      const centred = sub(a, mean(a, [0, 2], { keepDims: true }));
      const y = add(mul(div(centred, sqrt(add(variance(a, [0, 2], { keepDims: true }), 1e-5))), gammaBn), betaBn);
      return sum(mul(y, up));
    };
    const eB = maxAbsDiff(analytic.gradX, grad(composed)(x));
    checks.push({ name: "batch-norm backward (analytic) vs autodiff of the formula", ok: eB <= 1e-12, detail: `max |Δ ∂L/∂x| = ${fmt(eB)}` });

    // 3.2 Monte Carlo.
    const u32 = [1, -2, 0.5];
    const demo = whitenedBatchNormEqualsWeightNorm({ u: u32, gamma: 1.5, beta: 0.25, sizes: [100, 10_000, 1_000_000], seed: 3 });
    const errs = demo.rows.map((r) => r.maxAbsError);
    const shrinking = errs[2]! < errs[0]! / 10 && errs[2]! < 0.02;
    checks.push({
      name: "3.2 BN(uᵀx) = wᵀx + β on whitened samples (Monte Carlo, seed 3)",
      ok: shrinking,
      detail: `${demo.rows.map((r) => `n=${r.n}: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`).join("; ")} (→ 0 like 1/√n)`,
    });

    // 3.3 projection and orthogonality.
    const u = [1, 2, -2];
    const gradW = [0.3, -0.7, 1.9];
    const wg = weightNormGrad(u, 2, gradW);
    const viaMatrix = mul(wg.s, matmul(wg.projection, tensor(gradW)));
    const [autoU] = grad((a: Tensor, g: Tensor) => sum(mul(div(mul(g, a), sqrt(sum(mul(a, a)))), tensor(gradW))), { argnums: [0] })(tensor(u), tensor(2));
    const eP = maxAbsDiff(wg.gradU, viaMatrix);
    const eA = maxAbsDiff(wg.gradU, autoU);
    const orth = Math.abs(u.reduce((a, v, i) => a + v * wg.gradU.get(i), 0));
    const pu = Math.max(...(matmul(wg.projection, tensor(u)).toArray() as number[]).map(Math.abs));
    checks.push({ name: "3.3 ∇_u L = s W⊥ ∇_w L (matrix form) = autodiff", ok: eP <= 1e-14 && eA <= 1e-12, detail: `max |Δ| vs s·W⊥·∇_w L = ${fmt(eP)}, vs autodiff = ${fmt(eA)}` });
    checks.push({ name: "3.3 orthogonality: W⊥u = 0 and uᵀ∇_u L = 0", ok: pu <= 1e-14 && orth <= 1e-14, detail: `max |W⊥u| = ${fmt(pu)}, |uᵀ∇_u L| = ${fmt(orth)}` });

    const text = [
      "3.1 x = the 4×2×3 tensor (batch × channels × features); biased variances.",
      show("μ_batch     = ", bn.mean),
      show("σ²_batch    = ", bn.var),
      show("μ_layer     = ", ln.mean),
      show("σ²_layer    = ", ln.var),
      show("μ_instance  = ", inorm.mean),
      show("σ²_instance = ", inorm.var),
      "",
      `3.2 u = [${u32.join(", ")}], γ = 1.5, β = 0.25, ${show("w = γu/‖u‖ = ", demo.w)}`,
      ...demo.rows.map((r) => `    n = ${String(r.n).padStart(7)}: mean(y) = ${r.meanY.toFixed(4)}, var(y) = ${r.varY.toFixed(4)} (‖u‖² = ${demo.normUSquared}), |BN(y) − (wᵀx+β)|: rms ${fmt(r.rmsError)}, max ${fmt(r.maxAbsError)}`),
      "",
      `3.3 u = [${u.join(", ")}], γ = 2, ∇_w L = [${gradW.join(", ")}]: s = ${wg.s.item().toFixed(6)}, ${show("∇_u L = ", wg.gradU)}`,
    ].join("\n");
    return {
      text,
      checks,
      data: {
        batch: { mean: bn.mean.toArray(), var: bn.var.toArray() },
        layer: { mean: ln.mean.toArray(), var: ln.var.toArray() },
        instance: { mean: inorm.mean.toArray(), var: inorm.var.toArray() },
        whitened: demo.rows,
        weightNorm: { u, gamma: 2, gradW, w: weightNorm(u, 2).toArray(), gradU: wg.gradU.toArray(), s: wg.s.item(), gradGamma: wg.gradGamma.item() },
      },
    };
  },
};
