/**
 * Small dense kernels over row-major Float64Array blocks, in the strided-kernel style of the rest of
 * hw: no validation, no allocation, every operand given as (array, offset) with its leading dimension
 * equal to its row length. They exist for the speed of `bptt`/`forward`; the public, differentiable
 * matrix product is `@hw/tensor`'s `matmul`.
 */

/** Depth of a block of the p axis (keeps the streamed rows of A and B in cache). */
const PC = 128;

/**
 * The strided core: `C[co + i·ldc + j] += Σ_p A[ao + i·ai + p·ap] · B[bo + p·bp + j·bj]` for
 * i < M, j < N, p < P. 4×4 tiles of C are kept in 16 local accumulators (8 loads per 16
 * multiply-adds); the p axis is cut into blocks of {@link PC}; ragged edges take a plain loop.
 */
export function gemmStrided(
  M: number,
  N: number,
  P: number,
  A: Float64Array,
  ao: number,
  ai: number,
  ap: number,
  B: Float64Array,
  bo: number,
  bp: number,
  bj: number,
  C: Float64Array,
  co: number,
  ldc: number,
): void {
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let p0 = 0; p0 < P; p0 += PC) {
    const p1 = Math.min(P, p0 + PC);
    for (let i = 0; i < M4; i += 4) {
      const ar = ao + i * ai;
      for (let j = 0; j < N4; j += 4) {
        const bc = bo + j * bj;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pa = ar + p0 * ap;
        let pb = bc + p0 * bp;
        for (let p = p0; p < p1; p++) {
          const a0 = A[pa]!;
          const a1 = A[pa + ai]!;
          const a2 = A[pa + 2 * ai]!;
          const a3 = A[pa + 3 * ai]!;
          const b0 = B[pb]!;
          const b1 = B[pb + bj]!;
          const b2 = B[pb + 2 * bj]!;
          const b3 = B[pb + 3 * bj]!;
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          pa += ap;
          pb += bp;
        }
        let c = co + i * ldc + j;
        C[c] = C[c]! + c00; C[c + 1] = C[c + 1]! + c01; C[c + 2] = C[c + 2]! + c02; C[c + 3] = C[c + 3]! + c03;
        c += ldc;
        C[c] = C[c]! + c10; C[c + 1] = C[c + 1]! + c11; C[c + 2] = C[c + 2]! + c12; C[c + 3] = C[c + 3]! + c13;
        c += ldc;
        C[c] = C[c]! + c20; C[c + 1] = C[c + 1]! + c21; C[c + 2] = C[c + 2]! + c22; C[c + 3] = C[c + 3]! + c23;
        c += ldc;
        C[c] = C[c]! + c30; C[c + 1] = C[c + 1]! + c31; C[c + 2] = C[c + 2]! + c32; C[c + 3] = C[c + 3]! + c33;
      }
    }
    // Ragged edges: the last M % 4 rows (all columns) and the last N % 4 columns (of the full rows).
    const edge = (i0: number, i1: number, j0: number, j1: number): void => {
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          let s = 0;
          let pa = ao + i * ai + p0 * ap;
          let pb = bo + j * bj + p0 * bp;
          for (let p = p0; p < p1; p++) {
            s += A[pa]! * B[pb]!;
            pa += ap;
            pb += bp;
          }
          C[co + i * ldc + j] = C[co + i * ldc + j]! + s;
        }
      }
    };
    if (N4 < N) edge(0, M4, N4, N);
    if (M4 < M) edge(M4, M, 0, N);
  }
}

/** C[m,n] += Σ_k A[m,k]·B[n,k] (A·Bᵀ; A is M×K, B is N×K, C is M×N). */
export function gemmABt(M: number, N: number, K: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  gemmStrided(M, N, K, A, ao, K, 1, B, bo, 1, K, C, co, N);
}

/** C[m,n] += Σ_k A[m,k]·B[k,n] (A·B; A is M×K, B is K×N, C is M×N). */
export function gemmAB(M: number, N: number, K: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  gemmStrided(M, N, K, A, ao, K, 1, B, bo, N, 1, C, co, N);
}

/** C[m,n] += Σ_r A[r,m]·B[r,n] (Aᵀ·B; A is R×M, B is R×N, C is M×N). */
export function gemmAtB(M: number, N: number, R: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  gemmStrided(M, N, R, A, ao, 1, M, B, bo, N, 1, C, co, N);
}

/** Logistic sigmoid by the sign-split formula (no overflow for large |v|). */
export function sigmoidValue(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}
