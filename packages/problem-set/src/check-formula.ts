/**
 * Checking a formula answer: evaluate it on seeded random instances (sizes from 1 up) and compare with
 * the exact values of the topic packages; name a known mistake when the formula matches one; report
 * the smallest counterexample otherwise.
 */
import { evaluateAt, prepareFormula, stepsOf, type PreparedFormula } from "./formula/evaluate";
import { probeInstance, squareInstances, testInstances, type FormulaInstance } from "./formula/instances";
import { FORMULA_LIMITS, FormulaError } from "./formula/sandbox";
import { compareValues, type Tolerance } from "./internal/compare";
import type { Nested } from "./internal/numbers";
import { findPart, type Mistake, type Part } from "./parts";

/** Formulas are compared with exact values, so the tolerance only absorbs rounding of equal forms. */
export const FORMULA_TOLERANCE: Tolerance = { rtol: 1e-7, atol: 1e-9 };

/** Where a formula is wrong: the smallest instance found. */
export interface Counterexample {
  /** The instance's seed (instances are drawn with `createRng(1000 + seed)`). */
  readonly seed: number | "variant";
  /** Its sizes, e.g. `{ H: 2, D: 1, K: 1, T: 2 }`. */
  readonly sizes: Readonly<Record<string, number>>;
  /** The step t (per-step parts and sums). */
  readonly t?: number;
  /** The worst entry (1-based indices), your value and the expected one. */
  readonly entry?: readonly number[];
  readonly yours?: number;
  readonly expected?: number;
  /** When evaluation failed there: why. */
  readonly error?: string;
}

/** The verdict on one formula. */
export interface FormulaVerdict {
  readonly correct: boolean;
  /** `"correct"`, `"mistake"`, `"wrong"`, `"wrong-shape"` or `"invalid"` (a bound, a disallowed construct, a parse error). */
  readonly status: "correct" | "mistake" | "wrong" | "wrong-shape" | "invalid";
  readonly message: string;
  readonly mistake?: string;
  /** For `"invalid"`: which rule (`length`, `depth`, `syntax`, `not-allowed`, `unknown-variable`, `size`, `time`, `evaluation`). */
  readonly rule?: string;
  readonly counterexample?: Counterexample;
}

const shapeText = (shape: readonly number[]): string => (shape.length === 0 ? "a scalar" : shape.join("×"));

/** Name each size of `shape` by the instance size it equals (the probe instance's sizes all differ). */
function namedShape(shape: readonly number[], sizes: Readonly<Record<string, number>>): string {
  if (shape.length === 0) return "a scalar";
  return shape
    .map((d) => {
      if (d === 1) return "1";
      const names = Object.entries(sizes).filter(([name, v]) => v === d && name !== "T");
      return names.length === 1 ? names[0]![0] : String(d);
    })
    .join("×");
}

