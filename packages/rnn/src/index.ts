// The public API of @hw/rnn: explicit named re-exports only.
export { version } from "./version";
export {
  WEIGHT_NAMES,
  BIAS_NAMES,
  type BiRnnParams,
  type BiRnnParamsInput,
  type TensorInput,
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated alias stays exported until 0.2.0
  type Activation,
  type Nonlinearity,
  type ModelOptions,
  type ForwardOptions,
} from "./params";
export { forward, type ForwardResult } from "./forward";
export { cellStep, type RnnCell, type CellStepOptions } from "./cell-step";
export { squaredLoss, type SquaredLossOptions } from "./squared-loss";
export { bptt, type BpttOptions, type BpttResult, type BiRnnGrads, type BpttTerms, type TruncateOptions } from "./bptt";
export {
  unrolledGraph,
  toDot,
  toMermaid,
  toText,
  type UnrolledGraph,
  type GraphNode,
  type GraphEdge,
  type GraphNodeKind,
} from "./unrolled-graph";
export { gradientFlow, type GradientFlow, type GradientFlowOptions } from "./gradient-flow";
export {
  modelLoss,
  autodiffGrads,
  checkGradients,
  type BiRnnVariables,
  type ModelLossOptions,
  type AutodiffResult,
  type GradientCheck,
  type GradientCheckEntry,
  type CheckGradientsOptions,
} from "./autodiff-model";
export { initParams, type InitParamsOptions } from "./init-params";
export { train, makeTask, type TrainOptions, type TrainResult } from "./train";
