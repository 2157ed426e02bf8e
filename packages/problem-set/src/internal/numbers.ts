/** Small conversions between tensors, typed arrays and nested arrays. */
import { isTensor, type Tensor } from "@hw/tensor";

/** The entries of a tensor, typed array or array, as a plain array (row-major). */
export function toNumbers(x: Tensor | ArrayLike<number>): number[] {
  if (isTensor(x)) return Array.from(x.contiguous().data.subarray(x.contiguous().offset, x.contiguous().offset + x.size));
  return Array.from(x);
}

/** A nested array (or number) of any depth. */
export type Nested = number | Nested[];

/** The shape of a nested array, or null when it is ragged or holds something other than finite numbers. */
export function shapeOf(value: unknown): number[] | null {
  if (typeof value === "number") return Number.isFinite(value) ? [] : null;
  if (!Array.isArray(value) || value.length === 0) return null;
  const inner = shapeOf(value[0]);
  if (inner === null) return null;
  for (let i = 1; i < value.length; i++) {
    const s = shapeOf(value[i]);
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null;
  }
  return [value.length, ...inner];
}

/** The entries of a nested array, row-major. */
export function flatten(value: Nested): number[] {
  if (typeof value === "number") return [value];
  return value.flatMap(flatten);
}

/** The multi-index of flat position `k` in `shape`. */
export function unravel(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  let r = k;
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = r % shape[a]!;
    r = Math.floor(r / shape[a]!);
  }
  return idx;
}

/** A tensor's entries as nested arrays (a number for a scalar). */
export function nestedOf(t: Tensor): Nested {
  return t.toArray() as Nested;
}

/** The variance tensor of a statistics result, whichever spelling the installed package uses (`variance`, formerly `var`). */
export function varianceOf(stats: object): Tensor {
  const s = stats as { variance?: Tensor; var?: Tensor };
  const v = s.variance ?? s.var;
  if (v === undefined) throw new TypeError("varianceOf: the statistics object has no variance");
  return v;
}
