/** The library calls of `hw norm …`, in one object so that tests can watch what reaches them. */
import { batchNorm, groupNorm, instanceNorm, layerNorm, rmsNorm, weightNormGrad } from "@hw/normalization";

export const lib = { batchNorm, groupNorm, instanceNorm, layerNorm, rmsNorm, weightNormGrad };
