/**
 * The keep probability `p` of dropout, and its explicit alternative `{ drop: q }`.
 *
 * In hw, as in the problem set, **`p` is the probability of KEEPING a unit** (PyTorch's `p` is the
 * probability of dropping it). Every function that takes a probability accepts either a number (the keep
 * probability), `{ keep: p }`, or `{ drop: q }` with `p = 1 − q`, so nobody gets it backwards.
 */
import { readOptions, warnDeprecated } from "@hw/tensor";

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
 * @internal The one resolver: `op` starts the error messages (the public {@link keepProbability}
 * has no such parameter).
 */
export function resolveKeep(op: string, p: unknown, allowZero = false): number {
  let keep: number;
  let label: string;
  const keys = typeof p === "object" && p !== null ? Object.keys(p) : [];
  const only = (k: string): boolean => keys.length === 1 && keys[0] === k && typeof (p as Record<string, unknown>)[k] === "number";
  if (typeof p === "number") {
    keep = p;
    label = `p = ${p}`;
  } else if (only("keep")) {
    keep = (p as { keep: number }).keep;
    label = `keep = ${keep}`;
  } else if (only("drop")) {
    const drop = (p as { drop: number }).drop;
    if (!(drop >= 0 && drop <= 1)) {
      throw new RangeError(`${op}: the drop probability must be in [0, 1], got drop = ${drop}`);
    }
    keep = 1 - drop;
    label = `drop = ${drop}, i.e. keep p = ${keep}`;
  } else {
    throw new TypeError(`${op}: expected the KEEP probability p as a number, { keep: p } or { drop: q }, got ${describe(p)}`);
  }
  const ok = allowZero ? keep >= 0 && keep <= 1 : keep > 0 && keep <= 1;
  if (!ok) {
    throw new RangeError(
      `${op}: the keep probability p must be in ${allowZero ? "[0, 1]" : "(0, 1]"} (p is the probability of KEEPING a unit), got ${label}`,
    );
  }
  return keep;
}

/**
 * Resolve a {@link KeepProbability} to the KEEP probability `p` and validate it.
 *
 * @param p - The KEEP probability (a number or `{ keep: p }`), or `{ drop: q }` meaning `p = 1 − q`.
 * @param options - Whether `p = 0` is allowed. (The 0.0 form `keepProbability(p, op, options)`, whose
 *   `op` only worded the errors, still works with a deprecation warning until 0.2.0.)
 * @returns The keep probability `p`, in `(0, 1]` (or `[0, 1]` with `allowZero`).
 * @throws TypeError when `p` is neither a number nor exactly `{ keep }`/`{ drop }`, or for an unknown option.
 * @throws RangeError when `p` is NaN or outside `(0, 1]` (or `[0, 1]`).
 * @example
 * ```ts
 * keepProbability(0.8); // => 0.8
 * keepProbability({ drop: 0.2 }); // => 0.8 (the KEEP probability)
 * ```
 */
export function keepProbability(p: KeepProbability, options?: KeepProbabilityOptions): number;
/** @deprecated The `op` argument only worded error messages: call `keepProbability(p, options)`. */
export function keepProbability(p: KeepProbability, op: string, options?: KeepProbabilityOptions): number;
export function keepProbability(p: KeepProbability, second?: KeepProbabilityOptions | string, third?: KeepProbabilityOptions): number {
  let op = "keepProbability";
  let options = second as KeepProbabilityOptions | undefined;
  if (typeof second === "string") {
    warnDeprecated("keepProbability(p, op, options) is deprecated and will be removed in the next minor version; use keepProbability(p, options)");
    op = second;
    options = third;
  }
  const o = readOptions("keepProbability", options, ["allowZero"]);
  return resolveKeep(op, p, o.allowZero === true);
}
