/**
 * Strided iteration kernels shared by the core ops (not exported from the package).
 *
 * `forEachRow` walks an n-d index space once, in row-major order, for several operands at once
 * (each with its own strides and offset), and hands the caller one contiguous *row* (the last axis)
 * at a time, so that the per-element work stays in a plain typed-array loop written by the caller.
 */
import type { DataArray, Tensor } from "../tensor";
import { allocate, contiguousStrides } from "../tensor";
import { forEachRow } from "../kernels/rows";

export { forEachRow };

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
