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
  // Four columns j at a time share each load of delta[i] and keep four independent max chains.
  // Strict ">" keeps the smallest maximising i.
  const n4 = n - (n % 4);
  let j = 0;
  for (; j < n4; j += 4) {
    const b0 = j * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    let m0 = -Infinity;
    let m1 = -Infinity;
    let m2 = -Infinity;
    let m3 = -Infinity;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < n; i++) {
      const d = delta[i]!;
      const v0 = d + logPT[b0 + i]!;
      const v1 = d + logPT[b1 + i]!;
      const v2 = d + logPT[b2 + i]!;
      const v3 = d + logPT[b3 + i]!;
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
    next[j] = m0;
    next[j + 1] = m1;
    next[j + 2] = m2;
    next[j + 3] = m3;
    back[backOffset + j] = a0;
    back[backOffset + j + 1] = a1;
    back[backOffset + j + 2] = a2;
    back[backOffset + j + 3] = a3;
  }
  for (; j < n; j++) {
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
