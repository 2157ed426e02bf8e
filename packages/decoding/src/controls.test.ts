// Generation controls (HuggingFace generate() semantics): repetitionPenalty, minNewTokens, badWords,
// forceWords. Expected values come from a brute-force enumeration of every sequence, scored by a
// separate, obvious implementation of each control (below), or from hand computation.
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashedLM } from "../test/random-lm";
import { beamSearch, greedyDecode, languageModel, markovLM, sample, type LanguageModel } from "./index";

interface Controls {
  theta?: number;
  minNew?: number;
  bad?: number[][];
}

/** Every sequence the model can generate in at most T steps (ending at eos, or of length T). */
function enumerate(lm: LanguageModel, T: number, eos?: number): number[][] {
  const out: number[][] = [];
  const walk = (ids: number[]): void => {
    const row = lm.logProbs([lm.bos, ...ids]);
    row.forEach((v, j) => {
      if (v === -Infinity) return;
      const next = [...ids, j];
      if (j === eos || next.length === T) out.push(next);
      else walk(next);
    });
  };
  walk([]);
  return out;
}

const endsWith = (a: readonly number[], b: readonly number[]): boolean => a.length >= b.length && b.every((v, k) => a[a.length - b.length + k] === v);
const containsPhrase = (a: readonly number[], p: readonly number[]): boolean => a.some((_, s) => p.every((v, k) => a[s + k] === v));

/** The model's log-probability and the processed score (CTRL penalty, bans) of one sequence. */
function score(lm: LanguageModel, ids: readonly number[], c: Controls, eos?: number): { logProb: number; processed: number } {
  let logProb = 0;
  let processed = 0;
  for (let t = 0; t < ids.length; t++) {
    const history = [lm.bos, ...ids.slice(0, t)];
    const j = ids[t]!;
    const v = lm.logProbs(history)[j]!;
    logProb += v;
    let p = v;
    if (c.theta !== undefined && history.includes(j)) p = v < 0 ? v * c.theta : v / c.theta;
    if ((c.bad ?? []).some((w) => endsWith([...history, j], w))) p = -Infinity;
    if (j === eos && t < (c.minNew ?? 0)) p = -Infinity;
    processed += p;
  }
  return { logProb, processed };
}

/** A non-Markov LM whose token 1 is an end token (after it, only it). */
function withEos(seed: number, n: number): LanguageModel {
  const base = hashedLM(n, seed, 0);
  return languageModel({
    vocabulary: base.vocabulary.map((v, i) => (i === 1 ? "<EOS>" : v)),
    eos: "<EOS>",
    logProbs: (p) => (p[p.length - 1] === 1 && p.length > 1 ? base.vocabulary.map((_, j) => (j === 1 ? 0 : -Infinity)) : base.logProbs(p)),
  });
}

/** A Markov LM where "a" follows anything with 0.6 and "b" with 0.4. */
const ab = markovLM({
  vocabulary: ["<BOS>", "a", "b"],
  P: [
    [0, 0.6, 0.4],
    [0, 0.6, 0.4],
    [0, 0.6, 0.4],
  ],
});

