/**
 * `pinv`, `vectorNorm`, `matrixNorm`, `matrixRank`, `cond`: built on `svd` and recorded ops.
 */
import { recordOp, withTapes } from "../autodiff/tape";
import { abs, add, div, mul, sqrt, square, sub } from "../elementwise";
import { eye } from "../creation";
import { max, min, sum, type Axes } from "../reduce";
import { matmul } from "../matmul";
import { isTensor, Tensor } from "../tensor";
import { toTensor, type TensorInput } from "../to-tensor";
import { readOptions } from "../options";
import { reshape, select, transpose } from "../views";
import { formatShape, normalizeAxes } from "../internal/shape";
import { matrixArg, svd } from "./decompositions";
import { inv } from "./inv";

const EPS = Number.EPSILON;

/** Options of {@link pinv} and {@link matrixRank}. */
export interface RankOptions {
  /**
   * Singular values at most `rtol`·σ_max count as zero.
   * @defaultValue max(m, n)·ε (NumPy's `matrix_rank` default, PyTorch's `pinv` default)
   */
  readonly rtol?: number;
  /** Singular values at most `atol` count as zero (the larger of the two thresholds applies). @defaultValue 0 */
  readonly atol?: number;
}

function threshold(op: string, options: RankOptions, m: number, n: number, sMax: number): number {
  const { rtol = Math.max(m, n) * EPS, atol = 0 } = readOptions(op, options, ["rtol", "atol"]);
  if (!(typeof rtol === "number" && rtol >= 0)) throw new RangeError(`${op}: rtol must be a number >= 0, got ${String(rtol)}`);
  if (!(typeof atol === "number" && atol >= 0)) throw new RangeError(`${op}: atol must be a number >= 0, got ${String(atol)}`);
  return Math.max(atol, rtol * sMax);
}

/**
 * The Moore–Penrose pseudo-inverse $A^{+} = V \operatorname{diag}(1/s_i)\, U^{\mathsf T}$ over the
 * singular values above the threshold (see {@link RankOptions}), `[n, m]` for an m×n `a`.
 *
 * Differentiable (any order) where the rank is locally constant (Golub & Pereyra):
 * $\nabla_A = -A^{+\mathsf T} G A^{+\mathsf T} + (I - AA^{+}) G^{\mathsf T} A^{+}A^{+\mathsf T} + A^{+\mathsf T}A^{+}G^{\mathsf T}(I - A^{+}A)$.
 *
 * @param a - an m×n matrix
 * @param options - {@link RankOptions}
 * @returns $A^{+}$
 * @throws RangeError when `a` is not 2-D, has a non-finite entry, or a tolerance is negative
 * @example
 * ```ts
 * pinv(tensor([[1, 0], [0, 0]])).toArray(); // [[1, 0], [0, 0]]
 * ```
 */
