/**
 * `topk`: the k largest (or smallest) entries along an axis, by partial selection with a size-k
 * heap — O(n log k), not a full sort.
 */
import { readOptions } from "./options";
import { recordOp } from "./autodiff/tape";
import { Tensor, allocate, contiguousStrides, isTensor } from "./tensor";
import { formatShape, normalizeAxis } from "./internal/shape";
import { forEachRow } from "./internal/strided";

/** Options of {@link topk}. */
export interface TopkOptions {
  /**
   * The axis to select along (negative allowed).
   * @defaultValue -1
   */
  readonly axis?: number;
  /**
   * Select the largest entries (true) or the smallest (false).
   * @defaultValue true
   */
  readonly largest?: boolean;
}

/** Result of {@link topk}. */
export interface TopkResult {
  /** The selected values, best first (shape of `x` with `k` along the axis). */
  readonly values: Tensor;
  /** Their indices along the axis, as a float64 tensor of the same shape. */
  readonly indices: Tensor;
}

/** True when (va, ia) ranks strictly before (vb, ib). NaN ranks as the largest value (PyTorch). */
function before(largest: boolean, va: number, ia: number, vb: number, ib: number): boolean {
  const an = va !== va;
  const bn = vb !== vb;
  if (an || bn) {
    if (an && bn) return ia < ib;
    return largest ? an : bn;
  }
  if (va === vb) return ia < ib;
  return largest ? va > vb : va < vb;
}

/** Restore the heap property (worst entry at the root) below `i`. */
function siftDown(largest: boolean, hv: Float64Array, hi: Float64Array, k: number, i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) return;
    let w = i;
    // The child that ranks last (worst) must move up.
    if (before(largest, hv[w]!, hi[w]!, hv[l]!, hi[l]!)) w = l;
    const r = l + 1;
    if (r < k && before(largest, hv[w]!, hi[w]!, hv[r]!, hi[r]!)) w = r;
    if (w === i) return;
    const tv = hv[i]!;
    const ti = hi[i]!;
    hv[i] = hv[w]!;
    hi[i] = hi[w]!;
    hv[w] = tv;
    hi[w] = ti;
    i = w;
  }
}

/**
 * Select the `k` best entries of one strided row into (hv, hi), sorted best first.
 * @internal
 */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function selectRow(
  data: ArrayLike<number>,
  base: number,
  stride: number,
  n: number,
  k: number,
  largest: boolean,
  hv: Float64Array,
  hi: Float64Array,
): void {
  if (k === 0) return;
  for (let i = 0; i < k; i++) {
    hv[i] = data[base + i * stride]!;
    hi[i] = i;
  }
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(largest, hv, hi, k, i);
  let root = hv[0]!;
  if (largest) {
    for (let i = k, p = base + k * stride; i < n; i++, p += stride) {
      const v = data[p]!;
      // Fast reject: not larger than the current k-th best (a tie loses: its index is higher).
      if (v <= root) continue;
      if (before(true, v, i, root, hi[0]!)) {
        hv[0] = v;
        hi[0] = i;
        siftDown(true, hv, hi, k, 0);
        root = hv[0]!;
      }
    }
  } else {
    for (let i = k, p = base + k * stride; i < n; i++, p += stride) {
      const v = data[p]!;
      if (v >= root) continue;
      if (before(false, v, i, root, hi[0]!)) {
        hv[0] = v;
        hi[0] = i;
        siftDown(false, hv, hi, k, 0);
        root = hv[0]!;
      }
    }
  }
  // Heap → sorted (best first): repeatedly move the worst to the end.
  for (let end = k - 1; end > 0; end--) {
    const tv = hv[0]!;
    const ti = hi[0]!;
    hv[0] = hv[end]!;
    hi[0] = hi[end]!;
    hv[end] = tv;
    hi[end] = ti;
    siftDown(largest, hv, hi, end, 0);
  }
}

/**
 * The `k` largest (or smallest) entries along an axis with their indices, by partial selection
 * (a size-k heap, O(n log k)), sorted best first. Ties go to the lower index first; NaN ranks as
 * the largest value (first when `largest`, last otherwise), as in PyTorch. `values` is
 * differentiable: its gradient is scattered back to the selected positions.
 *
 * @param x - The tensor.
 * @param k - How many entries to keep, `0 ≤ k ≤ x.shape[axis]`.
 * @param options - `axis` (default −1), `largest` (default true).
 * @returns `{ values, indices }`, each of the shape of `x` with `k` along the axis.
 * @throws RangeError when `k` is out of range or the axis is out of range.
 * @example
 * ```ts
 * const { values, indices } = topk(tensor([3, 1, 4, 1, 5]), 2);
 * values.toArray();  // [5, 4]
 * indices.toArray(); // [4, 2]
 * ```
 */
