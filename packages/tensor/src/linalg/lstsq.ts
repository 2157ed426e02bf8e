/**
 * `lstsq`: linear least squares by Householder QR.
 */
import { assertNotDifferentiated } from "../autodiff/tape";
import { formatShape } from "../internal/shape";
import { requireTensor } from "../matmul";
import type { Tensor } from "../tensor";
import { makeTensor, readMatrix, requireFinite, resultDType } from "./common";

/** The result of {@link lstsq}. */
export interface LstsqResult {
  /** The least-squares (or, for m < n, minimum-norm) solution: `[n]` or `[n, k]`. */
  readonly solution: Tensor;
  /**
   * Squared residual norms $\lVert A x - b\rVert_2^2$ per right-hand side: `[k]`, or 0-d for a
   * vector `b`. Exactly 0 when m ≤ n (NumPy returns an empty array there instead).
   */
  readonly residuals: Tensor;
  /** The numerical rank (always n or m here: a rank-deficient `a` throws). */
  readonly rank: number;
}

/**
 * Householder QR of the r×c row-major `w` (r ≥ c) in place: on return the reflector vectors
 * are below the diagonal (with `v_j[j]` in `head[j]`), `R` strictly above it and `diag` holds
 * R's diagonal. `beta[j] = 2 / vᵀv` (0 for a zero column).
 */
function householderQr(r: number, c: number, w: Float64Array, diag: Float64Array, head: Float64Array, beta: Float64Array): void {
  const s = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    // Scaled norm of w[j:, j] (no overflow for huge entries).
    let scale = 0;
    for (let i = j; i < r; i++) scale = Math.max(scale, Math.abs(w[i * c + j]!));
    if (scale === 0) {
      diag[j] = 0;
      head[j] = 0;
      beta[j] = 0;
      continue;
    }
    let ss = 0;
    for (let i = j; i < r; i++) ss += (w[i * c + j]! / scale) ** 2;
    const norm = scale * Math.sqrt(ss);
    const x0 = w[j * c + j]!;
    const alpha = x0 >= 0 ? -norm : norm; // sign chosen to avoid cancellation in v0 = x0 − alpha
    const v0 = x0 - alpha;
    let vtv = v0 * v0;
    for (let i = j + 1; i < r; i++) vtv += w[i * c + j]! ** 2;
    const b = 2 / vtv;
    diag[j] = alpha;
    head[j] = v0;
    beta[j] = b;
    // Apply H = I − β v vᵀ to the columns j+1 … c−1, row by row (contiguous reads).
    s.fill(0, j + 1);
    for (let i = j; i < r; i++) {
      const vi = i === j ? v0 : w[i * c + j]!;
      const ri = i * c;
      for (let q = j + 1; q < c; q++) s[q]! += vi * w[ri + q]!;
    }
    for (let i = j; i < r; i++) {
      const vi = (i === j ? v0 : w[i * c + j]!) * b;
      const ri = i * c;
      for (let q = j + 1; q < c; q++) w[ri + q]! -= vi * s[q]!;
    }
  }
}

/** Apply the reflectors j = from … to (step ±1) to the r×k row-major `x`. */
function applyReflectors(
  r: number,
  c: number,
  w: Float64Array,
  head: Float64Array,
  beta: Float64Array,
  x: Float64Array,
  k: number,
  reverse: boolean,
): void {
  const s = new Float64Array(k);
  for (let step = 0; step < c; step++) {
    const j = reverse ? c - 1 - step : step;
    const b = beta[j]!;
    if (b === 0) continue;
    s.fill(0);
    for (let i = j; i < r; i++) {
      const vi = i === j ? head[j]! : w[i * c + j]!;
      for (let q = 0; q < k; q++) s[q]! += vi * x[i * k + q]!;
    }
    for (let i = j; i < r; i++) {
      const vi = (i === j ? head[j]! : w[i * c + j]!) * b;
      for (let q = 0; q < k; q++) x[i * k + q]! -= vi * s[q]!;
    }
  }
}

