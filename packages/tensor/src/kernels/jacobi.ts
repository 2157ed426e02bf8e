/**
 * Jacobi kernels of `@hw/tensor/kernels` for the symmetric eigenproblem and the SVD, on row-major
 * float64 arrays. Jacobi methods are slower than tridiagonal QR / Golub–Kahan by a small factor but
 * compute small eigenvalues and singular values to high relative accuracy (Demmel & Veselić 1992),
 * and their rotations keep the vectors orthogonal to working precision. No validation, no
 * allocation.
 */

const EPS = Number.EPSILON;

/**
 * Cyclic two-sided Jacobi for the symmetric n×n row-major `a` (from `offsetA`; both triangles are
 * read and the matrix is destroyed): on return `w[offsetW + i]` holds the eigenvalues (unsorted) and
 * the columns of the n×n row-major `v` (from `offsetV`) the orthonormal eigenvectors,
 * $A = V \operatorname{diag}(w) V^{\mathsf T}$.
 *
 * A pair (p, q) is rotated while $|a_{pq}| > \varepsilon \max(\sqrt{|a_{pp} a_{qq}|},\ \varepsilon\lVert A\rVert_F)$;
 * the sweeps stop when none is.
 *
 * @returns the number of sweeps, or −1 when `maxSweeps` sweeps did not converge
 */
export function symmetricEigenJacobi(
  n: number,
  a: Float64Array,
  offsetA: number,
  w: Float64Array,
  offsetW: number,
  v: Float64Array,
  offsetV: number,
  maxSweeps = 100,
): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) v[offsetV + i * n + j] = i === j ? 1 : 0;
  }
  let normF = 0;
  for (let i = 0; i < n * n; i++) normF += a[offsetA + i]! ** 2;
  normF = Math.sqrt(normF);
  const floor = EPS * normF;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const rp = offsetA + p * n;
        const rq = offsetA + q * n;
        const apq = a[rp + q]!;
        const app = a[rp + p]!;
        const aqq = a[rq + q]!;
        if (!(Math.abs(apq) > EPS * Math.max(Math.sqrt(Math.abs(app * aqq)), floor))) continue;
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(1, theta));
        const c = 1 / Math.hypot(1, t);
        const s = t * c;
        // A ← Jᵀ A J on rows and columns p, q.
        for (let k = 0; k < n; k++) {
          const akp = a[rp + k]!;
          const akq = a[rq + k]!;
          a[rp + k] = c * akp - s * akq;
          a[rq + k] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const rk = offsetA + k * n;
          const akp = a[rk + p]!;
          const akq = a[rk + q]!;
          a[rk + p] = c * akp - s * akq;
          a[rk + q] = s * akp + c * akq;
        }
        a[rp + q] = 0;
        a[rq + p] = 0;
        for (let k = 0; k < n; k++) {
          const rk = offsetV + k * n;
          const vkp = v[rk + p]!;
          const vkq = v[rk + q]!;
          v[rk + p] = c * vkp - s * vkq;
          v[rk + q] = s * vkp + c * vkq;
        }
      }
    }
    if (!rotated) {
      for (let i = 0; i < n; i++) w[offsetW + i] = a[offsetA + i * n + i]!;
      return sweep;
    }
  }
  for (let i = 0; i < n; i++) w[offsetW + i] = a[offsetA + i * n + i]!;
  return -1;
}

/**
 * One-sided (Hestenes) Jacobi SVD. `at` is the n×m row-major transpose of an m×n matrix $A$
 * (m ≥ n: row k of `at` is column k of A), from `offsetAt`. Plane rotations on the right
 * orthogonalize the columns of A; on return row k of `at` is $\sigma_k u_k^{\mathsf T}$ (so
 * $\sigma_k$ is its norm) and row k of the n×n row-major `vt` (from `offsetVt`) is $v_k^{\mathsf T}$:
 * $A = \sum_k \sigma_k u_k v_k^{\mathsf T}$, unsorted.
 *
 * A pair (i, j) is rotated while $|a_i^{\mathsf T} a_j| > \varepsilon\,\lVert a_i\rVert \lVert a_j\rVert$ (and both are non-zero).
 *
 * @returns the number of sweeps, or −1 when `maxSweeps` sweeps did not converge
 */
export function svdJacobi(
  m: number,
  n: number,
  at: Float64Array,
  offsetAt: number,
  vt: Float64Array,
  offsetVt: number,
  maxSweeps = 100,
): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) vt[offsetVt + i * n + j] = i === j ? 1 : 0;
  }
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      const ri = offsetAt + i * m;
      for (let j = i + 1; j < n; j++) {
        const rj = offsetAt + j * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let k = 0; k < m; k++) {
          const x = at[ri + k]!;
          const y = at[rj + k]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || !(Math.abs(gamma) > EPS * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        for (let k = 0; k < m; k++) {
          const x = at[ri + k]!;
          const y = at[rj + k]!;
          at[ri + k] = c * x - s * y;
          at[rj + k] = s * x + c * y;
        }
        const vi = offsetVt + i * n;
        const vj = offsetVt + j * n;
        for (let k = 0; k < n; k++) {
          const x = vt[vi + k]!;
          const y = vt[vj + k]!;
          vt[vi + k] = c * x - s * y;
          vt[vj + k] = s * x + c * y;
        }
      }
    }
    if (!rotated) return sweep;
  }
  return -1;
}
