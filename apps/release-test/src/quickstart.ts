// A package README's quick-start as a test: extract its first TypeScript code block, rewrite every
// statement that documents its value (`expr; // => value`) so that running it records the value,
// and compare the recorded values with the documented ones.
//
// The documented value of a line is the text after `// =>`, joined with the comment lines right
// below it that are indented by two or more spaces after `//` (a value printed over several lines).
// Prose is not compared: anything from a space followed by `(` (`(ln 0.1805)`), anything after three
// or more spaces, and anything after `]:` / `):` followed by words. What is compared, in order, are the
// atoms of the value: numbers, `true`/`false` and quoted strings; each must appear in that order
// among the atoms of the recorded value (a subsequence, so `tokens [...], logProb -1.71` may skip
// `ids`). A value written as an object, `{ lambda: 1, w: [...], mean ≈ 7.5, seed, … }`, is compared
// field by field (in any order; a bare name only says the field is there; `…` elides fields).
// A number written with `…` (truncated) or after `≈` matches within one unit of its last digit; any
// other number as it was rounded to its printed digits (an integer exactly, up to 1e-12 relative).
import ts from "typescript";

/** The first fenced ```ts / ```typescript block of a README (the quick-start), without the fences. */
export function firstTypeScriptBlock(readme: string): string {
  const match = /^```(?:ts|typescript)[^\S\n]*\n([\s\S]*?)^```[^\S\n]*$/m.exec(readme);
  if (!match) throw new Error("firstTypeScriptBlock: the README has no ```ts code block");
  return match[1]!;
}

/** One statement whose value the README documents. */
export interface DocumentedLine {
  /** 1-based line of the statement in the code block. */
  line: number;
  /** The statement as written. */
  statement: string;
  /** The documented value (the text after `// =>`, continuation lines joined by a space). */
  documented: string;
}

/** The quick-start rewritten so that every documented statement reports its value. */
export interface Instrumented {
  /** TypeScript source: the block, each documented statement `s` replaced by `__hwShow(i, s)`. */
  code: string;
  lines: DocumentedLine[];
}

const DOC = /^(.*?;)\s*\/\/\s*=>\s?(.*)$/;
const OWN_LINE_DOC = /^\s*\/\/\s*=>\s?(.*)$/;
const CONTINUATION = /^\s*\/\/\s{2,}(\S.*)$/;

/** Rewrites the documented statements of `block` (see the file comment). */
export function instrument(block: string): Instrumented {
  const source = block.split("\n");
  const out = [...source];
  const lines: DocumentedLine[] = [];
  let lastCode = -1;
  for (let i = 0; i < source.length; i++) {
    const text = source[i]!;
    let target = -1;
    let documented = "";
    const trailing = DOC.exec(text);
    const ownLine = OWN_LINE_DOC.exec(text);
    if (trailing && trailing[1]!.trim() !== "") {
      target = i;
      documented = trailing[2]!;
    } else if (ownLine && lastCode >= 0 && !lines.some((l) => l.line === lastCode + 1)) {
      target = lastCode;
      documented = ownLine[1]!;
    }
    if (target < 0) {
      if (text.trim() !== "" && !/^\s*\/\//.test(text)) lastCode = i;
      continue;
    }
    const statement = (target === i ? trailing![1]! : source[target]!).trim();
    if (target === i) lastCode = i;
    while (i + 1 < source.length && CONTINUATION.test(source[i + 1]!) && !OWN_LINE_DOC.test(source[i + 1]!)) {
      documented += " " + CONTINUATION.exec(source[++i]!)![1]!;
    }
    out[target] = show(lines.length, statement, source[target]!);
    lines.push({ line: target + 1, statement, documented: documented.trim() });
  }
  return { code: out.join("\n"), lines };
}

function show(index: number, statement: string, original: string): string {
  const indent = /^\s*/.exec(original)![0];
  const body = statement.replace(/;\s*$/, "");
  const declaration = /^(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/.exec(body);
  if (declaration) return `${indent}${body}; __hwShow(${index}, ${declaration[1]!});`;
  const printed = /^console\.log\(([\s\S]*)\)$/.exec(body);
  return `${indent}__hwShow(${index}, (${printed ? printed[1]! : body}));`;
}

/** TypeScript → JavaScript (types erased, nothing else changed) as an ES module or as CommonJS. */
export function transpile(code: string, format: "esm" | "cjs"): string {
  return ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: format === "esm" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      verbatimModuleSyntax: false,
      esModuleInterop: true,
    },
  }).outputText;
}

/**
 * The recorder the instrumented code calls, as a JavaScript snippet: installs `globalThis.__hwShow`,
 * which stores a plain-JSON picture of each value, and prints them all as one JSON line on exit
 * (prefixed with `HW-SHOW `).
 */
export const RECORDER = String.raw`
const __hwValues = [];
function __hwPlain(v, depth) {
  if (depth > 8) return "…";
  if (typeof v === "bigint") return v.toString() + "n";
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (v === null || typeof v !== "object") return typeof v === "function" ? undefined : v;
  if (typeof v.toArray === "function" && Array.isArray(v.shape)) return __hwPlain(v.toArray(), depth + 1);
  if (ArrayBuffer.isView(v)) return Array.from(v, (x) => __hwPlain(x, depth + 1));
  if (Array.isArray(v)) return v.map((x) => __hwPlain(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), __hwPlain(x, depth + 1)]));
  const o = {};
  for (const k of Object.keys(v)) { const x = __hwPlain(v[k], depth + 1); if (x !== undefined) o[k] = x; }
  return o;
}
globalThis.__hwShow = (i, v) => { __hwValues[i] = __hwPlain(v, 0); };
process.on("exit", () => { process.stdout.write("HW-SHOW " + JSON.stringify(__hwValues) + "\n"); });
`;

