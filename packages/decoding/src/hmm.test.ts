import { grad, NotDifferentiableError, sum, tensor, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backward, baumWelch, fitHmm, forward, hmm, nBestViterbi, posterior, posteriorDecode, sampleHmm, viterbi, type HiddenMarkovModel } from "./index";

/** A random probability row with some exact zeros (never all zero). */
const row = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 1, noNaN: true })), { minLength: n, maxLength: n }).map((w) => {
    const v = w.every((x) => x === 0) ? w.map((_, j) => (j === 0 ? 1 : 0)) : w;
    const s = v.reduce((a, b) => a + b, 0);
    return v.map((x) => x / s);
  });

const rows = (r: number, n: number): fc.Arbitrary<number[][]> => fc.array(row(n), { minLength: r, maxLength: r });

/** A random small HMM (S, V ≤ 3) and an observation sequence (T ≤ 4). */
const caseArb = fc
  .record({ S: fc.integer({ min: 1, max: 3 }), V: fc.integer({ min: 1, max: 3 }), T: fc.integer({ min: 1, max: 4 }) })
  .chain(({ S, V, T }) =>
    fc.record({
      start: row(S),
      transition: rows(S, S),
      emission: rows(S, V),
      obs: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: T, maxLength: T }),
      S: fc.constant(S),
      V: fc.constant(V),
    }),
  )
  .map((c) => ({
    m: hmm({
      states: Array.from({ length: c.S }, (_, i) => `s${i}`),
      symbols: Array.from({ length: c.V }, (_, i) => `x${i}`),
      start: c.start,
      transition: c.transition,
      emission: c.emission,
    }),
    obs: c.obs,
    raw: c,
  }));

/** Every state path with its joint log-probability (the obvious, slow reference). */
function allPaths(c: { raw: { start: number[]; transition: number[][]; emission: number[][]; S: number }; obs: number[] }): { path: number[]; lp: number }[] {
  const { start, transition, emission, S } = c.raw;
  const T = c.obs.length;
  const out: { path: number[]; lp: number }[] = [];
  for (let code = 0; code < S ** T; code++) {
    const path: number[] = [];
    for (let t = 0, r = code; t < T; t++, r = Math.floor(r / S)) path.push(r % S);
    let lp = Math.log(start[path[0]!]!) + Math.log(emission[path[0]!]![c.obs[0]!]!);
    for (let t = 1; t < T; t++) lp += Math.log(transition[path[t - 1]!]![path[t]!]!) + Math.log(emission[path[t]!]![c.obs[t]!]!);
    out.push({ path, lp });
  }
  return out;
}

const lse = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m === -Infinity ? -Infinity : m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};
const close = (a: number, b: number): void => {
  if (b === -Infinity) expect(a).toBe(-Infinity);
  else expectClose([a], [b], { rtol: 1e-9, atol: 1e-12 });
};

