/**
 * Symmetric positive-definite kernels of `@hw/tensor/kernels` on row-major float64 matrices: the
 * Gram product XᵀX, the Cholesky factorisation with a scale-invariant pivot test, the Cholesky
 * solve, the 1-norm and Hager's estimate of ‖A⁻¹‖₁. No validation; no allocation beyond what the
 * caller passes.
 */
import { gemm } from "./gemm";

/** Rows of the Gram product computed per gemm call (one block row of the upper triangle). */
export const GRAM_BLOCK = 64;

/**
 * `out[offsetOut + i·d + j] = Σ_p X[p,i] · X[p,j]` ($X^{\mathsf T} X$, d×d row-major) for the n×d
 * strided `x` (`X[p,i] = x[offsetX + p·strideRow + i·strideCol]`). Only the upper block triangle is
 * multiplied (through the packed {@link gemm}, about n·d² flops instead of 2·n·d²); the lower
 * triangle is then mirrored, so the result is exactly symmetric.
 */
export function gram(
  n: number,
  d: number,
  x: Float64Array,
  strideRow: number,
  strideCol: number,
  offsetX: number,
  out: Float64Array,
  offsetOut: number,
): void {
  for (let i = 0; i < d; i++) out.fill(0, offsetOut + i * d, offsetOut + (i + 1) * d);
  for (let i0 = 0; i0 < d; i0 += GRAM_BLOCK) {
    const ib = Math.min(GRAM_BLOCK, d - i0);
    const col = offsetX + i0 * strideCol;
    gemm(ib, d - i0, n, 1, x, col, strideCol, strideRow, x, col, strideRow, strideCol, out, offsetOut + i0 * d + i0, d);
  }
  mirrorUpper(d, out, offsetOut);
}

/** Copy the strict upper triangle of the d×d row-major `out` (from `offsetOut`) onto the lower one. */
export function mirrorUpper(d: number, out: Float64Array, offsetOut: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) out[offsetOut + j * d + i] = out[offsetOut + i * d + j]!;
  }
}

/**
 * In-place Cholesky $A = L L^{\mathsf T}$ of the symmetric n×n row-major `a` (from `offsetA`): the
 * lower triangle is read and overwritten by $L$, the strict upper triangle is zeroed.
 *
 * The pivot test is scale invariant: pivot $j$ fails when the Schur complement
 * $s_j = a_{jj} - \sum_{p<j} l_{jp}^2$ is not finite or not above `relativeTolerance`·$a_{jj}$ (its own
 * diagonal entry, so the test does not depend on the units of each variable: Cholesky commutes with
 * diagonal scaling). `relativeTolerance = 0` is the plain test $s_j > 0$.
 *
 * @returns −1 on success, else the first failing pivot $j$, with $s_j$ left in `a[j,j]` and the
 *   factorisation stopped there.
 */
export function choleskyFactor(n: number, a: Float64Array, offsetA: number, relativeTolerance: number): number {
  for (let j = 0; j < n; j++) {
    const rj = offsetA + j * n;
    const ajj = a[rj + j]!;
    let s = ajj;
    for (let p = 0; p < j; p++) {
      const l = a[rj + p]!;
      s -= l * l;
    }
    if (!(s > relativeTolerance * ajj) || !(s > 0) || !Number.isFinite(s)) {
      a[rj + j] = s;
      return j;
    }
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = offsetA + i * n;
      let t = a[ri + j]!;
      for (let p = 0; p < j; p++) t -= a[ri + p]! * a[rj + p]!;
      a[ri + j] = t * inv;
    }
    for (let p = j + 1; p < n; p++) a[rj + p] = 0;
  }
  return -1;
}

/**
 * Solve $(L L^{\mathsf T}) X = B$ in place in `b` (n×k row-major from `offsetB`), with `l` the lower
 * factor of {@link choleskyFactor} (n×n row-major from `offsetL`): forward then backward
 * substitution, both reading L by rows.
 */
export function choleskySolve(n: number, k: number, l: Float64Array, offsetL: number, b: Float64Array, offsetB: number): void {
  for (let i = 0; i < n; i++) {
    const ri = offsetL + i * n;
    const bi = offsetB + i * k;
    for (let p = 0; p < i; p++) {
      const v = l[ri + p]!;
      if (v === 0) continue;
      const bp = offsetB + p * k;
      for (let c = 0; c < k; c++) b[bi + c]! -= v * b[bp + c]!;
    }
    const d = 1 / l[ri + i]!;
    for (let c = 0; c < k; c++) b[bi + c]! *= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = offsetL + i * n;
    const bi = offsetB + i * k;
    const d = 1 / l[ri + i]!;
    for (let c = 0; c < k; c++) b[bi + c]! *= d;
    for (let p = 0; p < i; p++) {
      const v = l[ri + p]!;
      if (v === 0) continue;
      const bp = offsetB + p * k;
      for (let c = 0; c < k; c++) b[bp + c]! -= v * b[bi + c]!;
    }
  }
}

/** $\lVert A\rVert_1$ (largest absolute column sum) of the m×n row-major `a` from `offsetA`. */
export function norm1(m: number, n: number, a: Float64Array, offsetA: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += Math.abs(a[offsetA + i * n + j]!);
    if (s > best || s !== s) best = s;
  }
  return best;
}

/**
 * Hager's estimate (LAPACK xPOCON, with Higham's alternative vector as a safeguard) of
 * $\lVert A^{-1}\rVert_1$ for a symmetric positive-definite $A$ given its Cholesky factor `l`: a lower
 * bound almost always within a factor 3 of the truth, for a few solves. `work` holds at least 3n
 * entries (scratch).
 */
export function choleskyInverseNorm1Estimate(n: number, l: Float64Array, offsetL: number, work: Float64Array): number {
  const x = work.subarray(0, n);
  const z = work.subarray(n, 2 * n);
  const alt = work.subarray(2 * n, 3 * n);
  x.fill(1 / n);
  let estimate = 0;
  let last = -1;
  for (let iter = 0; iter < 5; iter++) {
    choleskySolve(n, 1, l, offsetL, x, 0);
    let n1 = 0;
    for (let i = 0; i < n; i++) n1 += Math.abs(x[i]!);
    if (iter > 0 && n1 <= estimate) break;
    estimate = n1;
    for (let i = 0; i < n; i++) z[i] = x[i]! >= 0 ? 1 : -1;
    choleskySolve(n, 1, l, offsetL, z, 0);
    let j = 0;
    let zx = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(z[i]!) > Math.abs(z[j]!)) j = i;
      zx += z[i]! * x[i]!;
    }
    if (Math.abs(z[j]!) <= zx || j === last) break;
    last = j;
    x.fill(0);
    x[j] = 1;
  }
  for (let i = 0; i < n; i++) alt[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / Math.max(1, n - 1));
  choleskySolve(n, 1, l, offsetL, alt, 0);
  let altNorm = 0;
  for (let i = 0; i < n; i++) altNorm += Math.abs(alt[i]!);
  return Math.max(estimate, (2 * altNorm) / (3 * n));
}
