export { version } from "./version";
export { languageModel, tokenId, type LanguageModel, type LanguageModelSpec } from "./language-model";
export { markovLM, exampleMarkov, ROW_SUM_TOLERANCE, type MarkovLMSpec, type MarkovLMSpecCommon, type MarkovLanguageModel, type MatrixInput } from "./markov-lm";
export { treeLM, exampleTree, exampleTreeNodes, type TreeNode, type TreeLMOptions, type TreeLanguageModel } from "./tree-lm";
// eslint-disable-next-line @typescript-eslint/no-deprecated -- NgramFitOptions: the deprecated alias of NgramLMOptions
export { ngramLM, exampleCorpus, type NgramLMOptions, type NgramFitOptions, type NgramSmoothing, type NgramLanguageModel } from "./ngram-lm";
export type { DecodedSequence, DecodeResult } from "./sequence";
export { countSequences } from "./count-sequences";
export { exhaustiveSearch, type ExhaustiveSearchOptions, type ExhaustiveSearchResult } from "./exhaustive-search";
export { viterbi, type ViterbiOptions, type ViterbiResult, type ViterbiTrellis } from "./viterbi";
export { greedyDecode, type GreedyDecodeOptions } from "./greedy-decode";
/* eslint-disable @typescript-eslint/no-deprecated -- LegacyBeamSearchOptions types the deprecated call form */
export {
  beamSearch,
  type BeamSearchOptions,
  type LegacyBeamSearchOptions,
  type BeamSearchResult,
  type BeamStopReason,
  type BeamTraceBeam,
  type BeamTraceCandidate,
  type BeamTraceStep,
} from "./beam-search";
/* eslint-enable @typescript-eslint/no-deprecated */
export { sample, type SampleOptions, type SampleResult } from "./sample";
export { lengthNormalizer, type LengthPenalty, type LengthNormalizer } from "./length-penalty";
export {
  hmm,
  forward,
  backward,
  posterior,
  posteriorDecode,
  nBestViterbi,
  sampleHmm,
  fitHmm,
  baumWelch,
  type HmmSpec,
  type HmmDecodeOptions,
  type Batched,
  type HiddenMarkovModel,
  type ProbabilityInput,
  type Observations,
  type ForwardResult,
  type BackwardResult,
  type PosteriorResult,
  type StatePath,
  type HmmSample,
  type LabelledSequence,
  type FitHmmOptions,
  type BaumWelchOptions,
  type BaumWelchResult,
} from "./hmm";
export { bestFirstBeamSearch, type BestFirstBeamSearchOptions, type BestFirstBeamSearchResult } from "./best-first-beam-search";
export { stochasticBeamSearch, type StochasticBeamSearchOptions, type StochasticBeamSearchResult } from "./stochastic-beam-search";