export function pinv(a: TensorInput, options: RankOptions = {}): Tensor {
  const { a: at, m, n } = matrixArg("pinv", a);
  // The decomposition is only for the values: the gradient is pinv's own (below).
  const { U, S, Vh } = withTapes([], () => svd(at));
  const s = S.data;
  const tol = threshold("pinv", options, m, n, s.length > 0 ? s[0]! : 0);
  const k = s.length;
  const out = new Float64Array(n * m);
  for (let c = 0; c < k; c++) {
    if (!(s[c]! > tol)) continue;
    const inv = 1 / s[c]!;
    for (let i = 0; i < n; i++) {
      const vic = Vh.data[c * n + i]! * inv;
      if (vic === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += vic * U.data[j * k + c]!;
    }
  }
  const P = new Tensor(out, [n, m]);
  recordOp(
    "pinv",
    [at],
    P,
    (g) => {
      const Pt = transpose(P);
      const gt = transpose(g);
      const t1 = matmul(matmul(Pt, g), Pt);
      const t2 = matmul(matmul(sub(eye(m), matmul(at, P)), gt), matmul(P, Pt));
      const t3 = matmul(matmul(matmul(Pt, P), gt), sub(eye(n), matmul(P, at)));
      return [sub(add(t2, t3), t1)];
    },
    { differentiable: true },
  );
  return P;
}


/**
 * The numerical rank: the number of singular values above the threshold (NumPy's
 * `matrix_rank`, see {@link RankOptions}). Not differentiable (an integer).
 *
 * @param a - an m×n matrix
 * @param options - {@link RankOptions}
 * @returns the rank (a plain number)
 * @example
 * ```ts
 * matrixRank(tensor([[1, 2], [2, 4]])); // 1
 * ```
 */
export function matrixRank(a: TensorInput, options: RankOptions = {}): number {
  const { a: at, m, n } = matrixArg("matrixRank", a);
  const s = svdValues(at);
  const tol = threshold("matrixRank", options, m, n, s.length > 0 ? s[0]! : 0);
  let rank = 0;
  for (const v of s) if (v > tol) rank++;
  return rank;
}

/** The singular values, descending, as plain numbers (untracked). */
function svdValues(a: Tensor): Float64Array {
  return svd(new Tensor(a.data, a.shape, a.strides, a.offset)).S.data as Float64Array;
}

/** The `ord` of {@link vectorNorm}: 1, 2 or `Infinity` (checked at run time). */
export type VectorOrd = number;

/** Options of {@link vectorNorm}. */
export interface VectorNormOptions {
  /** 1 (Σ|x|), 2 (Euclidean) or `Infinity` (max |x|). @defaultValue 2 */
  readonly ord?: VectorOrd;
  /** The axes to reduce (default: all, the norm of the flattened tensor). */
  readonly axes?: Axes;
  /** Keep reduced axes with size 1. @defaultValue false */
  readonly keepDims?: boolean;
}

/**
 * A vector norm over `axes` (all by default), NumPy's/PyTorch's `vector_norm`:
 * $$\lVert x\rVert_1 = \sum|x_i|,\quad \lVert x\rVert_2 = \sqrt{\textstyle\sum x_i^2},\quad \lVert x\rVert_\infty = \max|x_i|.$$
 * The 2-norm is scaled by $\max|x_i|$ first, so it neither overflows nor underflows.
 * Differentiable (any order) away from 0 (and from ties of the ∞-norm).
 *
 * @param x - the tensor (any {@link TensorInput})
 * @param options - {@link VectorNormOptions}
 * @returns the norms
 * @throws RangeError on an unknown `ord`
 * @example
 * ```ts
 * vectorNorm(tensor([3, -4])).item(); // 5
 * vectorNorm(tensor([3, -4]), { ord: 1 }).item(); // 7
 * ```
 */
export function vectorNorm(x: TensorInput, options: VectorNormOptions = {}): Tensor {
  const { ord = 2, axes, keepDims = false } = readOptions("vectorNorm", options, ["ord", "axes", "keepDims"]);
  const t = toTensor(x, "vectorNorm: x");
  const a = abs(t);
  if (ord === 1) return sum(a, axes, { keepDims });
  if (ord === Infinity) return max(a, axes, { keepDims });
  if (ord !== 2) throw new RangeError(`vectorNorm: ord must be 1, 2 or Infinity, got ${String(ord)}`);
  // Scaled: ‖x‖ = m·sqrt(Σ (x/m)²) with m = max|x|; the expression equals ‖x‖ for any m > 0, so
  // differentiating it as written gives the gradient of the norm.
  const m = max(a, axes, { keepDims: true });
  const safe = withFloor(m);
  const r = mul(sqrt(sum(square(div(t, safe)), axes, { keepDims: true })), safe);
  return keepDims ? r : squeezeAxes(r, t.ndim, axes);
}

/** max|x| with zeros replaced by 1 (so x/m is defined; the norm of a zero vector is 0·… = 0). */
function withFloor(m: Tensor): Tensor {
  const data = m.data;
  let needs = false;
  for (let i = 0; i < data.length; i++) if (!(data[i]! > 0) || !Number.isFinite(data[i]!)) needs = true;
  if (!needs) return m;
  const fixed = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) fixed[i] = data[i]! > 0 && Number.isFinite(data[i]!) ? data[i]! : 1;
  return new Tensor(fixed, m.shape);
}

function squeezeAxes(r: Tensor, ndim: number, axes: Axes): Tensor {
  const drop = new Set(normalizeAxes("vectorNorm", axes, ndim));
  return reshape(r, r.shape.filter((_, i) => !drop.has(i)));
}

