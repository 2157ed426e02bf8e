/**
 * LU factorisation with partial pivoting and triangular-solve kernels of `@hw/tensor/kernels` on row-major float64
 * matrices. No validation, no allocation beyond what the caller passes; the caller owns `a`.
 */
import { gemm } from "./gemm";

/** Panel width of the blocked factorisation. */
const NB = 32;

/**
 * Factor the n×n row-major matrix `a` (row stride `n`) in place as `P A = L U`, LAPACK `getrf`
 * style: `L` unit lower triangular below the diagonal, `U` on and above it. `pivots[i]` is the row
 * swapped with row i at step i (swaps applied in order i = 0 … n−1).
 *
 * Right-looking blocked algorithm: an unblocked panel of `NB` columns, a triangular solve for the
 * block row of U, then the trailing update `A22 −= L21 · U12` through the packed gemm kernel
 * (which carries about 90% of the flops for n = 500).
 *
 * @returns −1 on success, or the first column whose pivot is exactly zero (the factorisation
 *   stops there).
 */
export function luFactor(n: number, a: Float64Array, pivots: Int32Array): number {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const jb = Math.min(NB, n - j0);
    const jEnd = j0 + jb;
    // Unblocked panel: columns j0 … jEnd−1, rows j0 … n−1 (full-row swaps).
    for (let j = j0; j < jEnd; j++) {
      let p = j;
      let best = Math.abs(a[j * n + j]!);
      for (let i = j + 1; i < n; i++) {
        const v = Math.abs(a[i * n + j]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      pivots[j] = p;
      if (best === 0) return j;
      if (p !== j) swapRows(a, n, j, p);
      const rj = j * n;
      const inv = 1 / a[rj + j]!;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        const l = (a[ri + j]! *= inv);
        if (l !== 0) for (let c = j + 1; c < jEnd; c++) a[ri + c]! -= l * a[rj + c]!;
      }
    }
    if (jEnd >= n) break;
    // U12 = L11⁻¹ A12 (unit lower triangular, forward substitution on the block row).
    for (let i = j0 + 1; i < jEnd; i++) {
      const ri = i * n;
      for (let p = j0; p < i; p++) {
        const l = a[ri + p]!;
        if (l === 0) continue;
        const rp = p * n;
        for (let c = jEnd; c < n; c++) a[ri + c]! -= l * a[rp + c]!;
      }
    }
    // A22 −= L21 · U12.
    const rest = n - jEnd;
    gemm(rest, rest, jb, -1, a, jEnd * n + j0, n, 1, a, j0 * n + jEnd, n, 1, a, jEnd * n + jEnd, n);
  }
  return -1;
}

function swapRows(a: Float64Array, n: number, r1: number, r2: number): void {
  const o1 = r1 * n;
  const o2 = r2 * n;
  for (let c = 0; c < n; c++) {
    const t = a[o1 + c]!;
    a[o1 + c] = a[o2 + c]!;
    a[o2 + c] = t;
  }
}

/**
 * Solve `A X = B` in place in `x` (n×k row-major, row stride k) given the factors of
 * {@link luFactor}: apply the row swaps, then `L` forward and `U` backward substitution.
 */
export function luSolve(n: number, lu: Float64Array, pivots: Int32Array, x: Float64Array, k: number): void {
  for (let i = 0; i < n; i++) {
    const p = pivots[i]!;
    if (p !== i) {
      for (let c = 0; c < k; c++) {
        const t = x[i * k + c]!;
        x[i * k + c] = x[p * k + c]!;
        x[p * k + c] = t;
      }
    }
  }
  trsmLower(n, k, lu, n, x, k, true);
  trsmUpper(n, k, lu, n, x, k, false);
}

/**
 * Forward substitution `X ← L⁻¹ X` for the lower triangle of `l` (row stride `ldl`, column
 * stride 1) and an n×k row-major `x` (row stride `ldx`). Row-oriented: contiguous axpy updates.
 */
export function trsmLower(
  n: number,
  k: number,
  l: Float64Array,
  ldl: number,
  x: Float64Array,
  ldx: number,
  unitDiagonal: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const ri = i * ldx;
    const li = i * ldl;
    for (let p = 0; p < i; p++) {
      const v = l[li + p]!;
      if (v === 0) continue;
      const rp = p * ldx;
      for (let c = 0; c < k; c++) x[ri + c]! -= v * x[rp + c]!;
    }
    if (!unitDiagonal) {
      const d = 1 / l[li + i]!;
      for (let c = 0; c < k; c++) x[ri + c]! *= d;
    }
  }
}

/** Backward substitution `X ← U⁻¹ X` for the upper triangle of `u` (see {@link trsmLower}). */
export function trsmUpper(
  n: number,
  k: number,
  u: Float64Array,
  ldu: number,
  x: Float64Array,
  ldx: number,
  unitDiagonal: boolean,
): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * ldx;
    const ui = i * ldu;
    for (let p = i + 1; p < n; p++) {
      const v = u[ui + p]!;
      if (v === 0) continue;
      const rp = p * ldx;
      for (let c = 0; c < k; c++) x[ri + c]! -= v * x[rp + c]!;
    }
    if (!unitDiagonal) {
      const d = 1 / u[ui + i]!;
      for (let c = 0; c < k; c++) x[ri + c]! *= d;
    }
  }
}
