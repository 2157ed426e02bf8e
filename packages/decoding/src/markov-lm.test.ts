import { tensor, transpose } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { exampleMarkov, markovLM } from "./index";

const vocab = ["<BOS>", "a", "b"];
const P = [
  [0, 0.6, 0.4],
  [0.1, 0.1, 0.8],
  [0.5, 0.5, 0],
];

describe("markovLM", () => {
  it("returns the rows of log P for the last token", () => {
    const lm = markovLM({ vocab, P });
    expect(lm.markovOrder).toBe(1);
    expect(Array.from(lm.logProbs([0]))).toEqual([-Infinity, Math.log(0.6), Math.log(0.4)]);
    expect(Array.from(lm.logProbs([0, 2, 1]))).toEqual(P[1]!.map(Math.log));
    expect(Array.from(lm.logTransition)).toEqual(P.flat().map(Math.log));
  });

  it("accepts a Tensor, also a non-contiguous view, and log-probabilities", () => {
    const viaTensor = markovLM({ vocab, P: tensor(P) });
    const PT = P[0]!.map((_, j) => P.map((row) => row[j]!));
    const view = transpose(tensor(PT)); // a strided view equal to P
    const viaView = markovLM({ vocab, P: view });
    const viaLog = markovLM({ vocab, logP: P.map((r) => r.map(Math.log)) });
    for (const lm of [viaTensor, viaView, viaLog]) expectClose(lm.logTransition, markovLM({ vocab, P }).logTransition, { rtol: 1e-15 });
  });

  it("validates shape, range and row sums, naming the first bad row", () => {
    expect(() => markovLM({ vocab, P: [[1, 0, 0]] })).toThrow(/^markovLM: P must be N×N = 3×3/);
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [1, 0], [1, 0, 0]] })).toThrow(/row 1 has 2 entries/);
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [1.2, -0.2, 0], [1, 0, 0]] })).toThrow("markovLM: P[1][0] = 1.2 is not a probability in [0, 1]");
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [0.5, 0.5, 0], [0.5, 0.6, 0]] })).toThrow(/^markovLM: row 2 of P \("b"\) sums to 1\.1/);
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [NaN, 1, 0], [1, 0, 0]] })).toThrow(/P\[1\]\[0\] = NaN/);
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [Infinity, 1, 0], [1, 0, 0]] })).toThrow(/Infinity/);
    expect(() => markovLM({ vocab, P: [[1, 0, 0], [1, 0, 0], [1 - 1e-10, 0, 0]] })).not.toThrow();
    expect(() => markovLM({ vocab, logP: [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, -Infinity, -Infinity]] })).toThrow(/row 1 of logP/);
    expect(() => markovLM({ vocab, logP: [[0.1, -Infinity, -Infinity], [0, -Infinity, -Infinity], [0, -Infinity, -Infinity]] })).toThrow(/logP\[0\]\[0\] = 0.1/);
    expect(() => markovLM({ vocab })).toThrow(/exactly one of P/);
    expect(() => markovLM({ vocabulary: ["x", "y"], P: [[1, 0], [0, 1]] })).toThrow(/unknown bos token "<BOS>"/);
    expect(() => markovLM({ vocabulary: ["<BOS>", "<BOS>"], P: [[1, 0], [0, 1]] })).toThrow(/duplicate vocabulary token/);
    expect(() => markovLM({ vocabulary: [], P: [] })).toThrow(/vocabulary is empty/);
  });

  it("size-1 vocabulary", () => {
    expect(Array.from(markovLM({ vocabulary: ["<BOS>"], P: [[1]] }).logProbs([0]))).toEqual([0]);
  });

  it("the built-in example is a valid 5-token chain", () => {
    expect(exampleMarkov.vocabulary).toEqual(["<BOS>", "sun", "cloud", "rain", "snow"]);
  });
});
