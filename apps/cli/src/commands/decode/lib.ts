/** The library calls of `hw decode …`, in one object so that tests can watch what reaches them. */
import { beamSearch, countSequences, exhaustiveSearch, greedyDecode, sample, viterbi } from "@hw/decoding";

export const lib = { beamSearch, countSequences, exhaustiveSearch, greedyDecode, sample, viterbi };
