/**
 * The @hw/problem-set calls of `hw solve`, `hw assign` and `hw check`, in one object so that tests can
 * watch what reaches them. The package is loaded on first use ({@link loadProblemSet}, awaited by those
 * three commands before they run): importing it builds mathjs's default instance, about a second of
 * start-up that no other `hw` command needs.
 */
import type * as ProblemSet from "@hw/problem-set";

type ProblemSetModule = typeof ProblemSet;
let loaded: ProblemSetModule | undefined;

/** Load @hw/problem-set (once); the commands that use {@link lib} await this first. */
export async function loadProblemSet(): Promise<ProblemSetModule> {
  loaded ??= await import("@hw/problem-set");
  return loaded;
}

function problemSet(): ProblemSetModule {
  if (loaded === undefined) throw new Error("hw: @hw/problem-set was used before loadProblemSet()");
  return loaded;
}

export const lib = {
  answerTemplate: (...a: Parameters<ProblemSetModule["answerTemplate"]>) => problemSet().answerTemplate(...a),
  checkAnswers: (...a: Parameters<ProblemSetModule["checkAnswers"]>) => problemSet().checkAnswers(...a),
  counterexampleText: (...a: Parameters<ProblemSetModule["counterexampleText"]>) => problemSet().counterexampleText(...a),
  formatSolution: (...a: Parameters<ProblemSetModule["formatSolution"]>) => problemSet().formatSolution(...a),
  generateVariant: (...a: Parameters<ProblemSetModule["generateVariant"]>) => problemSet().generateVariant(...a),
  parseVariantSeed: (...a: Parameters<ProblemSetModule["parseVariantSeed"]>) => problemSet().parseVariantSeed(...a),
  renderProblem: (...a: Parameters<ProblemSetModule["renderProblem"]>) => problemSet().renderProblem(...a),
  solutionSummary: (...a: Parameters<ProblemSetModule["solutionSummary"]>) => problemSet().solutionSummary(...a),
  solveVariant: (...a: Parameters<ProblemSetModule["solveVariant"]>) => problemSet().solveVariant(...a),
};
