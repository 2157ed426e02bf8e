/**
 * `qr`, `eigh` and `svd`: the orthogonal decompositions (float64, 2-D), with gradients.
 */
import { NotDifferentiableError, recordOp } from "../autodiff/tape";
import { concat } from "../join";
import { add, div, mul, reciprocal, square, sub } from "../elementwise";
import { where } from "../compare";
import { eye } from "../creation";
import { formatShape } from "../internal/shape";
import { householderQr } from "../kernels/qr";
import { svdJacobi, symmetricEigenJacobi } from "../kernels/jacobi";
import { kernels } from "../kernels/index";
import { matmul, requireTensor } from "../matmul";
import { Tensor } from "../tensor";
import { toTensor, type TensorInput } from "../to-tensor";
import { readOptions } from "../options";
import { expandDims, slice, transpose } from "../views";
import { readMatrix, requireFinite, triangle } from "./common";
import { solveTriangular } from "./solve-triangular";

const EPS = Number.EPSILON;
const DIFF = { differentiable: true } as const;

/** A float64 2-D matrix argument, validated; returns it and its row-major copy. */
export function matrixArg(op: string, input: TensorInput): { a: Tensor; m: number; n: number; data: Float64Array } {
  const a = toTensor(input, `${op}: a`);
  requireTensor(op, "a", a);
  if (a.ndim !== 2) throw new RangeError(`${op}: a must be a 2-D matrix, got shape ${formatShape(a.shape)}`);
  const m = a.shape[0]!;
  const n = a.shape[1]!;
  const data = new Float64Array(m * n);
  readMatrix(a, a.offset, m, n, data);
  requireFinite(op, data, n, 0, 1);
  return { a, m, n, data };
}

/** $1/(d_j - d_i)$ off the diagonal, 0 on it, from a vector `d` (recorded ops: differentiable). */
function inverseGaps(d: Tensor): Tensor {
  const k = d.shape[0]!;
  const identity = eye(k);
  const gaps = sub(expandDims(d, 0), expandDims(d, 1)); // [i, j] = d_j − d_i
  return where(identity, 0, reciprocal(where(identity, 1, gaps)));
}

/** Throw NotDifferentiableError when two of the sorted `values` coincide (relative to their scale). */
function requireDistinct(op: string, values: Float64Array, what: string, why: string): void {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i + 1 < values.length; i++) {
    if (Math.abs(values[i]! - values[i + 1]!) <= 8 * values.length * EPS * scale) {
      throw new NotDifferentiableError(
        op,
        `${what} ${i} and ${i + 1} are equal (${values[i]}): ${why}, so they have no gradient`,
      );
    }
  }
}

/** Flip column k of the row-major r×c `u` (and row k of `vt`) so that its largest |entry| is positive. */
function normalizeSigns(r: number, c: number, u: Float64Array, vt: Float64Array | null, vCols: number): void {
  for (let k = 0; k < c; k++) {
    let best = 0;
    let sign = 1;
    for (let i = 0; i < r; i++) {
      const v = u[i * c + k]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign > 0) continue;
    for (let i = 0; i < r; i++) u[i * c + k] = -u[i * c + k]!;
    if (vt !== null) for (let j = 0; j < vCols; j++) vt[k * vCols + j] = -vt[k * vCols + j]!;
  }
}

// ---------------------------------------------------------------------------------------------- qr

/** The result of {@link qr}. */
export interface QrResult {
  /** `[m, k]` with orthonormal columns (k = min(m, n)). */
  readonly Q: Tensor;
  /** `[k, n]`, upper triangular (trapezoidal when m < n). */
  readonly R: Tensor;
}

