/** The shapes of answers and answer files (`hw check` reads them; `key.json` is one). */
import type { VariantSeed } from "./variant";

/** A decoded sequence: the tokens after `<BOS>` and the natural-log probability. */
export interface SequenceAnswer {
  readonly tokens: readonly string[];
  readonly logProb: number;
}

/** A formula in mathjs syntax (see the package README for the variables of each part). */
export interface FormulaAnswer {
  readonly formula: string;
}

/** One part's answer: a number, nested arrays, tokens, a sequence (or list of them) or a formula. */
export type AnswerValue = number | readonly unknown[] | SequenceAnswer | FormulaAnswer;

/** An answers file: `{ "variant": S, "answers": { "<part id>": value } }`. */
export interface AnswersFile {
  readonly variant: VariantSeed;
  readonly answers: Readonly<Record<string, AnswerValue>>;
}
