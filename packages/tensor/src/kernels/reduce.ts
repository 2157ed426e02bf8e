/**
 * Row reductions of `@hw/tensor/kernels`, stdlib style: `kernel(n, x, strideX, offsetX, …)` folds
 * the `n` elements `x[offsetX + i·strideX]` into a float64 scalar. No validation, no allocation.
 * A unit-stride row is folded with eight independent accumulators (instruction-level parallelism);
 * float32 storage has its own copy of each loop so V8 keeps every loop monomorphic.
 */
import type { DataArray } from "../tensor";

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

/**
 * $\sum_{i<n} x_i$ of a strided row (eight-way unrolled when `strideX = 1`).
 *
 * @param n - number of elements
 * @param x - storage (float64 or float32)
 * @param strideX - step between elements
 * @param offsetX - index of the first element
 */
export function rowSum(n: number, x: DataArray, strideX: number, offsetX: number): number {
  return x instanceof Float64Array ? rowSum64(x, offsetX, n, strideX) : rowSum32(x, offsetX, n, strideX);
}

/** $\frac1n\sum_{i<n} x_i$ of a strided row (NaN for n = 0). */
export function rowMean(n: number, x: DataArray, strideX: number, offsetX: number): number {
  return rowSum(n, x, strideX, offsetX) / n;
}

/**
 * The centred sum of squares $\sum_{i<n} (x_i - c)^2$ of a strided row: the second pass of the
 * two-pass variance (pass $c = \bar x$; never $E[x^2] - E[x]^2$).
 */
export function rowSumSquaredDeviations(n: number, x: DataArray, strideX: number, offsetX: number, centre: number): number {
  return x instanceof Float64Array
    ? rowSumSqDev64(x, offsetX, n, strideX, centre)
    : rowSumSqDev32(x, offsetX, n, strideX, centre);
}

/**
 * Two-pass moments of a strided row: writes the mean to `out[outOffset]` and the centred sum of
 * squares $M_2 = \sum (x_i - \bar x)^2$ to `out[outOffset + 1]` (variance = $M_2/(n - c)$).
 */
export function rowMoments(n: number, x: DataArray, strideX: number, offsetX: number, out: Float64Array, outOffset: number): void {
  const m = rowMean(n, x, strideX, offsetX);
  out[outOffset] = m;
  out[outOffset + 1] = rowSumSquaredDeviations(n, x, strideX, offsetX, m);
}

/**
 * Shifted moments of a strided row, for exact pooling of many rows (one pass over memory for the
 * moments of a [N, C, L] batch): writes `c = Σx/n` (the row mean as computed) to `out[outOffset]`,
 * the residual sum `Σ (x − c)` (≈ 0; it carries the digits of the mean that `c` cannot hold) to
 * `out[outOffset + 1]` and `Σ (x − c)²` to `out[outOffset + 2]`. The row's exact mean is
 * `c + s/n` and its centred sum of squares `Σ(x − c)² − s²/n` (the corrected two-pass algorithm
 * of Chan, Golub and LeVeque). Sums in the eight-lane order of {@link rowSum}.
 */
export function rowShiftedMoments(n: number, x: DataArray, strideX: number, offsetX: number, out: Float64Array, outOffset: number): void {
  const c = rowSum(n, x, strideX, offsetX) / n;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0;
  let j = 0;
  const p = offsetX;
  if (strideX === 1) {
    for (; j + 7 < n; j += 8) {
      const d0 = x[p + j]! - c;
      const d1 = x[p + j + 1]! - c;
      const d2 = x[p + j + 2]! - c;
      const d3 = x[p + j + 3]! - c;
      const d4 = x[p + j + 4]! - c;
      const d5 = x[p + j + 5]! - c;
      const d6 = x[p + j + 6]! - c;
      const d7 = x[p + j + 7]! - c;
      b0 += d0;
      b1 += d1;
      b2 += d2;
      b3 += d3;
      b4 += d4;
      b5 += d5;
      b6 += d6;
      b7 += d7;
      a0 += d0 * d0;
      a1 += d1 * d1;
      a2 += d2 * d2;
      a3 += d3 * d3;
      a4 += d4 * d4;
      a5 += d5 * d5;
      a6 += d6 * d6;
      a7 += d7 * d7;
    }
  }
  for (; j < n; j++) {
    const d = x[p + j * strideX]! - c;
    b0 += d;
    a0 += d * d;
  }
  out[outOffset] = c;
  out[outOffset + 1] = b0 + b1 + (b2 + b3) + (b4 + b5 + (b6 + b7));
  out[outOffset + 2] = a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
}

/**
 * {@link rowShiftedMoments} over `rows` consecutive contiguous rows of length `n` (row i at
 * `x[offsetX + i·n …]`): the three values of row i go to `out[outOffset + 3i …]`. Equal, bitwise,
 * to one call per row; the WASM version takes a block of rows per call.
 */
export function rowShiftedMomentsRows(rows: number, n: number, x: DataArray, offsetX: number, out: Float64Array, outOffset: number): void {
  for (let i = 0; i < rows; i++) rowShiftedMoments(n, x, 1, offsetX + i * n, out, outOffset + 3 * i);
}

/**
 * Pool the {@link rowShiftedMoments} of `rows` rows of length `n` into per-slot statistics
 * (row r belongs to slot `slots[r]`; its three values at `stats[3r…3r+2]`): writes each slot's
 * mean to `mean[q]` and its centred sum of squares to `m2[q]` (both zero-filled first), exactly as a
 * pooled variance — every term centred, the residual sums keeping the digits of each row's mean:
 * mean = (Σ_r c_r)/R + (Σ_r s_r)/(nR), M2 = Σ_r (q_r − s_r²/n) + n·Σ_r ((c_r − mean) + s_r/n)².
 */
export function poolShiftedMoments(rows: number, n: number, stats: Float64Array, slots: Int32Array, mean: Float64Array, m2: Float64Array): void {
  const count = new Float64Array(mean.length);
  const residual = new Float64Array(mean.length);
  mean.fill(0);
  m2.fill(0);
  for (let r = 0; r < rows; r++) {
    const q = slots[r]!;
    mean[q] = mean[q]! + stats[3 * r]!;
    residual[q] = residual[q]! + stats[3 * r + 1]!;
    count[q] = count[q]! + 1;
  }
  for (let q = 0; q < mean.length; q++) mean[q] = mean[q]! / count[q]! + residual[q]! / (n * count[q]!);
  for (let r = 0; r < rows; r++) {
    const q = slots[r]!;
    const s = stats[3 * r + 1]!;
    const d = stats[3 * r]! - mean[q]! + s / n;
    m2[q] = m2[q]! + (stats[3 * r + 2]! - (s * s) / n) + n * d * d;
  }
}

/** $\max_i x_i$ of a strided row; NaN propagates (NumPy `max`); −Infinity for n = 0. */
export function rowMax(n: number, x: DataArray, strideX: number, offsetX: number): number {
  let m = -Infinity;
  let p = offsetX;
  for (let i = 0; i < n; i++, p += strideX) {
    const v = x[p]!;
    if (!(v <= m)) {
      m = v;
      if (v !== v) return v;
    }
  }
  return m;
}

/** $\min_i x_i$ of a strided row; NaN propagates (NumPy `min`); +Infinity for n = 0. */
export function rowMin(n: number, x: DataArray, strideX: number, offsetX: number): number {
  let m = Infinity;
  let p = offsetX;
  for (let i = 0; i < n; i++, p += strideX) {
    const v = x[p]!;
    if (!(v >= m)) {
      m = v;
      if (v !== v) return v;
    }
  }
  return m;
}
