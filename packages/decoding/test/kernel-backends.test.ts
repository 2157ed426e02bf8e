/**
 * Both kernel backends of `@hw/tensor/kernels` on the same models: the dense Viterbi of a Markov
 * LM and of an HMM run through `kernels.maxPlusRecurrence` (WASM SIMD: log P stays in wasm memory
 * for all T steps) and must give the TypeScript path's results exactly — paths, log-probabilities,
 * the δ trellis and every back-pointer, with ties (quantised probabilities make many) broken
 * towards the smaller previous state. The dense result is also checked against the general
 * state-space loop (a separate implementation in viterbi.ts) on the WASM backend. The fixture and
 * property suites (test/fixtures.test.ts, src/viterbi.test.ts, src/hmm.test.ts) are rerun with
 * HW_KERNELS=js by the package's `test` script.
 */
import { setKernelBackend, wasmSimdAvailable, withKernelBackend } from "@hw/tensor/kernels";
import { afterAll, describe, expect, it } from "vitest";
import { hmm, languageModel, markovLM, viterbi } from "../src/index";

/** A row-stochastic rows × cols matrix of a few distinct values (so log-space sums tie), some zeros. */
function quantised(rows: number, cols: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: rows }, () => {
    const w = Array.from({ length: cols }, () => [0, 1, 2, 4][Math.floor(next() * 4)]!);
    w[Math.floor(next() * cols)] = 4;
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / sum);
  });
}

const withBackend = withKernelBackend;

afterAll(() => {
  setKernelBackend("auto");
});

describe.runIf(wasmSimdAvailable())("Viterbi on both kernel backends", () => {
  it("Markov LM, N = 90, T = 25 (trellis): identical paths, δ tables and back-pointers; equal to the general state-space loop", () => {
    const n = 90;
    const lm = markovLM({ vocabulary: ["<BOS>", ...Array.from({ length: n - 1 }, (_, i) => `w${i + 1}`)], P: quantised(n, n, 7) });
    const T = 25;
    const w = withBackend("wasm-simd", () => viterbi(lm, T, { trellis: true }));
    const j = withBackend("js", () => viterbi(lm, T, { trellis: true }));
    const general = withBackend("wasm-simd", () =>
      viterbi(languageModel({ vocabulary: lm.vocabulary, logProbs: (p) => lm.logProbs(p), markovOrder: 1 }), T, { trellis: true }),
    );
    for (const other of [j, general]) {
      expect(w.sequences[0]!.ids).toEqual(other.sequences[0]!.ids);
      expect(Object.is(w.sequences[0]!.logProb, other.sequences[0]!.logProb)).toBe(true);
      expect(w.trellis!.logDelta.toArray()).toEqual(other.trellis!.logDelta.toArray());
      expect(w.trellis!.backPointers.toArray()).toEqual(other.trellis!.backPointers.toArray());
    }
    // Ties happened (so the tie rule was exercised): some cell has two maximising predecessors.
    const P = lm.logTransition;
    const d = w.trellis!.logDelta;
    let ties = 0;
    for (let t = 1; t <= T; t++) {
      for (let s = 0; s < n; s++) {
        const best = d.get(t, s);
        if (best === -Infinity) continue;
        let count = 0;
        for (let i = 0; i < n; i++) if (d.get(t - 1, i) + P[i * n + s]! === best) count++;
        if (count > 1) ties++;
      }
    }
    expect(ties).toBeGreaterThan(0);
  });

  it("HMM, S = 120, V = 6, T = 300: identical state paths and log-probabilities", () => {
    const S = 120;
    const V = 6;
    const model = hmm({
      states: Array.from({ length: S }, (_, i) => `s${i}`),
      symbols: Array.from({ length: V }, (_, i) => `x${i}`),
      start: quantised(1, S, 1)[0]!,
      transition: quantised(S, S, 2),
      emission: quantised(S, V, 3).map((r) => r.map((p) => (p + 0.01) / 1.06)),
    });
    const obs = Array.from({ length: 300 }, (_, t) => (t * 7 + (t >> 3)) % V);
    const w = withBackend("wasm-simd", () => viterbi(model, obs));
    const j = withBackend("js", () => viterbi(model, obs));
    expect(w.path).toEqual(j.path);
    expect(Object.is(w.logProb, j.logProb)).toBe(true);
    expect(Number.isFinite(w.logProb)).toBe(true);
  });

  it("HMM, S = 40, T = 7000 (several chunks of emission rows): both backends equal a plain Viterbi loop exactly", () => {
    const S = 40;
    const V = 3;
    const spec = { start: quantised(1, S, 4)[0]!, transition: quantised(S, S, 5), emission: quantised(S, V, 6).map((r) => r.map((p) => (p + 0.02) / 1.06)) };
    const model = hmm({ states: Array.from({ length: S }, (_, i) => `s${i}`), symbols: Array.from({ length: V }, (_, i) => `x${i}`), ...spec });
    const T = 7000;
    const obs = Array.from({ length: T }, (_, t) => (t * 5 + (t >> 4)) % V);
    // The recursion written out: δ_1 = log π + log B, δ_t(j) = max_i(δ_{t−1}(i) + log A_ij) + log B_j,x_t.
    const la = spec.transition.map((r) => r.map(Math.log));
    const lb = spec.emission.map((r) => r.map(Math.log));
    let delta = spec.start.map((p, j) => Math.log(p) + lb[j]![obs[0]!]!);
    const back: number[][] = [[]];
    for (let t = 1; t < T; t++) {
      const next: number[] = [];
      const row: number[] = [];
      for (let j = 0; j < S; j++) {
        let best = -Infinity;
        let arg = 0;
        for (let i = 0; i < S; i++) {
          const v = delta[i]! + la[i]![j]!;
          if (v > best) {
            best = v;
            arg = i;
          }
        }
        next.push(best + lb[j]![obs[t]!]!);
        row.push(arg);
      }
      delta = next;
      back.push(row);
    }
    let last = 0;
    for (let j = 1; j < S; j++) if (delta[j]! > delta[last]!) last = j;
    const path = [last];
    for (let t = T - 1; t >= 1; t--) path.unshift(back[t]![path[0]!]!);
    for (const backend of ["wasm-simd", "js"] as const) {
      const r = withBackend(backend, () => viterbi(model, obs));
      expect(r.path).toEqual(path);
      expect(r.logProb).toBe(delta[last]);
    }
  });
});
