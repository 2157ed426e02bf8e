/** A variant's answer key (exact values from the topic packages) and its catalogue of wrong answers in numbers. */
import type { AnswerValue, SequenceAnswer } from "./answers";
import { evaluateAt, prepareFormula, stepsOf } from "./formula/evaluate";
import { variantContext, type VariantContext } from "./internal/context";
import type { Nested } from "./internal/numbers";
import { PARTS, type Part } from "./parts";
import type { VariantData } from "./variant";

/** Drop the trailing 1 of column vectors (n×1 → n) so that numbers are written as plain lists. */
function squeezeColumn(v: Nested): Nested {
  if (Array.isArray(v) && v.length > 0 && v.every((r) => Array.isArray(r) && r.length === 1)) return v.map((r) => (r as Nested[])[0]!);
  return v;
}

/** The numbers of a formula part: its value, or the stack over the part's steps (per-step vectors as rows). */
function stacked(ctx: VariantContext, part: Part, value: (t: number | undefined) => Nested): Nested {
  const instance = ctx.instances[part.formula!.family];
  const steps = stepsOf(part, instance);
  if (part.formula!.steps === undefined) return squeezeColumn(value(undefined));
  return steps.map((t) => squeezeColumn(value(t)));
}

function expectedOf(ctx: VariantContext, part: Part): AnswerValue {
  if (part.formula !== undefined) {
    const instance = ctx.instances[part.formula.family];
    return stacked(ctx, part, (t) => instance.exact(part.id, t));
  }
  const d = ctx.decode;
  switch (part.id) {
    case "2.2.viterbi":
      return d.viterbi;
    case "2.4a.optimum":
      return d.optimum;
    case "2.4b.greedy":
      return d.greedy;
    case "2.4c.beam":
      return d.beam2;
    default: {
      const name = part.id.split(".").at(-1)!;
      const [stat, pool] = name.split("_") as ["mu" | "var", "batch" | "layer" | "instance"];
      return stat === "mu" ? ctx.stats[pool].mean : ctx.stats[pool].variance;
    }
  }
}

/** The answer key of a variant: every part's exact answer, in the format of answers files. */
export function answerKey(data: VariantData): Record<string, AnswerValue> {
  const ctx = variantContext(data);
  return Object.fromEntries(PARTS.map((p) => [p.id, expectedOf(ctx, p)]));
}

/** One entry of a variant's mistake catalogue in numbers: what a student making it would answer. */
export interface MistakeValue {
  readonly id: string;
  readonly value: Nested | SequenceAnswer | Partial<SequenceAnswer> | readonly Partial<SequenceAnswer>[];
}

const asLn10 = (s: SequenceAnswer): SequenceAnswer => ({ tokens: s.tokens, logProb: s.logProb / Math.LN10 });
const asProb = (s: SequenceAnswer): SequenceAnswer => ({ tokens: s.tokens, logProb: Math.exp(s.logProb) });

/**
 * The wrong answers of part `part` for this variant: each mistake computed on the variant's numbers
 * (formula mistakes evaluated on the variant's instance; mistakes whose formula does not apply to the
 * variant's sizes, e.g. a missing transpose when K ≠ H, are left out).
 */
export function mistakeValues(data: VariantData, part: Part): MistakeValue[] {
  let perData = mistakeCache.get(data);
  if (perData === undefined) {
    perData = new Map();
    mistakeCache.set(data, perData);
  }
  let values = perData.get(part.id);
  if (values === undefined) {
    values = computeMistakeValues(variantContext(data), part);
    perData.set(part.id, values);
  }
  return values;
}

const mistakeCache = new WeakMap<VariantData, Map<string, MistakeValue[]>>();

function computeMistakeValues(ctx: VariantContext, part: Part): MistakeValue[] {
  const out: MistakeValue[] = [];
  if (part.formula !== undefined) {
    const instance = ctx.instances[part.formula.family];
    for (const m of part.mistakes) {
      for (const formula of m.formulas ?? []) {
        try {
          const f = prepareFormula(formula, part);
          out.push({ id: m.id, value: stacked(ctx, part, (t) => evaluateAt(f, instance, t).value as Nested) });
        } catch {
          // Not computable with this variant's sizes.
        }
      }
    }
    return out;
  }
  const d = ctx.decode;
  switch (part.id) {
    case "2.2.viterbi":
      return [
        { id: "greedy-as-optimum", value: { tokens: d.markovGreedy.tokens } },
        { id: "probability-instead-of-log-probability", value: { logProb: Math.exp(d.viterbi.logProb) } },
        { id: "log10-instead-of-ln", value: asLn10(d.viterbi) },
      ];
    case "2.4a.optimum":
      return [
        { id: "greedy-as-optimum", value: { tokens: d.greedy.tokens } },
        { id: "beam-as-optimum", value: { tokens: d.beam2[0]!.tokens } },
        { id: "probability-instead-of-log-probability", value: { logProb: asProb(d.optimum).logProb } },
      ];
    case "2.4b.greedy":
      return [
        { id: "optimum-as-greedy", value: { tokens: d.optimum.tokens } },
        { id: "probability-instead-of-log-probability", value: { logProb: asProb(d.greedy).logProb } },
      ];
    case "2.4c.beam":
      return [
        { id: "greedy-as-beam", value: [{ tokens: d.greedy.tokens }] },
        { id: "pruned-too-late", value: d.beam3.slice(0, 2).map((s) => ({ tokens: s.tokens })) },
      ];
    default: {
      const name = part.id.split(".").at(-1)!;
      const [stat, pool] = name.split("_") as ["mu" | "var", "batch" | "layer" | "instance"];
      const others = (["batch", "layer", "instance"] as const).filter((k) => k !== pool);
      const pick = (k: "batch" | "layer" | "instance") => (stat === "mu" ? ctx.stats[k].mean : ctx.stats[k].variance);
      return [
        ...(stat === "var" ? [{ id: "unbiased-variance", value: ctx.stats[pool].unbiased }] : []),
        ...others.map((k) => ({ id: "pooled-wrong-axes", value: pick(k) })),
      ];
    }
  }
}
