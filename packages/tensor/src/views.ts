/**
 * Views: new shapes and strides over the same storage, without copying (except `reshape` of a
 * layout that no strides can express). Every function returns a new `Tensor` object and is
 * differentiable; the gradient of a view is its input-shaped adjoint (reshape back, permute back,
 * scatter into zeros, or sum over broadcast axes).
 */
import { recordOp } from "./autodiff/tape";
import { sumTo } from "./broadcast";
import { Tensor, allocate, contiguousStrides, shapeSize } from "./tensor";
import { checkShape, formatShape, normalizeAxes, normalizeAxis } from "./internal/shape";
import { contiguousData, copyStrided } from "./internal/strided";

/** Backward passes built from recorded ops (so views can be differentiated to any order). */
const DIFF = { differentiable: true } as const;

/** The adjoint of `slice`: `g` scattered into zeros of `shape` (recorded; its backward is the slice). */
function sliceAdjoint(g: Tensor, shape: readonly number[], specs: readonly SliceSpec[]): Tensor {
  const size = shapeSize(shape);
  const buf = allocate(g.dtype, size);
  const target = sliceGeometry("slice", shape, contiguousStrides(shape), 0, specs);
  copyStrided(g, buf, target.strides, target.offset);
  const out = new Tensor(buf, shape);
  recordOp("slice (backward)", [g], out, (gg) => [slice(gg, specs)], DIFF);
  return out;
}

/** The adjoint of `select`: `g` placed at `index` along `axis` of zeros of `shape` (recorded). */
function selectAdjoint(g: Tensor, shape: readonly number[], axis: number, index: number): Tensor {
  const buf = allocate(g.dtype, shapeSize(shape));
  const cs = contiguousStrides(shape);
  copyStrided(g, buf, cs.filter((_, k) => k !== axis), index * cs[axis]!);
  const out = new Tensor(buf, shape);
  recordOp("select (backward)", [g], out, (gg) => [select(gg, axis, index)], DIFF);
  return out;
}

/** Strides for viewing `x` with `newShape` without a copy, or null when impossible (NumPy's rule). */
function viewStrides(x: Tensor, newShape: readonly number[]): number[] | null {
  if (x.size === 0 || newShape.length === 0) return contiguousStrides(newShape);
  const od: number[] = [];
  const os: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (x.shape[i] !== 1) {
      od.push(x.shape[i]!);
      os.push(x.strides[i]!);
    }
  }
  const nd = newShape;
  const ns = new Array<number>(nd.length).fill(0);
  let ni = 0;
  let oi = 0;
  let nj = 1;
  let oj = 1;
  while (ni < nd.length && oi < od.length) {
    let np = nd[ni]!;
    let op = od[oi]!;
    while (np !== op) {
      if (np < op) np *= nd[nj++]!;
      else op *= od[oj++]!;
    }
    for (let k = oi; k < oj - 1; k++) {
      if (os[k] !== od[k + 1]! * os[k + 1]!) return null;
    }
    ns[nj - 1] = os[oj - 1]!;
    for (let k = nj - 1; k > ni; k--) ns[k - 1] = ns[k]! * nd[k]!;
    ni = nj++;
    oi = oj++;
  }
  for (let k = ni; k < nd.length; k++) ns[k] = 1;
  return ns;
}

