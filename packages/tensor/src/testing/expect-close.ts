/**
 * `expectClose`: the NumPy `allclose` assertion used by every hw test.
 */
import { readOptions } from "../options";
import type { NestedArray, Tensor } from "../tensor";
import { isTensor } from "../tensor";

/** Options of {@link expectClose}. */
export interface ExpectCloseOptions {
  /**
   * Relative tolerance (scaled by `|expected|`).
   * @defaultValue 1e-9
   */
  readonly rtol?: number;
  /**
   * Absolute tolerance.
   * @defaultValue 1e-12
   */
  readonly atol?: number;
  /** A label prefixed to the failure message. */
  readonly message?: string;
}

/** Anything `expectClose` can compare. */
export type Comparable = Tensor | NestedArray | ArrayLike<number>;

interface Flat {
  readonly shape: number[];
  readonly values: ArrayLike<number>;
}

function flatten(side: string, v: unknown): Flat {
  if (isTensor(v)) {
    const values: number[] = [];
    const walk = (axis: number, off: number): void => {
      if (axis === v.ndim) {
        values.push(v.data[off]!);
        return;
      }
      for (let i = 0; i < v.shape[axis]!; i++) walk(axis + 1, off + i * v.strides[axis]!);
    };
    walk(0, v.offset);
    return { shape: [...v.shape], values };
  }
  if (typeof v === "number") return { shape: [], values: [v] };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number>;
    return { shape: [arr.length], values: Array.from(arr, Number) };
  }
  if (Array.isArray(v)) {
    const shape: number[] = [];
    let probe: unknown = v;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0];
    }
    const values: number[] = [];
    const walk = (node: unknown, depth: number, path: number[]): void => {
      if (depth === shape.length) {
        if (typeof node !== "number") {
          throw new TypeError(`expectClose: ${side} has a non-number at [${path.join(",")}]`);
        }
        values.push(node);
        return;
      }
      if (!Array.isArray(node) || node.length !== shape[depth]) {
        throw new TypeError(`expectClose: ${side} is a ragged nested array at [${path.join(",")}]`);
      }
      node.forEach((c, i) => {
        walk(c, depth + 1, [...path, i]);
      });
    };
    walk(v, 0, []);
    return { shape, values };
  }
  throw new TypeError(`expectClose: ${side} must be a tensor, a number, nested arrays or a typed array, got ${typeof v}`);
}

function unravel(i: number, shape: readonly number[]): string {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx[a] = i % d;
    i = Math.floor(i / d);
  }
  return `[${idx.join(",")}]`;
}

/**
 * Assert that `actual` and `expected` have the same shape and are elementwise close by the NumPy
 * `allclose` rule (asymmetric: the tolerance scales with the expected value):
 *
 * $$|a - b| \le \mathrm{atol} + \mathrm{rtol}\cdot|b|$$
 *
 * NaN matches NaN only in the same positions; ±Infinity must match exactly (same sign). Either
 * side may be a `Tensor` (any strides), nested arrays, a number (shape `[]`) or a typed array
 * (1-D). The defaults (`rtol = 1e-9`, `atol = 1e-12`) suit float64 results of a few hundred
 * operations; loosen them explicitly (and say why) for float32 or iterative algorithms.
 *
 * @param actual - The computed value.
 * @param expected - The reference value.
 * @param options - `rtol`, `atol`, and an optional `message` label.
 * @throws Error naming the worst index, both values, the absolute and relative errors and the
 *   number of mismatches, or the two shapes when they differ.
 * @example
 * ```ts
 * expectClose(tensor([1, 2]), [1, 2 + 1e-12]);   // passes
 * expectClose(tensor([1, 2]), [1, 2.1]);         // throws: 1 of 2 elements differ ... at [1] ...
 * ```
 */
export function expectClose(actual: Comparable, expected: Comparable, options: ExpectCloseOptions = {}): void {
  readOptions("expectClose", options, ["rtol", "atol", "message"]);
  const rtol = options.rtol ?? 1e-9;
  const atol = options.atol ?? 1e-12;
  const label = options.message === undefined ? "expectClose" : `expectClose (${options.message})`;
  const a = flatten("actual", actual);
  const b = flatten("expected", expected);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${label}: shape mismatch: actual [${a.shape.join(",")}] vs expected [${b.shape.join(",")}]`);
  }
  let bad = 0;
  let worst = -1;
  let worstScore = -Infinity;
  const n = a.values.length;
  for (let i = 0; i < n; i++) {
    const x = a.values[i]!;
    const y = b.values[i]!;
    let ok: boolean;
    let score: number;
    if (x !== x || y !== y) {
      ok = x !== x && y !== y;
      score = Infinity;
    } else if (!Number.isFinite(x) || !Number.isFinite(y)) {
      ok = x === y;
      score = Infinity;
    } else {
      const err = Math.abs(x - y);
      const tol = atol + rtol * Math.abs(y);
      ok = err <= tol;
      score = tol > 0 ? err / tol : err === 0 ? 0 : Infinity;
    }
    if (!ok) {
      bad++;
      if (worst < 0 || score > worstScore) {
        worst = i;
        worstScore = score;
      }
    }
  }
  if (bad === 0) return;
  const x = a.values[worst]!;
  const y = b.values[worst]!;
  const absErr = Math.abs(x - y);
  const relErr = absErr / Math.abs(y);
  throw new Error(
    `${label}: ${bad} of ${n} elements differ (rtol=${rtol}, atol=${atol}); ` +
      `worst at ${unravel(worst, a.shape)}: actual ${x}, expected ${y}, ` +
      `abs err ${absErr}, rel err ${relErr}`,
  );
}
