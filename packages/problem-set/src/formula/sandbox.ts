/**
 * The locked-down mathjs instance that evaluates student formulas. A formula is untrusted: before it
 * reaches mathjs's parser its length and bracket depth are bounded (the parser is recursive), and
 * after parsing every node is checked against a whitelist — numbers, the part's variables, a few
 * operators and functions — so property access, assignments, function definitions, strings, units,
 * `import`, `evaluate`, `parse`, `createUnit`, `simplify` and `derivative` never run. Those functions
 * are also replaced by throwing stubs in the instance itself, and the functions that allocate
 * (`ones`, `zeros`, `identity`) refuse sizes above {@link FORMULA_LIMITS}.
 */
import { all, create, type FactoryFunctionMap, type MathNode } from "mathjs";

/** The bounds every formula must stay within; breaking one is a verdict that names it. */
export const FORMULA_LIMITS = {
  /** Characters in a formula. */
  maxLength: 2000,
  /** Nesting depth of brackets and of the parsed expression tree. */
  maxDepth: 40,
  /** Entries of any matrix a formula builds (`ones(n, m)`, `zeros`, `identity`, matrix literals). */
  maxEntries: 10_000,
  /**
   * Milliseconds spent evaluating the student's formula on all of one part's test instances (the
   * mistake catalogue's formulas are not counted). A safety net for formulas that stay within the
   * size bounds but repeat heavy work; an honest formula takes a few milliseconds, so the margin is
   * wide enough that a loaded machine does not change a verdict.
   */
  maxMillis: 3000,
} as const;

/** Why a formula was refused before evaluation. */
export class FormulaError extends Error {
  constructor(
    message: string,
    /** Which rule: `"length"`, `"depth"`, `"syntax"`, `"not-allowed"`, `"unknown-variable"`, `"size"`, `"time"`, `"evaluation"`. */
    readonly rule: string,
  ) {
    super(message);
    this.name = "FormulaError";
  }
}

const math = create(all as FactoryFunctionMap, { number: "number", matrix: "Matrix" });
// Keep the parser for our own use, then disable everything that could reach beyond arithmetic.
const parse = math.parse;
const disabled = (name: string) => () => {
  throw new FormulaError(`${name} is disabled in formulas`, "not-allowed");
};
const sizeGuard = (name: string, original: (...args: number[]) => unknown) => (...args: unknown[]) => {
  const sizes = args.map((a) => (typeof a === "number" ? a : NaN));
  const entries = sizes.reduce((p, s) => p * s, 1);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || !(entries <= FORMULA_LIMITS.maxEntries)) {
    throw new FormulaError(
      `${name}(${sizes.join(", ")}) would build ${Number.isFinite(entries) ? entries.toExponential(1) : "an unbounded number of"} entries (limit ${FORMULA_LIMITS.maxEntries}): sizes must be small non-negative integers`,
      "size",
    );
  }
  return original(...sizes);
};
const sigmoidScalar = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
/** The logistic sigmoid, elementwise, in its stable form. */
function sigmoidAny(x: unknown): unknown {
  return typeof x === "number" ? sigmoidScalar(x) : math.map(x as number[], (v: number) => sigmoidScalar(v));
}
const mathNorm = math.norm.bind(math) as unknown as (x: unknown, p?: unknown) => number;
const mathDiag = math.diag.bind(math) as unknown as (x: unknown) => unknown;

function sizeOfValue(x: unknown): number[] {
  return typeof x === "number" ? [] : (math.size(x as number[]) as unknown as { valueOf(): number[] }).valueOf();
}

/** `norm(v)` of an n×1 or 1×n matrix is the vector 2-norm; of a matrix, the Frobenius norm (unless p is given). */
function normAny(x: unknown, p?: unknown): number {
  if (typeof x === "number") return Math.abs(x);
  if (p === undefined) return mathNorm(x, "fro");
  const s = sizeOfValue(x);
  return s.length === 2 && (s[0] === 1 || s[1] === 1) ? mathNorm(math.flatten(x as number[]), p) : mathNorm(x, p);
}

/** `diag(v)` of a column or row vector is the diagonal matrix; of a square matrix, its diagonal as a column. */
function diagAny(x: unknown): unknown {
  if (typeof x === "number") return math.matrix([[x]]);
  const s = sizeOfValue(x);
  if (s.length === 2 && (s[0] === 1 || s[1] === 1)) return mathDiag(math.flatten(x as number[]));
  if (s.length === 1) return mathDiag(x);
  const d = mathDiag(x) as { toArray(): number[] };
  return math.matrix(d.toArray().map((v) => [v]));
}

