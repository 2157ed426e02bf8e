/** `checkAnswers`: grade an answers file part by part, with diagnoses of known mistakes. */
import { closestName, readOptions } from "@hw/tensor";
import { mistakeValues, type MistakeValue } from "./answer-key";
import type { AnswerValue, SequenceAnswer } from "./answers";
import { checkFormula, type Counterexample } from "./check-formula";
import { generateVariant, type Variant } from "./generate-variant";
import { closeOrNull, type Tolerance } from "./internal/compare";
import { shapeOf, type Nested } from "./internal/numbers";
import { PART_IDS, PARTS, type Part } from "./parts";
import type { VariantSeed } from "./variant";

/** Per-part settings an instructor may change. */
export interface PartSettings {
  /** Points for the part. @defaultValue 1 */
  readonly weight?: number;
  /** Relative tolerance per entry. @defaultValue the check's `rtol` */
  readonly rtol?: number;
  /** Absolute tolerance per entry. @defaultValue the check's `atol` */
  readonly atol?: number;
}

/** Options of {@link checkAnswers}. */
export interface CheckAnswersOptions {
  /** Relative tolerance per entry: a hand-computed answer with four significant digits passes. @defaultValue 1e-3 */
  readonly rtol?: number;
  /** Absolute tolerance per entry. @defaultValue 1e-6 */
  readonly atol?: number;
  /** Per-part weights and tolerances, by part id. */
  readonly parts?: Readonly<Record<string, PartSettings>>;
}

/** The verdict on one part. */
export interface PartResult {
  readonly id: string;
  readonly correct: boolean;
  readonly score: number;
  readonly maxScore: number;
  /** `correct`, `partial`, `wrong`, `mistake`, `wrong-shape`, `invalid`, `missing` or `unknown-part`. */
  readonly status: "correct" | "partial" | "wrong" | "mistake" | "wrong-shape" | "invalid" | "missing" | "unknown-part";
  /** The id of the recognised mistake. */
  readonly mistake?: string;
  readonly message: string;
  readonly counterexample?: Counterexample;
}

/** The result of {@link checkAnswers}. */
export interface CheckReport {
  readonly variant: VariantSeed;
  readonly score: number;
  readonly maxScore: number;
  readonly parts: readonly PartResult[];
}

const DEFAULTS = { rtol: 1e-3, atol: 1e-6 };
/** Unknown part ids reported one by one before the rest are summarised. */
const MAX_UNKNOWN_LISTED = 20;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSequence(v: unknown): v is SequenceAnswer {
  return isRecord(v) && Array.isArray(v.tokens) && v.tokens.every((t) => typeof t === "string");
}

function mistakeResult(part: Part, id: string, maxScore: number): PartResult {
  const m = part.mistakes.find((x) => x.id === id)!;
  return { id: part.id, correct: false, score: 0, maxScore, status: "mistake", mistake: id, message: `${id}: ${m.explanation}` };
}

function describeShape(shape: readonly number[]): string {
  return shape.length === 0 ? "a number" : shape.join("×");
}

function checkNumbers(part: Part, value: unknown, expected: Nested, mistakes: readonly MistakeValue[], tol: Tolerance, maxScore: number, sizes: Readonly<Record<string, number>>): PartResult {
  const shape = shapeOf(value);
  if (shape === null) {
    return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: `expected ${part.kind === "number" ? "a finite number" : "nested arrays of finite numbers (not ragged, no strings or nulls)"}, got ${JSON.stringify(value).slice(0, 60)}` };
  }
  const c = closeOrNull(value as Nested, expected, tol);
  if (c?.ok === true) return { id: part.id, correct: true, score: maxScore, maxScore, status: "correct", message: "correct" };
  for (const m of mistakes) {
    const mc = closeOrNull(value as Nested, m.value as Nested, tol);
    if (mc?.ok === true) return mistakeResult(part, m.id, maxScore);
  }
  if (c === null) {
    const want = part.shape.map((s) => `${s} = ${sizes[s] ?? "?"}`).join(", ");
    return { id: part.id, correct: false, score: 0, maxScore, status: "wrong-shape", message: `wrong shape: your answer is ${describeShape(shape)}, the answer is ${describeShape(shapeOf(expected)!)}${want === "" ? "" : ` (${want})`}` };
  }
  const at = c.worst!.index.map((i) => i + 1).join(", ");
  return {
    id: part.id,
    correct: false,
    score: 0,
    maxScore,
    status: "wrong",
    message: `wrong: ${c.bad} of ${c.total} entries outside the tolerance (|yours − exact| ≤ ${tol.atol} + ${tol.rtol}·|exact|)${c.worst!.index.length > 0 ? `, e.g. entry (${at}) = ${c.worst!.yours}` : ""}`,
  };
}

