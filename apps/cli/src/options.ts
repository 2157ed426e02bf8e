/**
 * Flag-value parsers for commander: a bad value is a usage error (exit 2) whose message names the
 * flag the user typed and the value (`--beam-width 0: expected an integer ≥ 1`).
 */
import { InvalidArgumentError } from "commander";

function number(raw: string): number {
  const v = raw.trim() === "" ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new InvalidArgumentError("expected a number");
  return v;
}

/** An integer flag in [min, max]. Accepts 1e6-style spellings. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (raw: string) => number {
  return (raw) => {
    const v = number(raw);
    if (!Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    if (v < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    if (v > max) throw new InvalidArgumentError(`expected an integer ≤ ${max}`);
    return v;
  };
}

/** A finite number flag checked by `check` (returns the problem, or null). */
export function real(check: (v: number) => string | null = () => null): (raw: string) => number {
  return (raw) => {
    const v = number(raw);
    const problem = check(v);
    if (problem !== null) throw new InvalidArgumentError(problem);
    return v;
  };
}

export const positive = real((v) => (v > 0 ? null : "expected a number > 0"));
export const nonNegative = real((v) => (v >= 0 ? null : "expected a number ≥ 0"));

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** A size in bytes: `2GB`, `500MB`, `1.5e9`, `4GiB`. */
export function bytes(raw: string): number {
  const m = /^\s*([0-9.]+(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
  const v = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError("expected a size such as 2GB, 500MB or 1e9 (bytes)");
  return v;
}

/** A count of operations: `1e10`, `5e11`. */
export const operations = real((v) => (v > 0 ? null : "expected a number of operations > 0, e.g. 1e11"));

/** `1.2 GB`, `340 MB`, `12 kB`, `800 B`. */
export function formatBytes(b: number): string {
  if (b >= 1e12) return `${(b / 1e12).toPrecision(2)} TB`;
  if (b >= 1e9) return `${(b / 1e9).toPrecision(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toPrecision(2)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toPrecision(2)} kB`;
  return `${Math.ceil(b)} B`;
}

/** A flag value rounded up to two significant digits, for "pass --max-memory 7GB". */
export function roundUp(v: number): number {
  if (!Number.isFinite(v) || v <= 0) return v;
  const e = Math.floor(Math.log10(v)) - 1;
  return Math.ceil(v / 10 ** e) * 10 ** e;
}
