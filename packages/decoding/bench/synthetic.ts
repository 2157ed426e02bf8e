// Synthetic workloads shared by the benchmarks (seeded; no Math.random).
import { languageModel, markovLM, type LanguageModel, type MarkovLanguageModel } from "../src/index";

/** A small deterministic generator (mulberry32) for bench data only. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normalised random log-probability rows. */
export function randomLogRows(count: number, n: number, seed: number): Float64Array[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const row = new Float64Array(n);
    let s = 0;
    for (let j = 0; j < n; j++) {
      row[j] = rand() ** 3 + 1e-12;
      s += row[j]!;
    }
    for (let j = 0; j < n; j++) row[j] = Math.log(row[j]! / s);
    return row;
  });
}

/** An LM over N tokens whose logProbs are precomputed rows, chosen by a hash of the prefix. */
export function precomputedLM(n: number, rows: readonly Float64Array[]): LanguageModel {
  return languageModel({
    vocabulary: Array.from({ length: n }, (_, i) => (i === 0 ? "<BOS>" : `t${i}`)),
    logProbs: (prefix) => {
      let h = 2166136261;
      for (const id of prefix) h = Math.imul(h ^ id, 16777619) >>> 0;
      return rows[h % rows.length]!;
    },
  });
}

/** A random dense Markov LM with N tokens. */
export function randomMarkov(n: number, seed: number): MarkovLanguageModel {
  const rows = randomLogRows(n, n, seed);
  return markovLM({ vocabulary: Array.from({ length: n }, (_, i) => (i === 0 ? "<BOS>" : `t${i}`)), logP: rows.map((r) => Array.from(r)) });
}