/**
 * The reduced QR decomposition $A = QR$ of an m×n matrix by Householder reflections (LAPACK
 * `geqrf`'s sign convention, so $Q$, $R$ equal NumPy's and PyTorch's), k = min(m, n).
 *
 * Differentiable (any order): for m ≥ n, with $M = \bar R R^{\mathsf T} - Q^{\mathsf T}\bar Q$ and
 * $N = \operatorname{triu}(M) + \operatorname{triu}(M, 1)^{\mathsf T}$, $\nabla_A = (\bar Q + Q N) R^{-\mathsf T}$;
 * for m < n the square part is treated so and $\nabla_Y = Q \bar R_Y$ for the remaining columns. The
 * gradient needs an invertible leading k×k block of $R$.
 *
 * @param a - a 2-D matrix (any {@link TensorInput})
 * @returns `{ Q, R }`
 * @throws RangeError when `a` is not 2-D or has a non-finite entry
 * @example
 * ```ts
 * const { Q, R } = qr(tensor([[3, 1], [4, 2]]));
 * R.toArray(); // [[-5, -2.2], [0, 0.4]] (up to rounding)
 * ```
 */
export function qr(a: TensorInput): QrResult {
  const { a: at, m, n, data: w } = matrixArg("qr", a);
  const k = Math.min(m, n);
  const diag = new Float64Array(n);
  const head = new Float64Array(n);
  const beta = new Float64Array(n);
  householderQr(m, n, w, diag, head, beta);
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    r[i * n + i] = diag[i]!;
    for (let j = i + 1; j < n; j++) r[i * n + j] = w[i * n + j]!;
  }
  // Q = H_0 ⋯ H_{k−1} [I_k; 0]: apply the reflectors in reverse to the first k columns of I_m.
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  const s = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    const b = beta[j]!;
    if (b === 0) continue;
    s.fill(0);
    for (let i = j; i < m; i++) {
      const vi = i === j ? head[j]! : w[i * n + j]!;
      for (let c = 0; c < k; c++) s[c]! += vi * q[i * k + c]!;
    }
    for (let i = j; i < m; i++) {
      const vi = (i === j ? head[j]! : w[i * n + j]!) * b;
      for (let c = 0; c < k; c++) q[i * k + c]! -= vi * s[c]!;
    }
  }
  const Q = new Tensor(q, [m, k]);
  const R = new Tensor(r, [k, n]);
  const backward = (gQ: Tensor | null, gR: Tensor | null): Tensor => qrBackward(at, Q, R, m, n, gQ, gR);
  recordOp("qr", [at], Q, (g) => [backward(g, null)], DIFF);
  recordOp("qr", [at], R, (g) => [backward(null, g)], DIFF);
  return { Q, R };
}

function qrBackward(a: Tensor, Q: Tensor, R: Tensor, m: number, n: number, gQ: Tensor | null, gR: Tensor | null): Tensor {
  const k = Math.min(m, n);
  const zeros = (shape: number[]): Tensor => new Tensor(new Float64Array(shape[0]! * shape[1]!), shape);
  let qBar = gQ ?? zeros([m, k]);
  const rBar = gR ?? zeros([k, n]);
  const U = m >= n ? R : slice(R, [null, [0, k]]);
  const uBar = m >= n ? rBar : slice(rBar, [null, [0, k]]);
  if (m < n) {
    // A = [X Y], X = Q U, V = Qᵀ Y: the Y columns feed Q too.
    const Y = slice(a, [null, [k, n]]);
    const vBar = slice(rBar, [null, [k, n]]);
    qBar = add(qBar, matmul(Y, transpose(vBar)));
  }
  const M = sub(matmul(uBar, transpose(U)), matmul(transpose(Q), qBar));
  const N = add(triangle(M, false, 1), transpose(triangle(M, false, 0)));
  const B = add(qBar, matmul(Q, N)); // ∇X = B U⁻ᵀ  ⇔  ∇Xᵀ = U⁻¹ Bᵀ
  const gX = transpose(solveTriangular(U, transpose(B), { lower: false }));
  if (m >= n) return gX;
  const vBar = slice(rBar, [null, [k, n]]);
  return concat([gX, matmul(Q, vBar)], 1);
}

// -------------------------------------------------------------------------------------------- eigh

/** The algorithms of {@link eigh}: see its documentation for the trade-off. */
export type EighMethod = "tridiagonal" | "jacobi";

