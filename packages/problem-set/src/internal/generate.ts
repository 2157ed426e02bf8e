/**
 * Generated variants: every number drawn from `createRng(seed)`, and each question's lesson kept
 * intact by reject-and-redraw (see {@link generateData}).
 */
import { beamSearch, exhaustiveSearch, greedyDecode, markovLM, treeLM, viterbi } from "@hw/decoding";
import { instanceNorm } from "@hw/normalization";
import { createRng, inv, matmul, tensor, transpose, type Rng } from "@hw/tensor";
import type { Q1Data, Q2Data, Q3Data, Q4Data, TreeNodeData, VariantData } from "../variant";
import { answerKey } from "../answer-key";
import { PARTS } from "../parts";
import { toNumbers, varianceOf } from "./numbers";

/** How many redraws a question may need before generation gives up (never reached in practice). */
const MAX_ATTEMPTS = 10_000;

function int(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng.nextFloat64() * (high - low + 1));
}

/** A non-zero one-decimal number in ±[0.1, max]. */
function tenth(rng: Rng, max: number): number {
  const k = int(rng, 1, Math.round(max * 10));
  return (rng.nextFloat64() < 0.5 ? -k : k) / 10;
}

function matrixOf(rng: Rng, rows: number, cols: number, max: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => tenth(rng, max)));
}

/** `k` positive multiples of 1/`units` summing to `total` units (stars and bars). */
function composition(rng: Rng, k: number, total: number, units: number): number[] {
  const cuts = rng.permutation(total - 1).slice(0, k - 1).map((c) => c + 1).sort((a, b) => a - b);
  const bounds = [0, ...cuts, total];
  return Array.from({ length: k }, (_, i) => (bounds[i + 1]! - bounds[i]!) / units);
}

function redraw<T>(what: string, draw: () => T, ok: (value: T) => boolean): T {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const value = draw();
    if (ok(value)) return value;
  }
  throw new RangeError(`generateVariant: no ${what} satisfied the lesson's conditions in ${MAX_ATTEMPTS} draws`);
}

/** Q1: T = 3, D = H = K = 2, one-decimal non-zero weights, inputs and targets (writable by hand). */
function q1(rng: Rng): Q1Data {
  const T = 3;
  const D = 2;
  const H = 2;
  const K = 2;
  return {
    Wf: matrixOf(rng, H, D, 1),
    Uf: matrixOf(rng, H, H, 1),
    Vf: matrixOf(rng, K, H, 1),
    Wb: matrixOf(rng, H, D, 1),
    Ub: matrixOf(rng, H, H, 1),
    Vb: matrixOf(rng, K, H, 1),
    hfInit: Array.from({ length: H }, () => tenth(rng, 0.5)),
    hbInit: Array.from({ length: H }, () => tenth(rng, 0.5)),
    x: matrixOf(rng, T, D, 2),
    z: matrixOf(rng, T, K, 2),
  };
}

const FIRST = ["the", "a", "one", "my", "red", "big"];
const SECOND = ["cat", "dog", "fox", "car", "bird", "fish"];
const THIRD = ["ran", "sat", "is", "barked", "flew", "swam"];
const WEATHER = ["sun", "cloud", "rain", "snow", "fog", "wind"];

function pick(rng: Rng, words: readonly string[], k: number): string[] {
  return rng.permutation(words.length).slice(0, k).map((i) => words[i]!);
}

/** A depth-3 tree: 3 first words, 2 continuations each, 2 endings each; some mass omitted per node. */
function tree(rng: Rng): TreeNodeData[] {
  const level = (words: readonly string[], k: number, below?: () => TreeNodeData[]): TreeNodeData[] => {
    // k + 1 parts of 20 twentieths; the last part is the omitted low-probability branches.
    const probs = composition(rng, k + 1, 20, 20).slice(0, k);
    return pick(rng, words, k).map((token, i) => ({ token, prob: probs[i]!, ...(below === undefined ? {} : { children: below() }) }));
  };
  return level(FIRST, 3, () => level(SECOND, 2, () => level(THIRD, 2)));
}