/**
 * Give `x` a new shape with the same elements in row-major order. A view when the strides allow
 * it (always for contiguous tensors), a copy otherwise. One entry may be `-1`: it is inferred.
 *
 * @param x - The tensor.
 * @param shape - The new shape (same number of elements; at most one `-1`).
 * @returns A tensor of the new shape.
 * @throws RangeError when the sizes differ or `-1` is repeated or cannot be inferred.
 * @example
 * ```ts
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const want = [...shape];
  const inferAt = want.indexOf(-1);
  if (inferAt >= 0) {
    if (want.indexOf(-1, inferAt + 1) >= 0) {
      throw new RangeError(`reshape: only one -1 is allowed, got ${formatShape(shape)}`);
    }
    want[inferAt] = 1;
    checkShape("reshape", want);
    const rest = shapeSize(want);
    if (rest === 0 || x.size % rest !== 0) {
      throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (size ${x.size}) into ${formatShape(shape)}`);
    }
    want[inferAt] = x.size / rest;
  } else {
    checkShape("reshape", want);
  }
  if (shapeSize(want) !== x.size) {
    throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (size ${x.size}) into ${formatShape(shape)}`);
  }
  const strides = viewStrides(x, want);
  const out = strides ? new Tensor(x.data, want, strides, x.offset) : new Tensor(contiguousData(x), want);
  recordOp("reshape", [x], out, (g) => [reshape(g, x.shape)], DIFF);
  return out;
}

/**
 * Flatten to one axis (row-major order). A view when possible.
 *
 * @param x - The tensor.
 * @returns A 1-D tensor of `x.size` elements.
 * @example
 * ```ts
 * flatten(tensor([[1, 2], [3, 4]])).toArray(); // [1, 2, 3, 4]
 * ```
 */
export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.size]);
}

/**
 * Reorder the axes: axis `i` of the result is axis `axes[i]` of `x`. A view.
 *
 * @param x - The tensor.
 * @param axes - A permutation of `0 … ndim−1` (negative axes allowed).
 * @returns The permuted view.
 * @throws RangeError when `axes` is not a permutation of the axes.
 * @example
 * ```ts
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  const given: unknown = axes;
  if (!Array.isArray(given)) {
    throw new TypeError(`permute: axes must be an array of integers, got ${given === null ? "null" : typeof given}`);
  }
  if (axes.length !== x.ndim) {
    throw new RangeError(`permute: axes [${axes.join(",")}] is not a permutation for shape ${formatShape(x.shape)}`);
  }
  normalizeAxes("permute", axes, x.ndim); // validates range and duplicates
  const perm = axes.map((a) => normalizeAxis("permute", a, x.ndim));
  const out = new Tensor(
    x.data,
    perm.map((a) => x.shape[a]!),
    perm.map((a) => x.strides[a]!),
    x.offset,
  );
  const inverse = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inverse[perm[i]!] = i;
  recordOp("permute", [x], out, (g) => [permute(g, inverse)], DIFF);
  return out;
}

/**
 * Reverse the order of the axes (the matrix transpose for 2-D tensors). A view.
 *
 * $$y_{j i} = x_{i j}$$
 *
 * @param x - The tensor.
 * @returns The transposed view.
 * @example
 * ```ts
 * transpose(tensor([[1, 2, 3]])).shape; // [3, 1]
 * ```
 */
export function transpose(x: Tensor): Tensor {
  return permute(
    x,
    x.shape.map((_, i) => x.ndim - 1 - i),
  );
}

/**
 * Swap two axes (e.g. `swapAxes(x, -1, -2)` transposes a batch of matrices). A view.
 *
 * @param x - The tensor.
 * @param axis1 - First axis (negative allowed).
 * @param axis2 - Second axis (negative allowed).
 * @returns The view with the two axes exchanged.
 * @throws RangeError when an axis is out of range.
 * @example
 * ```ts
 * swapAxes(zeros([5, 2, 3]), -1, -2).shape; // [5, 3, 2]
 * ```
 */