describe("repetitionPenalty (CTRL, over the whole history)", () => {
  it("greedy: θ = 2 turns a a a into a b a; θ = 1.5 < ln 0.4 / ln 0.6 = 1.794 does not (hand computation)", () => {
    // Step 2 with θ = 2: a scores 2·ln 0.6 = −1.0217 < ln 0.4 = −0.9163, so b; step 3: both seen,
    // a = 2·ln 0.6 = −1.0217 > b = 2·ln 0.4 = −1.8326, so a.
    const r = greedyDecode(ab, 3, { repetitionPenalty: 2 }).sequences[0]!;
    expect(r.tokens).toEqual(["a", "b", "a"]);
    expectClose([r.logProb], [Math.log(0.6) + Math.log(0.4) + Math.log(0.6)], { rtol: 1e-15 });
    expect(r.tokenLogProbs).toEqual([Math.log(0.6), Math.log(0.4), Math.log(0.6)]);
    expect(greedyDecode(ab, 3, { repetitionPenalty: 1.5 }).sequences[0]!.tokens).toEqual(["a", "a", "a"]);
    expect(greedyDecode(ab, 3).sequences[0]!.tokens).toEqual(["a", "a", "a"]);
  });

  it("beam with B ≥ N^T returns the top sequences by the sum of penalised terms (brute force, property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.double({ min: 0.3, max: 3, noNaN: true }), (n, T, seed, theta) => {
        const lm = hashedLM(n, seed);
        const B = n ** T;
        const ref = enumerate(lm, T)
          .map((ids) => ({ ids, ...score(lm, ids, { theta }) }))
          .filter((s) => s.processed > -Infinity)
          .sort((a, b) => b.processed - a.processed);
        const k = Math.min(5, ref.length);
        const got = beamSearch(lm, T, { beamWidth: B, numReturnSequences: k, repetitionPenalty: theta }).sequences;
        expect(got.map((s) => s.ids)).toEqual(ref.slice(0, k).map((s) => s.ids));
        expectClose(got.map((s) => s.score!), ref.slice(0, k).map((s) => s.processed), { rtol: 1e-12 });
        expectClose(got.map((s) => s.logProb), ref.slice(0, k).map((s) => s.logProb), { rtol: 1e-12 });
      }),
      { numRuns: 60 },
    );
  });

  it("greedy equals beam search with B = 1 under every control (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(), fc.double({ min: 0.3, max: 3, noNaN: true }), (n, T, seed, theta) => {
        const lm = withEos(seed, n);
        const o = { repetitionPenalty: theta, minNewTokens: Math.min(T, 2), badWords: [[2, 2]] };
        expect(greedyDecode(lm, T, o).sequences[0]!.ids).toEqual(beamSearch(lm, T, { beamWidth: 1, ...o }).sequences[0]!.ids);
      }),
      { numRuns: 60 },
    );
  });

  it("sample: the draws follow the penalised distribution (4000 draws of T = 2, within 4 standard errors)", () => {
    // After "a", θ = 2: a ∝ 0.6² = 0.36, b ∝ 0.4 (b unseen), so p(a | a) = 0.36 / 0.76.
    const r = sample(ab, 2, { repetitionPenalty: 2, numReturnSequences: 4000, seed: 7 });
    const afterA = r.sequences.filter((s) => s.ids[0] === 1);
    const p = 0.36 / 0.76;
    const freq = afterA.filter((s) => s.ids[1] === 1).length / afterA.length;
    expect(Math.abs(freq - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / afterA.length));
    // In the τ → 0 limit sampling is greedy with the same controls.
    expect(sample(ab, 3, { repetitionPenalty: 2, temperature: 1e-300 }).sequences[0]!.tokens).toEqual(["a", "b", "a"]);
  });

  it("refuses θ ≤ 0, NaN and non-numbers, naming the function, the option and the value", () => {
    expect(() => greedyDecode(ab, 3, { repetitionPenalty: 0 })).toThrow("greedyDecode: repetitionPenalty must be finite and > 0, got 0");
    expect(() => beamSearch(ab, 3, { beamWidth: 2, repetitionPenalty: -1 })).toThrow("beamSearch: repetitionPenalty must be finite and > 0, got -1");
    expect(() => sample(ab, 3, { repetitionPenalty: NaN })).toThrow("sample: repetitionPenalty must be finite and > 0, got NaN");
    expect(() => sample(ab, 3, { repetitionPenalty: "2" as unknown as number })).toThrow(TypeError);
  });
});

