/**
 * Direct (non-Jacobi) kernels of `@hw/tensor/kernels` for the symmetric eigenproblem and the SVD,
 * on row-major float64 arrays: Householder reduction to tridiagonal / bidiagonal form, then
 * implicitly shifted QL (tridiagonal) or Golub–Kahan QR with Demmel–Kahan style deflation
 * (bidiagonal). About 4/3·n³ + O(n²)·(sweeps) flops for the reduction and ~6n² per sweep for the
 * vectors — several times fewer than cyclic Jacobi — at the price of absolute (norm-wise) rather
 * than relative accuracy for tiny eigenvalues / singular values.
 *
 * The vectors are accumulated transposed (one vector per row) so that every plane rotation
 * combines two contiguous rows. No validation; the caller owns and sizes every array.
 */

const EPS = Number.EPSILON;
/** Below this a quantity counts as zero in the deflation tests (about 2^-966, as in LINPACK). */
const TINY = 2 ** -966;

/** Rotate rows p and q of the row-major `z` (row stride `n`, length `n`): (x, y) ← (c x − s y, s x + c y). */
function rotateRows(z: Float64Array, n: number, p: number, q: number, c: number, s: number): void {
  const rp = p * n;
  const rq = q * n;
  for (let k = 0; k < n; k++) {
    const x = z[rp + k]!;
    const y = z[rq + k]!;
    z[rp + k] = c * x - s * y;
    z[rq + k] = s * x + c * y;
  }
}

/**
 * Householder reflector $H = I - \tau v v^{\mathsf T}$ ($v_0 = 1$) with $H x = \beta e_1$ for
 * `x = [alpha, rest…]`, `rest` the `len` entries of `x` from `offset` with stride `stride`, which
 * are overwritten by $v_{1:}$. Returns τ (0 when `rest` is zero: H = I); β goes to `out[0]`.
 */
function reflector(alpha: number, x: Float64Array, offset: number, stride: number, len: number, out: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(x[offset + i * stride]!));
  if (scale === 0) {
    out[0] = alpha;
    return 0;
  }
  let ss = 0;
  for (let i = 0; i < len; i++) ss += (x[offset + i * stride]! / scale) ** 2;
  const norm = Math.hypot(alpha, scale * Math.sqrt(ss));
  const beta = alpha >= 0 ? -norm : norm;
  const inv = 1 / (alpha - beta);
  for (let i = 0; i < len; i++) x[offset + i * stride]! *= inv;
  out[0] = beta;
  return (beta - alpha) / beta;
}

/**
 * Symmetric eigendecomposition by Householder tridiagonalization and implicit-shift QL (the
 * EISPACK `tred2`/`tql2` approach). `a` is the symmetric n×n row-major matrix (only its upper
 * triangle is read; it is destroyed). On return `w` holds the eigenvalues (unsorted) and row i of
 * the n×n row-major `zt` the eigenvector of `w[i]`: $A = Z \operatorname{diag}(w) Z^{\mathsf T}$
 * with `zt` = $Z^{\mathsf T}$. `e` is scratch of n entries.
 *
 * @returns the total number of QL sweeps, or −1 when an eigenvalue needed more than `maxSweeps`
 */
export function symmetricEigenTridiagonal(
  n: number,
  a: Float64Array,
  w: Float64Array,
  zt: Float64Array,
  e: Float64Array,
  maxSweeps = 60,
): number {
  householderTridiagonal(n, a, w, e, zt);
  return tridiagonalQl(n, w, e, zt, maxSweeps);
}

/**
 * Householder reduction of the symmetric n×n row-major `a` (upper triangle read, destroyed) to
 * tridiagonal $T = Q^{\mathsf T} A Q$: diagonal in `d`, off-diagonal in `e` (`e[i]` couples i and
 * i+1, `e[n−1] = 0`), and $Q^{\mathsf T}$ in the n×n row-major `zt`.
 */