describe("hidden Markov models against brute-force enumeration of every path (200 random models)", () => {
  it("forward, backward, posterior, viterbi, posteriorDecode and nBestViterbi", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 5 }), (c, k) => {
        const paths = allPaths(c);
        const ll = lse(paths.map((p) => p.lp));
        close(forward(c.m, c.obs).logLikelihood, ll);
        close(backward(c.m, c.obs).logLikelihood, ll);
        const possible = paths.filter((p) => p.lp > -Infinity).sort((a, b) => b.lp - a.lp);
        if (ll === -Infinity) {
          // Dead ends: the observations cannot be produced; decoders refuse clearly.
          expect(() => posterior(c.m, c.obs)).toThrow(/probability 0/);
          expect(() => viterbi(c.m, c.obs)).toThrow(/^viterbi: the observations have probability 0/);
          expect(() => nBestViterbi(c.m, c.obs, k)).toThrow(/probability 0/);
          expect(() => posteriorDecode(c.m, c.obs)).toThrow(/probability 0/);
          return;
        }
        // α_t(j) = log Σ over paths of the prefix ending in j: check the last row via the total.
        const T = c.obs.length;
        const S = c.raw.S;
        const gamma = posterior(c.m, c.obs).posteriors;
        for (let t = 0; t < T; t++) {
          for (let j = 0; j < S; j++) {
            const mass = lse(paths.filter((p) => p.path[t] === j).map((p) => p.lp));
            expectClose([gamma.get(t, j)], [Math.exp(mass - ll)], { rtol: 1e-9, atol: 1e-12 });
          }
        }
        const v = viterbi(c.m, c.obs);
        close(v.logProb, possible[0]!.lp);
        close(paths.find((p) => p.path.join() === v.path.join())!.lp, v.logProb);
        const pd = posteriorDecode(c.m, c.obs);
        pd.path.forEach((j, t) => {
          let best = 0;
          for (let i = 0; i < S; i++) best = Math.max(best, gamma.get(t, i));
          expect(gamma.get(t, j)).toBe(best);
        });
        close(pd.logProb, paths.find((p) => p.path.join() === pd.path.join())!.lp);
        const nb = nBestViterbi(c.m, c.obs, k);
        expect(nb).toHaveLength(Math.min(k, possible.length));
        expect(new Set(nb.map((p) => p.path.join())).size).toBe(nb.length);
        nb.forEach((p, r) => {
          close(p.logProb, possible[r]!.lp);
          close(paths.find((q) => q.path.join() === p.path.join())!.lp, p.logProb);
        });
        close(nb[0]!.logProb, v.logProb);
      }),
      { numRuns: 200 },
    );
  });

  it("α and β tables: Σ_j α_t(j) β_t(j) = p(x) at every t", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const f = forward(c.m, c.obs);
        if (f.logLikelihood === -Infinity) return;
        const b = backward(c.m, c.obs);
        for (let t = 0; t < c.obs.length; t++) {
          const terms = Array.from({ length: c.raw.S }, (_, j) => f.logAlpha.get(t, j) + b.logBeta.get(t, j));
          close(lse(terms), f.logLikelihood);
        }
      }),
      { numRuns: 100 },
    );
  });
});

const weather = (): HiddenMarkovModel =>
  hmm({
    states: ["rain", "sun"],
    symbols: ["walk", "shop", "clean"],
    start: [0.6, 0.4],
    transition: [
      [0.7, 0.3],
      [0.4, 0.6],
    ],
    emission: [
      [0.1, 0.4, 0.5],
      [0.6, 0.3, 0.1],
    ],
  });

describe("hmm: the classic example and its refusals", () => {
  it("Viterbi of walk, shop, clean is sun, rain, rain (p = 0.01344)", () => {
    const v = viterbi(weather(), ["walk", "shop", "clean"]);
    expect(v.states).toEqual(["sun", "rain", "rain"]);
    expectClose([v.logProb], [Math.log(0.4 * 0.6 * 0.4 * 0.4 * 0.7 * 0.5)], { rtol: 1e-14 });
    expectClose([Math.exp(forward(weather(), ["walk", "shop", "clean"]).logLikelihood)], [0.033612], { rtol: 1e-12 });
  });

  it("refuses bad models and observations with messages naming the argument", () => {
    const base = { states: ["a", "b"], symbols: ["x"], start: [0.5, 0.5], transition: [[1, 0], [0, 1]], emission: [[1], [1]] };
    expect(() => hmm({ ...base, start: [0.5, 0.6] })).toThrow("hmm: start sums to 1.1, expected 1 within 1e-9");
    expect(() => hmm({ ...base, transition: [[1, 0], [0.5, 0.4]] })).toThrow(/^hmm: row 1 of transition sums to 0.9/);
    expect(() => hmm({ ...base, emission: [[1], [1, 0]] })).toThrow("hmm: emission[1] must have 1 entries");
    expect(() => hmm({ ...base, emision: [[1], [1]] } as never)).toThrow("hmm: unknown option `emision` — did you mean `emission`?");
    expect(() => forward(weather(), ["walk", "fly"])).toThrow('forward: obs[1] = "fly" is not one of the symbols');
    expect(() => forward(weather(), [])).toThrow(/^forward: obs must be a non-empty array/);
    expect(() => forward({} as never, ["walk"])).toThrow(/^forward: the model must come from hmm/);
    expect(() => nBestViterbi(weather(), ["walk"], 0)).toThrow(/^nBestViterbi: k must be an integer ≥ 1, got 0/);
    const g = grad((p: Tensor) => {
      hmm({ ...base, start: p });
      return sum(p);
    });
    expect(() => g(tensor([0.5, 0.5]))).toThrow(NotDifferentiableError);
  });
});