describe("minNewTokens (eos masked until reached)", () => {
  it("beam with B ≥ N^T returns the top sequences with eos no earlier than position m + 1 (brute force, property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat(3), (n, T, seed, mRaw) => {
        const m = Math.min(mRaw, T);
        const lm = withEos(seed, n);
        const ref = enumerate(lm, T, 1)
          .map((ids) => ({ ids, ...score(lm, ids, { minNew: m }, 1) }))
          .filter((s) => s.processed > -Infinity)
          .sort((a, b) => b.processed - a.processed);
        const k = Math.min(4, ref.length);
        const got = beamSearch(lm, T, { beamWidth: n ** T, numReturnSequences: k, minNewTokens: m }).sequences;
        expect(got.map((s) => s.ids)).toEqual(ref.slice(0, k).map((s) => s.ids));
        for (const s of got) expect(s.ids.indexOf(1) < 0 || s.ids.indexOf(1) >= m).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("greedy and sample never end before m tokens", () => {
    // <EOS> is the most likely token everywhere: greedy ends at once, unless masked.
    const L = Math.log;
    const lm = languageModel({ vocabulary: ["<BOS>", "<EOS>", "a"], eos: "<EOS>", logProbs: (p) => (p.at(-1) === 1 && p.length > 1 ? [-Infinity, 0, -Infinity] : [-Infinity, L(0.7), L(0.3)]) });
    expect(greedyDecode(lm, 5).sequences[0]!.tokens).toEqual(["<EOS>"]);
    const r = greedyDecode(lm, 5, { minNewTokens: 3 }).sequences[0]!;
    expect(r.tokens).toEqual(["a", "a", "a", "<EOS>"]);
    expectClose([r.logProb], [3 * L(0.3) + L(0.7)], { rtol: 1e-15 });
    for (const s of sample(lm, 5, { minNewTokens: 2, numReturnSequences: 200, seed: 3 }).sequences) expect(s.ids.indexOf(1) < 0 || s.ids.indexOf(1) >= 2).toBe(true);
  });

  it("refuses m > steps, m without eos and non-integers", () => {
    const e = withEos(1, 4);
    expect(() => greedyDecode(e, 3, { minNewTokens: 4 })).toThrow("greedyDecode: minNewTokens 4 > steps 3 (at most T = 3 tokens are generated)");
    expect(() => beamSearch(e, 3, { beamWidth: 2, minNewTokens: 5 })).toThrow("beamSearch: minNewTokens 5 > steps 3");
    expect(() => sample(ab, 3, { minNewTokens: 1 })).toThrow("sample: minNewTokens 1 has no effect without eos (no end token to mask)");
    expect(() => sample(e, 3, { minNewTokens: 1.5 })).toThrow("sample: minNewTokens must be an integer ≥ 0, got 1.5");
    expect(() => sample(e, 3, { minNewTokens: -1 })).toThrow("sample: minNewTokens must be an integer ≥ 0, got -1");
  });
});

describe("badWords (token sequences never generated)", () => {
  it("beam with B ≥ N^T returns the top sequences without any bad word (brute force, property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (n, T, seed) => {
        const lm = hashedLM(n, seed);
        const bad = [[1], [2, 2], [0, 2, 1]]; // a single token, a bigram, and a phrase starting at <BOS>
        const ref = enumerate(lm, T)
          .filter((ids) => !bad.some((w) => containsPhrase([lm.bos, ...ids], w)))
          .map((ids) => ({ ids, ...score(lm, ids, {}) }))
          .sort((a, b) => b.logProb - a.logProb);
        const k = Math.min(5, ref.length);
        const got = beamSearch(lm, T, { beamWidth: n ** T, numReturnSequences: Math.max(k, 1), badWords: bad }).sequences;
        expect(got.map((s) => s.ids)).toEqual(ref.slice(0, k).map((s) => s.ids));
        expectClose(got.map((s) => s.logProb), ref.slice(0, k).map((s) => s.logProb), { rtol: 1e-12 });
      }),
      { numRuns: 60 },
    );
  });

  it("greedy and sample never produce one (strings or ids)", () => {
    expect(greedyDecode(ab, 3, { badWords: [["a", "a"]] }).sequences[0]!.tokens).toEqual(["a", "b", "a"]);
    expect(greedyDecode(ab, 3, { badWords: ["a"] }).sequences[0]!.tokens).toEqual(["b", "b", "b"]);
    for (const s of sample(ab, 6, { badWords: [[1, 2]], numReturnSequences: 300, seed: 5 }).sequences) expect(containsPhrase(s.ids, [1, 2])).toBe(false);
  });

  it("refuses malformed bad words", () => {
    expect(() => greedyDecode(ab, 3, { badWords: "a" as unknown as string[] })).toThrow('greedyDecode: badWords must be an array of tokens or token sequences, got "a"');
    expect(() => greedyDecode(ab, 3, { badWords: [[]] })).toThrow("greedyDecode: badWords[0] must be a token or a non-empty array of tokens, got an array of length 0");
    expect(() => beamSearch(ab, 3, { beamWidth: 2, badWords: [["a", "zz"]] })).toThrow('beamSearch: unknown badWords[0][1] token "zz"');
    expect(() => sample(ab, 3, { badWords: [7] })).toThrow("sample: badWords[0] id 7 is outside the vocabulary [0, 3)");
  });
});