export function householderTridiagonal(n: number, a: Float64Array, d: Float64Array, e: Float64Array, zt: Float64Array): void {
  if (n === 0) return;
  const p = new Float64Array(n);
  const tau = new Float64Array(n);
  const out = new Float64Array(1);
  // 1. Householder: at step k the reflector maps a[k, k+1:] (= column k below the diagonal) to β e1;
  //    A22 ← H A22 H on the upper triangle only: p = τ A22 v, q = p − (τ/2)(pᵀv) v, A22 −= v qᵀ + q vᵀ.
  for (let k = 0; k < n - 1; k++) {
    const rk = k * n;
    d[k] = a[rk + k]!;
    const len = n - k - 2; // entries below the head
    const t = len > 0 ? reflector(a[rk + k + 1]!, a, rk + k + 2, 1, len, out) : 0;
    e[k] = len > 0 ? out[0]! : a[rk + k + 1]!;
    tau[k] = t;
    a[rk + k + 1] = 1; // v0, kept in place: v = a[k, k+1:]
    if (t === 0) continue;
    const o = k + 1;
    p.fill(0, o, n);
    for (let i = o; i < n; i++) {
      const ri = i * n;
      const vi = a[rk + i]!;
      let s = a[ri + i]! * vi;
      for (let j = i + 1; j < n; j++) {
        const aij = a[ri + j]!;
        s += aij * a[rk + j]!;
        p[j]! += aij * vi;
      }
      p[i]! += s;
    }
    let pv = 0;
    for (let i = o; i < n; i++) {
      p[i]! *= t;
      pv += p[i]! * a[rk + i]!;
    }
    const half = 0.5 * t * pv;
    for (let i = o; i < n; i++) p[i]! -= half * a[rk + i]!;
    for (let i = o; i < n; i++) {
      const ri = i * n;
      const vi = a[rk + i]!;
      const qi = p[i]!;
      for (let j = i; j < n; j++) a[ri + j]! -= vi * p[j]! + qi * a[rk + j]!;
    }
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
  // 2. Q = H_0 ⋯ H_{n−2} by backward accumulation into zt (M ← H_k M touches rows/columns > k), then
  //    transpose: the rotations of the QL sweeps act on the columns of Q, i.e. on rows of Qᵀ.
  zt.fill(0);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  for (let k = n - 2; k >= 0; k--) {
    const t = tau[k]!;
    if (t === 0) continue;
    const rk = k * n;
    const o = k + 1;
    p.fill(0, o, n);
    for (let i = o; i < n; i++) {
      const vi = a[rk + i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = o; j < n; j++) p[j]! += vi * zt[ri + j]!;
    }
    for (let i = o; i < n; i++) {
      const f = t * a[rk + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let j = o; j < n; j++) zt[ri + j]! -= f * p[j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = zt[i * n + j]!;
      zt[i * n + j] = zt[j * n + i]!;
      zt[j * n + i] = x;
    }
  }
}

/**
 * Implicit-shift QL on the symmetric tridiagonal (d, e) (`e[i]` couples i and i+1; destroyed):
 * on return `d` holds the eigenvalues (unsorted), and each rotation of the iteration has been
 * applied to the rows of the n×n row-major `zt` (rotation i mixes rows i and i+1), so that if `zt`
 * held $Q^{\mathsf T}$ its row i is now the eigenvector of `d[i]`.
 *
 * @returns the number of QL sweeps, or −1 when an eigenvalue needed more than `maxSweeps`
 */
export function tridiagonalQl(n: number, d: Float64Array, e: Float64Array, zt: Float64Array, maxSweeps = 60): number {
  let sweeps = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(e[m]!) <= EPS * (Math.abs(d[m]!) + Math.abs(d[m + 1]!)) || Math.abs(e[m]!) < TINY) break;
      }
      if (m === l) break;
      if (++iter > maxSweeps) return -1;
      sweeps++;
      // Wilkinson-type shift from the leading 2×2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let pp = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the block splits here; undo the pending shift part and restart.
          d[i + 1]! -= pp;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - pp;
        r = (d[i]! - g) * s + 2 * c * b;
        pp = s * r;
        d[i + 1] = g + pp;
        g = c * r - b;
        // Z ← Z G on columns i, i+1: rows i, i+1 of zt.
        rotateRows(zt, n, i + 1, i, c, -s);
      }
      if (r === 0 && i >= l) continue;
      d[l]! -= pp;
      e[l] = g;
      e[m] = 0;
    }
  }
  return sweeps;
}

