import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { exampleMarkov, exampleTree, greedyDecode, sample } from "./index";
import { warpedProbabilities } from "./sample";

const L = (ps: number[]): Float64Array => Float64Array.from(ps.map(Math.log));

describe("warpedProbabilities (temperature → top-k → top-p)", () => {
  it("temperature: p_j^(1/τ) normalised", () => {
    const p = [0.5, 0.3, 0.2, 0];
    const tau = 0.5;
    const w = p.map((v) => v ** (1 / tau));
    const s = w.reduce((a, b) => a + b, 0);
    expectClose(warpedProbabilities(L(p), { temperature: tau }), w.map((v) => v / s), { rtol: 1e-14 });
  });
  it("top-k keeps the k largest (and ties with the k-th)", () => {
    expectClose(warpedProbabilities(L([0.1, 0.4, 0.2, 0.3]), { temperature: 1, topK: 2, topP: 1 }), [0, 4 / 7, 0, 3 / 7], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.2, 0.4, 0.2, 0.2]), { temperature: 1, topK: 2, topP: 1 }), [0.2, 0.4, 0.2, 0.2], { rtol: 1e-14 });
  });
  it("top-p keeps the smallest most-likely set reaching p", () => {
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { temperature: 1, topK: 0, topP: 0.7 }), [0, 2 / 3, 0, 1 / 3], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { temperature: 1, topK: 0, topP: 0.5 }), [0, 1, 0, 0], { rtol: 1e-14 });
  });
  it("NaN counts as impossible", () => {
    expectClose(warpedProbabilities(Float64Array.from([NaN, Math.log(0.25), Math.log(0.75)])), [0, 0.25, 0.75], { rtol: 1e-14 });
  });
  it("min-p keeps tokens with at least minP times the top probability", () => {
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { minP: 0.4 }), [0, 2 / 3, 0, 1 / 3], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { minP: 0.2 }), [0.1, 0.5, 0.15, 0.25], { rtol: 1e-14 });
  });
  it("typical-p keeps the tokens closest to the entropy until their mass reaches typicalP", () => {
    // H = 1.208; |−ln p − H| ranks 0.25 (0.18), 0.5 (0.51), 0.15 (0.69), 0.1 (1.09); cumulative 0.25, 0.75, 0.9.
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { typicalP: 0.8 }), [0, 5 / 9, 1.5 / 9, 2.5 / 9], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { typicalP: 0.5 }), [0, 2 / 3, 0, 1 / 3], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { typicalP: 0.2 }), [0, 0, 0, 1], { rtol: 1e-14 });
  });
  it("ε- and η-cutoffs drop unlikely tokens (η adapts to the entropy); the most likely token always stays", () => {
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { epsilonCutoff: 0.12 }), [0, 5 / 9, 1.5 / 9, 2.5 / 9], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { epsilonCutoff: 0.9 }), [0, 1, 0, 0], { rtol: 1e-14 });
    const H = -[0.1, 0.5, 0.15, 0.25].reduce((a, v) => a + v * Math.log(v), 0);
    expect(Math.min(0.3, Math.sqrt(0.3) * Math.exp(-H))).toBeCloseTo(0.1637, 4);
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { etaCutoff: 0.3 }), [0, 2 / 3, 0, 1 / 3], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), { etaCutoff: 0.01 }), [0.1, 0.5, 0.15, 0.25], { rtol: 1e-14 });
  });
  it("sample refuses nonsense for the new warpers", () => {
    expect(() => sample(exampleTree, 3, { typicalP: 0 })).toThrow("sample: typicalP must be in (0, 1], got 0");
    expect(() => sample(exampleTree, 3, { typicalP: 1.5 })).toThrow("sample: typicalP must be in (0, 1], got 1.5");
    expect(() => sample(exampleTree, 3, { minP: -0.1 })).toThrow("sample: minP must be in [0, 1], got -0.1");
    expect(() => sample(exampleTree, 3, { epsilonCutoff: 1 })).toThrow("sample: epsilonCutoff must be in [0, 1), got 1");
    expect(() => sample(exampleTree, 3, { etaCutoff: 2 })).toThrow("sample: etaCutoff must be in [0, 1], got 2");
    expect(() => sample(exampleTree, 3, { minP: "0.5" as unknown as number })).toThrow('sample: minP must be a number, got "0.5"');
    // With minP = 1 only the most likely token survives: sampling is greedy.
    expect(sample(exampleTree, 3, { minP: 1, seed: 4 }).sequences[0]!.tokens).toEqual(greedyDecode(exampleTree, 3).sequences[0]!.tokens);
  });
  it("an all-impossible row stays all zero", () => {
    expect(Array.from(warpedProbabilities(Float64Array.from([-Infinity, -Infinity]), { temperature: 1, topK: 0, topP: 1 }))).toEqual([0, 0]);
  });
});