/** Options of {@link eigh}. */
export interface EighOptions {
  /**
   * `"tridiagonal"`: Householder tridiagonalization + implicit-shift QL (LAPACK/EISPACK's approach;
   * fast, eigenvalues accurate relative to $\lVert A\rVert$). `"jacobi"`: cyclic Jacobi (several
   * times slower; small eigenvalues of well-scaled (graded) matrices to high relative accuracy).
   * @defaultValue "tridiagonal"
   */
  readonly method?: EighMethod;
  /**
   * Symmetry check: every $|a_{ij} - a_{ji}|$ must be at most `symmetryTolerance` times
   * $\max|a_{kl}|$. The decomposition is of $\tfrac12(A + A^{\mathsf T})$.
   * @defaultValue 1e-10
   */
  readonly symmetryTolerance?: number;
}

/** The result of {@link eigh}. */
export interface EighResult {
  /** The eigenvalues in ascending order, `[n]`. */
  readonly eigenvalues: Tensor;
  /** The orthonormal eigenvectors as columns, `[n, n]` (each with its largest |entry| positive). */
  readonly eigenvectors: Tensor;
}

/**
 * The eigendecomposition of a symmetric matrix, $A = V \operatorname{diag}(\lambda) V^{\mathsf T}$,
 * eigenvalues ascending as in NumPy/PyTorch `eigh`. By default (`method: "tridiagonal"`) by
 * Householder tridiagonalization and implicit-shift QL, as LAPACK/EISPACK: about 9n³ flops,
 * eigenvalues accurate to a few ε·‖A‖ (absolute), $V$ orthogonal to working precision. With
 * `method: "jacobi"`, by the cyclic Jacobi method: several times slower, but small eigenvalues of
 * graded matrices (e.g. $D H D$ with a well-conditioned $H$) come out to high relative accuracy,
 * which the tridiagonal path does not promise. Eigenvector signs are fixed so that
 * each eigenvector's largest |entry| is positive (LAPACK leaves them arbitrary).
 *
 * Differentiable (any order), as a function of $S = \tfrac12(A + A^{\mathsf T})$ (the gradient is
 * symmetric): $\nabla_S = V\big(\operatorname{diag}(\bar\lambda) + F \circ V^{\mathsf T}\bar V\big)V^{\mathsf T}$
 * symmetrised, with $F_{ij} = 1/(\lambda_j - \lambda_i)$ off the diagonal. The eigenvector part needs
 * distinct eigenvalues: at a repeated eigenvalue it throws `NotDifferentiableError` (the
 * eigenvalues alone stay differentiable).
 *
 * @param a - a symmetric n×n matrix
 * @param options - {@link EighOptions}
 * @returns `{ eigenvalues, eigenvectors }`
 * @throws RangeError when `a` is not square and 2-D, not symmetric within the tolerance, or has a
 *   non-finite entry
 * @example
 * ```ts
 * eigh(tensor([[2, 1], [1, 2]])).eigenvalues.toArray(); // [1, 3]
 * ```
 */
