// The public API of @hw/problem-set: explicit named re-exports only.
export { version } from "./version";
export type { VariantData, VariantSeed, Q1Data, Q2Data, Q3Data, Q4Data, TreeNodeData } from "./variant";
export type { AnswerValue, AnswersFile, FormulaAnswer, SequenceAnswer } from "./answers";
export { generateVariant, parseVariantSeed, type Variant } from "./generate-variant";
export { answerKey, mistakeValues, type MistakeValue } from "./answer-key";
export { PARTS, PART_IDS, findPart, type Part, type PartKind, type Mistake, type StepRange } from "./parts";
export { checkAnswers, type CheckAnswersOptions, type CheckReport, type PartResult, type PartSettings } from "./check-answers";
export { checkFormula, counterexampleText, FORMULA_TOLERANCE, type Counterexample, type FormulaVerdict } from "./check-formula";
export { FORMULA_LIMITS, FORMULA_FUNCTIONS, FormulaError, formulaToTex } from "./formula/sandbox";
export { partVariables } from "./formula/evaluate";
export {
  solveVariant,
  solutionSummary,
  formatSolution,
  QUESTIONS,
  type SolveVariantOptions,
  type SolutionFormat,
  type Check,
  type SectionReport,
  type SectionResult,
  type SectionStatus,
} from "./solve-variant";
export { intervalCheck } from "./solve/section";