export function swapAxes(x: Tensor, axis1: number, axis2: number): Tensor {
  const a = normalizeAxis("swapAxes", axis1, x.ndim);
  const b = normalizeAxis("swapAxes", axis2, x.ndim);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/**
 * One axis of a {@link slice}: `null`/`undefined` keeps the whole axis; `[start, end, step]`
 * follows Python/NumPy slicing (`start:end:step`), each part optional (`null`/`undefined` = default),
 * negative indices count from the end, out-of-range bounds are clamped, and a negative step walks
 * backwards (defaults then `start = n−1`, `end` = before the first element).
 */
export type SliceSpec =
  | null
  | undefined
  | readonly [start?: number | null, end?: number | null, step?: number | null];

interface SliceGeometry {
  shape: number[];
  strides: number[];
  offset: number;
}

function sliceGeometry(op: string, shape: readonly number[], strides: readonly number[], offset: number, specs: readonly SliceSpec[]): SliceGeometry {
  if (specs.length > shape.length) {
    throw new RangeError(`${op}: ${specs.length} axis specs for a tensor of shape ${formatShape(shape)}`);
  }
  const outShape = [...shape];
  const outStrides = [...strides];
  let off = offset;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (spec === null || spec === undefined) continue;
    if (!Array.isArray(spec)) {
      throw new TypeError(`${op}: axis ${i} spec must be null or [start, end, step], got ${String(spec)}`);
    }
    const n = shape[i]!;
    const step = spec[2] ?? 1;
    for (const v of [spec[0], spec[1], spec[2]]) {
      if (v !== null && v !== undefined && !Number.isInteger(v)) {
        throw new TypeError(`${op}: axis ${i} spec [${spec.map(String).join(",")}] must hold integers`);
      }
    }
    if (step === 0) throw new RangeError(`${op}: step must be non-zero on axis ${i}`);
    let start: number;
    let end: number;
    const s0 = spec[0];
    const e0 = spec[1];
    if (step > 0) {
      start = s0 === null || s0 === undefined ? 0 : s0 < 0 ? Math.max(0, s0 + n) : Math.min(s0, n);
      end = e0 === null || e0 === undefined ? n : e0 < 0 ? Math.max(0, e0 + n) : Math.min(e0, n);
    } else {
      start = s0 === null || s0 === undefined ? n - 1 : s0 < 0 ? Math.max(-1, s0 + n) : Math.min(s0, n - 1);
      end = e0 === null || e0 === undefined ? -1 : e0 < 0 ? Math.max(-1, e0 + n) : Math.min(e0, n - 1);
    }
    const len = Math.max(0, Math.ceil((end - start) / step));
    outShape[i] = len;
    if (len > 0) off += start * strides[i]!;
    outStrides[i] = strides[i]! * step;
  }
  return { shape: outShape, strides: outStrides, offset: off };
}

/**
 * Basic slicing, one {@link SliceSpec} per leading axis (missing trailing specs keep their axes).
 * Equivalent to NumPy's `x[s0, s1, …]` with slices. A view.
 *
 * @param x - The tensor.
 * @param specs - Per-axis `[start, end, step]` or `null` for the whole axis.
 * @returns The sliced view (axes keep their place; lengths may be 0).
 * @throws RangeError on a zero step or more specs than axes; TypeError on non-integer bounds.
 * @example
 * ```ts
 * slice(arange(10), [[1, 8, 3]]).toArray();  // [1, 4, 7]
 * slice(arange(5), [[null, null, -1]]).toArray(); // [4, 3, 2, 1, 0]
 * slice(zeros([4, 5]), [null, [-2]]).shape;  // [4, 2]
 * ```
 */
export function slice(x: Tensor, specs: readonly SliceSpec[]): Tensor {
  const g = sliceGeometry("slice", x.shape, x.strides, x.offset, specs);
  const out = new Tensor(x.data, g.shape, g.strides, g.offset);
  recordOp("slice", [x], out, (gr) => [sliceAdjoint(gr, x.shape, specs)], DIFF);
  return out;
}

/**
 * Pick one index along an axis, removing that axis (NumPy `x[..., i, ...]`). A view.
 *
 * @param x - The tensor.
 * @param axis - The axis (negative allowed).
 * @param index - The index (negative counts from the end).
 * @returns The view with `ndim − 1` axes.
 * @throws RangeError when the axis or the index is out of range.
 * @example
 * ```ts
 * select(tensor([[1, 2], [3, 4]]), 1, -1).toArray(); // [2, 4]
 * ```
 */