/**
 * Reduced SVD of the m×n row-major `a` (m ≥ n; destroyed) by Householder bidiagonalization and
 * implicitly shifted Golub–Kahan QR sweeps (LINPACK `dsvdc`'s deflation and shift). On return
 * `s` holds the singular values (non-negative, unsorted), row k of the n×m row-major `ut` the left
 * singular vector $u_k$ and row k of the n×n row-major `vt` the right one $v_k$:
 * $A = \sum_k s_k u_k v_k^{\mathsf T}$. `e` and `work` are scratch of n and max(m, n) entries.
 *
 * @returns the number of QR sweeps, or −1 when more than `maxSweeps`·n were needed
 */
export function svdGolubKahan(
  m: number,
  n: number,
  a: Float64Array,
  s: Float64Array,
  ut: Float64Array,
  vt: Float64Array,
  e: Float64Array,
  work: Float64Array,
  maxSweeps = 75,
): number {
  householderBidiagonal(m, n, a, s, e, ut, vt, work);
  return bidiagonalQr(m, n, s, e, ut, vt, maxSweeps);
}

/**
 * Householder bidiagonalization of the m×n row-major `a` (m ≥ n; destroyed): $A = U B V^{\mathsf T}$
 * with B upper bidiagonal (diagonal in `s`, superdiagonal in `e`, `e[k]` = B[k, k+1], `e[n−1] = 0`),
 * $U^{\mathsf T}$ (n×m) in `ut` and $V^{\mathsf T}$ (n×n) in `vt`. `work`: max(m, n) scratch entries.
 */
export function householderBidiagonal(
  m: number,
  n: number,
  a: Float64Array,
  s: Float64Array,
  e: Float64Array,
  ut: Float64Array,
  vt: Float64Array,
  work: Float64Array,
): void {
  if (n === 0) return;
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const out = new Float64Array(1);
  // Left vectors: column k of a (rows k…m−1, head 1) is copied to row k of ut as hl; right vectors
  // stay in row k of a (columns k+1…n−1, head 1).
  const hl = ut; // reused: row k of ut holds the left reflector k until U is formed
  e.fill(0);
  for (let k = 0; k < n; k++) {
    // Left reflector on column k, rows k…m−1 (strided read of O(m), then contiguous updates).
    const hk = k * m;
    for (let i = k; i < m; i++) hl[hk + i] = a[i * n + k]!;
    const tl = m - k - 1 > 0 ? reflector(hl[hk + k]!, hl, hk + k + 1, 1, m - k - 1, out) : 0;
    s[k] = m - k - 1 > 0 ? out[0]! : a[k * n + k]!;
    hl[hk + k] = 1;
    tauL[k] = tl;
    if (tl !== 0 && k + 1 < n) {
      // a[k:, k+1:] ← H a[k:, k+1:]: w = vᵀ a, a −= τ v wᵀ.
      work.fill(0, k + 1, n);
      for (let i = k; i < m; i++) {
        const vi = hl[hk + i]!;
        if (vi === 0) continue;
        const ri = i * n;
        for (let j = k + 1; j < n; j++) work[j]! += vi * a[ri + j]!;
      }
      for (let i = k; i < m; i++) {
        const f = tl * hl[hk + i]!;
        if (f === 0) continue;
        const ri = i * n;
        for (let j = k + 1; j < n; j++) a[ri + j]! -= f * work[j]!;
      }
    }
    if (k + 1 >= n) continue;
    // Right reflector on row k, columns k+1…n−1.
    const rk = k * n;
    const tr = n - k - 2 > 0 ? reflector(a[rk + k + 1]!, a, rk + k + 2, 1, n - k - 2, out) : 0;
    e[k] = n - k - 2 > 0 ? out[0]! : a[rk + k + 1]!;
    a[rk + k + 1] = 1;
    tauR[k] = tr;
    if (tr !== 0) {
      // a[k+1:, k+1:] ← a[k+1:, k+1:] G: each row r −= τ (r·v) vᵀ.
      for (let i = k + 1; i < m; i++) {
        const ri = i * n;
        let dot = 0;
        for (let j = k + 1; j < n; j++) dot += a[ri + j]! * a[rk + j]!;
        const f = tr * dot;
        if (f === 0) continue;
        for (let j = k + 1; j < n; j++) a[ri + j]! -= f * a[rk + j]!;
      }
    }
  }
  // V = G_0 ⋯ G_{n−3} by backward accumulation into vt (then transposed).
  vt.fill(0);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const t = tauR[k]!;
    if (t === 0) continue;
    const rk = k * n;
    const o = k + 1;
    work.fill(0, o, n);
    for (let i = o; i < n; i++) {
      const vi = a[rk + i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = o; j < n; j++) work[j]! += vi * vt[ri + j]!;
    }
    for (let i = o; i < n; i++) {
      const f = t * a[rk + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let j = o; j < n; j++) vt[ri + j]! -= f * work[j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = vt[i * n + j]!;
      vt[i * n + j] = vt[j * n + i]!;
      vt[j * n + i] = x;
    }
  }
  // Uᵀ = [I_n 0] H_{n−1} ⋯ H_0: row j of Uᵀ is e_j until H_j reaches it, so H_k updates rows k…n−1.
  // The reflectors live in rows of ut themselves, so each is moved to scratch before its row is set.
  const v = new Float64Array(m);
  for (let k = n - 1; k >= 0; k--) {
    const hk = k * m;
    const t = tauL[k]!;
    for (let i = k; i < m; i++) v[i] = hl[hk + i]!;
    ut.fill(0, hk, hk + m);
    ut[hk + k] = 1;
    if (t === 0) continue;
    for (let r = k; r < n; r++) {
      const rr = r * m;
      let dot = 0;
      for (let i = k; i < m; i++) dot += ut[rr + i]! * v[i]!;
      const f = t * dot;
      if (f === 0) continue;
      for (let i = k; i < m; i++) ut[rr + i]! -= f * v[i]!;
    }
  }
}