function closeLog(a: number, b: number, tol: Tolerance): boolean {
  return Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b);
}

function sameTokens(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function matchesPartial(s: Partial<SequenceAnswer>, m: Partial<SequenceAnswer>, tol: Tolerance): boolean {
  if (m.tokens !== undefined && (s.tokens === undefined || !sameTokens(s.tokens, m.tokens))) return false;
  if (m.logProb !== undefined && (s.logProb === undefined || !closeLog(s.logProb, m.logProb, tol))) return false;
  return true;
}

/** `{ tokens, logProb }`, or a bare token list (then only the tokens are graded). */
function readSequence(value: unknown): Partial<SequenceAnswer> | string {
  if (Array.isArray(value) && value.every((t) => typeof t === "string")) return { tokens: value };
  if (!isSequence(value)) return 'expected { "tokens": ["…", …], "logProb": number } or a list of tokens';
  const logProb: unknown = (value as { logProb?: unknown }).logProb;
  if (logProb === undefined) return { tokens: value.tokens };
  if (typeof logProb !== "number" || !Number.isFinite(logProb)) return "logProb: expected a finite number (the natural log of the probability)";
  return { tokens: value.tokens, logProb };
}

function sequenceScore(s: Partial<SequenceAnswer>, want: SequenceAnswer, tol: Tolerance): { score: number; parts: string[] } {
  const tokensOk = s.tokens !== undefined && sameTokens(s.tokens, want.tokens);
  const logOk = s.logProb !== undefined && closeLog(s.logProb, want.logProb, tol);
  return {
    score: (tokensOk ? 0.5 : 0) + (logOk ? 0.5 : 0),
    parts: [tokensOk ? "tokens correct" : "tokens wrong", s.logProb === undefined ? "logProb missing" : logOk ? "logProb correct" : "logProb wrong"],
  };
}

function checkSequence(part: Part, value: unknown, expected: SequenceAnswer, mistakes: readonly MistakeValue[], tol: Tolerance, maxScore: number): PartResult {
  const s = readSequence(value);
  if (typeof s === "string") return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: s };
  const { score, parts } = sequenceScore(s, expected, tol);
  if (score === 1) return { id: part.id, correct: true, score: maxScore, maxScore, status: "correct", message: "correct" };
  const m = mistakes.find((x) => matchesPartial(s, x.value as Partial<SequenceAnswer>, tol));
  const base = { id: part.id, correct: false, score: score * maxScore, maxScore, status: score > 0 ? ("partial" as const) : ("wrong" as const) };
  if (m !== undefined) return { ...base, status: "mistake", mistake: m.id, message: `${m.id}: ${part.mistakes.find((x) => x.id === m.id)!.explanation} (${parts.join(", ")})` };
  return { ...base, message: parts.join(", ") };
}

function checkBeams(part: Part, value: unknown, expected: readonly SequenceAnswer[], mistakes: readonly MistakeValue[], tol: Tolerance, maxScore: number): PartResult {
  if (!Array.isArray(value) || value.length === 0) return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: `expected a list of ${expected.length} beams [{ "tokens": […], "logProb": … }, …], best first` };
  const beams = value.map(readSequence);
  const bad = beams.findIndex((b) => typeof b === "string");
  if (bad >= 0) return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: `beam ${bad + 1}: ${beams[bad] as string}` };
  const seqs = beams as Partial<SequenceAnswer>[];
  if (seqs.length !== expected.length) {
    return { id: part.id, correct: false, score: 0, maxScore, status: "wrong-shape", message: `wrong shape: ${seqs.length} beams given, beam search with B = ${expected.length} ends with ${expected.length}` };
  }
  const scores = expected.map((e, i) => sequenceScore(seqs[i]!, e, tol));
  const score = scores.reduce((s, x) => s + x.score, 0) / expected.length;
  if (score === 1) return { id: part.id, correct: true, score: maxScore, maxScore, status: "correct", message: "correct" };
  const m = mistakes.find((x) => (x.value as Partial<SequenceAnswer>[]).every((mv, i) => seqs[i] !== undefined && matchesPartial(seqs[i], mv, tol)));
  const detail = scores.map((s, i) => `beam ${i + 1}: ${s.parts.join(", ")}`).join("; ");
  const base = { id: part.id, correct: false, score: score * maxScore, maxScore, status: score > 0 ? ("partial" as const) : ("wrong" as const) };
  if (m !== undefined) return { ...base, status: "mistake", mistake: m.id, message: `${m.id}: ${part.mistakes.find((x) => x.id === m.id)!.explanation} (${detail})` };
  return { ...base, message: detail };
}

