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
  type BatchNormBackwardOptions,
  type BatchNormOptions,
  type BatchNormResult,
  type RunningStats,
  type InitRunningStatsOptions,
} from "./batch-norm";
// eslint-disable-next-line @typescript-eslint/no-deprecated -- one overload (the 0.0 positional form) is deprecated, not the function
export { layerNorm, layerNormBackward, type LayerNormBackwardOptions } from "./layer-norm";
export { batchRenorm, batchRenormBackward, type BatchRenormOptions, type BatchRenormResult } from "./batch-renorm";
export { instanceNorm, instanceNormBackward, type InstanceNormOptions, type InstanceNormResult } from "./instance-norm";
// eslint-disable-next-line @typescript-eslint/no-deprecated -- one overload (the 0.0 positional form) is deprecated, not the function
export { groupNorm, groupNormBackward, type GroupNormBackwardOptions } from "./group-norm";
export { rmsNorm, rmsNormBackward, type RmsNormOptions, type RmsNormBackwardOptions, type RmsNormResult } from "./rms-norm";
export { weightNorm, weightNormGrad, type WeightNormOptions, type WeightNormGrad } from "./weight-norm";
export {
  whitenedBatchNormEqualsWeightNorm,
  type WhitenedDemoOptions,
  type WhitenedDemoRow,
  type WhitenedDemo,
} from "./whitened-batch-norm-equals-weight-norm";
export { problemTensor } from "./problem-tensor";
/** @deprecated Use `TensorInput` from `@hw/tensor` (the same type); removed in 0.2.0. */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated alias is still exported until 0.2.0
export type { Input } from "./internal/core";
