/**
 * The one number formatter of every `hw` output, and the one JSON encoding.
 *
 * Text: `formatNumber` prints `--digits` significant digits (default 6) like C's `%g` — fixed notation
 * for 1e-4 ≤ |v| < 10^digits, scientific otherwise, trailing zeros dropped; ∞, −∞ and NaN as such.
 *
 * JSON: numbers are always JSON numbers. The non-finite ones, which JSON cannot spell, are encoded
 * one way: +∞ as `1e999` and −∞ as `-1e999` (valid JSON number literals that JavaScript's
 * `JSON.parse`, Python's `json` and NumPy read back as ±Infinity), NaN as `null`. Exact integers
 * that a float64 cannot hold (the sequence counts N^T) are decimal strings.
 */

/** The default number of significant digits of text output. */
export const DEFAULT_DIGITS = 6;

let digits = DEFAULT_DIGITS;

/** Set the significant digits of text output for the command being run (`--digits`). */
export function setDigits(d: number): void {
  digits = d;
}

/** `v` with the current significant digits (`--digits`), `%g` style. */
export function formatNumber(v: number, significant = digits): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "∞";
  if (v === -Infinity) return "−∞";
  if (v === 0) return "0";
  const exp = Number(v.toExponential(significant - 1).split("e")[1]);
  if (exp < -4 || exp >= significant) {
    const [mantissa, e] = v.toExponential(significant - 1).split("e") as [string, string];
    return `${stripZeros(mantissa)}e${e}`;
  }
  return stripZeros(v.toFixed(Math.max(0, significant - 1 - exp)));
}

function stripZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** A vector as `[a, b, c]`. */
export function formatVector(v: ArrayLike<number>): string {
  return `[${Array.from(v, (x) => formatNumber(x)).join(", ")}]`;
}

/** A matrix, one bracketed row per line, columns aligned. */
export function formatMatrix(m: readonly (readonly number[])[], indent = "    "): string {
  const cells = m.map((r) => r.map((x) => formatNumber(x)));
  const width = Math.max(1, ...cells.flat().map((c) => c.length));
  return cells.map((r) => `${indent}[ ${r.map((c) => c.padStart(width)).join("  ")} ]`).join("\n");
}

/** A nested array of any rank (a tensor's `toArray()`), e.g. `[[1, 2], [3, 4]]`. */
export function formatNested(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatNested).join(", ")}]`;
  return typeof value === "number" ? formatNumber(value) : String(value);
}

/** A right-aligned text table with a rule under the header. */
export function formatTable(head: readonly string[], rows: readonly (readonly string[])[], indent = ""): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => `${indent}${cells.map((cell, c) => cell.padStart(widths[c]!)).join("  ")}`.trimEnd();
  return [line(head), `${indent}${widths.map((w) => "-".repeat(w)).join("  ")}`, ...rows.map(line)].join("\n");
}

const POS_INF = "__hw_pos_inf__";
const NEG_INF = "__hw_neg_inf__";

/** JSON text of `value` under the encoding above (typed arrays become arrays, bigints strings). */
export function toJson(value: unknown): string {
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "number") return v === Infinity ? POS_INF : v === -Infinity ? NEG_INF : Number.isNaN(v) ? null : v;
      if (typeof v === "bigint") return v.toString();
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === "object" && v !== null && typeof (v as { toArray?: unknown }).toArray === "function" && "shape" in v) {
        return (v as unknown as { toArray(): unknown }).toArray();
      }
      return v;
    },
    2,
  );
  return text.replaceAll(`"${POS_INF}"`, "1e999").replaceAll(`"${NEG_INF}"`, "-1e999");
}

/**
 * The first non-finite number in `value` whose path is not allowed to be non-finite, as
 * `{ path, value }` (path like `grads.Wf[0][1]`), or undefined. `allow` lists field names (at any
 * depth) where ±∞ is a legitimate answer (log-probabilities of impossible events).
 */
export function firstNonFinite(value: unknown, allow: readonly string[] = []): { path: string; value: number } | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return { path, value: v };
    } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number>;
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return { path: `${path}[${i}]`, value: a[i]! };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === "object" && v !== null) {
      if (typeof (v as { toArray?: unknown }).toArray === "function" && "shape" in v) {
        stack.push([(v as unknown as { toArray(): unknown }).toArray(), path]);
        continue;
      }
      for (const [k, child] of Object.entries(v).reverse()) {
        if (allow.includes(k)) continue;
        stack.push([child, path === "" ? k : `${path}.${k}`]);
      }
    }
  }
  return undefined;
}
