/**
 * Overflow detection: a computation whose inputs are all finite must not hand back NaN or ±Infinity
 * as an answer. Non-finite INPUTS propagate as documented (NaN in, NaN out); a non-finite result of
 * finite inputs is a RangeError naming the quantity that overflowed.
 */
import type { Prepared } from "./prepare";

/** The index of the first non-finite entry, or −1. */
export function firstNonFinite(a: ArrayLike<number>): number {
  let i = 0;
  if (a instanceof Float64Array) {
    // x·0 is ±0 for every finite x and NaN for ±Infinity and NaN: one test per four values (2.7×
    // the element-wise test on float64 arrays); the element loop below then finds the exact index.
    const n = a.length;
    for (; i + 4 <= n; i += 4) if (a[i]! * 0 + a[i + 1]! * 0 + a[i + 2]! * 0 + a[i + 3]! * 0 !== 0) break;
  }
  for (; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/** Largest |v| of the arrays (for the message). */
function largest(arrays: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Every input of a model call (weights, biases, x, initial states, targets) as flat arrays. */
export function modelInputs(p: Prepared, z?: Float64Array): Float64Array[] {
  const { w } = p;
  const out = [w.Wf, w.Uf, w.Vf, w.Wb, w.Ub, w.Vb, p.x, p.hf0, p.hb0];
  for (const b of [w.bf, w.bb, w.by]) if (b !== null) out.push(b);
  if (z !== undefined) out.push(z);
  return out;
}

/** A guard bound to one call: checks results only when every input was finite. */
export interface FiniteGuard {
  /** Throws when `values` holds a non-finite entry. */
  check(quantity: string, values: ArrayLike<number> | number): void;
}

/**
 * @param fn - the public function (errors start with it)
 * @param inputs - its numeric inputs
 * @param hint - what the user can do, appended to the message
 */
export function finiteGuard(fn: string, inputs: readonly ArrayLike<number>[], hint = "rescale the inputs"): FiniteGuard {
  const active = inputs.every((a) => firstNonFinite(a) < 0);
  return {
    check(quantity, values) {
      if (!active) return;
      const v = typeof values === "number" ? [values] : values;
      const i = firstNonFinite(v);
      if (i < 0) return;
      const where = typeof values === "number" ? "" : ` at flat index ${String(i)}`;
      throw new RangeError(
        `${fn}: ${quantity} overflowed to ${String(v[i])}${where} although every input is finite ` +
          `(largest |input| = ${largest(inputs).toExponential(3)}); ${hint}`,
      );
    },
  };
}
