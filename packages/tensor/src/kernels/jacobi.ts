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
        // A ← Jᵀ A J. Rows p and q are combined contiguously; by symmetry the new columns p, q
        // equal the new rows outside the 2×2 block, so they are written, not recomputed.
        for (let k = 0; k < n; k++) {
          const akp = a[rp + k]!;
          const akq = a[rq + k]!;
          const np = c * akp - s * akq;
          const nq = s * akp + c * akq;
          a[rp + k] = np;
          a[rq + k] = nq;
          a[offsetA + k * n + p] = np;
          a[offsetA + k * n + q] = nq;
        }
        a[rp + p] = app - t * apq;
        a[rq + q] = aqq + t * apq;
        a[rp + q] = 0;
        a[rq + p] = 0;
        // V ← V J, kept transposed (rows of vt are the columns of V) so the update is contiguous.
        const vp = offsetV + p * n;
        const vq = offsetV + q * n;
        for (let k = 0; k < n; k++) {
          const x = v[vp + k]!;
          const y = v[vq + k]!;
          v[vp + k] = c * x - s * y;
          v[vq + k] = s * x + c * y;
        }
      }
    }
    if (!rotated) {
      finish(n, a, offsetA, w, offsetW, v, offsetV);
      return sweep;
    }
  }
  finish(n, a, offsetA, w, offsetW, v, offsetV);
  return -1;
}

/** Read the eigenvalues off the diagonal and turn the accumulated Vᵀ into V (in place). */
function finish(n: number, a: Float64Array, offsetA: number, w: Float64Array, offsetW: number, v: Float64Array, offsetV: number): void {
  for (let i = 0; i < n; i++) w[offsetW + i] = a[offsetA + i * n + i]!;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = v[offsetV + i * n + j]!;
      v[offsetV + i * n + j] = v[offsetV + j * n + i]!;
      v[offsetV + j * n + i] = x;
    }
  }
}

/**
 * One-sided (Hestenes) Jacobi SVD. `at` is the n×m row-major transpose of an m×n matrix $A$
 * (m ≥ n: row k of `at` is column k of A), from `offsetAt`. Plane rotations on the right
 * orthogonalize the columns of A; on return row k of `at` is $\sigma_k u_k^{\mathsf T}$ (so
 * $\sigma_k$ is its norm) and row k of the n×n row-major `vt` (from `offsetVt`) is $v_k^{\mathsf T}$:
 * $A = \sum_k \sigma_k u_k v_k^{\mathsf T}$, unsorted.
 *
 * A pair (i, j) is rotated while $|a_i^{\mathsf T} a_j| > \sqrt{m}\,\varepsilon\,\lVert a_i\rVert \lVert a_j\rVert$ (and both are non-zero):
 * LAPACK `dgesvj`'s threshold. With $\varepsilon$ alone the computed dot product's own rounding error
 * (about $\sqrt{m}\,\varepsilon$ of the same scale) can keep a pair above it forever.
 * `norms` is scratch of n entries (the squared column norms).
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
  norms: Float64Array,
  maxSweeps = 100,
): number {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) vt[offsetVt + i * n + j] = i === j ? 1 : 0;
  }
  const tol = Math.sqrt(m) * EPS;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let rotated = false;
    // Squared column norms, recomputed each sweep and updated exactly by each rotation
    // (α' = α − tγ, β' = β + tγ), so a pair costs one dot product instead of three.
    for (let i = 0; i < n; i++) {
      const ri = offsetAt + i * m;
      let s2 = 0;
      for (let k = 0; k < m; k++) s2 += at[ri + k]! * at[ri + k]!;
      norms[i] = s2;
    }
    for (let i = 0; i < n - 1; i++) {
      const ri = offsetAt + i * m;
      for (let j = i + 1; j < n; j++) {
        const rj = offsetAt + j * m;
        const alpha = norms[i]!;
        const beta = norms[j]!;
        let gamma = 0;
        for (let k = 0; k < m; k++) gamma += at[ri + k]! * at[rj + k]!;
        if (gamma === 0 || !(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        norms[i] = alpha - t * gamma;
        norms[j] = beta + t * gamma;
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