export function eigh(a: TensorInput, options: EighOptions = {}): EighResult {
  const { symmetryTolerance = 1e-10, method = "tridiagonal" } = readOptions("eigh", options, ["symmetryTolerance", "method"]);
  if (!(["tridiagonal", "jacobi"] as readonly string[]).includes(method)) {
    throw new RangeError(`eigh: method must be "tridiagonal" or "jacobi", got ${JSON.stringify(method)}`);
  }
  const { a: at, m: n, n: cols, data } = matrixArg("eigh", a);
  if (n !== cols) throw new RangeError(`eigh: a must be square, got shape ${formatShape(at.shape)}`);
  if (!(symmetryTolerance >= 0)) throw new RangeError(`eigh: symmetryTolerance must be >= 0, got ${symmetryTolerance}`);
  let maxAbs = 0;
  for (const v of data) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = data[i * n + j]!;
      const y = data[j * n + i]!;
      if (Math.abs(x - y) > symmetryTolerance * maxAbs) {
        throw new RangeError(`eigh: matrix is not symmetric (a[${i},${j}] = ${x} but a[${j},${i}] = ${y})`);
      }
      data[i * n + j] = data[j * n + i] = 0.5 * (x + y);
    }
  }
  const w = new Float64Array(n);
  const v = new Float64Array(n * n);
  const order = Array.from({ length: n }, (_, i) => i);
  const vectors = new Float64Array(n * n);
  if (method === "jacobi") {
    if (symmetricEigenJacobi(n, data, 0, w, 0, v, 0) < 0) {
      throw new RangeError(`eigh: the Jacobi iteration did not converge in 100 sweeps (n = ${n})`);
    }
    order.sort((p, q) => w[p]! - w[q]!);
    for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) vectors[i * n + c] = v[i * n + order[c]!]!;
  } else {
    // v holds Zᵀ: row i is the eigenvector of w[i].
    if (kernels.symmetricEigenTridiagonal(n, data, w, v, new Float64Array(n)) < 0) {
      throw new RangeError(`eigh: the tridiagonal QL iteration did not converge (n = ${n})`);
    }
    order.sort((p, q) => w[p]! - w[q]!);
    for (let c = 0; c < n; c++) {
      const row = order[c]! * n;
      for (let i = 0; i < n; i++) vectors[i * n + c] = v[row + i]!;
    }
  }
  const values = Float64Array.from(order, (i) => w[i]!);
  normalizeSigns(n, n, vectors, null, 0);
  const L = new Tensor(values, [n]);
  const V = new Tensor(vectors, [n, n]);
  const sym = (t: Tensor): Tensor => mul(add(t, transpose(t)), 0.5);
  recordOp("eigh", [at], L, (g) => [matmul(mul(V, g), transpose(V))], DIFF);
  recordOp(
    "eigh",
    [at],
    V,
    (g) => {
      requireDistinct("eigh", values, "eigenvalues", "the eigenvectors of a repeated eigenvalue are not unique");
      const inner = mul(inverseGaps(L), matmul(transpose(V), g));
      return [sym(matmul(matmul(V, inner), transpose(V)))];
    },
    DIFF,
  );
  return { eigenvalues: L, eigenvectors: V };
}

// --------------------------------------------------------------------------------------------- svd

/** The algorithms of {@link svd}: see its documentation for the trade-off. */
export type SvdMethod = "golub-kahan" | "jacobi";

/** Options of {@link svd}. */
export interface SvdOptions {
  /**
   * `"golub-kahan"`: Householder bidiagonalization + implicit-shift QR (fast; singular values
   * accurate relative to σ_max). `"jacobi"`: one-sided Jacobi (several times slower; small
   * singular values of graded matrices to high relative accuracy).
   * @defaultValue "golub-kahan"
   */
  readonly method?: SvdMethod;
}

/** The result of {@link svd}. */
export interface SvdResult {
  /** Left singular vectors as columns, `[m, k]` (k = min(m, n)). */
  readonly U: Tensor;
  /** Singular values, descending, `[k]`. */
  readonly S: Tensor;
  /** Right singular vectors as rows, `[k, n]` ($V^{\mathsf T}$). */
  readonly Vh: Tensor;
}

