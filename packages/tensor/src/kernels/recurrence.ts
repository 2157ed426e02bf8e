/**
 * Recurrence kernels of `@hw/tensor/kernels`: the sigmoid recurrence of an Elman RNN chain and the
 * max-plus (Viterbi) recursion. Each runs a whole chain of steps in one call, so that an
 * implementation that copies its operands (WASM SIMD) copies the shared matrix (U, log A) once per
 * chain instead of once per step.
 */
import { gemm } from "./gemm";
import { sigmoid } from "./sigmoid";

/**
 * The sigmoid recurrence $h_s = \sigma(p_s + h_{s-1} U^{\mathsf T})$ over `steps` blocks of
 * `batch` × `hidden` (row-major, row stride `hidden`), in place: block s starts at
 * `offsetH + s·stepStride` of `h` and holds the pre-activation $p_s$ (e.g. $W x_s + b$) on entry
 * and $h_s$ on return; $h_{-1}$ is the `batch` × `hidden` block at `offsetH0` of `h0`. `U` is
 * `hidden` × `hidden` row-major at `offsetU`. `stepStride` may be negative (a chain that runs
 * backwards in time). The product is summed over k from 0 up, then added to $p_s$ (the order of
 * {@link gemm}), and σ is the stable {@link sigmoid}.
 */
export function sigmoidRecurrence(
  steps: number,
  batch: number,
  hidden: number,
  U: Float64Array,
  offsetU: number,
  h0: Float64Array,
  offsetH0: number,
  h: Float64Array,
  offsetH: number,
  stepStride: number,
): void {
  const n = batch * hidden;
  for (let s = 0; s < steps; s++) {
    const o = offsetH + s * stepStride;
    if (s === 0) gemm(batch, hidden, hidden, 1, h0, offsetH0, hidden, 1, U, offsetU, 1, hidden, h, o, hidden);
    else gemm(batch, hidden, hidden, 1, h, o - stepStride, hidden, 1, U, offsetU, 1, hidden, h, o, hidden);
    for (let i = o; i < o + n; i++) h[i] = sigmoid(h[i]!);
  }
}

/**
 * The backward pass of {@link sigmoidRecurrence} through the same chain (BPTT), in place on `dh`:
 * for s = 0 … steps − 1, $dh_s \mathrel{+}= \delta_{s-1} U$ (for s > 0) and then
 * $\delta_s = dh_s \odot (h_s \odot (1 - h_s))$ (σ′ written through the output), where block s of
 * `h`, `dh` and `delta` (batch × hidden, row-major) starts at its offset + s·stepStride; s runs in
 * the order the gradient flows (from the last state of the forward chain back to its first: pass
 * the last block's offsets and a negative stride for a chain that ran forwards in time). `dh` holds
 * the local gradients on entry and the totals on return; `delta` receives the gradients of the
 * pre-activations. The product is summed as {@link gemm} sums it, then added to $dh_s$.
 */
export function sigmoidRecurrenceBackward(
  steps: number,
  batch: number,
  hidden: number,
  U: Float64Array,
  offsetU: number,
  h: Float64Array,
  offsetH: number,
  dh: Float64Array,
  offsetDh: number,
  delta: Float64Array,
  offsetDelta: number,
  stepStride: number,
): void {
  const n = batch * hidden;
  for (let s = 0; s < steps; s++) {
    const oh = offsetH + s * stepStride;
    const og = offsetDh + s * stepStride;
    const od = offsetDelta + s * stepStride;
    if (s > 0) gemm(batch, hidden, hidden, 1, delta, od - stepStride, hidden, 1, U, offsetU, hidden, 1, dh, og, hidden);
    for (let i = 0; i < n; i++) {
      const v = h[oh + i]!;
      delta[od + i] = dh[og + i]! * (v * (1 - v));
    }
  }
}

/** An integer array for argmax indices (wide enough for n − 1). */
export type IndexArray = Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * One max-plus step: `out[j] = max_i (delta[i] + A(i, j))` and `argmax[j]` = the smallest maximising
 * i, for j < n, where $A(i, j)$ = `logA[offsetA + i·strideI + j·strideJ]` (n × n). Comparisons are
 * strict `>` from −∞ in increasing i: NaN candidates never win, and a column with no candidate above
 * −∞ gets out −∞ and argmax 0. `out` must not overlap `delta`.
 */