/** The `ord` of {@link matrixNorm} and {@link cond}: `"fro"`, `"nuc"`, 1, 2 or `Infinity`. */
export type MatrixOrd = "fro" | "nuc" | number;

/** Options of {@link matrixNorm} and {@link cond}. */
export interface MatrixNormOptions {
  /**
   * `"fro"` (Frobenius), `"nuc"` (nuclear: Σσ), 1 (max column Σ|a|), 2 (spectral: σ_max),
   * `Infinity` (max row Σ|a|).
   * @defaultValue `"fro"` for `matrixNorm`, 2 for `cond`
   */
  readonly ord?: MatrixOrd;
}

/**
 * A matrix norm (NumPy's/PyTorch's `matrix_norm`):
 * $$\lVert A\rVert_F = \sqrt{\textstyle\sum a_{ij}^2},\ \lVert A\rVert_* = \sum_i \sigma_i,\ \lVert A\rVert_1 = \max_j \sum_i |a_{ij}|,\ \lVert A\rVert_2 = \sigma_{\max},\ \lVert A\rVert_\infty = \max_i \sum_j |a_{ij}|.$$
 * Differentiable (any order; the spectral and nuclear norms through the singular values).
 *
 * @param a - a 2-D matrix
 * @param options - {@link MatrixNormOptions}
 * @returns a 0-d tensor
 * @throws RangeError when `a` is not 2-D or `ord` is unknown
 * @example
 * ```ts
 * matrixNorm(tensor([[1, 2], [3, 4]]), { ord: 1 }).item(); // 6
 * ```
 */
export function matrixNorm(a: TensorInput, options: MatrixNormOptions = {}): Tensor {
  const { ord = "fro" } = readOptions("matrixNorm", options, ["ord"]);
  return matrixNormOf("matrixNorm", a, ord);
}

function matrixNormOf(op: string, input: TensorInput, ord: MatrixOrd): Tensor {
  const a = toTensor(input, `${op}: a`);
  if (!isTensor(a) || a.ndim !== 2) throw new RangeError(`${op}: a must be a 2-D matrix, got shape ${formatShape(a.shape)}`);
  switch (ord) {
    case "fro":
      return vectorNorm(a, { ord: 2 });
    case "nuc":
      return sum(svd(a).S);
    case 1:
      return max(sum(abs(a), 0));
    case Infinity:
      return max(sum(abs(a), 1));
    case 2:
      return a.size === 0 ? new Tensor(new Float64Array(1), []) : select(svd(a).S, 0, 0);
    default:
      throw new RangeError(`${op}: ord must be "fro", "nuc", 1, 2 or Infinity, got ${String(ord)}`);
  }
}

/**
 * The condition number $\kappa(A) = \lVert A\rVert\,\lVert A^{-1}\rVert$; for the default `ord: 2`,
 * $\sigma_{\max}/\sigma_{\min}$ (any shape; Infinity when $\sigma_{\min} = 0$), for the other norms
 * of a square matrix through its inverse. Differentiable (any order).
 *
 * @param a - a 2-D matrix (square unless `ord` is 2)
 * @param options - {@link MatrixNormOptions}
 * @returns a 0-d tensor
 * @throws RangeError when `a` is not 2-D, is not square for `ord ≠ 2`, or is singular for `ord ≠ 2`
 * @example
 * ```ts
 * cond(tensor([[2, 0], [0, 0.5]])).item(); // 4
 * ```
 */
export function cond(a: TensorInput, options: MatrixNormOptions = {}): Tensor {
  const { ord = 2 } = readOptions("cond", options, ["ord"]);
  const t = toTensor(a, "cond: a");
  if (t.ndim !== 2) throw new RangeError(`cond: a must be a 2-D matrix, got shape ${formatShape(t.shape)}`);
  if (ord === 2) {
    const S = svd(t).S;
    const k = S.shape[0]!;
    if (k === 0) return new Tensor(new Float64Array(1), []);
    return div(select(S, 0, 0), min(S));
  }
  if (t.shape[0] !== t.shape[1]) throw new RangeError(`cond: ord ${String(ord)} needs a square matrix, got shape ${formatShape(t.shape)}`);
  return mul(matrixNormOf("cond", t, ord), matrixNormOf("cond", inv(t), ord));
}