/** The values an instrumented run printed (the `HW-SHOW` line of its stdout). */
export function parseShown(stdout: string): unknown[] {
  const line = stdout.split("\n").find((l) => l.startsWith("HW-SHOW "));
  if (line === undefined) throw new Error(`parseShown: no HW-SHOW line in the output:\n${stdout}`);
  return JSON.parse(line.slice("HW-SHOW ".length)) as unknown[];
}

/** An atom of a value: a number, a boolean or a string. */
export type Atom = number | boolean | string;

/** A documented atom; numbers carry the tolerance their printed form implies. */
export interface DocumentedAtom {
  value: Atom;
  text: string;
  tolerance?: number;
}

/** The part of a documented value that is compared (prose removed, see the file comment). */
export function documentedValue(documented: string): string {
  let text = documented.split(/\s{3,}/)[0]!;
  text = text.replace(/([\])])\s*:\s+[A-Za-z].*$/, "$1");
  const paren = /\s\(/.exec(text);
  if (paren) text = text.slice(0, paren.index);
  return text.trim();
}

/**
 * The fields of a documented object `{ a: 1, b ≈ 2, c, … }` (top-level entries; `c` only says the
 * field exists), or `null` when the documented value is not written as an object.
 */
export function documentedFields(documented: string): { key: string; value: string | null }[] | null {
  const text = documentedValue(documented);
  if (!text.startsWith("{") || !text.endsWith("}")) return null;
  const entries: string[] = [];
  let depth = 0;
  let start = 1;
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if ("[({".includes(c)) depth++;
    else if ("])}".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      entries.push(text.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(text.slice(start, -1));
  const fields: { key: string; value: string | null }[] = [];
  for (const entry of entries.map((e) => e.trim())) {
    if (entry === "" || entry === "…") continue;
    const m = /^([A-Za-z_$][\w$]*)\s*(?::\s*([\s\S]*)|(≈\s*[\s\S]*))?$/.exec(entry);
    if (!m) return null;
    fields.push({ key: m[1]!, value: m[2] ?? m[3] ?? null });
  }
  return fields;
}

const ATOM = /"((?:[^"\\]|\\.)*)"|(?<![\w.$])(true|false)(?![\w$])|(≈\s*)?(?<![\w.$])(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(…)?/gi;

/** The atoms of a documented value, in order. */
export function documentedAtoms(documented: string): DocumentedAtom[] {
  const atoms: DocumentedAtom[] = [];
  for (const m of documentedValue(documented).matchAll(ATOM)) {
    if (m[1] !== undefined) atoms.push({ value: m[1], text: m[0] });
    else if (m[2] !== undefined) atoms.push({ value: m[2] === "true", text: m[0] });
    else {
      const digits = m[4]!;
      const value = Number(digits);
      const decimals = /\.(\d+)/.exec(digits)?.[1]!.length ?? 0;
      const unit = 10 ** -decimals;
      const loose = m[3] !== undefined || m[5] !== undefined;
      const tolerance = loose ? unit : decimals === 0 ? 1e-12 * Math.max(1, Math.abs(value)) : Math.max(unit / 2, 1e-12 * Math.abs(value)) * (1 + 1e-9);
      atoms.push({ value, text: m[0], tolerance });
    }
  }
  return atoms;
}

/** The atoms of a recorded value, depth first; a string also contributes the numbers written in it. */
export function valueAtoms(value: unknown): Atom[] {
  const atoms: Atom[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "number" || typeof v === "boolean") atoms.push(v);
    else if (typeof v === "string") {
      atoms.push(v);
      if (/^-?\d+n$/.test(v)) atoms.push(Number(v.slice(0, -1)));
      else for (const m of v.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)) atoms.push(Number(m[0]));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return atoms;
}

/** Why the recorded value does not show the documented one, or `null` when it does. */
export function compareDocumented(documented: string, value: unknown): string | null {
  const fields = documentedFields(documented);
  if (fields && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const { key, value: field } of fields) {
      if (!(key in record)) return `documented field \`${key}\` (from "${documented}") is not in the computed value ${JSON.stringify(value)}`;
      const problem = field === null ? null : compareAtoms(field, record[key]);
      if (problem !== null) return `field \`${key}\`: ${problem}`;
    }
    return null;
  }
  return compareAtoms(documented, value);
}

function compareAtoms(documented: string, value: unknown): string | null {
  const expected = documentedAtoms(documented);
  const actual = valueAtoms(value);
  let at = 0;
  for (const atom of expected) {
    const found = actual.findIndex((a, i) => i >= at && matches(atom, a));
    if (found < 0) {
      return `documented ${atom.text} (from "${documented}") is not in the computed value ${JSON.stringify(value)} (after atom ${at})`;
    }
    at = found + 1;
  }
  return null;
}

function matches(atom: DocumentedAtom, actual: Atom): boolean {
  if (typeof atom.value === "number") return typeof actual === "number" && Math.abs(actual - atom.value) <= atom.tolerance!;
  return actual === atom.value;
}