export function topk(x: Tensor, k: number, options: TopkOptions = {}): TopkResult {
  readOptions("topk", options, ["axis", "largest"]);
  if (!isTensor(x)) throw new TypeError(`topk: expected a tensor, got ${typeof x}`);
  const largest = options.largest ?? true;
  const axisArg = options.axis ?? -1;
  if (x.ndim === 0) throw new RangeError(`topk: needs at least one axis, got a 0-d tensor`);
  const a = normalizeAxis("topk", axisArg, x.ndim);
  const n = x.shape[a]!;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`topk: k = ${String(k)} is out of range for axis ${axisArg} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const outShape = x.shape.map((d, i) => (i === a ? k : d));
  const outStrides = contiguousStrides(outShape);
  const values = allocate(x.dtype, outShape.reduce((p, d) => p * d, 1));
  const indices = new Float64Array(values.length);
  const outerShape = x.shape.filter((_, i) => i !== a);
  const xOuter = x.strides.filter((_, i) => i !== a);
  const oOuter = outStrides.filter((_, i) => i !== a);
  const sa = x.strides[a]!;
  const so = outStrides[a]!;
  const hv = new Float64Array(k);
  const hi = new Float64Array(k);
  const xd = x.data;
  if (k > 0) {
    forEachRow(outerShape, [xOuter, oOuter], [x.offset, 0], (o, m, s) => {
      for (let j = 0; j < m; j++) {
        selectRow(xd, o[0]! + j * s[0]!, sa, n, k, largest, hv, hi);
        const q = o[1]! + j * s[1]!;
        for (let t = 0; t < k; t++) {
          values[q + t * so] = hv[t]!;
          indices[q + t * so] = hi[t]!;
        }
      }
    });
  }
  const vt = new Tensor(values, outShape);
  const it = new Tensor(indices, outShape);
  recordOp("topk", [x], vt, (g) => {
    const buf = allocate(g.dtype, x.size);
    const xs = contiguousStrides(x.shape);
    const xsOuter = xs.filter((_, i) => i !== a);
    const gc = g.contiguous();
    forEachRow(outerShape, [xsOuter, oOuter], [0, 0], (o, m, s) => {
      for (let j = 0; j < m; j++) {
        const p = o[0]! + j * s[0]!;
        const q = o[1]! + j * s[1]!;
        for (let t = 0; t < k; t++) {
          const idx = p + indices[q + t * so]! * xs[a]!;
          buf[idx] = buf[idx]! + gc.data[gc.offset + q + t * so]!;
        }
      }
    });
    return [new Tensor(buf, x.shape)];
  });
  return { values: vt, indices: it };
}

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /**
   * The axis to sort along (negative allowed).
   * @defaultValue -1
   */
  readonly axis?: number;
  /**
   * Sort from largest to smallest.
   * @defaultValue false
   */
  readonly descending?: boolean;
}

/**
 * Sort along an axis, stably (equal values keep their order). NaN sorts as the largest value:
 * last in ascending order (as NumPy), first in descending order (as PyTorch). Computed as
 * `topk` with `k = n` (heap sort, O(n log n)). Differentiable: the gradient is scattered back.
 *
 * @param x - The tensor.
 * @param options - `axis` (default −1), `descending` (default false).
 * @returns The sorted values (same shape as `x`).
 * @throws RangeError when the axis is out of range or `x` is 0-d.
 * @example
 * ```ts
 * sort(tensor([3, 1, 2])).toArray(); // [1, 2, 3]
 * ```
 */
export function sort(x: Tensor, options: SortOptions = {}): Tensor {
  return sortImpl("sort", x, options).values;
}

/**
 * The indices that sort `x` along an axis (stable; NaN as the largest value, see {@link sort}),
 * as a float64 tensor. Not differentiable.
 *
 * @param x - The tensor.
 * @param options - `axis` (default −1), `descending` (default false).
 * @returns Indices along the axis (same shape as `x`).
 * @throws RangeError when the axis is out of range or `x` is 0-d.
 * @example
 * ```ts
 * argsort(tensor([3, 1, 2])).toArray(); // [1, 2, 0]
 * ```
 */
export function argsort(x: Tensor, options: SortOptions = {}): Tensor {
  return sortImpl("argsort", x, options).indices;
}

function sortImpl(op: string, x: Tensor, options: SortOptions): TopkResult {
  readOptions(op, options, ["axis", "descending"]);
  if (!isTensor(x)) throw new TypeError(`${op}: expected a tensor, got ${typeof x}`);
  if (x.ndim === 0) throw new RangeError(`${op}: needs at least one axis, got a 0-d tensor`);
  const axis = options.axis ?? -1;
  const a = normalizeAxis(op, axis, x.ndim);
  return topk(x, x.shape[a]!, { axis: a, largest: options.descending ?? false });
}
