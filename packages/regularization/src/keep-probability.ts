/**
 * The keep probability `p` of dropout, and its explicit alternative `{ drop: q }`.
 *
 * In hw, as in the problem set, **`p` is the probability of KEEPING a unit** (PyTorch's `p` is the
 * probability of dropping it). Every function that takes a probability accepts either a number (the keep
 * probability), `{ keep: p }`, or `{ drop: q }` with `p = 1 − q`, so nobody gets it backwards.
 */

/**
 * A dropout probability: a number is the KEEP probability `p`; `{ keep: p }` says so explicitly;
 * `{ drop: q }` gives the drop probability instead (`p = 1 − q`, PyTorch's convention).
 */
export type KeepProbability = number | { readonly keep: number } | { readonly drop: number };

/** Options of {@link keepProbability}. */
export interface KeepProbabilityOptions {
  /**
   * Whether `p = 0` (drop everything) is allowed. The regression formulas need `p > 0`
   * (`λ_dropout = (1 − p)/p`), masks do not.
   * @defaultValue false
   */
  readonly allowZero?: boolean;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  if (typeof value === "object") {
    try {
      return JSON.stringify(value);
    } catch {
      return "an object";
    }
  }
  return typeof value === "string" ? `the string ${JSON.stringify(value)}` : typeof value;
}

/**
 * Resolve a {@link KeepProbability} to the KEEP probability `p` and validate it.
 *
 * @param p - The KEEP probability (a number or `{ keep: p }`), or `{ drop: q }` meaning `p = 1 − q`.
 * @param op - The name of the calling operation, used to start error messages.
 * @param options - Whether `p = 0` is allowed.
 * @returns The keep probability `p`, in `(0, 1]` (or `[0, 1]` with `allowZero`).
 * @throws TypeError when `p` is neither a number nor `{ keep }`/`{ drop }`.
 * @throws RangeError when `p` is NaN or outside `(0, 1]` (or `[0, 1]`).
 * @example
 * ```ts
 * keepProbability(0.8, "dropout"); // => 0.8
 * keepProbability({ drop: 0.2 }, "dropout"); // => 0.8 (the KEEP probability)
 * ```
 */
export function keepProbability(p: KeepProbability, op: string, options: KeepProbabilityOptions = {}): number {
  let keep: number;
  let label: string;
  if (typeof p === "number") {
    keep = p;
    label = `p = ${p}`;
  } else if (typeof p === "object" && "keep" in p && !("drop" in p) && typeof p.keep === "number") {
    keep = p.keep;
    label = `keep = ${p.keep}`;
  } else if (typeof p === "object" && "drop" in p && !("keep" in p) && typeof p.drop === "number") {
    if (!(p.drop >= 0 && p.drop <= 1)) {
      throw new RangeError(`${op}: the drop probability must be in [0, 1], got drop = ${p.drop}`);
    }
    keep = 1 - p.drop;
    label = `drop = ${p.drop}, i.e. keep p = ${keep}`;
  } else {
    throw new TypeError(
      `${op}: expected the KEEP probability p as a number, { keep: p } or { drop: q }, got ${describe(p)}`,
    );
  }
  const allowZero = options.allowZero === true;
  const ok = allowZero ? keep >= 0 && keep <= 1 : keep > 0 && keep <= 1;
  if (!ok) {
    throw new RangeError(
      `${op}: the keep probability p must be in ${allowZero ? "[0, 1]" : "(0, 1]"} (p is the probability of KEEPING a unit), got ${label}`,
    );
  }
  return keep;
}