describe("forceWords (constrained beam search)", () => {
  it("with B ≥ N^T returns the top sequences containing every phrase (brute force, property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (n, T, seed) => {
        const lm = hashedLM(n, seed);
        const phrases = [[2], [1, 2]].slice(0, T >= 3 ? 2 : 1);
        const ref = enumerate(lm, T)
          .filter((ids) => phrases.every((p) => containsPhrase(ids, p)))
          .map((ids) => ({ ids, ...score(lm, ids, {}) }))
          .sort((a, b) => b.logProb - a.logProb);
        const k = Math.min(5, ref.length);
        const got = beamSearch(lm, T, { beamWidth: n ** T, numReturnSequences: Math.max(k, 1), forceWords: phrases }).sequences;
        expect(got.map((s) => s.ids)).toEqual(ref.slice(0, k).map((s) => s.ids));
      }),
      { numRuns: 60 },
    );
  });

  it("with a small beam every returned hypothesis contains each phrase (property; with and without eos)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 4, max: 8 }), fc.nat(), fc.integer({ min: 1, max: 3 }), (n, T, seed, B) => {
        const phrases = [[3], [2, 3, 2]];
        for (const lm of [hashedLM(n, seed, 0), withEos(seed, n)]) {
          const r = beamSearch(lm, T, { beamWidth: B, forceWords: phrases, ...(lm.eos === undefined ? {} : { minNewTokens: 1 }) });
          expect(r.sequences.length).toBeGreaterThan(0);
          for (const s of r.sequences) for (const p of phrases) expect(containsPhrase(s.ids, p)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("forces a phrase the unconstrained search misses", () => {
    expect(beamSearch(ab, 3, { beamWidth: 1 }).sequences[0]!.tokens).toEqual(["a", "a", "a"]);
    const r = beamSearch(ab, 3, { beamWidth: 2, forceWords: [["b", "b"]] }).sequences;
    // Best sequences containing "b b": a b b, b b a (both 0.6·0.4·0.4 = 0.096; a b b first by token order at step 1).
    expect(r.map((s) => s.tokens.join(" "))).toEqual(["a b b", "b b a"]);
    expectClose(r.map((s) => s.logProb), [Math.log(0.096), Math.log(0.096)], { rtol: 1e-14 });
  });

  it("refuses phrases that cannot fit, too many phrases, eos inside a phrase", () => {
    expect(() => beamSearch(ab, 2, { beamWidth: 2, forceWords: [["a", "b"], ["b", "b"]] })).toThrow("beamSearch: forceWords need at least 3 tokens, more than steps 2");
    expect(() => beamSearch(ab, 20, { beamWidth: 2, forceWords: Array.from({ length: 8 }, () => ["a"]) })).toThrow("beamSearch: forceWords has 8 phrases, at most 7 are supported");
    expect(() => beamSearch(withEos(1, 4), 5, { beamWidth: 2, forceWords: [["<EOS>"]] })).toThrow('beamSearch: forceWords contains eos "<EOS>"');
    expect(() => greedyDecode(ab, 3, { forceWords: ["a"] } as never)).toThrow("greedyDecode: unknown option `forceWords`");
  });
});
