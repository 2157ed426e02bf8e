/**
 * Elementwise map kernels with NumPy broadcasting (not exported from the package). They allocate the
 * output, never record on the autodiff tape, and are the building blocks of the public ops.
 */
import type { DType } from "../tensor";
import { Tensor, allocate, contiguousStrides } from "../tensor";
import { broadcastShapesFor } from "../broadcast";
import { sameShape } from "./shape";
import { broadcastStrides, forEachRow } from "./strided";
import { kernels } from "../kernels/index";

/** y = f(x), elementwise, into a new contiguous tensor of `dtype`. */
export function map1(x: Tensor, f: (v: number) => number, dtype: DType = x.dtype): Tensor {
  const out = allocate(dtype, x.size);
  const xd = x.data;
  if (x.isContiguous) {
    kernels.mapUnary(out.length, xd, 1, x.offset, out, 1, 0, f);
  } else {
    forEachRow(x.shape, [x.strides, contiguousStrides(x.shape)], [x.offset, 0], (off, n, s) => {
      kernels.mapUnary(n, xd, s[0]!, off[0]!, out, s[1]!, off[1]!, f);
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
    kernels.mapBinary(out.length, ad, 1, a.offset, bd, 1, b.offset, out, 1, 0, f);
    return new Tensor(out, shape);
  }
  // A 0-d operand against a contiguous one (tensor ⊙ scalar): one plain loop.
  if (b.ndim === 0 && a.isContiguous) {
    kernels.mapBinary(out.length, ad, 1, a.offset, bd, 0, b.offset, out, 1, 0, f);
    return new Tensor(out, shape);
  }
  if (a.ndim === 0 && b.isContiguous) {
    kernels.mapBinary(out.length, ad, 0, a.offset, bd, 1, b.offset, out, 1, 0, f);
    return new Tensor(out, shape);
  }
  forEachRow(
    shape,
    [contiguousStrides(shape), broadcastStrides(a.shape, a.strides, shape), broadcastStrides(b.shape, b.strides, shape)],
    [0, a.offset, b.offset],
    (off, n, s) => {
      kernels.mapBinary(n, ad, s[1]!, off[1]!, bd, s[2]!, off[2]!, out, s[0]!, off[0]!, f);
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
      kernels.mapTernary(n, ad, s[1]!, off[1]!, bd, s[2]!, off[2]!, cd, s[3]!, off[3]!, out, s[0]!, off[0]!, f);
    },
  );
  return new Tensor(out, shape);
}
