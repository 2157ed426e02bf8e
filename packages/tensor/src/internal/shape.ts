/** Shape and axis helpers shared by the core ops (not exported from the package). */

/** Format a shape as `[2,3]` for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Validate a shape (non-negative integers) and return a mutable copy. */
export function checkShape(op: string, shape: readonly number[]): number[] {
  const value: unknown = shape;
  if (!Array.isArray(value)) throw new TypeError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: invalid shape [${shape.map(String).join(",")}]: dimensions must be non-negative integers`);
    }
  }
  return shape.slice();
}

/** Normalize one (possibly negative) axis for a tensor of `ndim` axes. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${op}: axis must be an integer, got ${String(axis)}`);
  if (axis < -ndim || axis >= ndim) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor with ${ndim} axes`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalize a set of axes: `undefined` means every axis; a number is one axis; duplicates are an error.
 * Returns a sorted list of distinct non-negative axes.
 */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const value: unknown = axes;
  if (typeof value !== "number" && !Array.isArray(value)) {
    const hint = typeof value === "object" && value !== null ? " (an options object goes after the axes: f(x, undefined, { … }))" : "";
    throw new TypeError(`${op}: axes must be an integer or an array of integers, got ${value === null ? "null" : typeof value}${hint}`);
  }
  const list = typeof axes === "number" ? [axes] : axes;
  const seen = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(op, a, ndim);
    if (seen.has(n)) throw new RangeError(`${op}: duplicate axis ${a} in [${list.join(",")}]`);
    seen.add(n);
  }
  return [...seen].sort((p, q) => p - q);
}

/** True when two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
