import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { exampleCorpus, ngramLM } from "./index";

const sumExp = (row: Float64Array): number => Array.from(row).reduce((a, v) => a + Math.exp(v), 0);

describe("ngramLM", () => {
  it("add-k: (c(h w) + k) / (c(h) + kV), by hand on a tiny corpus", () => {
    const lm = ngramLM("a b\na a", { n: 2, smoothing: { kind: "add-k", k: 1 } });
    expect(lm.vocabulary).toEqual(["<BOS>", "<EOS>", "a", "b"]);
    expect(lm.markovOrder).toBe(1);
    // After "a": counts a→b 1, a→a 1, a→<EOS> 1; c(a) = 3; V = 3.
    expectClose(lm.logProbs([0, 2]), [-Infinity, Math.log(2 / 6), Math.log(2 / 6), Math.log(2 / 6)], { rtol: 1e-14 });
    // After <BOS>: <BOS>→a twice.
    expectClose(lm.logProbs([0]), [-Infinity, Math.log(1 / 5), Math.log(3 / 5), Math.log(1 / 5)], { rtol: 1e-14 });
  });

  it("Kneser–Ney, by hand: bigram of the continuation unigram", () => {
    const lm = ngramLM("a b\na a", { n: 2, smoothing: { kind: "kneser-ney", discount: 0.5 } });
    // Continuation counts N1+(• w): <EOS> ← {b, a} = 2, a ← {<BOS>, a} = 2, b ← {a} = 1; total 5.
    const pc = [0, 2 / 5, 2 / 5, 1 / 5];
    // After "a": c = 3, three distinct followers: (1 − .5)/3 + (.5·3/3)·p_c.
    const expected = pc.map((p, w) => (w === 0 ? 0 : 0.5 / 3 + 0.5 * p));
    expectClose(lm.logProbs([0, 2]), expected.map(Math.log), { rtol: 1e-14 });
  });

  it("every row is a distribution over the vocabulary without <BOS>, for both smoothings and n = 1…4", () => {
    for (const n of [1, 2, 3, 4]) {
      for (const smoothing of [{ kind: "add-k", k: 0.1 }, { kind: "kneser-ney", discount: 0.75 }] as const) {
        const lm = ngramLM(exampleCorpus, { n, smoothing });
        const id = (w: string): number => lm.vocabulary.indexOf(w);
        for (const prefix of [[0], [0, id("the")], [0, id("the"), id("cat")], [0, id("fox"), id("the"), id("mat")]]) {
          const row = lm.logProbs(prefix);
          expect(row[0]).toBe(-Infinity);
          expectClose([sumExp(row)], [1], { rtol: 1e-12 });
        }
      }
    }
  });

  it("accepts token arrays and rejects bad input", () => {
    expect(ngramLM([["x", "y"]], { n: 2 }).vocabulary).toEqual(["<BOS>", "<EOS>", "x", "y"]);
    expect(() => ngramLM("", { n: 2 })).toThrow("ngramLM: the corpus has no tokens");
    expect(() => ngramLM("a", { n: 0 })).toThrow(/n must be an integer in \[1, 100\], got 0/);
    expect(() => ngramLM("a <EOS>", { n: 2 })).toThrow(/reserved token "<EOS>"/);
    expect(() => ngramLM("a", { n: 2, smoothing: { kind: "add-k", k: 0 } })).toThrow(/add-k smoothing k must be finite and > 0, got 0/);
    expect(() => ngramLM("a", { n: 2, smoothing: { kind: "kneser-ney", discount: 1 } })).toThrow(/discount must be in \(0, 1\)/);
  });
});
