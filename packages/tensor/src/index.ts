// The public API of @hw/tensor: explicit named re-exports only.
export { version } from "./version";
export {
  Tensor,
  isTensor,
  TENSOR_BRAND,
  type DType,
  type DataArray,
  type NestedArray,
} from "./tensor";

// --- core: creation, views, broadcasting, elementwise, reductions (helper A)
export { formatTensor, type FormatOptions } from "./format";
export {
  tensor,
  scalar,
  zeros,
  ones,
  full,
  eye,
  arange,
  linspace,
  zerosLike,
  onesLike,
  fullLike,
  type CreationOptions,
} from "./creation";
export {
  reshape,
  flatten,
  transpose,
  permute,
  swapAxes,
  slice,
  select,
  expandDims,
  squeeze,
  broadcastTo,
  type SliceSpec,
} from "./views";
export { broadcastShapes, sumTo } from "./broadcast";
export {
  add,
  sub,
  mul,
  div,
  neg,
  pow,
  exp,
  log,
  sqrt,
  abs,
  sigmoid,
  tanh,
  relu,
  softplus,
  square,
  reciprocal,
  maximum,
  minimum,
  clip,
  type TensorLike,
} from "./elementwise";
export { equal, notEqual, less, lessEqual, greater, greaterEqual, where, isNaN, isFinite } from "./compare";
export {
  sum,
  mean,
  variance,
  variance as var,
  std,
  max,
  min,
  argmax,
  argmin,
  logSumExp,
  moments,
  type Moments,
  type Axes,
  type ReduceOptions,
  type VarianceOptions,
} from "./reduce";
export { softmax, logSoftmax } from "./softmax";
export { topk, sort, argsort, type TopkOptions, type TopkResult, type SortOptions } from "./topk";
export { concat, stack, split } from "./join";

// --- linear algebra and random (helper B)
export { matmul, dot, outer } from "./matmul";
export { cholesky, type CholeskyOptions } from "./linalg/cholesky";
export { solve } from "./linalg/solve";
export { lu, type LuResult } from "./linalg/lu";
export { solveTriangular, type SolveTriangularOptions } from "./linalg/solve-triangular";
export { inv } from "./linalg/inv";
export { det, slogdet, type SlogdetResult } from "./linalg/det";
export { lstsq, type LstsqResult } from "./linalg/lstsq";
export {
  qr,
  eigh,
  svd,
  type QrResult,
  type EighResult,
  type EighOptions,
  type EighMethod,
  type SvdOptions,
  type SvdMethod,
  type SvdResult,
} from "./linalg/decompositions";
export {
  pinv,
  matrixRank,
  vectorNorm,
  matrixNorm,
  cond,
  type RankOptions,
  type VectorNormOptions,
  type VectorOrd,
  type MatrixNormOptions,
  type MatrixOrd,
} from "./linalg/norms";
export {
  createRng,
  type Rng,
  type UniformOptions,
  type NormalOptions,
  type CategoricalOptions,
} from "./random";

// --- autodiff and gradcheck (helper C)
export {
  grad,
  valueAndGrad,
  type Differentiable,
  type DifferentiableArg,
  type GradOf,
  type GradsOf,
  type GradsAt,
  type GradOptions,
  type ValueAndGrad,
} from "./autodiff/grad";
export { stopGradient } from "./autodiff/stop-gradient";
export {
  vjp,
  jvp,
  jacobian,
  hessian,
  hvp,
  type TensorFn,
  type VjpResult,
  type JvpResult,
  type HvpResult,
} from "./autodiff/functional";
export {
  recordOp,
  NotDifferentiableError,
  assertNotDifferentiated,
  isTracked,
  type BackwardFn,
  type RecordOptions,
} from "./autodiff/tape";
export { readOptions, closestName, warnDeprecated, withDeprecatedField } from "./options";
export { toTensor, type TensorInput } from "./to-tensor";
export {
  gradcheck,
  gradgradcheck,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckReport,
  type GradcheckInputReport,
} from "./gradcheck";
