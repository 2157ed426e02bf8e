// The public API of @hw/normalization: explicit named re-exports only.
export { version } from "./version";
export { moments, type Moments, type MomentsOptions } from "./moments";
export {
  normalize,
  normalizeBackward,
  type AffineOptions,
  type NormalizeOptions,
  type NormalizeResult,
  type NormalizeGrads,
} from "./normalize";
export {
  batchNorm,
  batchNormBackward,
  initRunningStats,
  momentumFromKeras,
  momentumToKeras,
  type BatchNormOptions,
  type BatchNormResult,
  type RunningStats,
  type InitRunningStatsOptions,
} from "./batch-norm";
export { layerNorm, layerNormBackward } from "./layer-norm";
export { instanceNorm, instanceNormBackward } from "./instance-norm";
export { groupNorm, groupNormBackward } from "./group-norm";
export { weightNorm, weightNormGrad, type WeightNormOptions, type WeightNormGrad } from "./weight-norm";
export {
  whitenedBatchNormEqualsWeightNorm,
  type WhitenedDemoOptions,
  type WhitenedDemoRow,
  type WhitenedDemo,
} from "./whitened-batch-norm-equals-weight-norm";
export { problemTensor } from "./problem-tensor";
export type { Input } from "./internal/core";
