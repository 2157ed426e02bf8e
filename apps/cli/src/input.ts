/**
 * Validation of JSON input fields. Each error names the field and what was expected, in one line:
 * `Uf: expected a 3×3 matrix, got 3×2`.
 */
import { InputError } from "./errors";

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 20))}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value.toString()}`;
  return typeof value === "object" ? "an object" : typeof value;
}

/** The input as a JSON object (not an array or a primitive). */
export function object(value: unknown, name = "input"): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`${name}: expected a JSON object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A finite number. */
export function finiteNumber(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InputError(`${name}: expected a finite number, got ${describe(value)}`);
  }
  return value;
}

/** A vector of finite numbers, optionally of a given length. */
export function vector(value: unknown, name: string, length?: number): number[] {
  if (!Array.isArray(value)) throw new InputError(`${name}: expected a vector (array of numbers), got ${describe(value)}`);
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new InputError(`${name}[${i}]: expected a finite number, got ${describe(v)}`);
    }
  });
  if (length !== undefined && value.length !== length) {
    throw new InputError(`${name}: expected a vector of length ${length}, got length ${value.length}`);
  }
  return value as number[];
}

/** A rectangular matrix of finite numbers, optionally of a given shape (rows × cols). */
export function matrix(value: unknown, name: string, rows?: number, cols?: number): number[][] {
  if (!Array.isArray(value)) throw new InputError(`${name}: expected a matrix (array of rows), got ${describe(value)}`);
  const width = Array.isArray(value[0]) ? (value[0] as unknown[]).length : -1;
  value.forEach((row, i) => {
    if (!Array.isArray(row)) throw new InputError(`${name}[${i}]: expected a row (array of numbers), got ${describe(row)}`);
    if (row.length !== width) throw new InputError(`${name}: ragged rows: row 0 has ${width} entries, row ${i} has ${row.length}`);
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new InputError(`${name}[${i}][${j}]: expected a finite number, got ${describe(v)}`);
      }
    });
  });
  const r = value.length;
  const c = Math.max(width, 0);
  if ((rows !== undefined && r !== rows) || (cols !== undefined && c !== cols)) {
    throw new InputError(`${name}: expected a ${rows ?? "n"}×${cols ?? "m"} matrix, got ${r}×${c}`);
  }
  return value as number[][];
}

/** A nested array of finite numbers of a given rank (3 for a B×C×F tensor), rectangular at every level. */
export function nested(value: unknown, name: string, rank: number): { data: number[]; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = value;
  for (let d = 0; d < rank; d++) {
    if (!Array.isArray(probe)) {
      throw new InputError(`${name}: expected a rank-${rank} nested array, got rank ${d}`);
    }
    shape.push(probe.length);
    probe = probe[0];
  }
  if (Array.isArray(probe)) throw new InputError(`${name}: expected a rank-${rank} nested array, got a deeper one`);
  const data: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === rank) {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${name}${path}: expected a finite number, got ${describe(v)}`);
      data.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new InputError(`${name}${path}: ragged array: expected length ${shape[depth]}, got ${Array.isArray(v) ? v.length : describe(v)}`);
    }
    v.forEach((item, i) => {
      walk(item, depth + 1, `${path}[${i}]`);
    });
  };
  walk(value, 0, "");
  return { data, shape };
}

/** Parse a numeric command-line option, naming it on failure. */
export function numberOption(raw: string | undefined, flag: string, check?: (v: number) => string | null): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throw new InputError(`${flag}: expected a number, got ${JSON.stringify(raw)}`);
  const problem = check?.(v);
  if (problem) throw new InputError(`${flag} ${raw}: ${problem}`);
  return v;
}

/** Parse an integer command-line option, naming it on failure. */
export function integerOption(raw: string | undefined, flag: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  return numberOption(raw, flag, (v) => (!Number.isInteger(v) ? "must be an integer" : v < min ? `must be ≥ ${min}` : null));
}