/**
 * Linear least squares: the $x$ minimising $\lVert A x - b \rVert_2$, by Householder QR
 * (backward stable: the error grows like cond(A)·ε, where solving the normal equations
 * $A^{\mathsf T}A x = A^{\mathsf T} b$ would square the condition number).
 *
 * $$x = \arg\min_x \lVert A x - b\rVert_2^2 = R^{-1} Q^{\mathsf T} b \quad (A = QR,\ m \ge n)$$
 *
 * For an underdetermined system (m < n) the minimum-norm solution is returned, from the QR
 * factorisation of $A^{\mathsf T} = QR$: $x = Q R^{-\mathsf T} b$.
 *
 * The rank test is NumPy's default: a diagonal entry of R at most $\max(m,n)\,\varepsilon\,\max_j|r_{jj}|$
 * counts as zero. Rank-deficient matrices throw (a minimum-norm solution would need an SVD or
 * a pivoted QR). Not differentiable.
 *
 * @param a - The m×n matrix (2-D).
 * @param b - The right-hand side(s): `[m]` or `[m, k]`.
 * @returns `{ solution, residuals, rank }` (see {@link LstsqResult}).
 * @throws TypeError when an input is not a tensor.
 * @throws RangeError when the shapes do not match, `a` has a non-finite entry or `a` is
 *   rank deficient (`lstsq: matrix is rank deficient (rank 1 < 2)`).
 * @example
 * ```ts
 * // Fit y = c0 + c1·t through (0, 1), (1, 3), (2, 4):
 * lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 3, 4])).solution.toArray(); // [1.166666666666666, 1.5000000000000007]
 * ```
 */
export function lstsq(a: Tensor, b: Tensor): LstsqResult {
  requireTensor("lstsq", "a", a);
  requireTensor("lstsq", "b", b);
  assertNotDifferentiated("lstsq", [a, b]);
  if (a.ndim !== 2) throw new RangeError(`lstsq: a must be 2-D, got ${formatShape(a.shape)}`);
  const m = a.shape[0]!;
  const n = a.shape[1]!;
  const isVector = b.ndim === 1;
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== m) {
    throw new RangeError(`lstsq: a ${formatShape(a.shape)} and b ${formatShape(b.shape)} do not match`);
  }
  const k = isVector ? 1 : b.shape[1]!;
  const dtype = resultDType(a, b);
  const am = new Float64Array(m * n);
  readMatrix(a, a.offset, m, n, am);
  requireFinite("lstsq", am, n, 0, 1);
  const bm = new Float64Array(m * k);
  const bRow = b.strides[0]!;
  const bCol = isVector ? 0 : b.strides[1]!;
  for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) bm[i * k + q] = b.data[b.offset + i * bRow + q * bCol]!;

  const tall = m >= n;
  const r = tall ? m : n; // rows of the factored matrix (A or Aᵀ)
  const c = tall ? n : m;
  const w = tall ? am : new Float64Array(n * m);
  if (!tall) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = am[i * n + j]!;
  const diag = new Float64Array(c);
  const head = new Float64Array(c);
  const beta = new Float64Array(c);
  householderQr(r, c, w, diag, head, beta);
  let maxDiag = 0;
  for (let j = 0; j < c; j++) maxDiag = Math.max(maxDiag, Math.abs(diag[j]!));
  const tol = Math.max(m, n) * Number.EPSILON * maxDiag;
  let rank = 0;
  for (let j = 0; j < c; j++) if (Math.abs(diag[j]!) > tol) rank++;
  if (rank < c) throw new RangeError(`lstsq: matrix is rank deficient (rank ${rank} < ${c})`);

  const x = new Float64Array(n * k);
  const residuals = new Float64Array(k);
  if (tall) {
    applyReflectors(m, n, w, head, beta, bm, k, false); // bm ← Qᵀ b
    for (let i = n; i < m; i++) for (let q = 0; q < k; q++) residuals[q]! += bm[i * k + q]! ** 2;
    // Back substitution R x = (Qᵀ b)[:n].
    for (let i = n - 1; i >= 0; i--) {
      for (let q = 0; q < k; q++) {
        let v = bm[i * k + q]!;
        for (let p = i + 1; p < n; p++) v -= w[i * n + p]! * x[p * k + q]!;
        x[i * k + q] = v / diag[i]!;
      }
    }
  } else {
    // Forward substitution Rᵀ y = b (R is m×m upper), then x = Q [y; 0].
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q++) {
        let v = bm[i * k + q]!;
        for (let p = 0; p < i; p++) v -= w[p * m + i]! * x[p * k + q]!;
        x[i * k + q] = v / diag[i]!;
      }
    }
    applyReflectors(n, m, w, head, beta, x, k, true);
  }
  return {
    solution: makeTensor(x, isVector ? [n] : [n, k], dtype),
    residuals: makeTensor(isVector ? residuals.subarray(0, 1) : residuals, isVector ? [] : [k], dtype),
    rank,
  };
}
