/** The @hw/problem-set calls of `hw solve`, `hw assign` and `hw check`, in one object so that tests can watch what reaches them. */
import { answerTemplate, checkAnswers, formatSolution, generateVariant, renderProblem, solveVariant } from "@hw/problem-set";

export const lib = { answerTemplate, checkAnswers, formatSolution, generateVariant, renderProblem, solveVariant };