describe("sampleHmm, fitHmm, baumWelch", () => {
  it("sampleHmm is seeded, echoes the seed and only draws possible (state, symbol) pairs", () => {
    const m = weather();
    const a = sampleHmm(m, 50, { seed: 7 });
    expect(sampleHmm(m, 50, { seed: 7 })).toEqual(a);
    expect(sampleHmm(m, 50, { seed: 8 }).observations).not.toEqual(a.observations);
    expect(a.seed).toBe(7);
    const joint = viterbi(m, a.observations).logProb;
    expect(joint).toBeGreaterThan(-Infinity);
    // With a deterministic model the sample is forced.
    const det = hmm({ states: ["a", "b"], symbols: ["x", "y"], start: [1, 0], transition: [[0, 1], [1, 0]], emission: [[1, 0], [0, 1]] });
    expect(sampleHmm(det, 4).observations).toEqual(["x", "y", "x", "y"]);
  });

  it("fitHmm counts with add-k smoothing (values by hand)", () => {
    const m = fitHmm(
      [
        { states: ["a", "a", "b"], observations: ["x", "y", "y"] },
        { states: ["b", "a"], observations: ["y", "x"] },
      ],
      { smoothing: { kind: "add-k", k: 1 } },
    );
    expect(m.states).toEqual(["a", "b"]);
    expect(m.symbols).toEqual(["x", "y"]);
    // start: a 1, b 1 → (1+1)/(2+2) each. transitions a→a 1, a→b 1, b→a 1: a row (2, 2)/4, b row (2, 1)/3.
    expectClose(m.logStart.toArray(), [Math.log(0.5), Math.log(0.5)], { rtol: 1e-14 });
    expectClose((m.logTransition.toArray() as number[][]).flat(), [0.5, 0.5, 2 / 3, 1 / 3].map(Math.log), { rtol: 1e-14 });
    // emissions: a: x 2, y 1 → (3, 2)/5; b: y 2 → (1, 3)/4.
    expectClose((m.logEmission.toArray() as number[][]).flat(), [0.6, 0.4, 0.25, 0.75].map(Math.log), { rtol: 1e-14 });
    expect(() => fitHmm([{ states: ["a"], observations: ["x", "y"] }])).toThrow(/equal length/);
    expect(() => fitHmm([{ states: ["a", "b"], observations: ["x", "y"] }], { smoothing: { kind: "add-k", k: 0 } })).toThrow("fitHmm: transition row 1 has no counts; use add-k smoothing with k > 0");
    expect(() => fitHmm([{ states: ["a"], observations: ["x"] }], { smoothing: 1 as never })).toThrow(/^fitHmm: smoothing must be \{ kind: "add-k", k \}, got 1$/);
  });

  it("Baum–Welch never decreases the log-likelihood, and its first value is Σ log p(x) under the start model", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seed) => {
        const truth = weather();
        const data = [0, 1, 2].map((k) => sampleHmm(truth, 12, { seed: seed * 3 + k }).observations);
        const start = hmm({
          states: ["r", "s"],
          symbols: ["walk", "shop", "clean"],
          start: [0.5, 0.5],
          transition: [
            [0.6, 0.4],
            [0.3, 0.7],
          ],
          emission: [
            [0.3, 0.3, 0.4],
            [0.4, 0.35, 0.25],
          ],
        });
        const r = baumWelch(start, data, { maxIter: 15 });
        const first = data.reduce((a, x) => a + forward(start, x).logLikelihood, 0);
        expectClose([r.logLikelihoods[0]!], [first], { rtol: 1e-12 });
        for (let i = 1; i < r.logLikelihoods.length; i++) expect(r.logLikelihoods[i]!).toBeGreaterThanOrEqual(r.logLikelihoods[i - 1]! - 1e-9 * Math.abs(r.logLikelihoods[i - 1]!));
        expect(r.logLikelihoods[r.logLikelihoods.length - 1]!).toBeGreaterThan(first);
        const final = data.reduce((a, x) => a + forward(r.model, x).logLikelihood, 0);
        expect(final).toBeGreaterThanOrEqual(r.logLikelihoods[r.logLikelihoods.length - 1]! - 1e-9);
      }),
      { numRuns: 20 },
    );
  });
});
