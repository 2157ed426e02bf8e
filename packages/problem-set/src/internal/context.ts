/** Everything the key and the mistake catalogue need from one variant, computed once by the topic packages. */
import { beamSearch, exhaustiveSearch, greedyDecode, markovLM, treeLM, viterbi, type DecodedSequence } from "@hw/decoding";
import { batchNorm, instanceNorm, layerNorm } from "@hw/normalization";
import { tensor } from "@hw/tensor";
import { q1Instance, q2CountInstance, q3WeightNormInstance, q4Instance, type FamilyId, type FormulaInstance } from "../formula/instances";
import type { SequenceAnswer } from "../answers";
import type { VariantData } from "../variant";
import { varianceOf, type Nested } from "./numbers";

export interface VariantContext {
  readonly data: VariantData;
  readonly instances: Record<FamilyId, FormulaInstance>;
  readonly sizes: Readonly<Record<string, number>>;
  readonly decode: {
    readonly viterbi: SequenceAnswer;
    readonly markovGreedy: SequenceAnswer;
    readonly optimum: SequenceAnswer;
    readonly greedy: SequenceAnswer;
    readonly beam2: SequenceAnswer[];
    readonly beam3: SequenceAnswer[];
  };
  /** 3.1 statistics by pooling: batch [C], layer [B], instance [B, C]; biased and unbiased variances. */
  readonly stats: Record<"batch" | "layer" | "instance", { mean: Nested; variance: Nested; unbiased: Nested }>;
}

const seq = (s: DecodedSequence): SequenceAnswer => ({ tokens: [...s.tokens], logProb: s.logProb });

const cache = new WeakMap<VariantData, VariantContext>();

/** The context of a variant's data (cached per data object). */
export function variantContext(data: VariantData): VariantContext {
  const hit = cache.get(data);
  if (hit !== undefined) return hit;
  const markov = markovLM({ vocab: data.q2.markov.vocab, bos: data.q2.markov.bos, P: data.q2.markov.P });
  const tree = treeLM(data.q2.tree.children, { bos: data.q2.tree.bos });
  const T2 = data.q2.markov.steps;
  const T4 = data.q2.tree.steps;
  const x = tensor(data.q3.x);
  const [B, C, F] = x.shape as [number, number, number];
  const pooled = (r: { mean: { toArray(): unknown } }, n: number) => {
    const v = varianceOf(r);
    return { mean: r.mean.toArray() as Nested, variance: v.toArray() as Nested, unbiased: scale(v.toArray() as Nested, n / (n - 1)) };
  };
  const ctx: VariantContext = {
    data,
    instances: {
      q1: q1Instance(data.q1, "variant"),
      q2count: q2CountInstance(data.q2.count.N, data.q2.count.T, "variant"),
      q3weightnorm: q3WeightNormInstance(data.q3, "variant"),
      q4: q4Instance(data.q4, "variant"),
    },
    sizes: {
      T: data.q1.x.length,
      "T−1": data.q1.x.length - 1,
      H: data.q1.Wf.length,
      D: data.q1.Wf[0]!.length,
      K: data.q1.Vf.length,
      B,
      C,
      F,
      n: data.q3.u.length,
      d: data.q4.X[0]!.length,
    },
    decode: {
      viterbi: seq(viterbi(markov, T2).sequences[0]!),
      markovGreedy: seq(greedyDecode(markov, T2).sequences[0]!),
      optimum: seq(exhaustiveSearch(tree, T4).sequences[0]!),
      greedy: seq(greedyDecode(tree, T4).sequences[0]!),
      beam2: beamSearch(tree, { beamWidth: 2, steps: T4 }).sequences.map(seq),
      beam3: beamSearch(tree, { beamWidth: 3, steps: T4 }).sequences.map(seq),
    },
    stats: {
      batch: pooled(batchNorm(x), B * F),
      layer: pooled(layerNorm(x, [C, F]), C * F),
      instance: pooled(instanceNorm(x), F),
    },
  };
  cache.set(data, ctx);
  return ctx;
}

function scale(v: Nested, k: number): Nested {
  return typeof v === "number" ? v * k : v.map((e) => scale(e, k));
}
