/**
 * `lstsq`: linear least squares by Householder QR.
 */
import { assertNotDifferentiated, recordOp } from "../autodiff/tape";
import { mul, neg, sub } from "../elementwise";
import { matmul } from "../matmul";
import { expandDims, squeeze, swapAxes } from "../views";
import { solve } from "./solve";
import { formatShape } from "../internal/shape";
import { requireTensor } from "../matmul";
import type { DType, Tensor } from "../tensor";
import { svd } from "./decompositions";
import { makeTensor, readMatrix, requireFinite, resultDType } from "./common";
import { applyReflectors, householderQr } from "../kernels/qr";

/** The result of {@link lstsq}. */
export interface LstsqResult {
  /** The least-squares (or, for m < n, minimum-norm) solution: `[n]` or `[n, k]`. */
  readonly solution: Tensor;
  /**
   * Squared residual norms $\lVert A x - b\rVert_2^2$ per right-hand side: `[k]`, or 0-d for a
   * vector `b`. Exactly 0 when m ≤ n (NumPy returns an empty array there instead).
   */
  readonly residuals: Tensor;
  /** The numerical rank (min(m, n) unless `a` is rank deficient). */
  readonly rank: number;
}

/**
 * The rank-deficient case, NumPy's way (`gelsd`): the minimum-norm least-squares solution
 * $x = V \operatorname{diag}(1/\sigma_i)\, U^{\mathsf T} b$ over the singular values above
 * $\max(m,n)\,\varepsilon\,\sigma_{\max}$.
 */
function minimumNorm(a: Tensor, b: Tensor, m: number, n: number, k: number, isVector: boolean, dtype: DType): LstsqResult {
  assertNotDifferentiated(
    "lstsq",
    [a, b],
    "a is rank deficient, where the minimum-norm solution jumps with the rank and has no gradient",
  );
  const { U, S, Vh } = svd(a);
  const s = S.data;
  const r = s.length;
  const tol = Math.max(m, n) * Number.EPSILON * (r > 0 ? s[0]! : 0);
  let rank = 0;
  for (let i = 0; i < r; i++) if (s[i]! > tol) rank++;
  const bm = new Float64Array(m * k);
  const bRow = b.strides[0]!;
  const bCol = isVector ? 0 : b.strides[1]!;
  for (let i = 0; i < m; i++) for (let q = 0; q < k; q++) bm[i * k + q] = b.data[b.offset + i * bRow + q * bCol]!;
  // y = diag(1/σ) Uᵀ b over the kept singular values, then x = Vᵀ… (Vh is r×n).
  const y = new Float64Array(rank * k);
  for (let c = 0; c < rank; c++) {
    for (let q = 0; q < k; q++) {
      let acc = 0;
      for (let i = 0; i < m; i++) acc += U.data[i * r + c]! * bm[i * k + q]!;
      y[c * k + q] = acc / s[c]!;
    }
  }
  const x = new Float64Array(n * k);
  for (let c = 0; c < rank; c++) {
    for (let j = 0; j < n; j++) {
      const v = Vh.data[c * n + j]!;
      for (let q = 0; q < k; q++) x[j * k + q]! += v * y[c * k + q]!;
    }
  }
  const am = new Float64Array(m * n);
  readMatrix(a, a.offset, m, n, am);
  const residuals = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let q = 0; q < k; q++) {
      let acc = -bm[i * k + q]!;
      for (let j = 0; j < n; j++) acc += am[i * n + j]! * x[j * k + q]!;
      residuals[q]! += acc * acc;
    }
  }
  return {
    solution: makeTensor(x, isVector ? [n] : [n, k], dtype),
    residuals: makeTensor(isVector ? residuals.subarray(0, 1) : residuals, isVector ? [] : [k], dtype),
    rank,
  };
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
 * Rank deficiency (a diagonal entry of R at most $\max(m,n)\,\varepsilon\,\max_j|r_{jj}|$): the
 * minimum-norm least-squares solution is returned, as NumPy's `lstsq` does, from the SVD
 * ($x = A^{+}b$ with singular values above $\max(m,n)\,\varepsilon\,\sigma_{\max}$, whose count is
 * `rank`); `residuals` are then the actual $\lVert Ax - b\rVert^2$ (NumPy returns an empty array).
 *
 * Differentiable for full-rank `a` (inside `grad` a rank-deficient `a` throws
 * `NotDifferentiableError`), in `solution` and `residuals`: for m ≥ n, with $z = (A^{\mathsf T}A)^{-1} \bar x$
 * and $r = b - Ax$, $\nabla_b = A z$ and $\nabla_A = r z^{\mathsf T} - A z x^{\mathsf T}$; for m < n
 * (minimum norm, $x = A^{\mathsf T}(AA^{\mathsf T})^{-1}b$) the derivative of that formula. Built from
 * recorded ops, so it can be differentiated again.
 *
 * @param a - The m×n matrix (2-D).
 * @param b - The right-hand side(s): `[m]` or `[m, k]`.
 * @returns `{ solution, residuals, rank }` (see {@link LstsqResult}).
 * @throws TypeError when an input is not a tensor.
 * @throws RangeError when the shapes do not match or `a` has a non-finite entry.
 * @example
 * ```ts
 * // Fit y = c0 + c1·t through (0, 1), (1, 3), (2, 4):
 * lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 3, 4])).solution.toArray(); // [1.166666666666666, 1.5000000000000007]
 * ```
 */