export function select(x: Tensor, axis: number, index: number): Tensor {
  const a = normalizeAxis("select", axis, x.ndim);
  const n = x.shape[a]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new RangeError(`select: index ${index} is out of range for axis ${axis} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  const shape = x.shape.filter((_, k) => k !== a);
  const strides = x.strides.filter((_, k) => k !== a);
  const out = new Tensor(x.data, shape, strides, x.offset + i * x.strides[a]!);
  recordOp("select", [x], out, (gr) => [selectAdjoint(gr, x.shape, a, i)], DIFF);
  return out;
}

/**
 * Insert an axis of size 1 at position `axis` (NumPy `expand_dims`, PyTorch `unsqueeze`). A view.
 *
 * @param x - The tensor.
 * @param axis - Position of the new axis in the result, in `[−(ndim+1), ndim]`.
 * @returns The view with `ndim + 1` axes.
 * @throws RangeError when the axis is out of range.
 * @example
 * ```ts
 * expandDims(zeros([2, 3]), -1).shape; // [2, 3, 1]
 * ```
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis("expandDims", axis, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  const stride = a < x.ndim ? x.strides[a]! * x.shape[a]! : 1;
  shape.splice(a, 0, 1);
  strides.splice(a, 0, stride);
  const out = new Tensor(x.data, shape, strides, x.offset);
  recordOp("expandDims", [x], out, (g) => [reshape(g, x.shape)], DIFF);
  return out;
}

/**
 * Remove axes of size 1: the given ones (each must have size 1) or, by default, all of them. A view.
 *
 * @param x - The tensor.
 * @param axes - Axis or axes to remove (negative allowed); default every size-1 axis.
 * @returns The squeezed view.
 * @throws RangeError when a named axis does not have size 1 or is out of range.
 * @example
 * ```ts
 * squeeze(zeros([1, 3, 1])).shape;    // [3]
 * squeeze(zeros([1, 3, 1]), 0).shape; // [3, 1]
 * ```
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  let drop: Set<number>;
  if (axes === undefined) {
    drop = new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set(normalizeAxes("squeeze", axes, x.ndim));
    for (const a of drop) {
      if (x.shape[a] !== 1) {
        throw new RangeError(`squeeze: axis ${a} has size ${x.shape[a]!}, not 1 (shape ${formatShape(x.shape)})`);
      }
    }
  }
  const out = new Tensor(
    x.data,
    x.shape.filter((_, i) => !drop.has(i)),
    x.strides.filter((_, i) => !drop.has(i)),
    x.offset,
  );
  recordOp("squeeze", [x], out, (g) => [reshape(g, x.shape)], DIFF);
  return out;
}

/**
 * Broadcast `x` to `shape` by the NumPy rule (stride 0 along repeated axes). A view.
 * The gradient sums back over the broadcast axes ({@link sumTo}).
 *
 * @param x - The tensor.
 * @param shape - Target shape; `x.shape` must broadcast to it.
 * @returns The broadcast view.
 * @throws RangeError when `x.shape` does not broadcast to `shape`.
 * @example
 * ```ts
 * broadcastTo(tensor([1, 2]), [3, 2]).toArray(); // [[1, 2], [1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const target = checkShape("broadcastTo", shape);
  const lead = target.length - x.ndim;
  const fail = (): never => {
    throw new RangeError(`broadcastTo: shape ${formatShape(x.shape)} cannot broadcast to ${formatShape(target)}`);
  };
  if (lead < 0) fail();
  const strides = new Array<number>(target.length).fill(0);
  for (let i = 0; i < x.ndim; i++) {
    const d = x.shape[i]!;
    const t = target[lead + i]!;
    if (d === t) strides[lead + i] = x.strides[i]!;
    else if (d !== 1) fail();
  }
  const out = new Tensor(x.data, target, strides, x.offset);
  recordOp("broadcastTo", [x], out, (g) => [sumTo(g, x.shape)], DIFF);
  return out;
}
