// Beam search cost as T grows (issue 11: it was super-quadratic, 16k steps 1.6 s and 32k 12.6 s,
// because every kept beam copied its whole prefix each step). hw now shares prefixes in one tree and
// hands a Markov model only <BOS> and its last token, so time per step should stay flat as T doubles.
// Reference in the same run: the same search with copied prefix arrays (the 0.0.x way).
// Run: pnpm --filter @hw/decoding bench -- beam-scaling
import { afterAll, bench, describe } from "vitest";
import { beamSearch, type LanguageModel } from "../src/index";
import { randomMarkov } from "./synthetic";

const N = 50;
const B = 5;
const lm = randomMarkov(N, 11);
const steps = [4000, 8000, 16000, 32000, 64000];
/** The copying reference takes 23 s at T = 16,000 already: stop it there. */
const copySteps = new Set([4000, 8000, 16000]);

/** Algorithm 1 with every beam holding a copy of its whole prefix (what 0.0.x did). */
function copyingBeamSearch(model: LanguageModel, T: number): number[] {
  let beams = [{ ids: [model.bos], lp: 0 }];
  for (let t = 1; t <= T; t++) {
    const cands: { b: number; j: number; s: number }[] = [];
    beams.forEach((beam, b) => {
      const row = model.logProbs(beam.ids);
      for (let j = 0; j < N; j++) {
        const s = beam.lp + row[j]!;
        if (cands.length < B || s > cands[cands.length - 1]!.s) {
          cands.push({ b, j, s });
          cands.sort((x, y) => y.s - x.s || x.b - y.b || x.j - y.j);
          if (cands.length > B) cands.pop();
        }
      }
    });
    beams = cands.map((c) => ({ ids: [...beams[c.b]!.ids, c.j], lp: c.s }));
  }
  return beams[0]!.ids;
}

const perStep: Record<string, number[]> = {};
const timed = (name: string, T: number, fn: () => unknown) => () => {
  const start = performance.now();
  fn();
  (perStep[name] ??= []).push(((performance.now() - start) / T) * 1000);
};

for (const T of steps) {
  describe(`beam search B=${B} N=${N} T=${T}`, () => {
    bench(`hw beamSearch T=${T}`, timed(`hw ${T}`, T, () => beamSearch(lm, T, { beamWidth: B })), { time: 0, iterations: 5, warmupIterations: 1, warmupTime: 0 });
    if (copySteps.has(T)) {
      bench(`copied prefixes T=${T}`, timed(`copy ${T}`, T, () => copyingBeamSearch(lm, T)), { time: 0, iterations: 1, warmupIterations: 0, warmupTime: 0 });
    }
  });
}

afterAll(() => {
  const median = (xs: number[] | undefined): number => (xs === undefined ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  console.log("\nbeam search, µs per step (median) as T doubles — flat = linear in T:");
  for (const T of steps) {
    const hw = median(perStep[`hw ${T}`]);
    const copy = median(perStep[`copy ${T}`]);
    const ref = Number.isNaN(copy) ? "" : `, copied prefixes ${copy.toFixed(2)} µs/step (total ${((copy * T) / 1000).toFixed(0)} ms)`;
    console.log(`  T=${T}: hw ${hw.toFixed(2)} µs/step (total ${((hw * T) / 1000).toFixed(0)} ms)${ref}`);
  }
});
