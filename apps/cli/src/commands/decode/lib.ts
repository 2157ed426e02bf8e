/** The library calls of `hw decode …`, in one object so that tests can watch what reaches them. */
import { baumWelch, beamSearch, countSequences, exhaustiveSearch, fitHmm, forward, greedyDecode, hmm, nBestViterbi, ngramLM, posterior, posteriorDecode, sample, viterbi } from "@hw/decoding";

export const lib = { beamSearch, countSequences, exhaustiveSearch, greedyDecode, sample, viterbi, hmm, posterior, posteriorDecode, forward, nBestViterbi, fitHmm, baumWelch, ngramLM };
