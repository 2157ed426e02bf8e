/* eslint-disable @typescript-eslint/no-deprecated -- the barrel re-exports functions whose 0.0 overloads (and the old input types) are deprecated until 0.2.0 */
// The public API of @hw/regularization: explicit named re-exports only.
export { version } from "./version";
export { keepProbability, type KeepProbability, type KeepProbabilityOptions } from "./keep-probability";
export type { MatrixInput, VectorInput } from "./internal/linear-input";
export { dropoutMask } from "./dropout-mask";
export { dropout, type DropoutOptions } from "./dropout";
export { dropoutLoss, expectedDropoutLoss } from "./dropout-loss";
export { monteCarloDropoutLoss, type MonteCarloOptions, type MonteCarloEstimate } from "./monte-carlo-dropout-loss";
export { tikhonovSolution, type TikhonovSolution } from "./tikhonov-solution";
export { ridgeSolution, type RidgeSolution } from "./ridge-solution";
export { dropoutSolution, type DropoutSolution } from "./dropout-solution";
export { dropoutPath, ridgePath, type DropoutPathPoint, type RidgePathPoint } from "./regularization-path";
export {
  compareDropoutRidge,
  type CompareDropoutRidgeOptions,
  type DropoutRidgeComparison,
  type FeatureComparison,
} from "./compare-dropout-ridge";
export { trainDropoutRegression, type TrainDropoutOptions, type TrainDropoutResult } from "./train-dropout-regression";
