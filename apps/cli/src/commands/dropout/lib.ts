/** The library calls of `hw dropout …` and `hw ridge …`, in one object so that tests can watch what reaches them. */
// These functions still carry deprecated positional overloads (until 0.2.0); the CLI calls only the
// `(X, y, options)` forms, so importing them is not a use of the deprecated spelling.
/* eslint-disable @typescript-eslint/no-deprecated */
import { compareDropoutRidge, dropoutSolution, expectedDropoutLoss, monteCarloDropoutLoss, ridge, ridgeCV, ridgeSolution, trainDropoutRegression } from "@hw/regularization";

export const lib = { compareDropoutRidge, dropoutSolution, expectedDropoutLoss, monteCarloDropoutLoss, ridge, ridgeCV, ridgeSolution, trainDropoutRegression };
