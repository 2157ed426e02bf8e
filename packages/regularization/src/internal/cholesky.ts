/**
 * Tight float64 kernels for the normal equations: the Gram matrix XᵀX (exploiting symmetry, register
 * blocked), Xᵀy, a Cholesky factorization with its failing pivot, the two triangular solves, and
 * Hager's 1-norm condition estimate. No validation and no allocation beyond what the caller sees.
 *
 * These exist here (rather than calling `@hw/tensor`'s `cholesky`/`solve`) because `ridgeSolution`
 * is benchmarked and the symmetric Gram product plus a Cholesky solve is about half the work of a
 * general matmul plus LU.
 */

const KC = 256;

/**
 * `out` (d×d, row-major) ← XᵀX for a row-major n×d `x`. `xt` is a scratch of n·d entries.
 */
export function gram(x: Float64Array, n: number, d: number, out: Float64Array, xt: Float64Array = new Float64Array(n * d)): void {
  // Xᵀ: row j of xt is column j of x, contiguous over the samples.
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) xt[j * n + i] = x[row + j]!;
  }
  out.fill(0);
  const d4 = d - (d % 4);
  for (let k0 = 0; k0 < n; k0 += KC) {
    const k1 = Math.min(n, k0 + KC);
    for (let i = 0; i < d4; i += 4) {
      const a0 = i * n;
      const a1 = a0 + n;
      const a2 = a1 + n;
      const a3 = a2 + n;
      for (let j = i; j < d4; j += 4) {
        const b0 = j * n;
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let k = k0; k < k1; k++) {
          const u0 = xt[a0 + k]!;
          const u1 = xt[a1 + k]!;
          const u2 = xt[a2 + k]!;
          const u3 = xt[a3 + k]!;
          const v0 = xt[b0 + k]!;
          const v1 = xt[b1 + k]!;
          const v2 = xt[b2 + k]!;
          const v3 = xt[b3 + k]!;
          s00 += u0 * v0; s01 += u0 * v1; s02 += u0 * v2; s03 += u0 * v3;
          s10 += u1 * v0; s11 += u1 * v1; s12 += u1 * v2; s13 += u1 * v3;
          s20 += u2 * v0; s21 += u2 * v1; s22 += u2 * v2; s23 += u2 * v3;
          s30 += u3 * v0; s31 += u3 * v1; s32 += u3 * v2; s33 += u3 * v3;
        }
        let o = i * d + j;
        out[o] = out[o]! + s00; out[o + 1] = out[o + 1]! + s01; out[o + 2] = out[o + 2]! + s02; out[o + 3] = out[o + 3]! + s03;
        o += d;
        out[o] = out[o]! + s10; out[o + 1] = out[o + 1]! + s11; out[o + 2] = out[o + 2]! + s12; out[o + 3] = out[o + 3]! + s13;
        o += d;
        out[o] = out[o]! + s20; out[o + 1] = out[o + 1]! + s21; out[o + 2] = out[o + 2]! + s22; out[o + 3] = out[o + 3]! + s23;
        o += d;
        out[o] = out[o]! + s30; out[o + 1] = out[o + 1]! + s31; out[o + 2] = out[o + 2]! + s32; out[o + 3] = out[o + 3]! + s33;
      }
    }
  }
  // The remaining rows/columns (d mod 4 of them) against everything, one dot product each.
  for (let i = 0; i < d; i++) {
    for (let j = Math.max(i, d4); j < d; j++) {
      const a = i * n;
      const b = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += xt[a + k]! * xt[b + k]!;
      out[i * d + j] = s;
    }
  }
  // Mirror the upper triangle.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) out[j * d + i] = out[i * d + j]!;
  }
}

/** `out` (d) ← Xᵀy. */
export function xty(x: Float64Array, y: Float64Array, n: number, d: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    const row = i * d;
    for (let j = 0; j < d; j++) out[j] = out[j]! + x[row + j]! * yi;
  }
}

/**
 * In-place Cholesky A = LLᵀ of a symmetric d×d row-major `a` (lower triangle read and overwritten
 * by L; the strict upper triangle is zeroed). Returns −1 on success, else the index of the first
 * pivot that is not finite or not above `rel`·A_jj (its own diagonal entry: a test that does not
 * depend on the units of each feature, as Cholesky is invariant under diagonal scaling), with `a`
 * left partly factored.
 */
export function choleskyInPlace(a: Float64Array, d: number, rel: number): number {
  for (let j = 0; j < d; j++) {
    const rj = j * d;
    const ajj = a[rj + j]!;
    let s = ajj;
    for (let k = 0; k < j; k++) {
      const l = a[rj + k]!;
      s -= l * l;
    }
    if (!(s > rel * ajj) || !(s > 0) || !Number.isFinite(s)) return j;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < d; i++) {
      const ri = i * d;
      let t = a[ri + j]!;
      for (let k = 0; k < j; k++) t -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = t * inv;
    }
    for (let k = j + 1; k < d; k++) a[rj + k] = 0;
  }
  return -1;
}

/** Solve (LLᵀ) x = b in place in `b`, with L the lower factor from {@link choleskyInPlace}. */
export function choleskySolveInPlace(l: Float64Array, d: number, b: Float64Array): void {
  // L z = b (forward; row i of L is contiguous).
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  // Lᵀ x = z (backward, column-oriented so that L is read by rows).
  for (let i = d - 1; i >= 0; i--) {
    const ri = i * d;
    const xi = b[i]! / l[ri + i]!;
    b[i] = xi;
    for (let k = 0; k < i; k++) b[k] = b[k]! - l[ri + k]! * xi;
  }
}

/** ‖A‖₁ of a symmetric d×d row-major matrix (max absolute column sum). */
export function norm1(a: Float64Array, d: number): number {
  let best = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += Math.abs(a[i * d + j]!);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Hager's estimate (as in LAPACK's xPOCON, with Higham's safeguard) of ‖A⁻¹‖₁ for a symmetric
 * positive definite A given its Cholesky factor: a lower bound that is almost always within a factor
 * 3 of the truth, at the cost of a few solves.
 */
export function inverseNorm1Estimate(l: Float64Array, d: number): number {
  const x = new Float64Array(d).fill(1 / d);
  const z = new Float64Array(d);
  let estimate = 0;
  let last = -1;
  for (let iter = 0; iter < 5; iter++) {
    choleskySolveInPlace(l, d, x); // x ← A⁻¹x
    let n1 = 0;
    for (let i = 0; i < d; i++) n1 += Math.abs(x[i]!);
    if (iter > 0 && n1 <= estimate) break;
    estimate = n1;
    for (let i = 0; i < d; i++) z[i] = x[i]! >= 0 ? 1 : -1;
    choleskySolveInPlace(l, d, z); // z ← A⁻ᵀ sign(x) (A is symmetric)
    let j = 0;
    let zx = 0;
    for (let i = 0; i < d; i++) {
      if (Math.abs(z[i]!) > Math.abs(z[j]!)) j = i;
      zx += z[i]! * x[i]!;
    }
    if (Math.abs(z[j]!) <= zx || j === last) break;
    last = j;
    x.fill(0);
    x[j] = 1;
  }
  // Higham's alternative vector guards against the rare badly wrong estimate.
  const alt = new Float64Array(d);
  for (let i = 0; i < d; i++) alt[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / Math.max(1, d - 1));
  choleskySolveInPlace(l, d, alt);
  let altNorm = 0;
  for (let i = 0; i < d; i++) altNorm += Math.abs(alt[i]!);
  return Math.max(estimate, (2 * altNorm) / (3 * d));
}
