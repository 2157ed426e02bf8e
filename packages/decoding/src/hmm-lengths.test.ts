// Batched HMM sequences with `lengths` (hmmlearn's decode(X, lengths), score(X, lengths),
// predict_proba(X, lengths)): the concatenated result equals running each sequence alone.
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backward, forward, hmm, posterior, posteriorDecode, viterbi, type HiddenMarkovModel } from "./index";

const row = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((w) => {
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  });

/** A random HMM (S, V ≤ 4), observations and a random split of them into lengths. */
const caseArb = fc
  .record({ S: fc.integer({ min: 1, max: 4 }), V: fc.integer({ min: 1, max: 4 }), lengths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }) })
  .chain(({ S, V, lengths }) =>
    fc.record({
      m: fc.record({ start: row(S), transition: fc.array(row(S), { minLength: S, maxLength: S }), emission: fc.array(row(V), { minLength: S, maxLength: S }) }).map((p) =>
        hmm({ states: Array.from({ length: S }, (_, i) => `s${i}`), symbols: Array.from({ length: V }, (_, i) => `x${i}`), ...p }),
      ),
      obs: fc.array(fc.integer({ min: 0, max: V - 1 }), { minLength: lengths.reduce((a, b) => a + b, 0), maxLength: lengths.reduce((a, b) => a + b, 0) }),
      lengths: fc.constant(lengths),
    }),
  );

function split(obs: readonly number[], lengths: readonly number[]): number[][] {
  let at = 0;
  return lengths.map((L) => obs.slice((at += L) - L, at));
}

const rowsOf = (t: { toArray(): unknown }): number[][] => t.toArray() as number[][];

describe("HMM batched sequences with lengths", () => {
  it("viterbi, posteriorDecode, forward, backward and posterior equal each sequence decoded alone (property)", () => {
    fc.assert(
      fc.property(caseArb, ({ m, obs, lengths }) => {
        const parts = split(obs, lengths);
        const v = viterbi(m, obs, { lengths });
        const alone = parts.map((x) => viterbi(m, x));
        expect(v.path).toEqual(alone.flatMap((a) => a.path));
        expect(v.sequences).toEqual(alone);
        expectClose([v.logProb], [alone.reduce((a, r) => a + r.logProb, 0)], { rtol: 1e-12 });

        const d = posteriorDecode(m, obs, { lengths });
        expect(d.path).toEqual(parts.flatMap((x) => posteriorDecode(m, x).path));

        const f = forward(m, obs, { lengths });
        const fa = parts.map((x) => forward(m, x));
        expectClose([f.logLikelihood], [fa.reduce((a, r) => a + r.logLikelihood, 0)], { rtol: 1e-12 });
        expect(rowsOf(f.logAlpha)).toEqual(fa.flatMap((r) => rowsOf(r.logAlpha)));
        expect(f.sequences!.map((r) => r.logLikelihood)).toEqual(fa.map((r) => r.logLikelihood));

        const b = backward(m, obs, { lengths });
        expect(rowsOf(b.logBeta)).toEqual(parts.flatMap((x) => rowsOf(backward(m, x).logBeta)));

        const p = posterior(m, obs, { lengths });
        const pa = parts.map((x) => posterior(m, x));
        expect(rowsOf(p.posteriors)).toEqual(pa.flatMap((r) => rowsOf(r.posteriors)));
        expect(p.posteriors.shape).toEqual([obs.length, m.states.length]);
        expectClose([p.logLikelihood], [f.logLikelihood], { rtol: 1e-12 });
      }),
      { numRuns: 150 },
    );
  });

  it("restarts at every boundary: decoding the concatenation as one sequence differs", () => {
    // A model that must alternate a → b → a: as one sequence "x x" is impossible from state a twice,
    // as two sequences of length 1 each starts fresh in a.
    const m: HiddenMarkovModel = hmm({ states: ["a", "b"], symbols: ["x", "y"], start: [1, 0], transition: [[0, 1], [1, 0]], emission: [[1, 0], [0, 1]] });
    expect(() => viterbi(m, ["x", "x"])).toThrow(/probability 0/);
    const v = viterbi(m, ["x", "x"], { lengths: [1, 1] });
    expect(v.states).toEqual(["a", "a"]);
    expect(v.logProb).toBe(0);
    expect(forward(m, ["x", "y", "x"], { lengths: [2, 1] }).logLikelihood).toBe(0);
  });

  it("refuses lengths that do not cut obs, naming the function and the values", () => {
    const m = hmm({ states: ["a"], symbols: ["x"], start: [1], transition: [[1]], emission: [[1]] });
    expect(() => viterbi(m, ["x", "x", "x"], { lengths: [1, 1] })).toThrow("viterbi: lengths sum to 2, but obs has 3 symbols");
    expect(() => forward(m, ["x"], { lengths: [0, 1] })).toThrow("forward: lengths[0] must be an integer ≥ 1, got 0");
    expect(() => posterior(m, ["x"], { lengths: [] })).toThrow("posterior: lengths must be a non-empty array of positive integers, got an array of length 0");
    expect(() => posterior(m, ["x"], { length: [1] } as never)).toThrow("posterior: unknown option `length` — did you mean `lengths`?");
    const alt = hmm({ states: ["a", "b"], symbols: ["x", "y"], start: [1, 0], transition: [[0, 1], [1, 0]], emission: [[1, 0], [0, 1]] });
    expect(() => posterior(alt, ["x", "y", "x", "x"], { lengths: [2, 2] })).toThrow(/probability 0 .*\(sequence 1 of lengths, 2 symbols\)$/);
  });
});
