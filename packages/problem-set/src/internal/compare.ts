/** Entrywise comparison with the NumPy `allclose` rule |a − b| ≤ atol + rtol·|b|. */
import { flatten, shapeOf, unravel, type Nested } from "./numbers";

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** The result of comparing two equally shaped values. */
export interface Comparison {
  readonly ok: boolean;
  /** Entries outside the tolerance. */
  readonly bad: number;
  readonly total: number;
  /** The worst entry (largest excess over the tolerance): its multi-index, yours and expected. */
  readonly worst?: { readonly index: number[]; readonly yours: number; readonly expected: number };
}

/** Compare entrywise; the shapes must already agree. */
export function compareValues(yours: Nested, expected: Nested, tol: Tolerance, shape: readonly number[]): Comparison {
  const a = flatten(yours);
  const b = flatten(expected);
  let bad = 0;
  let worstK = -1;
  let worstExcess = -Infinity;
  for (let k = 0; k < b.length; k++) {
    const excess = Number.isNaN(a[k]!) ? Infinity : Math.abs(a[k]! - b[k]!) - (tol.atol + tol.rtol * Math.abs(b[k]!));
    if (excess > 0 || Number.isNaN(excess)) {
      bad++;
      if (!(excess <= worstExcess)) {
        worstExcess = excess;
        worstK = k;
      }
    }
  }
  return {
    ok: bad === 0,
    bad,
    total: b.length,
    ...(worstK < 0 ? {} : { worst: { index: unravel(worstK, shape), yours: a[worstK]!, expected: b[worstK]! } }),
  };
}

/** Whether two shapes describe the same entries, treating every size-1 shape (scalar, [1], [1,1]) alike and n×1 like n. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  const squeeze = (s: readonly number[]) => s.filter((d) => d !== 1);
  const sa = squeeze(a);
  const sb = squeeze(b);
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

/** Compare two nested values of possibly different shapes; null when the shapes differ. */
export function closeOrNull(yours: Nested, expected: Nested, tol: Tolerance): Comparison | null {
  const sa = shapeOf(yours);
  const sb = shapeOf(expected);
  if (sa === null || sb === null) return null;
  if (sa.length === sb.length ? sa.some((d, i) => d !== sb[i]) : !sameShape(sa, sb)) return null;
  return compareValues(yours, expected, tol, sb);
}