function checkPart(variant: Variant, part: Part, value: AnswerValue | undefined, tol: Tolerance, maxScore: number, sizes: Readonly<Record<string, number>>): PartResult {
  if (value === undefined) return { id: part.id, correct: false, score: 0, maxScore, status: "missing", message: "not answered" };
  if (isRecord(value) && "formula" in value) {
    if (part.formula === undefined) return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: `part ${part.id} is answered with ${part.kind === "sequence" || part.kind === "beams" ? "tokens and a log-probability" : "numbers"}, not a formula` };
    if (typeof value.formula !== "string") return { id: part.id, correct: false, score: 0, maxScore, status: "invalid", message: "formula: expected a string in mathjs syntax" };
    const v = checkFormula(part.id, value.formula);
    return {
      id: part.id,
      correct: v.correct,
      score: v.correct ? maxScore : 0,
      maxScore,
      status: v.status,
      ...(v.mistake === undefined ? {} : { mistake: v.mistake }),
      message: v.message,
      ...(v.counterexample === undefined ? {} : { counterexample: v.counterexample }),
    };
  }
  const expected = variant.key[part.id]!;
  const mistakes = mistakeValues(variant.data, part);
  if (part.kind === "sequence") return checkSequence(part, value, expected as SequenceAnswer, mistakes, tol, maxScore);
  if (part.kind === "beams") return checkBeams(part, value, expected as SequenceAnswer[], mistakes, tol, maxScore);
  return checkNumbers(part, value, expected as Nested, mistakes, tol, maxScore, sizes);
}

/**
 * Check answers against a variant: every part gets a verdict (missing parts score 0; unknown part ids,
 * malformed values and unparsable or hostile formulas are verdicts too, never exceptions).
 *
 * Numbers are compared entry by entry with |yours − exact| ≤ atol + rtol·|exact|; token sequences
 * exactly and log-probabilities as numbers (half of a sequence part's points each); formulas on
 * random instances (see {@link checkFormula}). A wrong answer equal to a known mistake gets its id.
 *
 * @param variant - A seed (`"original"` or an integer) or a variant from {@link generateVariant}.
 * @param answers - Part id → answer.
 * @param options - Tolerances and per-part weights.
 * @throws TypeError when `answers` is not an object, or for an unknown option.
 * @example
 * ```ts
 * const v = generateVariant(3);
 * checkAnswers(v, v.key).score === checkAnswers(v, v.key).maxScore; // => true
 * ```
 */
export function checkAnswers(variant: Variant | VariantSeed, answers: Readonly<Record<string, unknown>>, options?: CheckAnswersOptions): CheckReport {
  const o = readOptions("checkAnswers", options, ["rtol", "atol", "parts"]);
  if (!isRecord(answers)) throw new TypeError(`checkAnswers: answers must be an object { "<part id>": value }, got ${Array.isArray(answers) ? "an array" : typeof answers}`);
  const v = typeof variant === "object" ? variant : generateVariant(variant);
  const sizes = sizesOf(v);
  const results: PartResult[] = PARTS.map((part) => {
    const settings = readOptions(`checkAnswers: parts["${part.id}"]`, o.parts?.[part.id], ["weight", "rtol", "atol"]);
    const tol = { rtol: settings.rtol ?? o.rtol ?? DEFAULTS.rtol, atol: settings.atol ?? o.atol ?? DEFAULTS.atol };
    return checkPart(v, part, answers[part.id] as AnswerValue | undefined, tol, settings.weight ?? 1, sizes);
  });
  const unknown = Object.keys(answers).filter((id) => !PART_IDS.includes(id));
  unknown.slice(0, MAX_UNKNOWN_LISTED).forEach((id) => {
    const close = closestName(id, PART_IDS);
    results.push({ id, correct: false, score: 0, maxScore: 0, status: "unknown-part", message: `unknown part id ${JSON.stringify(id)}${close === undefined ? "" : ` — did you mean ${close}?`}` });
  });
  if (unknown.length > MAX_UNKNOWN_LISTED) {
    results.push({ id: "(more unknown ids)", correct: false, score: 0, maxScore: 0, status: "unknown-part", message: `${unknown.length - MAX_UNKNOWN_LISTED} more unknown part ids` });
  }
  const score = results.reduce((s, r) => s + r.score, 0);
  const maxScore = results.reduce((s, r) => s + r.maxScore, 0);
  return { variant: v.seed, score, maxScore, parts: results };
}

function sizesOf(v: Variant): Record<string, number> {
  const d = v.data;
  return {
    T: d.q1.x.length,
    "T−1": d.q1.x.length - 1,
    H: d.q1.Wf.length,
    D: d.q1.Wf[0]!.length,
    K: d.q1.Vf.length,
    B: d.q3.x.length,
    C: d.q3.x[0]!.length,
    F: d.q3.x[0]![0]!.length,
    n: d.q3.u.length,
    d: d.q4.X[0]!.length,
  };
}
