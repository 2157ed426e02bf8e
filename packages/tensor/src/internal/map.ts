/**
 * Elementwise map kernels with NumPy broadcasting (not exported from the package). They allocate the
 * output, never record on the autodiff tape, and are the building blocks of the public ops.
 */
import type { DType } from "../tensor";
import { Tensor, allocate, contiguousStrides } from "../tensor";
import { broadcastShapesFor } from "../broadcast";
import { sameShape } from "./shape";
import { broadcastStrides, forEachRow } from "./strided";

/** y = f(x), elementwise, into a new contiguous tensor of `dtype`. */
export function map1(x: Tensor, f: (v: number) => number, dtype: DType = x.dtype): Tensor {
  const out = allocate(dtype, x.size);
  const xd = x.data;
  if (x.isContiguous) {
    const o = x.offset;
    for (let i = 0; i < out.length; i++) out[i] = f(xd[o + i]!);
  } else {
    forEachRow(x.shape, [x.strides, contiguousStrides(x.shape)], [x.offset, 0], (off, n, s) => {
      const xs = s[0]!;
      const os = s[1]!;
      let p = off[0]!;
      let q = off[1]!;
      for (let j = 0; j < n; j++) {
        out[q] = f(xd[p]!);
        p += xs;
        q += os;
      }
    });
  }
  return new Tensor(out, x.shape);
}

/** z = f(a, b), elementwise with broadcasting, into a new contiguous tensor of `dtype`. */
export function map2(op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number, dtype: DType): Tensor {
  const shape = sameShape(a.shape, b.shape) ? [...a.shape] : broadcastShapesFor(op, [a.shape, b.shape]);
  const out = allocate(dtype, shape.reduce((p, d) => p * d, 1));
  const ad = a.data;
  const bd = b.data;
  if (a.isContiguous && b.isContiguous && sameShape(a.shape, b.shape)) {
    const ao = a.offset;
    const bo = b.offset;
    for (let i = 0; i < out.length; i++) out[i] = f(ad[ao + i]!, bd[bo + i]!);
    return new Tensor(out, shape);
  }
  // A 0-d operand against a contiguous one (tensor ⊙ scalar): one plain loop.
  if (b.ndim === 0 && a.isContiguous) {
    const ao = a.offset;
    const bv = bd[b.offset]!;
    for (let i = 0; i < out.length; i++) out[i] = f(ad[ao + i]!, bv);
    return new Tensor(out, shape);
  }
  if (a.ndim === 0 && b.isContiguous) {
    const bo = b.offset;
    const av = ad[a.offset]!;
    for (let i = 0; i < out.length; i++) out[i] = f(av, bd[bo + i]!);
    return new Tensor(out, shape);
  }
  forEachRow(
    shape,
    [contiguousStrides(shape), broadcastStrides(a.shape, a.strides, shape), broadcastStrides(b.shape, b.strides, shape)],
    [0, a.offset, b.offset],
    (off, n, s) => {
      const os = s[0]!;
      const as = s[1]!;
      const bs = s[2]!;
      let q = off[0]!;
      let p = off[1]!;
      let r = off[2]!;
      for (let j = 0; j < n; j++) {
        out[q] = f(ad[p]!, bd[r]!);
        q += os;
        p += as;
        r += bs;
      }
    },
  );
  return new Tensor(out, shape);
}

/** w = f(a, b, c), elementwise with broadcasting, into a new contiguous tensor of `dtype`. */
export function map3(
  op: string,
  a: Tensor,
  b: Tensor,
  c: Tensor,
  f: (x: number, y: number, z: number) => number,
  dtype: DType,
): Tensor {
  const shape = broadcastShapesFor(op, [a.shape, b.shape, c.shape]);
  const out = allocate(dtype, shape.reduce((p, d) => p * d, 1));
  const ad = a.data;
  const bd = b.data;
  const cd = c.data;
  forEachRow(
    shape,
    [
      contiguousStrides(shape),
      broadcastStrides(a.shape, a.strides, shape),
      broadcastStrides(b.shape, b.strides, shape),
      broadcastStrides(c.shape, c.strides, shape),
    ],
    [0, a.offset, b.offset, c.offset],
    (off, n, s) => {
      const os = s[0]!;
      const as = s[1]!;
      const bs = s[2]!;
      const cs = s[3]!;
      let q = off[0]!;
      let p = off[1]!;
      let r = off[2]!;
      let t = off[3]!;
      for (let j = 0; j < n; j++) {
        out[q] = f(ad[p]!, bd[r]!, cd[t]!);
        q += os;
        p += as;
        r += bs;
        t += cs;
      }
    },
  );
  return new Tensor(out, shape);
}
