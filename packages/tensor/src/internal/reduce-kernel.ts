/**
 * Streaming reduction kernels (not exported from the package).
 *
 * Every kernel walks the input once in row-major order with `forEachRow`, carrying for each row the
 * offset of its output slot (stride 0 along reduced axes). When the innermost axis is reduced, a
 * whole contiguous row is folded into one scalar in a tight unrolled loop before touching the
 * output, with eight independent accumulators for instruction-level parallelism; this keeps
 * batch-norm style moments (axes [0, 2] of [N, C, L]) near memory speed.
 * Accumulators are always float64.
 */
import type { DataArray, Tensor } from "../tensor";
import { contiguousStrides } from "../tensor";
import { forEachRow } from "./strided";

/** Geometry of a reduction: output shape (kept axes) and the output strides seen from x's axes. */
export interface ReduceGeometry {
  /** Shape with reduced axes removed. */
  readonly keptShape: number[];
  /** Shape with reduced axes set to 1. */
  readonly keepDimsShape: number[];
  /** One stride per input axis: 0 on reduced axes, row-major over the kept axes otherwise. */
  readonly outStrides: number[];
  /** Number of output slots. */
  readonly outSize: number;
  /** Number of input elements folded into each slot. */
  readonly count: number;
}

/** Compute the geometry of reducing `shape` over the (normalized, sorted) `axes`. */
export function reduceGeometry(shape: readonly number[], axes: readonly number[]): ReduceGeometry {
  const reduced = new Set(axes);
  const keptShape: number[] = [];
  const keepDimsShape: number[] = [];
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    if (reduced.has(i)) {
      count *= shape[i]!;
      keepDimsShape.push(1);
    } else {
      keptShape.push(shape[i]!);
      keepDimsShape.push(shape[i]!);
    }
  }
  const kept = contiguousStrides(keptShape);
  const outStrides: number[] = [];
  let k = 0;
  for (let i = 0; i < shape.length; i++) outStrides.push(reduced.has(i) ? 0 : kept[k++]!);
  let outSize = 1;
  for (const d of keptShape) outSize *= d;
  return { keptShape, keepDimsShape, outStrides, outSize, count };
}