export function maxPlusStep(
  n: number,
  delta: Float64Array,
  offsetDelta: number,
  logA: Float64Array,
  offsetA: number,
  strideI: number,
  strideJ: number,
  out: Float64Array,
  offsetOut: number,
  argmax: IndexArray,
  offsetArgmax: number,
): void {
  if (strideI === 1) {
    // Column j of A is contiguous: four columns at a time share each load of delta[i] and keep four
    // independent max chains.
    const n4 = n - (n % 4);
    let j = 0;
    for (; j < n4; j += 4) {
      const b0 = offsetA + j * strideJ;
      const b1 = b0 + strideJ;
      const b2 = b1 + strideJ;
      const b3 = b2 + strideJ;
      let m0 = -Infinity, m1 = -Infinity, m2 = -Infinity, m3 = -Infinity;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < n; i++) {
        const d = delta[offsetDelta + i]!;
        const v0 = d + logA[b0 + i]!;
        const v1 = d + logA[b1 + i]!;
        const v2 = d + logA[b2 + i]!;
        const v3 = d + logA[b3 + i]!;
        if (v0 > m0) {
          m0 = v0;
          a0 = i;
        }
        if (v1 > m1) {
          m1 = v1;
          a1 = i;
        }
        if (v2 > m2) {
          m2 = v2;
          a2 = i;
        }
        if (v3 > m3) {
          m3 = v3;
          a3 = i;
        }
      }
      out[offsetOut + j] = m0;
      out[offsetOut + j + 1] = m1;
      out[offsetOut + j + 2] = m2;
      out[offsetOut + j + 3] = m3;
      argmax[offsetArgmax + j] = a0;
      argmax[offsetArgmax + j + 1] = a1;
      argmax[offsetArgmax + j + 2] = a2;
      argmax[offsetArgmax + j + 3] = a3;
    }
    for (; j < n; j++) {
      const base = offsetA + j * strideJ;
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < n; i++) {
        const v = delta[offsetDelta + i]! + logA[base + i]!;
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      out[offsetOut + j] = best;
      argmax[offsetArgmax + j] = arg;
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const base = offsetA + j * strideJ;
    let best = -Infinity;
    let arg = 0;
    for (let i = 0; i < n; i++) {
      const v = delta[offsetDelta + i]! + logA[base + i * strideI]!;
      if (v > best) {
        best = v;
        arg = i;
      }
    }
    out[offsetOut + j] = best;
    argmax[offsetArgmax + j] = arg;
  }
}

/**
 * The Viterbi recursion over `steps` steps with one n × n log-transition matrix (strides as in
 * {@link maxPlusStep}): for s = 0 … steps − 1,
 * $\delta \leftarrow \max_i(\delta_i + A(i, \cdot)) + e_s$ with the argmax of step s in row s of
 * `argmax` (n entries from `offsetArgmax + s·n`). `delta` (n values at `offsetDelta`) holds
 * $\delta_0$ on entry and the last δ on return. `emissions` (or null: none) adds row s
 * (`offsetE + s·n`, n values) after the max, as in $\delta_t(j) = \max_i(\cdot) + \log B_{j x_t}$.
 * `trellis` (or null) receives every δ after step s in row s (`offsetTrellis + s·n`). `scratch`:
 * n doubles. Ties and NaN as in {@link maxPlusStep}: the results are exactly those of the loop of
 * steps.
 */
export function maxPlusRecurrence(
  n: number,
  steps: number,
  logA: Float64Array,
  offsetA: number,
  strideI: number,
  strideJ: number,
  delta: Float64Array,
  offsetDelta: number,
  emissions: Float64Array | null,
  offsetE: number,
  argmax: IndexArray,
  offsetArgmax: number,
  trellis: Float64Array | null,
  offsetTrellis: number,
  scratch: Float64Array,
): void {
  for (let s = 0; s < steps; s++) {
    maxPlusStep(n, delta, offsetDelta, logA, offsetA, strideI, strideJ, scratch, 0, argmax, offsetArgmax + s * n);
    if (emissions === null) for (let j = 0; j < n; j++) delta[offsetDelta + j] = scratch[j]!;
    else {
      const e = offsetE + s * n;
      for (let j = 0; j < n; j++) delta[offsetDelta + j] = scratch[j]! + emissions[e + j]!;
    }
    if (trellis !== null) trellis.set(delta.subarray(offsetDelta, offsetDelta + n), offsetTrellis + s * n);
  }
}
