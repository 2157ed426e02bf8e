import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allSequences, hashedLM, markovArb } from "../test/random-lm";
import { exampleCorpus, exampleMarkov, exampleTree, exhaustiveSearch, languageModel, markovLM, ngramLM, viterbi } from "./index";

describe("viterbi", () => {
  it("equals exhaustive search on random small Markov LMs (property)", () => {
    fc.assert(
      fc.property(markovArb(2, 5), fc.integer({ min: 1, max: 4 }), (lm, T) => {
        const v = viterbi(lm, T).sequences[0]!;
        const ref = allSequences(lm, T);
        expectClose([v.logProb], [ref[0]!.logProb], { rtol: 1e-12, atol: 1e-15 });
        // The decoded path has the log-probability Viterbi claims.
        let lp = 0;
        v.ids.forEach((j, t) => (lp += lm.logProbs([lm.bos, ...v.ids.slice(0, t)])[j]!));
        expectClose([lp], [v.logProb], { rtol: 1e-12, atol: 1e-15 });
      }),
      { numRuns: 150 },
    );
  });

  it("fills δ_t(j) = max over prefixes ending in j (the definition, by brute force)", () => {
    const T = 3;
    const r = viterbi(exampleMarkov, T, { trellis: true });
    const n = exampleMarkov.vocabulary.length;
    const tr = r.trellis!;
    expect(tr.states).toEqual(exampleMarkov.vocabulary);
    for (let t = 1; t <= T; t++) {
      const all = allSequences(exampleMarkov, t);
      for (let j = 0; j < n; j++) {
        const best = all.find((s) => s.ids[t - 1] === j)?.logProb ?? -Infinity;
        if (best === -Infinity) expect(tr.logDelta.get(t, j)).toBe(-Infinity);
        else expectClose([tr.logDelta.get(t, j)], [best], { rtol: 1e-12 });
      }
    }
    expect((tr.logDelta.toArray() as number[][])[0]).toEqual([0, -Infinity, -Infinity, -Infinity, -Infinity]);
    // Back-pointers reproduce the path: w*_t = a_{t+1}(w*_{t+1}).
    expect(tr.path.slice(1)).toEqual(r.sequences[0]!.ids);
    for (let t = 1; t < T; t++) expect(tr.backPointers.get(t, tr.path[t + 1]!)).toBe(tr.path[t]);
    expect(r.sequences[0]!.tokens).toEqual(["cloud", "rain", "rain"]);
    expectClose([r.sequences[0]!.logProb], [Math.log(0.4 * 0.65 * 0.55)], { rtol: 1e-14 });
    expect(r.operations).toBe(T * n * n);
  });

  it("the general state-space path equals the dense kernel", () => {
    fc.assert(
      fc.property(markovArb(2, 5), fc.integer({ min: 1, max: 4 }), (lm, T) => {
        const wrapped = languageModel({ vocabulary: lm.vocabulary, logProbs: (p) => lm.logProbs(p), markovOrder: 1 });
        const a = viterbi(lm, T, { trellis: true });
        const b = viterbi(wrapped, T, { trellis: true });
        expect(b.sequences[0]!.ids).toEqual(a.sequences[0]!.ids);
        expect(b.trellis!.logDelta.toArray()).toEqual(a.trellis!.logDelta.toArray());
        expect(b.trellis!.backPointers.toArray()).toEqual(a.trellis!.backPointers.toArray());
      }),
      { numRuns: 60 },
    );
  });

  it("decodes an n-gram LM (state = last n − 1 tokens) exactly", () => {
    for (const n of [1, 2, 3]) {
      const lm = ngramLM(exampleCorpus, { n, smoothing: { kind: "add-k", k: 0.5 } });
      const small = ngramLM("a b\nb a a\na c", { n, smoothing: { kind: "kneser-ney" } });
      for (const model of [small]) {
        const T = 4;
        const v = viterbi(model, T).sequences[0]!;
        const e = exhaustiveSearch(model, T).sequences[0]!;
        expectClose([v.logProb], [e.logProb], { rtol: 1e-12 });
      }
      expect(viterbi(lm, 3).sequences[0]!.tokens).toHaveLength(3);
    }
  });

  it("refuses a non-Markov LM with the Question 2.2f explanation", () => {
    expect(() => viterbi(exampleTree, 3)).toThrow(/RNN\/GRU\/LSTM/);
    expect(() => viterbi(hashedLM(3, 1), 2)).toThrow(TypeError);
  });

  it("edge cases: T = 1, N = 1, impossible sequences, bad T, too many states", () => {
    const one = markovLM({ vocabulary: ["<BOS>"], P: [[1]] });
    expect(viterbi(one, 3).sequences[0]!.tokens).toEqual(["<BOS>", "<BOS>", "<BOS>"]);
    expect(viterbi(exampleMarkov, 1).sequences[0]!.tokens).toEqual(["sun"]);
    // A dead end: from "a" nothing but "a"... and "b" is absorbing; every path is possible here,
    // but with logP = −∞ rows only the reachable states have finite δ.
    const lm = markovLM({ vocabulary: ["<BOS>", "a", "b"], P: [[0, 0, 1], [1, 0, 0], [0, 0, 1]] });
    const r = viterbi(lm, 2, { trellis: true });
    expect(r.sequences[0]!.tokens).toEqual(["b", "b"]);
    expect(r.sequences[0]!.logProb).toBe(0);
    expect(r.trellis!.backPointers.get(1, 1)).toBe(-1);
    expect(() => viterbi(exampleMarkov, 0)).toThrow(/viterbi: steps T must be an integer ≥ 1, got 0/);
    expect(() => viterbi(exampleMarkov, 2.5)).toThrow(RangeError);
    const big = ngramLM(exampleCorpus, { n: 6 });
    expect(() => viterbi(big, 2)).toThrow(/cells per step exceeds/);
  });
});
