/** The library calls of `hw dropout …` and `hw ridge …`, in one object so that tests can watch what reaches them. */
import { compareDropoutRidge, dropoutSolution, expectedDropoutLoss, monteCarloDropoutLoss, ridgeSolution, trainDropoutRegression } from "@hw/regularization";

export const lib = { compareDropoutRidge, dropoutSolution, expectedDropoutLoss, monteCarloDropoutLoss, ridgeSolution, trainDropoutRegression };
