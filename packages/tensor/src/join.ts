/**
 * Joining and splitting along an axis: `concat`, `stack`, `split`.
 */
import { recordOp } from "./autodiff/tape";
import type { DType } from "./tensor";
import { Tensor, allocate, contiguousStrides, isTensor } from "./tensor";
import { formatShape, normalizeAxis } from "./internal/shape";
import { copyStrided } from "./internal/strided";
import { expandDims, slice } from "./views";

function checkList(op: string, tensors: readonly Tensor[]): void {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}: expected an array of tensors`);
  if (tensors.length === 0) throw new RangeError(`${op}: expected at least one tensor, got an empty list`);
  tensors.forEach((t, i) => {
    if (!isTensor(t)) throw new TypeError(`${op}: element ${i} is not a tensor`);
  });
}

/**
 * Join tensors along an existing axis. All shapes must agree except along `axis`. The dtype is
 * float32 only when every input is float32. Differentiable: each input receives its slice of the
 * gradient.
 *
 * @param tensors - One or more tensors with the same number of axes.
 * @param axis - The axis to join along (negative allowed).
 * @returns A new contiguous tensor.
 * @throws RangeError on an empty list, an out-of-range axis or mismatched shapes
 *   (`concat: shapes [2,3] and [2,4] differ outside axis 0`).
 * @example
 * ```ts
 * concat([tensor([[1, 2]]), tensor([[3, 4]])], 0).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList("concat", tensors);
  const first = tensors[0]!;
  if (first.ndim === 0) throw new RangeError(`concat: cannot concatenate 0-d tensors (use stack)`);
  const a = normalizeAxis("concat", axis, first.ndim);
  let total = 0;
  let dtype: DType = "float32";
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new RangeError(`concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${axis}`);
    }
    total += t.shape[a]!;
    if (t.dtype === "float64") dtype = "float64";
  }
  const shape = first.shape.map((d, i) => (i === a ? total : d));
  const strides = contiguousStrides(shape);
  const data = allocate(dtype, shape.reduce((p, d) => p * d, 1));
  const starts: number[] = [];
  let start = 0;
  for (const t of tensors) {
    starts.push(start);
    copyStrided(t, data, strides, start * strides[a]!);
    start += t.shape[a]!;
  }
  const out = new Tensor(data, shape);
  recordOp("concat", tensors, out, (g) =>
    tensors.map((t, i) => {
      const spec = shape.map((_, j) => (j === a ? ([starts[i]!, starts[i]! + t.shape[a]!] as const) : null));
      return slice(g, spec);
    }),
    { differentiable: true },
  );
  return out;
}

/**
 * Stack tensors of one shape along a new axis. Differentiable.
 *
 * @param tensors - One or more tensors of the same shape.
 * @param axis - Position of the new axis in the result, in `[−(ndim+1), ndim]`.
 * @returns A new contiguous tensor with one more axis.
 * @throws RangeError on an empty list, mismatched shapes or an out-of-range axis.
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  checkList("stack", tensors);
  const first = tensors[0]!;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new RangeError(`stack: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ`);
    }
  }
  const a = normalizeAxis("stack", axis, first.ndim + 1);
  return concat(
    tensors.map((t) => expandDims(t, a)),
    a,
  );
}

/**
 * Split a tensor along an axis into views: into `n` equal parts when given a number (the axis
 * length must divide evenly, as NumPy's `split`), or into parts of the given sizes when given an
 * array (they must add up to the axis length, as PyTorch's `split` with a list). Differentiable.
 *
 * @param x - The tensor.
 * @param sizesOrSections - Number of equal sections, or the size of each part.
 * @param axis - The axis to split (negative allowed).
 * @returns The parts, in order (views of `x`).
 * @throws RangeError when the sections do not divide the axis or the sizes do not add up.
 * @example
 * ```ts
 * split(arange(6), 3).map((t) => t.toArray());      // [[0, 1], [2, 3], [4, 5]]
 * split(arange(6), [1, 5]).map((t) => t.shape[0]);  // [1, 5]
 * ```
 */
export function split(x: Tensor, sizesOrSections: number | readonly number[], axis = 0): Tensor[] {
  if (!isTensor(x)) throw new TypeError(`split: expected a tensor, got ${typeof x}`);
  const a = normalizeAxis("split", axis, x.ndim);
  const n = x.shape[a]!;
  let sizes: number[];
  if (typeof sizesOrSections === "number") {
    const k = sizesOrSections;
    if (!Number.isInteger(k) || k <= 0 || n % k !== 0) {
      throw new RangeError(`split: axis ${axis} of size ${n} cannot be split into ${k} equal sections`);
    }
    sizes = new Array<number>(k).fill(n / k);
  } else {
    sizes = [...sizesOrSections];
    const s = sizes.reduce((p, d) => p + d, 0);
    if (sizes.some((d) => !Number.isInteger(d) || d < 0) || s !== n) {
      throw new RangeError(`split: sizes [${sizes.join(",")}] do not add up to size ${n} of axis ${axis}`);
    }
  }
  const parts: Tensor[] = [];
  let start = 0;
  for (const d of sizes) {
    const spec = x.shape.map((_, j) => (j === a ? ([start, start + d] as const) : null));
    parts.push(slice(x, spec));
    start += d;
  }
  return parts;
}