function sameFormulaShape(a: readonly number[], b: readonly number[]): boolean {
  const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  if (size(a) === 1 && size(b) === 1) return true;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

interface Evaluation {
  readonly instance: FormulaInstance;
  readonly t: number | undefined;
  readonly value?: Nested;
  readonly shape?: number[];
  readonly error?: string;
}

function evaluateAll(f: PreparedFormula, part: Part, at: { readonly instances: readonly FormulaInstance[]; readonly deadline: number }): Evaluation[] {
  const { instances, deadline } = at;
  const out: Evaluation[] = [];
  for (const instance of instances) {
    for (const t of stepsOf(part, instance)) {
      if (Date.now() > deadline) throw new FormulaError(`evaluating the formula took longer than ${FORMULA_LIMITS.maxMillis} ms`, "time");
      try {
        const r = evaluateAt(f, instance, t);
        out.push({ instance, t, value: r.value as Nested, shape: r.shape });
      } catch (error) {
        if (error instanceof FormulaError && (error.rule === "size" || error.rule === "not-allowed")) throw error;
        out.push({ instance, t, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return out;
}

const mistakeCache = new Map<string, PreparedFormula>();

function preparedMistake(formula: string, part: Part): PreparedFormula {
  const key = `${part.id}\u0000${formula}`;
  let f = mistakeCache.get(key);
  if (f === undefined) {
    f = prepareFormula(formula, part);
    mistakeCache.set(key, f);
  }
  return f;
}

/** Whether the student's evaluations equal a mistake formula's on every instance where the student's evaluate. */
function matchesMistake(mine: readonly Evaluation[], mistake: Mistake, at: { readonly part: Part }): boolean {
  const { part } = at;
  const evaluated = mine.filter((e) => e.value !== undefined);
  if (evaluated.length === 0) return false;
  return (mistake.formulas ?? []).some((formula) => {
    const f = preparedMistake(formula, part);
    // The catalogue's own formulas are trusted and small: only the student's formula is timed.
    const theirs = evaluateAll(f, part, { instances: [...new Set(evaluated.map((e) => e.instance))], deadline: Infinity });
    return evaluated.every((e) => {
      const m = theirs.find((x) => x.instance === e.instance && x.t === e.t);
      return m?.value !== undefined && sameFormulaShape(m.shape!, e.shape!) && compareValues(e.value!, m.value, FORMULA_TOLERANCE, m.shape!).ok;
    });
  });
}

function diagnose(mine: readonly Evaluation[], part: Part): Mistake | undefined {
  return part.mistakes.find((m) => matchesMistake(mine, m, { part }));
}

function sizeOf(instance: FormulaInstance): number {
  return Object.values(instance.sizes).reduce((s, v) => s + v, 0);
}

/**
 * Check a formula answer to part `partId`.
 *
 * @returns a verdict; never throws for any student input (bounds, syntax, disallowed constructs, evaluation
 * errors and time-outs are verdicts).
 * @throws RangeError when `partId` is not a part that takes formulas.
 */
export function checkFormula(partId: string, formula: string): FormulaVerdict {
  const part = findPart(partId);
  if (part?.formula === undefined) throw new RangeError(`checkFormula: part ${partId} does not take formulas`);
  const family = part.formula.family;
  const deadline = Date.now() + FORMULA_LIMITS.maxMillis;
  const what = part.title.split(",")[0]!.split(" (")[0]!;
  try {
    const f = prepareFormula(formula, part);
    // 1. Shape, on an instance whose sizes all differ.
    const probe = probeInstance(family);
    const probeT = stepsOf(part, probe)[0];
    const expectedShape = shapeOfNested(probe.exact(part.id, probeT));
    const [p] = evaluateAll(f, part, { instances: [probe], deadline }).filter((e) => e.t === probeT);
    if (p === undefined || p.value === undefined || !sameFormulaShape(p.shape!, expectedShape)) {
      const square = evaluateAll(f, part, { instances: squareInstances(family), deadline });
      const m = square.every((e) => e.value !== undefined) ? diagnose(square, part) : undefined;
      if (m !== undefined) return { correct: false, status: "mistake", mistake: m.id, message: `${m.id}: ${m.explanation}` };
      if (p?.value === undefined) {
        return {
          correct: false,
          status: "invalid",
          rule: "evaluation",
          message: `the formula cannot be evaluated with sizes ${sizesText(probe.sizes)}: ${p?.error ?? "no value"}`,
          counterexample: { seed: probe.seed, sizes: probe.sizes, ...(probeT === undefined ? {} : { t: probeT }), error: p?.error ?? "no value" },
        };
      }
      return {
        correct: false,
        status: "wrong-shape",
        message: `your expression is ${namedShape(p.shape!, probe.sizes)}, ${what} is ${namedShape(expectedShape, probe.sizes)} (sizes ${sizesText(probe.sizes)})`,
      };
    }
    // 2. Values, on the test instances.
    const mine = evaluateAll(f, part, { instances: testInstances(family), deadline });
    const failures: { e: Evaluation; cx: Counterexample }[] = [];
    for (const e of mine) {
      const expected = e.instance.exact(part.id, e.t);
      const shape = shapeOfNested(expected);
      const base = { seed: e.instance.seed, sizes: e.instance.sizes, ...(e.t === undefined ? {} : { t: e.t }) };
      if (e.value === undefined) {
        failures.push({ e, cx: { ...base, error: e.error ?? "no value" } });
      } else if (!sameFormulaShape(e.shape!, shape)) {
        failures.push({ e, cx: { ...base, error: `your expression is ${shapeText(e.shape!)} there, expected ${shapeText(shape)}` } });
      } else {
        const c = compareValues(e.value, expected, FORMULA_TOLERANCE, shape);
        if (!c.ok) failures.push({ e, cx: { ...base, entry: c.worst!.index.map((i) => i + 1), yours: c.worst!.yours, expected: c.worst!.expected } });
      }
    }
    if (failures.length === 0) {
      const checks = mine.length;
      return { correct: true, status: "correct", message: `correct: equals the exact answer on ${testInstances(family).length} random instances (${checks} evaluations, sizes from 1 up)` };
    }
    const m = diagnose(mine, part);
    const smallest = failures.reduce((best, f) => (sizeOf(f.e.instance) < sizeOf(best.e.instance) || (sizeOf(f.e.instance) === sizeOf(best.e.instance) && (f.e.t ?? 0) < (best.e.t ?? 0)) ? f : best));
    if (m !== undefined) return { correct: false, status: "mistake", mistake: m.id, message: `${m.id}: ${m.explanation}`, counterexample: smallest.cx };
    return { correct: false, status: "wrong", message: `wrong: ${counterexampleText(smallest.cx)}`, counterexample: smallest.cx };
  } catch (error) {
    if (error instanceof FormulaError) return { correct: false, status: "invalid", rule: error.rule, message: `formula refused (${error.rule}): ${error.message}` };
    // Anything else mathjs throws on hostile input is still a verdict, never a crash.
    return { correct: false, status: "invalid", rule: "evaluation", message: `formula refused (evaluation): ${error instanceof Error ? error.message : String(error)}` };
  }
}

function shapeOfNested(v: Nested): number[] {
  const s: number[] = [];
  let x: Nested = v;
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0]!;
  }
  return s;
}

function sizesText(sizes: Readonly<Record<string, number>>): string {
  const e = Object.entries(sizes);
  return e.length === 0 ? "(none)" : e.map(([k, v]) => `${k} = ${v}`).join(", ");
}

/** One line describing a counterexample. */
export function counterexampleText(c: Counterexample): string {
  const where = `sizes ${sizesText(c.sizes)}, seed ${c.seed}${c.t === undefined ? "" : `, t = ${c.t}`}`;
  if (c.error !== undefined) return `${where}: ${c.error}`;
  const entry = c.entry === undefined || c.entry.length === 0 ? "" : ` entry (${c.entry.join(", ")})`;
  return `${where}:${entry} yours ${fmt(c.yours!)} vs expected ${fmt(c.expected!)}`;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

