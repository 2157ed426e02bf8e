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
    expectClose(warpedProbabilities(L(p), tau, 0, 1), w.map((v) => v / s), { rtol: 1e-14 });
  });
  it("top-k keeps the k largest (and ties with the k-th)", () => {
    expectClose(warpedProbabilities(L([0.1, 0.4, 0.2, 0.3]), 1, 2, 1), [0, 4 / 7, 0, 3 / 7], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.2, 0.4, 0.2, 0.2]), 1, 2, 1), [0.2, 0.4, 0.2, 0.2], { rtol: 1e-14 });
  });
  it("top-p keeps the smallest most-likely set reaching p", () => {
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), 1, 0, 0.7), [0, 2 / 3, 0, 1 / 3], { rtol: 1e-14 });
    expectClose(warpedProbabilities(L([0.1, 0.5, 0.15, 0.25]), 1, 0, 0.5), [0, 1, 0, 0], { rtol: 1e-14 });
  });
  it("NaN counts as impossible", () => {
    expectClose(warpedProbabilities(Float64Array.from([NaN, Math.log(0.25), Math.log(0.75)]), 1, 0, 1), [0, 0.25, 0.75], { rtol: 1e-14 });
  });
  it("an all-impossible row stays all zero", () => {
    expect(Array.from(warpedProbabilities(Float64Array.from([-Infinity, -Infinity]), 1, 0, 1))).toEqual([0, 0]);
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