/**
 * Golub–Kahan implicit-shift QR sweeps on the upper bidiagonal (s, e) (`e[k]` = B[k, k+1]; both
 * destroyed), with LINPACK `dsvdc`'s deflation and shift: on return `s` holds the singular values
 * (non-negative, unsorted). Every rotation B ← Gᵀ B is applied to rows of the n×m row-major `ut`,
 * every B ← B G to rows of the n×n row-major `vt`.
 *
 * @returns the number of QR sweeps, or −1 when more than `maxSweeps`·n were needed
 */
export function bidiagonalQr(m: number, n: number, s: Float64Array, e: Float64Array, ut: Float64Array, vt: Float64Array, maxSweeps = 75): number {
  let p = n;
  let sweeps = 0;
  let budget = maxSweeps * n;
  while (p > 0) {
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(e[k]!) <= TINY + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    let kase: number;
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks !== p - 1 ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // s[p−1] = 0: chase e[p−2] up column p−1 with rotations from the right.
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        rotateRows(vt, n, j, p - 1, cs, -sn);
      }
    } else if (kase === 2) {
      // s[k−1] = 0: chase e[k−1] along row k−1 with rotations from the left.
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = Math.hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        rotateRows(ut, m, j, k - 1, cs, -sn);
      }
    } else if (kase === 3) {
      if (--budget < 0) return -1;
      sweeps++;
      // Shift: the eigenvalue of the trailing 2×2 of BᵀB closer to its last entry.
      const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        rotateRows(vt, n, j, j + 1, cs, -sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        rotateRows(ut, m, j, j + 1, cs, -sn);
      }
      e[p - 2] = f;
    } else {
      // Converged: s[k] (k = p−1 here) made non-negative.
      if (s[k]! < 0) {
        s[k] = -s[k]!;
        const rk = k * n;
        for (let j = 0; j < n; j++) vt[rk + j] = -vt[rk + j]!;
      }
      p--;
    }
  }
  return sweeps;
}