/**
 * The reduced singular value decomposition $A = U \operatorname{diag}(S) V_h$ (NumPy's and PyTorch's
 * `full_matrices=False`), singular values descending, $U$ and $V_h$ orthonormal to working
 * precision. By default (`method: "golub-kahan"`) by Householder bidiagonalization and implicitly
 * shifted Golub–Kahan QR sweeps (LINPACK/LAPACK's approach; singular values accurate to a few
 * ε·σ_max, absolute). With `method: "jacobi"`, by one-sided Jacobi (Hestenes): several times
 * slower, but small singular values of graded matrices come out to high relative accuracy. Signs are
 * fixed so that each column of $U$ has its largest |entry| positive. Columns of $U$ for exactly zero
 * singular values are completed to an orthonormal set.
 *
 * Differentiable (any order). With $F_{ij} = 1/(s_j^2 - s_i^2)$ off the diagonal and $V = V_h^{\mathsf T}$:
 * $$\nabla_A = U\big[(F\circ(U^{\mathsf T}\bar U - \bar U^{\mathsf T}U))S + \operatorname{diag}(\bar S) + S(F\circ(V^{\mathsf T}\bar V - \bar V^{\mathsf T}V))\big]V^{\mathsf T} + (I - UU^{\mathsf T})\bar U S^{-1}V^{\mathsf T} + US^{-1}\bar V^{\mathsf T}(I - VV^{\mathsf T}).$$
 * The $S$ part is always defined; the $U$ and $V_h$ parts need distinct, non-zero singular values
 * and throw `NotDifferentiableError` at a degenerate one.
 *
 * @param a - an m×n matrix
 * @param options - {@link SvdOptions}
 * @returns `{ U, S, Vh }`
 * @throws RangeError when `a` is not 2-D or has a non-finite entry, or `method` is unknown
 * @example
 * ```ts
 * svd(tensor([[3, 0], [0, -4]])).S.toArray(); // [4, 3]
 * ```
 */
export function svd(a: TensorInput, options: SvdOptions = {}): SvdResult {
  const { method = "golub-kahan" } = readOptions("svd", options, ["method"]);
  if (!(["golub-kahan", "jacobi"] as readonly string[]).includes(method)) {
    throw new RangeError(`svd: method must be "golub-kahan" or "jacobi", got ${JSON.stringify(method)}`);
  }
  const { a: at, m, n, data } = matrixArg("svd", a);
  const tall = m >= n;
  const rows = tall ? m : n; // the tall matrix B that is factored: A (tall) or Aᵀ (wide)
  const k = tall ? n : m;
  if (method === "golub-kahan") {
    // B (rows×k row-major) = A or Aᵀ; bt receives Pᵀ (unit rows), wt receives Wᵀ: B = P Σ Wᵀ.
    const b = tall ? data : new Float64Array(rows * k);
    if (!tall) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) b[j * m + i] = data[i * n + j]!;
    const pt = new Float64Array(k * rows);
    const wt = new Float64Array(k * k);
    const sigma = new Float64Array(k);
    if (kernels.svdGolubKahan(rows, k, b, sigma, pt, wt, new Float64Array(k), new Float64Array(Math.max(rows, k))) < 0) {
      throw new RangeError(`svd: the Golub–Kahan iteration did not converge (shape ${formatShape(at.shape)})`);
    }
    return svdResult(at, m, n, tall, rows, k, pt, wt, sigma, false);
  }
  // bt = Bᵀ, k×rows row-major: Aᵀ when tall, A itself when wide.
  const bt = new Float64Array(k * rows);
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) bt[j * m + i] = data[i * n + j]!;
  } else {
    bt.set(data);
  }
  const wt = new Float64Array(k * k);
  if (svdJacobi(rows, k, bt, 0, wt, 0, new Float64Array(k)) < 0) {
    throw new RangeError(`svd: the Jacobi iteration did not converge in 100 sweeps (shape ${formatShape(at.shape)})`);
  }
  const sigma = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < rows; j++) s += bt[i * rows + j]! ** 2;
    sigma[i] = Math.sqrt(s);
  }
  return svdResult(at, m, n, tall, rows, k, bt, wt, sigma, true);
}

/**
 * Sort, orient and record the SVD $B = P \Sigma W^{\mathsf T}$ of the tall rows×k `B` (A, or Aᵀ
 * when wide) given as the rows of `bt` (the columns of P, scaled by σ when `scaled`) and of `wt`.
 */