function rowSum64(x: Float64Array, p: number, n: number, s: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  let j = 0;
  if (s === 1) {
    for (; j + 7 < n; j += 8) {
      a0 += x[p + j]!;
      a1 += x[p + j + 1]!;
      a2 += x[p + j + 2]!;
      a3 += x[p + j + 3]!;
      a4 += x[p + j + 4]!;
      a5 += x[p + j + 5]!;
      a6 += x[p + j + 6]!;
      a7 += x[p + j + 7]!;
    }
    for (; j < n; j++) a0 += x[p + j]!;
  } else {
    for (; j < n; j++) a0 += x[p + j * s]!;
  }
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

function rowSumSqDev64(x: Float64Array, p: number, n: number, s: number, c: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  let j = 0;
  if (s === 1) {
    for (; j + 7 < n; j += 8) {
      const d0 = x[p + j]! - c;
      const d1 = x[p + j + 1]! - c;
      const d2 = x[p + j + 2]! - c;
      const d3 = x[p + j + 3]! - c;
      const d4 = x[p + j + 4]! - c;
      const d5 = x[p + j + 5]! - c;
      const d6 = x[p + j + 6]! - c;
      const d7 = x[p + j + 7]! - c;
      a0 += d0 * d0;
      a1 += d1 * d1;
      a2 += d2 * d2;
      a3 += d3 * d3;
      a4 += d4 * d4;
      a5 += d5 * d5;
      a6 += d6 * d6;
      a7 += d7 * d7;
    }
    for (; j < n; j++) {
      const d = x[p + j]! - c;
      a0 += d * d;
    }
  } else {
    for (; j < n; j++) {
      const d = x[p + j * s]! - c;
      a0 += d * d;
    }
  }
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

// The same two kernels for float32 storage: a separate copy keeps each one monomorphic (V8 slows
// a kernel down once it has seen two typed-array types).
function rowSum32(x: Float32Array, p: number, n: number, s: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  let j = 0;
  if (s === 1) {
    for (; j + 7 < n; j += 8) {
      a0 += x[p + j]!;
      a1 += x[p + j + 1]!;
      a2 += x[p + j + 2]!;
      a3 += x[p + j + 3]!;
      a4 += x[p + j + 4]!;
      a5 += x[p + j + 5]!;
      a6 += x[p + j + 6]!;
      a7 += x[p + j + 7]!;
    }
    for (; j < n; j++) a0 += x[p + j]!;
  } else {
    for (; j < n; j++) a0 += x[p + j * s]!;
  }
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

function rowSumSqDev32(x: Float32Array, p: number, n: number, s: number, c: number): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let a4 = 0;
  let a5 = 0;
  let a6 = 0;
  let a7 = 0;
  let j = 0;
  if (s === 1) {
    for (; j + 7 < n; j += 8) {
      const d0 = x[p + j]! - c;
      const d1 = x[p + j + 1]! - c;
      const d2 = x[p + j + 2]! - c;
      const d3 = x[p + j + 3]! - c;
      const d4 = x[p + j + 4]! - c;
      const d5 = x[p + j + 5]! - c;
      const d6 = x[p + j + 6]! - c;
      const d7 = x[p + j + 7]! - c;
      a0 += d0 * d0;
      a1 += d1 * d1;
      a2 += d2 * d2;
      a3 += d3 * d3;
      a4 += d4 * d4;
      a5 += d5 * d5;
      a6 += d6 * d6;
      a7 += d7 * d7;
    }
    for (; j < n; j++) {
      const d = x[p + j]! - c;
      a0 += d * d;
    }
  } else {
    for (; j < n; j++) {
      const d = x[p + j * s]! - c;
      a0 += d * d;
    }
  }
  return a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

/** Σ of a strided row, dispatched to the kernel of the storage type. */
function rowSum(x: DataArray, p: number, n: number, s: number): number {
  return x instanceof Float64Array ? rowSum64(x, p, n, s) : rowSum32(x, p, n, s);
}

/** Σ (x − c)² of a strided row, dispatched to the kernel of the storage type. */
function rowSumSqDev(x: DataArray, p: number, n: number, s: number, c: number): number {
  return x instanceof Float64Array ? rowSumSqDev64(x, p, n, s, c) : rowSumSqDev32(x, p, n, s, c);
}

/** out[slot] += Σ x over each slot's elements. `out` must be zero-filled (or hold a start value). */
export function sumKernel(x: Tensor, g: ReduceGeometry, out: Float64Array): void {
  const xd = x.data;
  forEachRow(x.shape, [x.strides, g.outStrides], [x.offset, 0], (o, n, s) => {
    const xs = s[0]!;
    const os = s[1]!;
    const p = o[0]!;
    const q = o[1]!;
    if (os === 0) {
      out[q] = out[q]! + rowSum(xd, p, n, xs);
    } else {
      for (let j = 0; j < n; j++) out[q + j * os] = out[q + j * os]! + xd[p + j * xs]!;
    }
  });
}

/** out[slot] += Σ (x − centre[slot])² over each slot's elements. */
export function sumSqDevKernel(x: Tensor, g: ReduceGeometry, centre: Float64Array, out: Float64Array): void {
  const xd = x.data;
  forEachRow(x.shape, [x.strides, g.outStrides], [x.offset, 0], (o, n, s) => {
    const xs = s[0]!;
    const os = s[1]!;
    const p = o[0]!;
    const q = o[1]!;
    if (os === 0) {
      out[q] = out[q]! + rowSumSqDev(xd, p, n, xs, centre[q]!);
    } else {
      for (let j = 0; j < n; j++) {
        const d = xd[p + j * xs]! - centre[q + j * os]!;
        out[q + j * os] = out[q + j * os]! + d * d;
      }
    }
  });
}

/** out[slot] += Σ exp(x − shift[slot]) over each slot's elements. */
export function sumExpKernel(x: Tensor, g: ReduceGeometry, shift: Float64Array, out: Float64Array): void {
  const xd = x.data;
  forEachRow(x.shape, [x.strides, g.outStrides], [x.offset, 0], (o, n, s) => {
    const xs = s[0]!;
    const os = s[1]!;
    const p = o[0]!;
    const q = o[1]!;
    if (os === 0) {
      const c = shift[q]!;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Math.exp(xd[p + j * xs]! - c);
      out[q] = out[q]! + acc;
    } else {
      for (let j = 0; j < n; j++) out[q + j * os] = out[q + j * os]! + Math.exp(xd[p + j * xs]! - shift[q + j * os]!);
    }
  });
}

/**
 * out[slot] = max (or min) of each slot's elements; NaN wins (propagates) as in NumPy.
 * `out` must be pre-filled with −Infinity (max) or +Infinity (min).
 */
export function extremumKernel(x: Tensor, g: ReduceGeometry, out: Float64Array, isMax: boolean): void {
  const xd = x.data;
  forEachRow(x.shape, [x.strides, g.outStrides], [x.offset, 0], (o, n, s) => {
    const xs = s[0]!;
    const os = s[1]!;
    const p = o[0]!;
    const q = o[1]!;
    if (os === 0) {
      let m = out[q]!;
      if (m !== m) return;
      for (let j = 0; j < n; j++) {
        const v = xd[p + j * xs]!;
        if (isMax ? !(v <= m) : !(v >= m)) {
          m = v;
          if (v !== v) break;
        }
      }
      out[q] = m;
    } else {
      for (let j = 0; j < n; j++) {
        const v = xd[p + j * xs]!;
        const m = out[q + j * os]!;
        if (m === m && (isMax ? !(v <= m) : !(v >= m))) out[q + j * os] = v;
      }
    }
  });
}
