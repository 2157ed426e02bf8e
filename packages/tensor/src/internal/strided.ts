/**
 * Strided iteration kernels shared by the core ops (not exported from the package).
 *
 * `forEachRow` walks an n-d index space once, in row-major order, for several operands at once
 * (each with its own strides and offset), and hands the caller one contiguous *row* (the last axis)
 * at a time, so that the per-element work stays in a plain typed-array loop written by the caller.
 */
import type { DataArray, Tensor } from "../tensor";
import { allocate, contiguousStrides } from "../tensor";

/**
 * Call `row(offsets, n, innerStrides)` for every row of the index space `shape`.
 *
 * Axes of size 1 are dropped and adjacent axes that are contiguous for every operand are merged,
 * so rows are as long as possible. `offsets[k]` is the position of the row's first element in
 * operand `k`; `innerStrides[k]` the step between its neighbours. The `offsets` array is reused
 * between calls: read it, do not keep it. Nothing is called when the space is empty; a 0-d space
 * gives one row of length 1.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  row: (offsets: number[], n: number, innerStrides: number[]) => void,
): void {
  const k = strides.length;
  // Drop size-1 axes; bail out on empty spaces.
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return;
    if (d === 1) continue;
    dims.push(d);
    for (let j = 0; j < k; j++) st[j]!.push(strides[j]![i]!);
  }
  // Merge adjacent axes that are contiguous for every operand.
  for (let i = dims.length - 2; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < k; j++) {
      const s = st[j]!;
      if (s[i] !== s[i + 1]! * dims[i + 1]!) {
        ok = false;
        break;
      }
    }
    if (ok) {
      dims[i] = dims[i]! * dims[i + 1]!;
      dims.splice(i + 1, 1);
      for (let j = 0; j < k; j++) {
        const s = st[j]!;
        s[i] = s[i + 1]!;
        s.splice(i + 1, 1);
      }
    }
  }
  const offs = [...offsets];
  if (dims.length === 0) {
    row(offs, 1, new Array<number>(k).fill(0));
    return;
  }
  const last = dims.length - 1;
  const n = dims[last]!;
  const inner = st.map((s) => s[last]!);
  if (last === 0) {
    row(offs, n, inner);
    return;
  }
  const outerDims = dims.slice(0, last);
  const counters = new Array<number>(last).fill(0);
  const base = [...offsets];
  for (;;) {
    for (let j = 0; j < k; j++) offs[j] = base[j]!;
    row(offs, n, inner);
    // Advance the outer counters (odometer), updating base offsets incrementally.
    let ax = last - 1;
    for (; ax >= 0; ax--) {
      const c = counters[ax]! + 1;
      if (c < outerDims[ax]!) {
        counters[ax] = c;
        for (let j = 0; j < k; j++) base[j] = base[j]! + st[j]![ax]!;
        break;
      }
      counters[ax] = 0;
      for (let j = 0; j < k; j++) base[j] = base[j]! - (c - 1) * st[j]![ax]!;
    }
    if (ax < 0) return;
  }
}

/** Copy the elements of `src` (any strides) into `dst` laid out with `dstStrides` from `dstOffset`. */
export function copyStrided(
  src: Tensor,
  dst: DataArray,
  dstStrides: readonly number[],
  dstOffset: number,
): void {
  const sd = src.data;
  forEachRow(src.shape, [src.strides, dstStrides], [src.offset, dstOffset], (o, n, s) => {
    let si = o[0]!;
    let di = o[1]!;
    const ss = s[0]!;
    const ds = s[1]!;
    if (ss === 1 && ds === 1) {
      dst.set(sd.subarray(si, si + n), di);
      return;
    }
    for (let i = 0; i < n; i++) {
      dst[di] = sd[si]!;
      si += ss;
      di += ds;
    }
  });
}

/** A fresh row-major copy of the elements of `x` (of the dtype `dtype`, default x's own). */
export function contiguousData(x: Tensor, dtype = x.dtype): DataArray {
  const out = allocate(dtype, x.size);
  copyStrided(x, out, contiguousStrides(x.shape), 0);
  return out;
}

/** Strides of `shape` broadcast to `outShape` (0 on broadcast and missing leading axes). */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  outShape: readonly number[],
): number[] {
  const out = new Array<number>(outShape.length).fill(0);
  const lead = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 ? 0 : strides[i]!;
  }
  return out;
}
