// Viterbi, N = 2,000, T = 50, float64: ns per (i, j, t) cell. hw's kernel reads the transposed
// log-transition matrix contiguously; the peer is the textbook i-outer loop over row-major log P
// (NumPy's vectorised step, δ[:, None] + logP then max over axis 0, takes ~3 ns/cell on this class
// of machine; NumPy cannot run here, so it is quoted, not measured).
import { afterAll, bench, describe } from "vitest";
import { viterbi } from "../src/index";
import { randomMarkov } from "./synthetic";

const N = 2000;
const T = 50;
const lm = randomMarkov(N, 11);
const cells = T * N * N;

function viterbiRowMajor(): number {
  const L = lm.logTransition;
  let delta = new Float64Array(N).fill(-Infinity);
  delta[lm.bos] = 0;
  const back = new Int32Array(T * N);
  for (let t = 1; t <= T; t++) {
    const next = new Float64Array(N).fill(-Infinity);
    for (let i = 0; i < N; i++) {
      const d = delta[i]!;
      if (d === -Infinity) continue;
      const row = i * N;
      for (let j = 0; j < N; j++) {
        const v = d + L[row + j]!;
        if (v > next[j]!) {
          next[j] = v;
          back[(t - 1) * N + j] = i;
        }
      }
    }
    delta = next;
  }
  return delta[0]!;
}

const ns: Record<string, number[]> = {};
const timed = (name: string, fn: () => unknown) => () => {
  const start = performance.now();
  fn();
  (ns[name] ??= []).push(((performance.now() - start) * 1e6) / cells);
};

describe(`viterbi N=${N} T=${T}`, () => {
  bench("hw viterbi (transposed kernel)", timed("hw", () => viterbi(lm, T)), { time: 3000, iterations: 5 });
  bench("textbook i-outer row-major loop", timed("rowMajor", viterbiRowMajor), { time: 3000, iterations: 5 });
});

afterAll(() => {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const hw = median(ns.hw ?? [NaN]);
  const rm = median(ns.rowMajor ?? [NaN]);
  console.log(`\nviterbi: hw ${hw.toFixed(3)} ns/cell (target ≤ 1.6), row-major ${rm.toFixed(3)} ns/cell = ${(rm / hw).toFixed(2)}× hw; NumPy ≈ 3 ns/cell (quoted) = ${(3 / hw).toFixed(1)}× hw`);
});