/** 1×1 matrices act as scalars when the matrix operation would not fit (u'*u as a denominator, a*(v'*w)). */
function lenient(op: (a: unknown, b: unknown) => unknown): (a: unknown, b: unknown) => unknown {
  const scalar = (x: unknown): unknown => {
    if (typeof x !== "number" && x !== null && typeof x === "object" && "size" in x) {
      const s = sizeOfValue(x);
      if (s.length === 2 && s[0] === 1 && s[1] === 1) return (x as unknown as { get(i: number[]): number }).get([0, 0]);
    }
    return x;
  };
  return (a, b) => {
    try {
      return op(a, b);
    } catch (error) {
      const a1 = scalar(a);
      const b1 = scalar(b);
      if (a1 === a && b1 === b) throw error;
      return op(a1, b1);
    }
  };
}

const BINARY: Record<string, string> = { multiply: "__mul", divide: "__div", add: "__add", subtract: "__sub" };
const HELPERS = new Map<string, unknown>([
  ["__mul", lenient((a, b) => math.multiply(a as number, b as number))],
  ["__div", lenient((a, b) => math.divide(a as number, b as number))],
  ["__add", lenient((a, b) => math.add(a as number, b as number))],
  ["__sub", lenient((a, b) => math.subtract(a as number, b as number))],
]);

const ones = math.ones.bind(math) as unknown as (...a: number[]) => unknown;
const zeros = math.zeros.bind(math) as unknown as (...a: number[]) => unknown;
const identity = math.identity.bind(math) as unknown as (...a: number[]) => unknown;
math.import(
  {
    import: disabled("import"),
    createUnit: disabled("createUnit"),
    evaluate: disabled("evaluate"),
    parse: disabled("parse"),
    simplify: disabled("simplify"),
    derivative: disabled("derivative"),
    resolve: disabled("resolve"),
    reviver: disabled("reviver"),
    compile: disabled("compile"),
    ones: sizeGuard("ones", ones),
    zeros: sizeGuard("zeros", zeros),
    identity: sizeGuard("identity", identity),
    eye: sizeGuard("eye", identity),
    sigmoid: (x: unknown) => sigmoidAny(x),
    norm: (x: unknown, p?: unknown) => normAny(x, p),
    diag: (x: unknown) => diagAny(x),
  },
  { override: true },
);

/** Functions a formula may call. `sum_t` is handled by the checker (a sum over the time steps). */
export const FORMULA_FUNCTIONS = [
  "sigmoid", "diag", "norm", "transpose", "sum_t", "inv", "sqrt", "exp", "log", "abs", "sum", "trace", "det", "dot",
  "ones", "zeros", "identity", "eye", "max", "min",
] as const;

const OPERATORS = new Set(["add", "subtract", "multiply", "divide", "pow", "dotMultiply", "dotDivide", "dotPow", "unaryMinus", "unaryPlus", "ctranspose", "transpose"]);
const CONSTANTS = new Set(["pi", "e"]);

/** A parsed formula that passed every check: its tree and the variables it uses. */
export interface ParsedFormula {
  readonly source: string;
  readonly node: MathNode;
  readonly symbols: ReadonlySet<string>;
}

function bracketDepth(source: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of source) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return max;
}