export function lstsq(a: Tensor, b: Tensor): LstsqResult {
  requireTensor("lstsq", "a", a);
  requireTensor("lstsq", "b", b);
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
  if (rank < c) return minimumNorm(a, b, m, n, k, isVector, dtype);

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
  const solution = makeTensor(x, isVector ? [n] : [n, k], dtype);
  const residualNorms = makeTensor(isVector ? residuals.subarray(0, 1) : residuals, isVector ? [] : [k], dtype);
  const col = (t: Tensor): Tensor => (isVector ? expandDims(t, -1) : t);
  const uncol = (t: Tensor): Tensor => (isVector ? squeeze(t, -1) : t);
  const at = (): Tensor => swapAxes(a, -1, -2);
  recordOp(
    "lstsq",
    [a, b],
    solution,
    (g) => {
      const G = col(g);
      const X = col(solution);
      if (tall) {
        // x = (AᵀA)⁻¹Aᵀb: z = (AᵀA)⁻¹G, ∇b = A z, ∇A = r zᵀ − A z xᵀ with r = b − A x.
        const z = solve(matmul(at(), a), G);
        const az = matmul(a, z);
        const r = sub(col(b), matmul(a, X));
        return [sub(matmul(r, swapAxes(z, -1, -2)), matmul(az, swapAxes(X, -1, -2))), uncol(az)];
      }
      // x = Aᵀy, y = (AAᵀ)⁻¹b: w = (AAᵀ)⁻¹AG, ∇b = w, ∇A = y (G − Aᵀw)ᵀ − w xᵀ.
      const aat = matmul(a, at());
      const y = solve(aat, col(b));
      const w = solve(aat, matmul(a, G));
      return [sub(matmul(y, swapAxes(sub(G, matmul(at(), w)), -1, -2)), matmul(w, swapAxes(X, -1, -2))), uncol(w)];
    },
    { differentiable: true },
  );
  if (tall) {
    // ‖b − A x‖² at the optimum (Aᵀr = 0): ∇b = 2 r g, ∇A = −2 r xᵀ g.
    recordOp(
      "lstsq",
      [a, b],
      residualNorms,
      (g) => {
        const X = col(solution);
        const r = sub(col(b), matmul(a, X));
        const gr = mul(r, isVector ? g : expandDims(g, 0));
        const gb = mul(gr, 2);
        return [neg(matmul(gb, swapAxes(X, -1, -2))), isVector ? squeeze(gb, -1) : gb];
      },
      { differentiable: true },
    );
  }
  return { solution, residuals: residualNorms, rank };
}
