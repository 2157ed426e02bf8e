// Random small language models for property tests (fast-check arbitraries) and slow references.
import fc from "fast-check";
import { languageModel, markovLM, type LanguageModel, type MarkovLanguageModel } from "../src/index";

/** A random row-stochastic N×N matrix (some exact zeros allowed) from raw non-negative weights. */
export const stochasticMatrix = (n: number, zeros = true): fc.Arbitrary<number[][]> =>
  fc
    .array(
      fc.array(zeros ? fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })) : fc.double({ min: 0.01, max: 1, noNaN: true }), {
        minLength: n,
        maxLength: n,
      }),
      { minLength: n, maxLength: n },
    )
    .map((rows) =>
      rows.map((r) => {
        const w = r.every((v) => v === 0) ? r.map((_, j) => (j === 0 ? 1 : 0)) : r;
        const s = w.reduce((a, b) => a + b, 0);
        return w.map((v) => v / s);
      }),
    );

/** A random Markov LM with N in [minN, maxN]. */
export const markovArb = (minN: number, maxN: number, zeros = true): fc.Arbitrary<MarkovLanguageModel> =>
  fc.integer({ min: minN, max: maxN }).chain((n) =>
    stochasticMatrix(n, zeros).map((P) => markovLM({ vocabulary: ["<BOS>", ...Array.from({ length: n - 1 }, (_, i) => `w${i + 1}`)], P })),
  );

/**
 * A random non-Markov LM: the next-token distribution is a hash of the whole prefix (like an RNN),
 * from a seed; deterministic for a given prefix.
 */
export function hashedLM(n: number, seed: number, zeroProb = 0.2): LanguageModel {
  const vocabulary = ["<BOS>", ...Array.from({ length: n - 1 }, (_, i) => `t${i + 1}`)];
  return languageModel({
    vocabulary,
    logProbs: (prefix) => {
      let h = seed >>> 0;
      for (const id of prefix) h = Math.imul(h ^ (id + 0x9e37), 0x85ebca6b) >>> 0;
      const w = vocabulary.map((_, j) => {
        h = Math.imul(h ^ (h >>> 15) ^ (j + 1), 0xc2b2ae35) >>> 0;
        const u = (h >>> 8) / 2 ** 24;
        return u < zeroProb && j > 0 ? 0 : u + 0.05;
      });
      const s = w.reduce((a, b) => a + b, 0);
      return w.map((v) => Math.log(v / s));
    },
  });
}

/** Every sequence of length T with its log-probability (slow, obvious), best first, ties lexicographic. */
export function allSequences(lm: LanguageModel, T: number): { ids: number[]; logProb: number }[] {
  const out: { ids: number[]; logProb: number }[] = [];
  const n = lm.vocabulary.length;
  const total = n ** T;
  for (let code = 0; code < total; code++) {
    const ids: number[] = [];
    for (let t = 0, r = code; t < T; t++, r = Math.floor(r / n)) ids.unshift(r % n);
    let lp = 0;
    for (let t = 0; t < T; t++) lp += lm.logProbs([lm.bos, ...ids.slice(0, t)])[ids[t]!]!;
    if (lp > -Infinity) out.push({ ids, logProb: lp });
  }
  return out.sort((a, b) => b.logProb - a.logProb);
}

/** Algorithm 1 with a FULL sort of the B·N candidates (the straightforward reference). */
export function beamSearchBySorting(lm: LanguageModel, B: number, T: number): { ids: number[]; logProb: number }[] {
  let beams = [{ ids: [lm.bos], logProb: 0 }];
  for (let t = 1; t <= T; t++) {
    const cands: { b: number; j: number; s: number }[] = [];
    beams.forEach((beam, b) => {
      const row = lm.logProbs(beam.ids);
      row.forEach((v, j) => {
        if (beam.logProb + v > -Infinity) cands.push({ b, j, s: beam.logProb + v });
      });
    });
    cands.sort((x, y) => y.s - x.s || x.b - y.b || x.j - y.j);
    beams = cands.slice(0, B).map((c) => ({ ids: [...beams[c.b]!.ids, c.j], logProb: c.s }));
  }
  return beams.map((b) => ({ ids: b.ids.slice(1), logProb: b.logProb }));
}
