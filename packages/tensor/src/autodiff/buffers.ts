/**
 * Small allocation helpers of the autodiff engine, written on the raw `Tensor` class so that the
 * engine depends on nothing but `tensor.ts` and the tape. Not exported from the package.
 */
import { allocate, Tensor, type DType } from "../tensor";

/** Visit the elements of `t` in row-major order, calling `visit(value, k)` with the flat index k. */
export function forEachStrided(t: Tensor, visit: (value: number, k: number) => void): void {
  const { data, shape, strides, size } = t;
  if (size === 0) return;
  const nd = shape.length;
  if (t.isContiguous) {
    for (let k = 0; k < size; k++) visit(data[t.offset + k]!, k);
    return;
  }
  const index = new Array<number>(nd).fill(0);
  let pos = t.offset;
  for (let k = 0; k < size; k++) {
    visit(data[pos]!, k);
    // odometer increment, last axis fastest
    for (let ax = nd - 1; ax >= 0; ax--) {
      const i = index[ax]! + 1;
      if (i < shape[ax]!) {
        index[ax] = i;
        pos += strides[ax]!;
        break;
      }
      index[ax] = 0;
      pos -= (i - 1) * strides[ax]!;
    }
  }
}

/** A fresh row-major copy of `t` in `dtype` (default: its own dtype). */
export function contiguousCopy(t: Tensor, dtype: DType = t.dtype): Tensor {
  const out = allocate(dtype, t.size);
  forEachStrided(t, (v, k) => {
    out[k] = v;
  });
  return new Tensor(out, t.shape);
}

/** A fresh zero tensor. */
export function zerosOf(shape: readonly number[], dtype: DType): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(allocate(dtype, n), shape);
}

/** A fresh tensor filled with `value`. */
export function filledOf(shape: readonly number[], dtype: DType, value: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  data.fill(value);
  return new Tensor(data, shape);
}

/** `target.data[k] += src[k]` for a contiguous, offset-0 `target` of the same shape as `src`. */
export function addInto(target: Tensor, src: Tensor): void {
  const out = target.data;
  forEachStrided(src, (v, k) => {
    out[k] = out[k]! + v;
  });
}

/** True when the two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `[2,3]` formatting of a shape for error messages. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** A short description of a non-tensor value for error messages: "null", "an array", "number" … */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
