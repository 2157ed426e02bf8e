// The differentiability guard of @hw/decoding: every export has a gradient decision, and the one
// export that takes tensors (markovLM's P / logP) refuses to be differentiated instead of
// silently returning a model with zero gradients.
import { grad, NotDifferentiableError, sum, tensor, type Tensor } from "@hw/tensor";
import { gradientCoverage, type GradientDecision } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

const decoder = (what: string): GradientDecision => ({
  kind: "no-tensor-input",
  reason: `${what}: takes a language model (next-token rows as Float64Array) and returns token ids and log-probabilities; no tensor argument`,
});

const decisions: Record<string, GradientDecision> = {
  languageModel: { kind: "no-tensor-input", reason: "wraps a user's logProbs function; rows are Float64Array data" },
  tokenId: { kind: "no-tensor-input", reason: "a vocabulary lookup" },
  markovLM: { kind: "refuses", reason: "P / logP may be Tensors; a language model's probabilities are data, not parameters (no backward rule)" },
  treeLM: { kind: "no-tensor-input", reason: "builds a model from { token, prob } nodes" },
  ngramLM: { kind: "no-tensor-input", reason: "counts a tokenised corpus" },
  countSequences: { kind: "no-tensor-input", reason: "integer arithmetic (a bigint)" },
  exhaustiveSearch: decoder("exhaustiveSearch"),
  viterbi: decoder("viterbi"),
  greedyDecode: decoder("greedyDecode"),
  beamSearch: decoder("beamSearch"),
  sample: decoder("sample"),
  bestFirstBeamSearch: decoder("bestFirstBeamSearch"),
  stochasticBeamSearch: decoder("stochasticBeamSearch"),
  lengthNormalizer: { kind: "no-tensor-input", reason: "parses a length-penalty formula" },
  exampleMarkov: { kind: "no-tensor-input", reason: "a built-in model (its logProbs returns Float64Array rows)" },
  exampleTree: { kind: "no-tensor-input", reason: "a built-in model (its logProbs returns Float64Array rows)" },
  hmm: { kind: "refuses", reason: "start / transition / emission may be Tensors; an HMM's probabilities are data here (fit them with baumWelch)" },
  forward: { kind: "no-tensor-input", reason: "takes a model made by hmm() and symbols" },
  backward: { kind: "no-tensor-input", reason: "takes a model made by hmm() and symbols" },
  posterior: { kind: "no-tensor-input", reason: "takes a model made by hmm() and symbols" },
  posteriorDecode: { kind: "no-tensor-input", reason: "takes a model made by hmm() and symbols" },
  nBestViterbi: { kind: "no-tensor-input", reason: "takes a model made by hmm() and symbols" },
  sampleHmm: { kind: "no-tensor-input", reason: "takes a model made by hmm() and a seed" },
  fitHmm: { kind: "no-tensor-input", reason: "counts labelled sequences of names" },
  baumWelch: { kind: "no-tensor-input", reason: "EM on a model made by hmm() and symbol sequences" },
};

describe("gradient coverage of @hw/decoding", () => {
  it("classifies every export, and every decision names an export", () => {
    const { unclassified, stale } = gradientCoverage(api, decisions);
    expect(unclassified).toEqual([]);
    expect(stale).toEqual([]);
  });

  it("markovLM refuses a differentiated P or logP with NotDifferentiableError", () => {
    const P = [
      [0, 0.5, 0.5],
      [0, 0.5, 0.5],
      [0, 0.5, 0.5],
    ];
    const viaP = grad((p: Tensor) => {
      api.markovLM({ vocabulary: ["<BOS>", "a", "b"], P: p });
      return sum(p);
    });
    expect(() => viaP(tensor(P))).toThrow(NotDifferentiableError);
    expect(() => viaP(tensor(P))).toThrow(/^markovLM: not differentiable/);
    const viaLogP = grad((lp: Tensor) => {
      api.markovLM({ vocabulary: ["<BOS>", "a", "b"], logP: lp });
      return sum(lp);
    });
    expect(() => viaLogP(tensor(P.map((r) => r.map(Math.log))))).toThrow(NotDifferentiableError);
    const viaHmm = grad((e: Tensor) => {
      api.hmm({ states: ["a"], symbols: ["x", "y"], start: [1], transition: [[1]], emission: e });
      return sum(e);
    });
    expect(() => viaHmm(tensor([[0.5, 0.5]]))).toThrow(/^hmm: not differentiable/);
    // Outside grad the same Tensor is accepted.
    expect(api.viterbi(api.markovLM({ vocabulary: ["<BOS>", "a", "b"], P: tensor(P) }), 2).sequences[0]!.tokens).toEqual(["a", "a"]);
  });
});