function svdResult(
  at: Tensor,
  m: number,
  n: number,
  tall: boolean,
  rows: number,
  k: number,
  bt: Float64Array,
  wt: Float64Array,
  sigma: Float64Array,
  scaled: boolean,
): SvdResult {
  const order = Array.from({ length: k }, (_, i) => i).sort((p, q) => sigma[q]! - sigma[p]!);
  // B = P Σ Wᵀ with P (rows×k) from the normalized rows of bt, W (k×k) from the rows of wt.
  const p = new Float64Array(rows * k);
  const wtSorted = new Float64Array(k * k);
  const s = new Float64Array(k);
  order.forEach((src, c) => {
    s[c] = sigma[src]!;
    const inv = !scaled ? 1 : sigma[src]! > 0 ? 1 / sigma[src]! : 0;
    for (let i = 0; i < rows; i++) p[i * k + c] = bt[src * rows + i]! * inv;
    for (let j = 0; j < k; j++) wtSorted[c * k + j] = wt[src * k + j]!;
  });
  if (scaled) completeColumns(rows, k, p, s);
  // A = U S Vh: tall → U = P, Vh = Wᵀ; wide (A = Bᵀ = W Σ Pᵀ) → U = W, Vh = Pᵀ.
  let u: Float64Array;
  let vh: Float64Array;
  if (tall) {
    u = p;
    vh = wtSorted; // rows of wt are the columns of W, i.e. the rows of Wᵀ
  } else {
    u = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let c = 0; c < k; c++) u[i * k + c] = wtSorted[c * k + i]!;
    vh = new Float64Array(k * n);
    for (let c = 0; c < k; c++) for (let j = 0; j < n; j++) vh[c * n + j] = p[j * k + c]!;
  }
  normalizeSigns(m, k, u, vh, n);
  const U = new Tensor(u, [m, k]);
  const S = new Tensor(s, [k]);
  const Vh = new Tensor(vh, [k, n]);
  const V = (): Tensor => transpose(Vh);
  const checkVectors = (): void => {
    requireDistinct("svd", s, "singular values", "the singular vectors of a repeated singular value are not unique");
    if (k > 0 && !(s[k - 1]! > 0)) {
      throw new NotDifferentiableError("svd", `singular value ${k - 1} is 0: its singular vectors are not unique, so they have no gradient`);
    }
  };
  recordOp("svd", [at], S, (g) => [matmul(mul(U, g), Vh)], DIFF);
  recordOp(
    "svd",
    [at],
    U,
    (g) => {
      checkVectors();
      const F = inverseGaps(square(S));
      const utg = matmul(transpose(U), g);
      const core = mul(mul(F, sub(utg, transpose(utg))), S); // (F ∘ (UᵀŪ − ŪᵀU)) S
      const proj = sub(g, matmul(U, utg)); // (I − UUᵀ) Ū
      return [add(matmul(matmul(U, core), Vh), matmul(div(proj, S), Vh))];
    },
    DIFF,
  );
  recordOp(
    "svd",
    [at],
    Vh,
    (g) => {
      checkVectors();
      const vBar = transpose(g);
      const F = inverseGaps(square(S));
      const vtg = matmul(Vh, vBar);
      const core = mul(expandDims(S, 1), mul(F, sub(vtg, transpose(vtg)))); // S (F ∘ (VᵀV̄ − V̄ᵀV))
      const proj = sub(g, matmul(matmul(g, V()), Vh)); // V̄ᵀ (I − VVᵀ)
      return [add(matmul(matmul(U, core), Vh), matmul(U, div(proj, expandDims(S, 1))))];
    },
    DIFF,
  );
  return { U, S, Vh };
}

/** Replace the columns of the rows×k `p` whose singular value is 0 by an orthonormal completion. */
function completeColumns(rows: number, k: number, p: Float64Array, s: Float64Array): void {
  const col = new Float64Array(rows);
  let candidate = 0;
  for (let c = 0; c < k; c++) {
    if (s[c]! > 0) continue;
    for (; candidate < rows; candidate++) {
      col.fill(0);
      col[candidate] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let o = 0; o < k; o++) {
          if (o === c || (s[o]! <= 0 && o > c)) continue;
          let d = 0;
          for (let i = 0; i < rows; i++) d += p[i * k + o]! * col[i]!;
          for (let i = 0; i < rows; i++) col[i]! -= d * p[i * k + o]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += col[i]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let i = 0; i < rows; i++) p[i * k + c] = col[i]! / norm;
        candidate++;
        break;
      }
    }
  }
}
