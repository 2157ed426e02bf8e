export { version } from "./version";
export { languageModel, tokenId, type LanguageModel, type LanguageModelSpec } from "./language-model";
export { markovLM, exampleMarkov, ROW_SUM_TOLERANCE, type MarkovLMSpec, type MarkovLanguageModel, type MatrixInput } from "./markov-lm";
export { treeLM, exampleTree, exampleTreeNodes, type TreeNode, type TreeLMOptions, type TreeLanguageModel } from "./tree-lm";
export { ngramLM, exampleCorpus, type NgramFitOptions, type NgramSmoothing, type NgramLanguageModel } from "./ngram-lm";
export type { DecodedSequence, DecodeResult } from "./sequence";
export { countSequences } from "./count-sequences";
export { exhaustiveSearch, type ExhaustiveSearchOptions, type ExhaustiveSearchResult } from "./exhaustive-search";
export { viterbi, type ViterbiOptions, type ViterbiResult, type ViterbiTrellis } from "./viterbi";
export { greedyDecode, type GreedyDecodeOptions } from "./greedy-decode";
export {
  beamSearch,
  type BeamSearchOptions,
  type BeamSearchResult,
  type BeamStopReason,
  type BeamTraceBeam,
  type BeamTraceCandidate,
  type BeamTraceStep,
} from "./beam-search";
export { sample, type SampleOptions, type SampleResult } from "./sample";
export { lengthNormalizer, type LengthPenalty, type LengthNormalizer } from "./length-penalty";
