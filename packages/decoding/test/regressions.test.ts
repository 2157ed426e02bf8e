// Issue 11 for @hw/decoding: each input below used to give a wrong answer, ignore what was asked,
// or fail with a bare JavaScript message. Each now gives the exact result or a clear refusal.
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  beamSearch,
  countSequences,
  exampleMarkov,
  exampleTree,
  exhaustiveSearch,
  greedyDecode,
  languageModel,
  lengthNormalizer,
  markovLM,
  ngramLM,
  sample,
  treeLM,
  viterbi,
  type LanguageModel,
  type TreeNode,
} from "../src/index";
import { allSequences } from "./random-lm";

/** A model of Markov order 0 (no context) over `<BOS>` and the given weights. */
function unigram(weights: readonly number[]): LanguageModel {
  const total = weights.reduce((a, b) => a + b, 0);
  return languageModel({
    vocabulary: ["<BOS>", ...weights.map((_, i) => `w${i}`)],
    markovOrder: 0,
    logProbs: () => [-Infinity, ...weights.map((w) => Math.log(w / total))],
  });
}

describe("1. viterbi on a model of Markov order 0", () => {
  it("decodes a unigram ngramLM (n = 1) to the true best tokens, not <BOS>", () => {
    const lm = ngramLM("a b b", { n: 1 });
    expect(lm.markovOrder).toBe(0);
    const v = viterbi(lm, 2).sequences[0]!;
    const e = exhaustiveSearch(lm, 2).sequences[0]!;
    expect(v.tokens).toEqual(["b", "b"]);
    expect(e.tokens).toEqual(["b", "b"]);
    expectClose([v.logProb], [e.logProb], { rtol: 1e-12 });
    // The trellis view decodes the same sequence (order 0 is run as order 1 there).
    const t = viterbi(lm, 2, { trellis: true });
    expect(t.sequences).toEqual(viterbi(lm, 2).sequences);
    expect(t.trellis!.states).toEqual(lm.vocabulary);
  });

  it("equals exhaustive search on random user LMs without context (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), (w, T) => {
        const lm = unigram(w);
        const ref = allSequences(lm, T)[0]!;
        for (const trellis of [false, true]) {
          const v = viterbi(lm, T, { trellis }).sequences[0]!;
          expect(v.ids.every((id) => id !== lm.bos)).toBe(true);
          expectClose([v.logProb], [ref.logProb], { rtol: 1e-12 });
          // The decoded tokens have the probability Viterbi claims.
          let lp = 0;
          v.ids.forEach((j, t) => (lp += lm.logProbs([lm.bos, ...v.ids.slice(0, t)])[j]!));
          expectClose([lp], [v.logProb], { rtol: 1e-12 });
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("5. viterbi with no possible sequence", () => {
  it("returns no sequence, as beam search and exhaustive search do", () => {
    // From `a` nothing can follow: no sequence of length 2 has non-zero probability.
    const dead = languageModel({
      vocabulary: ["<BOS>", "a"],
      markovOrder: 1,
      logProbs: (p) => (p[p.length - 1] === 0 ? [-Infinity, 0] : [-Infinity, -Infinity]),
    });
    expect(viterbi(dead, 2).sequences).toEqual([]);
    expect(viterbi(dead, 2, { trellis: true }).sequences).toEqual([]);
    expect(exhaustiveSearch(dead, 2).sequences).toEqual([]);
    expect(beamSearch(dead, 2, { beamWidth: 2 }).sequences).toEqual([]);
    expect(viterbi(dead, 1).sequences.map((s) => s.tokens)).toEqual([["a"]]);
    const never = unigram([1]);
    const impossible = languageModel({ vocabulary: never.vocabulary, markovOrder: 0, logProbs: () => [-Infinity, -Infinity] });
    expect(viterbi(impossible, 3).sequences).toEqual([]);
  });
});

describe("6. sampling temperature, length penalties, stopping modes, n-gram tokens", () => {
  it("temperature 1e-310 gives the greedy sequence (the τ → 0 limit), not an empty one", () => {
    const greedy = greedyDecode(exampleTree, 3).sequences[0]!;
    for (const seed of [0, 1, 2, 3]) {
      for (const temperature of [1e-310, Number.MIN_VALUE, 1e-12]) {
        const s = sample(exampleTree, 3, { temperature, seed }).sequences[0]!;
        expect(s.tokens).toEqual(greedy.tokens);
        expect(s.logProb).toBe(greedy.logProb);
      }
    }
    // With exact ties (exampleMarkov: "sun" → sun/cloud/rain at 0.3 each) the limit splits evenly
    // among the tied tokens: every drawn token is a most likely one.
    for (const seed of [0, 1, 2, 3, 4]) {
      const ids = sample(exampleMarkov, 5, { temperature: 1e-310, seed }).sequences[0]!.ids;
      expect(ids).toHaveLength(5);
      ids.forEach((j, t) => {
        const row = exampleMarkov.logProbs([exampleMarkov.bos, ...ids.slice(0, t)]);
        expect(row[j]).toBe(Math.max(...row));
      });
    }
  });

  it.each(["power()", "gnmt()", "power( )", "power(1,2)", "power(0x10)", "power(Infinity)", "power(1e)", "average(2)", "none()"])(
    "lengthPenalty %j is refused, not read as α = 0",
    (formula) => {
      expect(() => lengthNormalizer(formula as "none")).toThrow(RangeError);
      expect(() => beamSearch(exampleTree, 3, { beamWidth: 2, eos: "the", lengthPenalty: formula as "none" })).toThrow(/^beamSearch: lengthPenalty/);
    },
  );

  it("lengthPenalty objects are checked strictly", () => {
    expect(lengthNormalizer("power(0.5)").divisor(4)).toBe(2);
    expect(lengthNormalizer({ kind: "gnmt", alpha: 1 }).divisor(7)).toBe(2);
    expect(() => lengthNormalizer({ kind: "power", alpha: "2" as unknown as number })).toThrow(/alpha must be a number, got "2"/);
    expect(() => lengthNormalizer({ kind: "power", alpha: 1, alhpa: 2 } as never)).toThrow(/unknown option `alhpa`/);
    expect(() => lengthNormalizer(0.6 as never)).toThrow(/lengthPenalty must be a formula string/);
  });

  it('earlyStopping "true" (a string) is refused, not read as false', () => {
    const eos = languageModel({ vocabulary: ["<BOS>", "<EOS>", "a"], eos: "<EOS>", logProbs: () => [-Infinity, Math.log(0.5), Math.log(0.5)] });
    expect(() => beamSearch(eos, 3, { beamWidth: 2, earlyStopping: "true" as unknown as boolean })).toThrow(
      'beamSearch: earlyStopping must be true, false or "never", got "true"',
    );
    expect(() => beamSearch(eos, 3, { beamWidth: 2, trace: "yes" as unknown as boolean })).toThrow('beamSearch: trace must be true or false, got "yes"');
    expect(() => viterbi(exampleMarkov, 3, { trellis: 1 as unknown as boolean })).toThrow("viterbi: options.trellis must be true or false, got 1");
    expect(beamSearch(eos, 3, { beamWidth: 2, earlyStopping: true }).stopReason).toBe("early-stopping");
  });

  it("ngramLM refuses tokens that are not strings", () => {
    expect(() => ngramLM([["a", 1 as unknown as string]], { n: 2 })).toThrow("ngramLM: corpus[0][1] must be a token string, got 1");
    expect(() => ngramLM([["a"], [null as unknown as string]], { n: 2 })).toThrow("ngramLM: corpus[1][0] must be a token string, got null");
    expect(() => ngramLM(["a b"] as unknown as string[][], { n: 2 })).toThrow('ngramLM: corpus[0] must be an array of token strings, got "a b"');
    expect(() => ngramLM([["a b"]], { n: 2 })).toThrow(/not a token \(empty or containing whitespace\)/);
    expect(() => ngramLM(42 as unknown as string, { n: 2 })).toThrow(/^ngramLM: corpus must be a text/);
  });
});

describe("strict options in every public function", () => {
  const lm = exampleTree;
  const cases: [string, () => unknown, RegExp][] = [
    ["viterbi", () => viterbi(exampleMarkov, 2, { trelis: true } as never), /^viterbi: unknown option `trelis` — did you mean `trellis`\?$/],
    ["beamSearch", () => beamSearch(lm, 2, { beamWidth: 2, lenghtPenalty: "none" } as never), /^beamSearch: unknown option `lenghtPenalty` — did you mean `lengthPenalty`\?$/],
    ["sample", () => sample(lm, 2, { typicalP: 0.9 } as never), /^sample: unknown option `typicalP`/],
    ["sample", () => sample(lm, 2, { temprature: 0.5 } as never), /did you mean `temperature`\?$/],
    ["greedyDecode", () => greedyDecode(lm, 2, { eso: 1 } as never), /^greedyDecode: unknown option `eso` — did you mean `eos`\?$/],
    ["exhaustiveSearch", () => exhaustiveSearch(lm, 2, { limt: 10 } as never), /^exhaustiveSearch: unknown option `limt` — did you mean `limit`\?$/],
    ["ngramLM", () => ngramLM("a b", { n: 2, smothing: { kind: "add-k" } } as never), /^ngramLM: unknown option `smothing` — did you mean `smoothing`\?$/],
    ["ngramLM smoothing", () => ngramLM("a b", { n: 2, smoothing: { kind: "add-k", discount: 0.5 } as never }), /^ngramLM: smoothing: unknown option `discount`/],
    ["markovLM", () => markovLM({ vocabulary: ["<BOS>"], P: [[1]], eso: 0 } as never), /^markovLM: unknown option `eso` — did you mean `eos`\?$/],
    ["treeLM", () => treeLM([], { boss: "<S>" } as never), /^treeLM: unknown option `boss` — did you mean `bos`\?$/],
    ["languageModel", () => languageModel({ vocabulary: ["<BOS>"], logProbs: () => [0], markovorder: 1 } as never), /did you mean `markovOrder`\?$/],
  ];
  it.each(cases)("%s", (_name, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});

describe("messages name the function, the argument and the value (no bare JavaScript errors)", () => {
  const bare = /Cannot read properties|is not a function|is not iterable|Maximum BigInt size|Invalid typed array length|Invalid array length|Maximum call stack/;
  const calls: [string, () => unknown, RegExp][] = [
    ["beamSearch(lm)", () => (beamSearch as unknown as (lm: unknown) => unknown)(exampleTree), /^beamSearch: steps T must be an integer ≥ 1, got undefined$/],
    ["beamSearch(lm, 3)", () => (beamSearch as unknown as (lm: unknown, t: number) => unknown)(exampleTree, 3), /^beamSearch: options with beamWidth are required/],
    ["beamSearch(lm, 3, {})", () => beamSearch(exampleTree, 3, {} as never), /^beamSearch: beamWidth B must be an integer ≥ 1, got undefined$/],
    ["beamSearch(undefined, …)", () => beamSearch(undefined as never, 3, { beamWidth: 2 }), /^beamSearch: lm must be a language model/],
    ["viterbi({}, 2)", () => viterbi({} as never, 2), /^viterbi: lm.vocabulary must be a non-empty array/],
    ["greedyDecode(lm, '3')", () => greedyDecode(exampleTree, "3" as never), /^greedyDecode: steps T must be an integer ≥ 1, got "3"$/],
    ["countSequences(10, 1e9)", () => countSequences(10, 1e9), /^countSequences: N\^T = 10\^1000000000 has about 1\.000e\+9 decimal digits/],
    ["exhaustiveSearch(lm, 1e9)", () => exhaustiveSearch(exampleTree, 1e9), /^exhaustiveSearch: N\^T = 12\^1000000000 ≈ 10\^1079181246 sequences exceeds the limit 1000000/],
    ["exhaustiveSearch onProgress", () => exhaustiveSearch(exampleTree, 2, { onProgress: 5 as never }), /^exhaustiveSearch: onProgress must be a function, got 5$/],
    ["languageModel logProbs", () => languageModel({ vocabulary: ["<BOS>"], logProbs: 5 as never }), /^languageModel: logProbs must be a function, got 5$/],
    ["languageModel row", () => languageModel({ vocabulary: ["<BOS>"], logProbs: () => 5 as never }).logProbs([0]), /^languageModel: logProbs must return a Float64Array or an array/],
    ["user LM row", () => greedyDecode({ vocabulary: ["<BOS>"], bos: 0, logProbs: () => undefined } as never, 2), /^greedyDecode: lm.logProbs returned undefined/],
    ["markovLM(undefined)", () => markovLM(undefined as never), /^markovLM: spec must be an object, got undefined$/],
    ["markovLM vocabulary", () => markovLM({ vocabulary: "ab", P: [[1]] } as never), /^markovLM: spec.vocabulary must be an array/],
    ["treeLM(5)", () => treeLM(5 as never), /^treeLM: the children of <BOS> must be an array, got 5$/],
    ["treeLM node", () => treeLM([null] as never), /^treeLM: child 0 of <BOS> must be \{ token, prob, children\? \}, got null$/],
    ["sample seed", () => sample(exampleTree, 2, { seed: "x" as never }), /^sample: seed must be a number or a bigint, got "x"$/],
    ["sample seed range", () => sample(exampleTree, 2, { seed: -1 }), /^sample: seed must be a non-negative safe integer/],
    ["ngramLM(corpus)", () => (ngramLM as unknown as (c: string) => unknown)("a b"), /^ngramLM: options with the order n are required/],
    ["ngramLM n huge", () => ngramLM("a b", { n: 1e9 }), /^ngramLM: n must be an integer in \[1, 100\], got 1000000000$/],
  ];
  it.each(calls)("%s", (_name, call, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(bare);
    expect((error as Error).message).toMatch(message);
  });
});

describe("bounded resources", () => {
  it("viterbi keeps one byte of back-pointer per cell (N ≤ 256), not every δ row, and refuses above maxMemory", () => {
    // exampleMarkov: S = 5 states, T = 1000 steps: 5000 bytes of back-pointers + two δ rows of 5 float64.
    const exact = 1000 * 5 * 1 + 2 * 5 * 8;
    expect(viterbi(exampleMarkov, 1000, { maxMemory: exact }).sequences[0]!.ids).toHaveLength(1000);
    expect(() => viterbi(exampleMarkov, 1000, { maxMemory: exact - 1 })).toThrow(/^viterbi: T = 1000 steps over S = 5 states \(1 byte of back-pointer per cell\) needs about 5\.08 kB, above the memory budget maxMemory = 5\.08 kB/);
    // The trellis costs the δ rows on request.
    expect(() => viterbi(exampleMarkov, 1000, { maxMemory: exact, trellis: true })).toThrow(/plus the trellis/);
    // The default budget (2 GB) refuses 10^9 steps before allocating anything.
    expect(() => viterbi(exampleMarkov, 1e9)).toThrow(/needs about 5\.00 GB, above the memory budget maxMemory = 2\.00 GB \(pass a larger maxMemory/);
  });

  it("beam search refuses a prefix tree above maxMemory, before starting", () => {
    expect(() => beamSearch(exampleMarkov, 1e9, { beamWidth: 5 })).toThrow(/^beamSearch: the prefix tree of B = 5 beams over T = 1000000000 steps needs about 120 GB/);
    expect(beamSearch(exampleMarkov, 1e4, { beamWidth: 5 }).sequences).toHaveLength(5);
  });

  it("beam search hands a Markov model only <BOS> and its last k tokens (no O(t) prefix copies)", () => {
    const lengths: number[] = [];
    const counted = languageModel({
      vocabulary: exampleMarkov.vocabulary,
      markovOrder: 1,
      logProbs: (p) => {
        lengths.push(p.length);
        return exampleMarkov.logProbs(p);
      },
    });
    const T = 200;
    const a = beamSearch(counted, T, { beamWidth: 3 });
    expect(Math.max(...lengths)).toBe(2);
    // Same answer as with the whole prefix (a model without markovOrder gets every token).
    const whole = languageModel({ vocabulary: exampleMarkov.vocabulary, logProbs: (p) => exampleMarkov.logProbs(p) });
    expect(beamSearch(whole, T, { beamWidth: 3 }).sequences).toEqual(a.sequences);
  });

  it("a 20,000-deep tree LM builds and decodes without exhausting the call stack", () => {
    let node: TreeNode = { token: "z", prob: 1 };
    for (let d = 20_000 - 1; d >= 1; d--) node = { token: d % 2 === 0 ? "a" : "b", prob: 1, children: [node] };
    const lm = treeLM([node]);
    expect(lm.depth).toBe(20_000);
    expect(lm.vocabulary).toEqual(["<BOS>", "b", "a", "z"]);
    expect(greedyDecode(lm, 6).sequences[0]!.tokens).toEqual(["b", "a", "b", "a", "b", "a"]);
    expect(beamSearch(lm, 4, { beamWidth: 2 }).sequences[0]!.tokens).toEqual(["b", "a", "b", "a"]);
  });

  it("exhaustive search over 20,000 steps (N = 1) runs without recursion", () => {
    const one = languageModel({ vocabulary: ["<BOS>"], logProbs: () => [0] });
    const r = exhaustiveSearch(one, 20_000);
    expect(r.count).toBe(1n);
    expect(r.sequences[0]!.ids).toHaveLength(20_000);
    expect(r.sequences[0]!.logProb).toBe(0);
  });
});
