/**
 * Small dense kernels over row-major Float64Array blocks, in the strided-kernel style of the rest of
 * hw: no validation, no allocation, every operand given as (array, offset) with its leading dimension
 * equal to its row length. They exist for the speed of `bptt`/`forward`; the public, differentiable
 * matrix product is `@hw/tensor`'s `matmul`.
 */

/**
 * C[m,n] += Σ_k A[m,k]·B[n,k] (A·Bᵀ; A is M×K, B is N×K, C is M×N). Dot-product form, 2×2 blocked.
 */
export function gemmABt(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  B: Float64Array,
  bo: number,
  C: Float64Array,
  co: number,
): void {
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = ao + m * K;
    const a1 = a0 + K;
    const c0 = co + m * N;
    const c1 = c0 + N;
    let n = 0;
    for (; n + 1 < N; n += 2) {
      const b0 = bo + n * K;
      const b1 = b0 + K;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k]!;
        const x1 = A[a1 + k]!;
        const y0 = B[b0 + k]!;
        const y1 = B[b1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      C[c0 + n] = C[c0 + n]! + s00;
      C[c0 + n + 1] = C[c0 + n + 1]! + s01;
      C[c1 + n] = C[c1 + n]! + s10;
      C[c1 + n + 1] = C[c1 + n + 1]! + s11;
    }
    if (n < N) {
      const b0 = bo + n * K;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < K; k++) {
        const y = B[b0 + k]!;
        s0 += A[a0 + k]! * y;
        s1 += A[a1 + k]! * y;
      }
      C[c0 + n] = C[c0 + n]! + s0;
      C[c1 + n] = C[c1 + n]! + s1;
    }
  }
  if (m < M) {
    const a0 = ao + m * K;
    const c0 = co + m * N;
    for (let n = 0; n < N; n++) {
      const b0 = bo + n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k]! * B[b0 + k]!;
      C[c0 + n] = C[c0 + n]! + s;
    }
  }
}

/**
 * C[m,n] += Σ_k A[m,k]·B[k,n] (A·B; A is M×K, B is K×N, C is M×N). Row-axpy form, k unrolled by 4.
 */
export function gemmAB(
  M: number,
  N: number,
  K: number,
  A: Float64Array,
  ao: number,
  B: Float64Array,
  bo: number,
  C: Float64Array,
  co: number,
): void {
  for (let m = 0; m < M; m++) {
    const ar = ao + m * K;
    const cr = co + m * N;
    let k = 0;
    for (; k + 3 < K; k += 4) {
      const x0 = A[ar + k]!;
      const x1 = A[ar + k + 1]!;
      const x2 = A[ar + k + 2]!;
      const x3 = A[ar + k + 3]!;
      const b0 = bo + k * N;
      const b1 = b0 + N;
      const b2 = b1 + N;
      const b3 = b2 + N;
      for (let n = 0; n < N; n++) {
        C[cr + n] = C[cr + n]! + x0 * B[b0 + n]! + x1 * B[b1 + n]! + x2 * B[b2 + n]! + x3 * B[b3 + n]!;
      }
    }
    for (; k < K; k++) {
      const x = A[ar + k]!;
      const b0 = bo + k * N;
      for (let n = 0; n < N; n++) C[cr + n] = C[cr + n]! + x * B[b0 + n]!;
    }
  }
}

/**
 * C[m,n] += Σ_r A[r,m]·B[r,n] (Aᵀ·B; A is R×M, B is R×N, C is M×N). Row-axpy form, r unrolled by 4.
 */
export function gemmAtB(
  M: number,
  N: number,
  R: number,
  A: Float64Array,
  ao: number,
  B: Float64Array,
  bo: number,
  C: Float64Array,
  co: number,
): void {
  let r = 0;
  for (; r + 3 < R; r += 4) {
    const a0 = ao + r * M;
    const a1 = a0 + M;
    const a2 = a1 + M;
    const a3 = a2 + M;
    const b0 = bo + r * N;
    const b1 = b0 + N;
    const b2 = b1 + N;
    const b3 = b2 + N;
    for (let m = 0; m < M; m++) {
      const x0 = A[a0 + m]!;
      const x1 = A[a1 + m]!;
      const x2 = A[a2 + m]!;
      const x3 = A[a3 + m]!;
      const cr = co + m * N;
      for (let n = 0; n < N; n++) {
        C[cr + n] = C[cr + n]! + x0 * B[b0 + n]! + x1 * B[b1 + n]! + x2 * B[b2 + n]! + x3 * B[b3 + n]!;
      }
    }
  }
  for (; r < R; r++) {
    const a0 = ao + r * M;
    const b0 = bo + r * N;
    for (let m = 0; m < M; m++) {
      const x = A[a0 + m]!;
      const cr = co + m * N;
      for (let n = 0; n < N; n++) C[cr + n] = C[cr + n]! + x * B[b0 + n]!;
    }
  }
}

/** Logistic sigmoid by the sign-split formula (no overflow for large |v|). */
export function sigmoidValue(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
