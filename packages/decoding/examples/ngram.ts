/**
 * An n-gram LM fitted on the shipped corpus: Viterbi on its N^{n−1} states, beam search with an end
 * token (and why length normalisation matters), diverse beams and seeded sampling.
 */
import { beamSearch, exampleCorpus, ngramLM, sample, viterbi } from "../src/index";

export function ngramExample(): { viterbi: string; beamRaw: string; beamAverage: string; sampled: string[] } {
  const lm = ngramLM(exampleCorpus, { n: 2, smoothing: { kind: "kneser-ney", discount: 0.75 } });
  const text = (tokens: readonly string[]): string => tokens.join(" ");
  return {
    viterbi: text(viterbi(lm, 6).sequences[0]!.tokens), // => "the cat sat on the cat"
    // Raw log-likelihoods favour the shortest hypothesis: the empty sentence wins.
    beamRaw: text(beamSearch(lm, 8, { beamWidth: 3 }).sequences[0]!.tokens), // => "<EOS>"
    // Average log-probability per token does not.
    beamAverage: text(beamSearch(lm, 8, { beamWidth: 3, lengthPenalty: "average" }).sequences[0]!.tokens), // => "the cat sat on the cat sat on"
    sampled: sample(lm, 8, { seed: 3, numReturnSequences: 2, topP: 0.9 }).sequences.map((s) => text(s.tokens)),
  };
}