const key = (tokens: readonly string[]): string => tokens.join(" ");

/** All prefix log-probabilities at each depth are distinct, so that every decoder's choice is unambiguous. */
function noTies(children: readonly TreeNodeData[]): boolean {
  const byDepth: number[][] = [[], [], []];
  const walk = (nodes: readonly TreeNodeData[], p: number, depth: number): void => {
    for (const n of nodes) {
      byDepth[depth]!.push(p * n.prob);
      if (n.children !== undefined) walk(n.children, p * n.prob, depth + 1);
    }
  };
  walk(children, 1, 0);
  return byDepth.every((ps) => {
    const s = [...ps].sort((a, b) => a - b);
    return s.every((v, i) => i === 0 || v - s[i - 1]! > 1e-9);
  });
}

/** The Q2.4 lesson: greedy, beam B = 2 and the optimum all differ, and B = 3 recovers the optimum. */
export function treeLessonHolds(children: readonly TreeNodeData[], steps: number): boolean {
  if (!noTies(children)) return false;
  const lm = treeLM(children);
  const greedy = key(greedyDecode(lm, steps).sequences[0]!.tokens);
  const beam2 = key(beamSearch(lm, { beamWidth: 2, steps }).sequences[0]!.tokens);
  const beam3 = key(beamSearch(lm, { beamWidth: 3, steps }).sequences[0]!.tokens);
  const best = key(exhaustiveSearch(lm, steps).sequences[0]!.tokens);
  return greedy !== beam2 && greedy !== best && beam2 !== best && beam3 === best;
}

/** Q2: N^T for small N, T; a 4-token Markov LM with a unique Viterbi optimum; the tree of 2.4. */
function q2(rng: Rng): Q2Data {
  // N^T and T^N differ (so that the swapped exponent is a recognisable mistake).
  const count = redraw("2.1 sizes", () => ({ N: int(rng, 3, 9), T: int(rng, 2, 5) }), ({ N, T }) => N ** T !== T ** N);
  const markov = redraw(
    "Markov LM",
    () => {
      const words = pick(rng, WEATHER, 3);
      const vocab = ["<BOS>", ...words];
      const P = vocab.map(() => [0, ...composition(rng, 3, 20, 20)]);
      return { type: "markov" as const, vocab, bos: "<BOS>", P, steps: 3 };
    },
    (m) => {
      const lm = markovLM({ vocab: m.vocab, bos: m.bos, P: m.P });
      const top = exhaustiveSearch(lm, m.steps, { topK: 2 }).sequences;
      const v = viterbi(lm, m.steps).sequences[0]!;
      const g = greedyDecode(lm, m.steps).sequences[0]!;
      // A unique optimum, and greedy decoding misses it (the reason for the dynamic program).
      return top.length === 2 && top[0]!.logProb - top[1]!.logProb > 1e-6 && key(v.tokens) === key(top[0]!.tokens) && key(g.tokens) !== key(v.tokens);
    },
  );
  const children = redraw("tree LM", () => tree(rng), (c) => treeLessonHolds(c, 3));
  return { count, markov, tree: { type: "tree", bos: "<BOS>", children, steps: 3 } };
}

/** Q3: a 4×2×3 tensor of integers 1…6 (exact-fraction answers), no constant instance; u, γ, ∇_w L for 3.3. */
function q3(rng: Rng): Q3Data {
  const x = redraw(
    "3.1 tensor",
    () => Array.from({ length: 4 }, () => Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => int(rng, 1, 6)))),
    (t) => toNumbers(varianceOf(instanceNorm(tensor(t)))).every((v) => v > 0),
  );
  const wn = redraw(
    "3.3 weight-norm numbers",
    () => ({ u: Array.from({ length: 3 }, () => (int(rng, 0, 1) === 0 ? -1 : 1) * int(rng, 1, 3)), gamma: int(rng, 1, 3), gradW: Array.from({ length: 3 }, () => tenth(rng, 2)) }),
    ({ u, gradW }) => {
      const dot = u.reduce((s, v, i) => s + v * gradW[i]!, 0);
      const cos = dot / Math.hypot(...u) / Math.hypot(...gradW);
      // ∇_w L far from parallel to u (else the projection removes almost everything), and not orthogonal.
      return Math.abs(cos) < 0.9 && Math.abs(cos) > 0.1;
    },
  );
  return { x, ...wn };
}

