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
import { forEachRow } from "../kernels/rows";
import { kernels, pooledRowMoments } from "../kernels/index";

function rowSum(x: DataArray, p: number, n: number, s: number): number {
  return kernels.rowSum(n, x, s, p);
}

function rowSumSqDev(x: DataArray, p: number, n: number, s: number, c: number): number {
  return kernels.rowSumSquaredDeviations(n, x, s, p, c);
}


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

/**
 * Mean and centred sum of squares `M2 = Σ (x − mean)²` of every slot in ONE pass over x, when the
 * innermost (coalesced) axis is reduced and its rows are at least `POOLED_MIN_ROW` (16) long: see
 * `pooledRowMoments` of `@hw/tensor/kernels` (each row's two passes while it is in cache, runs of
 * contiguous rows one kernel call each, the rows of a slot pooled exactly).
 * Returns false (and writes nothing) when the layout does not fit; the caller then takes two passes.
 */
export function momentsKernel(x: Tensor, g: ReduceGeometry, mean: Float64Array, m2: Float64Array): boolean {
  return pooledRowMoments(x.shape, x.strides, g.outStrides, x.offset, x.data, mean, m2);
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
      const m = out[q]!;
      if (m !== m) return;
      const r = isMax ? kernels.rowMax(n, xd, xs, p) : kernels.rowMin(n, xd, xs, p);
      if (r !== r || (isMax ? r > m : r < m)) out[q] = r;
    } else {
      for (let j = 0; j < n; j++) {
        const v = xd[p + j * xs]!;
        const m = out[q + j * os]!;
        if (m === m && (isMax ? !(v <= m) : !(v >= m))) out[q + j * os] = v;
      }
    }
  });
}
