// Beam search, B = 5, N = 50,000, T = 20, on precomputed log-probability rows: hw's partial top-B
// selection vs the straightforward full sort of the B·N candidates vs @tensorflow/tfjs topk on the
// same scores. Run: pnpm --filter @hw/decoding bench (vitest prints the ratios: "x faster than").
import * as tf from "@tensorflow/tfjs";
import { afterAll, bench, describe } from "vitest";
import { beamSearch, type LanguageModel } from "../src/index";
import { precomputedLM, randomLogRows } from "./synthetic";

const N = 50_000;
const B = 5;
const T = 20;
const rows = randomLogRows(32, N, 7);
const lm = precomputedLM(N, rows);

/** Algorithm 1 with a full sort of all B·N candidates each step (the straightforward way). */
function beamSearchFullSort(model: LanguageModel): number[][] {
  let beams = [{ ids: [model.bos], lp: 0 }];
  const idx = new Uint32Array(B * N);
  const scores = new Float64Array(B * N);
  for (let t = 1; t <= T; t++) {
    const m = beams.length * N;
    beams.forEach((beam, b) => {
      const row = model.logProbs(beam.ids);
      for (let j = 0; j < N; j++) scores[b * N + j] = beam.lp + row[j]!;
    });
    for (let k = 0; k < m; k++) idx[k] = k;
    const sorted = idx.subarray(0, m).sort((x, y) => scores[y]! - scores[x]! || x - y);
    beams = Array.from(sorted.subarray(0, B), (k) => ({ ids: [...beams[Math.floor(k / N)]!.ids, k % N], lp: scores[k]! }));
  }
  return beams.map((b) => b.ids);
}

/** The same search, selecting with tf.topk on the (float32) score tensor of each step. */
function beamSearchTfTopk(model: LanguageModel): number[][] {
  let beams = [{ ids: [model.bos], lp: 0 }];
  const scores = new Float32Array(B * N);
  for (let t = 1; t <= T; t++) {
    const m = beams.length * N;
    beams.forEach((beam, b) => {
      const row = model.logProbs(beam.ids);
      for (let j = 0; j < N; j++) scores[b * N + j] = beam.lp + row[j]!;
    });
    const picked = tf.tidy(() => {
      const { values, indices } = tf.topk(tf.tensor1d(scores.subarray(0, m)), B);
      return { v: values.dataSync(), i: indices.dataSync() };
    });
    beams = Array.from(picked.i, (k, r) => ({ ids: [...beams[Math.floor(k / N)]!.ids, k % N], lp: picked.v[r]! }));
  }
  return beams.map((b) => b.ids);
}

const timings: Record<string, number[]> = {};
const timed = (name: string, fn: () => unknown) => () => {
  const start = performance.now();
  fn();
  (timings[name] ??= []).push((performance.now() - start) / T);
};

describe(`beam search B=${B} N=${N} T=${T}`, () => {
  bench("hw beamSearch (partial top-B)", timed("hw", () => beamSearch(lm, T, { beamWidth: B })), { time: 3000 });
  bench("full sort of B·N candidates", timed("sort", () => beamSearchFullSort(lm)), { time: 3000, iterations: 3 });
  bench("@tensorflow/tfjs topk (cpu)", timed("tfjs", () => beamSearchTfTopk(lm)), { time: 3000, iterations: 5 });
});

afterAll(() => {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const hw = median(timings.hw ?? [NaN]);
  console.log(`\nbeam search per step (median): hw ${hw.toFixed(3)} ms (target ≤ 1 ms, tf backend ${tf.getBackend()})`);
  for (const k of ["sort", "tfjs"]) {
    const v = median(timings[k] ?? [NaN]);
    console.log(`  ${k}: ${v.toFixed(3)} ms/step = ${(v / hw).toFixed(1)}× hw`);
  }
});