/** The 1-norm condition number of a small symmetric positive definite matrix. */
function condition1(A: number[][]): number {
  const norm1 = (M: number[][]): number => Math.max(...M[0]!.map((_, j) => M.reduce((s, r) => s + Math.abs(r[j]!), 0)));
  return norm1(A) * norm1(inv(tensor(A)).toArray() as number[][]);
}

/** Q4: n = 40, d = 4, well-conditioned columns with distinct scales (ratios ≥ 1.5), p and λ from short lists. */
function q4(rng: Rng): Q4Data {
  const n = 40;
  const d = 4;
  return redraw(
    "Q4 data",
    () => {
      const scales = pick(rng, ["0.25", "0.5", "1", "2", "4", "8"], d).map(Number);
      const Z = rng.normal([n, d]).toArray() as number[][];
      const X = Z.map((row) => row.map((v, j) => Number((v * scales[j]!).toFixed(3))));
      const wTrue = Array.from({ length: d }, () => tenth(rng, 2));
      const noise = toNumbers(rng.normal([n], { std: 0.5 }));
      const y = X.map((row, i) => Number((row.reduce((s, v, j) => s + v * wTrue[j]!, 0) + noise[i]!).toFixed(3)));
      const p = [0.6, 0.7, 0.75, 0.8, 0.9][int(rng, 0, 4)]!;
      const lambda = [0.5, 1, 2, 4][int(rng, 0, 3)]!;
      return { X, y, w: Array.from({ length: d }, () => tenth(rng, 1)), p, lambda };
    },
    ({ X }) => {
      const G = matmul(transpose(tensor(X)), tensor(X)).toArray() as number[][];
      const norms = G.map((r, j) => Math.sqrt(r[j]!));
      const corr = G.map((r, i) => r.map((v, j) => v / norms[i]! / norms[j]!));
      const sorted = [...norms].sort((a, b) => a - b);
      return condition1(corr) < 4 && sorted.every((v, i) => i === 0 || v / sorted[i - 1]! >= 1.5);
    },
  );
}

function numbersOf(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.flatMap(numbersOf);
  if (typeof v === "object" && v !== null) return Object.values(v).flatMap(numbersOf);
  return [];
}

/**
 * The data of generated variant `seed`: one independent stream per question (`rng.split()`). A question
 * whose answer key has an entry of magnitude below 1e-3 is redrawn from its stream, so that every
 * entry is meaningful at four significant digits (and a 1% error in any entry is visible).
 */
export function generateData(seed: number): VariantData {
  const rng = createRng(seed);
  const streams = [rng.split(), rng.split(), rng.split(), rng.split()] as const;
  const draw = [() => q1(streams[0]), () => q2(streams[1]), () => q3(streams[2]), () => q4(streams[3])] as const;
  let data: VariantData = { q1: draw[0](), q2: draw[1](), q3: draw[2](), q4: draw[3]() };
  for (let attempt = 0; attempt < 100; attempt++) {
    const key = answerKey(data);
    const tiny = PARTS.find((p) => numbersOf(key[p.id]).some((v) => Math.abs(v) < 1e-3));
    if (tiny === undefined) return data;
    const q = Number(tiny.question) as 1 | 2 | 3 | 4;
    data = { ...data, [`q${q}`]: draw[q - 1]!() };
  }
  throw new RangeError(`generateVariant: seed ${seed} kept producing answers below 1e-3 in magnitude`);
}
