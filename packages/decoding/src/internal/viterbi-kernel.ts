/**
 * One Viterbi step over a dense N×N log-transition matrix stored TRANSPOSED (row j holds column j of
 * log P, so the max over i reads contiguous memory):
 * next[j] = max_i (delta[i] + logPT[j·N + i]), back[j] = the smallest maximising i.
 * No validation, no allocation.
 */
export function viterbiStepDense(
  n: number,
  delta: Float64Array,
  logPT: Float64Array,
  next: Float64Array,
  back: Int32Array,
  backOffset: number,
): void {
  for (let j = 0; j < n; j++) {
    const base = j * n;
    let best = -Infinity;
    let arg = 0;
    for (let i = 0; i < n; i++) {
      const v = delta[i]! + logPT[base + i]!;
      if (v > best) {
        best = v;
        arg = i;
      }
    }
    next[j] = best;
    back[backOffset + j] = arg;
  }
}

/** Transpose an n×n row-major matrix into `out`. */
export function transposeSquare(n: number, a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[j * n + i] = a[row + j]!;
  }
}