describe("sample", () => {
  it("is reproducible from its seed, which it echoes", () => {
    const a = sample(exampleTree, 3, { seed: 42, numReturnSequences: 10 });
    const b = sample(exampleTree, 3, { seed: 42, numReturnSequences: 10 });
    expect(a).toEqual(b);
    expect(a.seed).toBe(42);
    const c = sample(exampleTree, 3, { seed: 43, numReturnSequences: 10 });
    expect(c.sequences.map((s) => s.tokens)).not.toEqual(a.sequences.map((s) => s.tokens));
  });
  it("top-k = 1 is greedy decoding", () => {
    expect(sample(exampleTree, 3, { topK: 1, seed: 3 }).sequences[0]!.tokens).toEqual(greedyDecode(exampleTree, 3).sequences[0]!.tokens);
    // (With ties at the k-th value top-k keeps them all: exampleMarkov's row "sun" has three 0.3s.)
  });
  it("draws from p: frequencies of the first token match row <BOS> of P", () => {
    const n = 20_000;
    const r = sample(exampleMarkov, 1, { seed: 7, numReturnSequences: n });
    const counts = new Map<string, number>();
    for (const s of r.sequences) counts.set(s.tokens[0]!, (counts.get(s.tokens[0]!) ?? 0) + 1);
    // Standard error of a frequency ≤ sqrt(.25/20000) ≈ 0.0035; allow 5 standard errors.
    const P0 = { sun: 0.45, cloud: 0.4, rain: 0.1, snow: 0.05 };
    for (const [tok, p] of Object.entries(P0)) expect(Math.abs((counts.get(tok) ?? 0) / n - p)).toBeLessThan(0.018);
    expect(counts.has("<BOS>")).toBe(false);
  });
  it("logProb is the model's (unwarped) log-likelihood; stops at a dead end", () => {
    const s = sample(exampleTree, 5, { seed: 1, temperature: 2 }).sequences[0]!;
    expect(s.tokens.length).toBe(3);
    let lp = 0;
    const ids = s.tokens.map((t) => exampleTree.vocabulary.indexOf(t));
    ids.forEach((j, t) => (lp += exampleTree.logProbs([0, ...ids.slice(0, t)])[j]!));
    expect(s.logProb).toBe(lp);
  });
  it("rejects bad options", () => {
    expect(() => sample(exampleTree, 3, { temperature: 0 })).toThrow("sample: temperature must be finite and > 0, got 0");
    expect(() => sample(exampleTree, 3, { topK: -1 })).toThrow(/topK must be an integer ≥ 0/);
    expect(() => sample(exampleTree, 3, { topP: 0 })).toThrow("sample: topP must be in (0, 1], got 0");
    expect(() => sample(exampleTree, 3, { numReturnSequences: 0 })).toThrow(/numReturnSequences must be an integer ≥ 1, got 0/);
    expect(() => sample(exampleTree, 0)).toThrow(/sample: steps T must be/);
  });
});