function treeDepth(node: MathNode): number {
  let max = 0;
  const stack: [MathNode, number][] = [[node, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    n.forEach((child) => stack.push([child, d + 1]));
  }
  return max;
}

/**
 * Parse a formula with mathjs and check it against the whitelist: numbers, the given variables (and
 * `pi`, `e`), the operators `+ - * / ^ .* ./ .^ '` and the functions of {@link FORMULA_FUNCTIONS}.
 *
 * @throws FormulaError naming the bound or the construct that is not allowed.
 */
export function parseFormula(source: string, variables: ReadonlySet<string>): ParsedFormula {
  if (typeof source !== "string") throw new FormulaError(`a formula must be a string, got ${typeof source}`, "syntax");
  if (source.length > FORMULA_LIMITS.maxLength) {
    throw new FormulaError(`the formula has ${source.length} characters (limit ${FORMULA_LIMITS.maxLength})`, "length");
  }
  if (source.trim() === "") throw new FormulaError("the formula is empty", "syntax");
  const depth = bracketDepth(source);
  if (depth > FORMULA_LIMITS.maxDepth) {
    throw new FormulaError(`the formula nests brackets ${depth} deep (limit ${FORMULA_LIMITS.maxDepth})`, "depth");
  }
  let node: MathNode;
  try {
    node = parse(source);
  } catch (error) {
    throw new FormulaError(`cannot parse the formula: ${error instanceof Error ? error.message : String(error)}`, "syntax");
  }
  if (treeDepth(node) > 4 * FORMULA_LIMITS.maxDepth) {
    throw new FormulaError(`the formula's expression tree is ${treeDepth(node)} deep (limit ${4 * FORMULA_LIMITS.maxDepth})`, "depth");
  }
  const symbols = new Set<string>();
  const functions = new Set<string>(FORMULA_FUNCTIONS);
  node.traverse((n, _path, parent) => {
    switch (n.type) {
      case "ConstantNode": {
        const value = (n as unknown as { value: unknown }).value;
        if (typeof value !== "number") throw new FormulaError(`only numbers are allowed as constants, not ${JSON.stringify(value)}`, "not-allowed");
        return;
      }
      case "ParenthesisNode":
      case "ArrayNode":
        return;
      case "OperatorNode": {
        const fn = (n as unknown as { fn: string; op: string }).fn;
        if (!OPERATORS.has(fn)) throw new FormulaError(`the operator ${(n as unknown as { op: string }).op} is not allowed`, "not-allowed");
        return;
      }
      case "FunctionNode": {
        const fnNode = (n as unknown as { fn: MathNode }).fn;
        const name = fnNode.type === "SymbolNode" ? (fnNode as unknown as { name: string }).name : "";
        if (name === "") throw new FormulaError("only named functions may be called", "not-allowed");
        if (!functions.has(name)) {
          throw new FormulaError(`the function ${name}(…) is not allowed (allowed: ${FORMULA_FUNCTIONS.join(", ")})`, "not-allowed");
        }
        return;
      }
      case "SymbolNode": {
        const name = (n as unknown as { name: string }).name;
        const isCallee = (parent as MathNode | null | undefined)?.type === "FunctionNode" && (parent as unknown as { fn: MathNode }).fn === n;
        if (isCallee) return;
        if (!variables.has(name) && !CONSTANTS.has(name)) {
          throw new FormulaError(`unknown variable ${name} (this part's variables: ${[...variables].join(" ")})`, "unknown-variable");
        }
        symbols.add(name);
        return;
      }
      case "FunctionAssignmentNode":
        throw new FormulaError("function definitions are not allowed", "not-allowed");
      case "AssignmentNode":
        throw new FormulaError("assignments are not allowed", "not-allowed");
      case "AccessorNode":
      case "IndexNode":
        throw new FormulaError("indexing and property access are not allowed", "not-allowed");
      default:
        throw new FormulaError(`${n.type.replace(/Node$/, "").toLowerCase()} expressions are not allowed`, "not-allowed");
    }
  });
  return { source, node, symbols };
}

/** A value a formula takes or produces: a number or a mathjs matrix. */
export type FormulaValue = number | { toArray(): unknown; size(): number[] };

/** A compiled formula: evaluate it with a scope of numbers and matrices (plain nested arrays are converted). */
export interface CompiledFormula {
  evaluate(scope: ReadonlyMap<string, unknown>): unknown;
}

/** Compile a checked tree with the locked-down instance. */
export function compileNode(node: MathNode): CompiledFormula {
  // The binary arithmetic operators go through the lenient helpers (1×1 matrices as scalars).
  // (transform does not descend into a replacement, so the replacement's arguments are transformed first.)
  const rewrite = (n: MathNode): MathNode => {
    if (n.type === "OperatorNode") {
      const o = n as unknown as { fn: string; args: MathNode[] };
      const helper = BINARY[o.fn];
      if (helper !== undefined && o.args.length === 2) return new math.FunctionNode(new math.SymbolNode(helper), o.args.map((a) => a.transform(rewrite)));
    }
    return n;
  };
  const lenientTree = node.transform(rewrite);
  const code = lenientTree.compile();
  return {
    evaluate: (scope) => {
      return code.evaluate(new Map<string, unknown>([...scope, ...HELPERS])) as unknown;
    },
  };
}

/** A nested array as a mathjs matrix (numbers stay numbers). */
export function toMathValue(value: unknown): unknown {
  return typeof value === "number" ? value : math.matrix(value as number[][]);
}

/** A formula's result as a number or nested arrays, with its shape ([] for a scalar). */
export function fromMathValue(value: unknown): { value: number | unknown[]; shape: number[] } {
  if (typeof value === "number") return { value, shape: [] };
  if (value !== null && typeof value === "object" && "toArray" in value && "size" in value) {
    const m = value as { toArray(): unknown[]; size(): number[] };
    return { value: m.toArray(), shape: m.size() };
  }
  if (Array.isArray(value)) return { value, shape: math.size(value) as unknown as number[] };
  throw new FormulaError(`the formula evaluates to ${typeof value === "object" ? "a non-numeric value" : typeof value}, not a number or matrix`, "evaluation");
}

/** The locked instance's `add` and `multiply`, for the checker's own sums. */
export const mathAdd = (a: unknown, b: unknown): unknown => math.add(a as number, b as number);

/** Replace the `sum_t(...)` calls of a tree by symbols `__sum_t0`, `__sum_t1`, …; returns the new tree and the summands. */
export function extractSums(node: MathNode): { node: MathNode; sums: MathNode[] } {
  const sums: MathNode[] = [];
  const out = node.transform((n) => {
    if (n.type === "FunctionNode" && ((n as unknown as { fn: { name?: string } }).fn.name ?? "") === "sum_t") {
      const args = (n as unknown as { args: MathNode[] }).args;
      if (args.length !== 1) throw new FormulaError(`sum_t takes one expression, got ${args.length}`, "syntax");
      const nested = args[0]!.filter((c) => c.type === "FunctionNode" && ((c as unknown as { fn: { name?: string } }).fn.name ?? "") === "sum_t");
      if (nested.length > 0) throw new FormulaError("sum_t cannot be nested", "not-allowed");
      sums.push(args[0]!);
      return new math.SymbolNode(`__sum_t${sums.length - 1}`);
    }
    return n;
  });
  return { node: out, sums };
}

const TEX_SYMBOLS: Record<string, string> = {
  Wf: "W^{(f)}", Uf: "U^{(f)}", Vf: "V^{(f)}", Wb: "W^{(b)}", Ub: "U^{(b)}", Vb: "V^{(b)}",
  x_t: "x_t", z_t: "z_t", y_t: "y_t",
  hf_t: "h^{(f)}_t", hb_t: "h^{(b)}_t", hf_prev_t: "h^{(f)}_{t-1}", hf_next_t: "h^{(f)}_{t+1}", hb_prev_t: "h^{(b)}_{t-1}", hb_next_t: "h^{(b)}_{t+1}",
  dL_dhf_t: "\\nabla_{h^{(f)}_t}L", dL_dhb_t: "\\nabla_{h^{(b)}_t}L", dLt_dhf_t: "\\nabla_{h^{(f)}_t}L_t", dLt_dhb_t: "\\nabla_{h^{(b)}_t}L_t",
  gamma: "\\gamma", beta: "\\beta", lambda: "\\lambda", Gamma: "\\Gamma", dL_dw: "\\nabla_w L", pi: "\\pi",
};

/** TeX of a formula (for a typeset preview), after the same checks as {@link parseFormula}. */
export function formulaToTex(source: string, variables: ReadonlySet<string>): string {
  const { node } = parseFormula(source, variables);
  const handler = (n: MathNode, options: object): string | undefined => {
    if (n.type === "SymbolNode") {
      const name = (n as unknown as { name: string }).name;
      return `{${TEX_SYMBOLS[name] ?? name.replace(/_/g, "\\_")}}`;
    }
    if (n.type === "OperatorNode") {
      const o = n as unknown as { fn: string; args: MathNode[] };
      const tex = (a: MathNode) => a.toTex({ ...options, handler });
      if (o.fn === "ctranspose" || o.fn === "transpose") return `{${tex(o.args[0]!)}}^{\\top}`;
      if (o.fn === "dotMultiply") return `${tex(o.args[0]!)} \\odot ${tex(o.args[1]!)}`;
    }
    if (n.type === "FunctionNode") {
      const f = n as unknown as { fn: { name?: string }; args: MathNode[] };
      const args = f.args.map((a) => a.toTex({ ...options, handler })).join(", ");
      if (f.fn.name === "sum_t") return `\\sum_{t=1}^{T}\\left(${args}\\right)`;
      if (f.fn.name === "sigmoid") return `\\sigma\\left(${args}\\right)`;
      if (f.fn.name === "diag") return `\\operatorname{diag}\\left(${args}\\right)`;
      if (f.fn.name === "norm") return `\\left\\lVert ${args}\\right\\rVert`;
    }
    return undefined;
  };
  return node.toTex({ parenthesis: "keep", implicit: "hide", handler });
}
