/** Evaluating a checked formula on an instance: per-step variables, `sum_t`, results as nested arrays. */
import type { MathNode } from "mathjs";
import type { Part } from "../parts";
import { FAMILIES, type FormulaInstance } from "./instances";
import { compileNode, extractSums, FormulaError, fromMathValue, mathAdd, parseFormula, type CompiledFormula } from "./sandbox";

/** A formula ready to evaluate for one part. */
export interface PreparedFormula {
  readonly source: string;
  readonly outer: CompiledFormula;
  readonly sums: readonly CompiledFormula[];
}

/** The variables a part's formula may use. */
export function partVariables(part: Part): string[] {
  if (part.formula === undefined) return [];
  const f = FAMILIES[part.formula.family];
  return [...f.variables, ...f.stepVariables];
}

function usesStepVariable(node: MathNode, stepVariables: ReadonlySet<string>): string | undefined {
  let found: string | undefined;
  node.traverse((n) => {
    if (found === undefined && n.type === "SymbolNode" && stepVariables.has((n as unknown as { name: string }).name)) found = (n as unknown as { name: string }).name;
  });
  return found;
}

/**
 * Parse, check and compile a formula for `part`.
 *
 * @throws FormulaError when the formula breaks a bound, uses something not allowed, or uses a per-step
 * variable outside `sum_t` in a part that is not per step.
 */
export function prepareFormula(source: string, part: Part): PreparedFormula {
  if (part.formula === undefined) throw new FormulaError(`part ${part.id} is answered with numbers, not a formula`, "not-allowed");
  const family = FAMILIES[part.formula.family];
  const parsed = parseFormula(source, new Set(partVariables(part)));
  const { node, sums } = extractSums(parsed.node);
  if (sums.length > 0 && family.stepVariables.length === 0) throw new FormulaError("sum_t(…) sums over the time steps of Question 1; this part has none", "not-allowed");
  if (part.formula.steps === undefined) {
    const stray = usesStepVariable(node, new Set(family.stepVariables));
    if (stray !== undefined) throw new FormulaError(`${stray} depends on the step t: use it inside sum_t(…) (this part is a sum over t = 1…T)`, "not-allowed");
  }
  return { source, outer: compileNode(node), sums: sums.map(compileNode) };
}

/** The steps a part is checked at on an instance (`[undefined]` for parts that are not per step). */
export function stepsOf(part: Part, instance: FormulaInstance): (number | undefined)[] {
  const steps = part.formula?.steps;
  if (steps === undefined) return [undefined];
  const all = Array.from({ length: instance.T }, (_, i) => i + 1);
  return steps === "all" ? all : steps === "from-second" ? all.slice(1) : all.slice(0, -1);
}

/** Evaluate on one instance (at step t); returns nested arrays (or a number) and the shape. */
export function evaluateAt(f: PreparedFormula, instance: FormulaInstance, t: number | undefined): { value: number | unknown[]; shape: number[] } {
  const scope = new Map(t === undefined ? instance.scope : instance.stepScope(t));
  let out: unknown;
  try {
    f.sums.forEach((s, k) => {
      let total: unknown = 0;
      for (let u = 1; u <= instance.T; u++) {
        const term = s.evaluate(instance.stepScope(u));
        total = u === 1 ? term : mathAdd(total, term);
      }
      scope.set(`__sum_t${k}`, total);
    });
    out = f.outer.evaluate(scope);
  } catch (error) {
    if (error instanceof FormulaError) throw error;
    throw new FormulaError(error instanceof Error ? error.message : String(error), "evaluation");
  }
  return fromMathValue(out);
}
