/** Weight normalization w = γ u/‖u‖ and its projected gradient. */
import { Tensor, type NestedArray } from "@hw/tensor";
import { showShape, toTensor, type Input } from "./internal/core";

/** Options of {@link weightNorm} and {@link weightNormGrad}. */
export interface WeightNormOptions {
  /**
   * `undefined`: one norm over the whole tensor and a scalar γ (the problem set's vector case).
   * `0`: one norm per slice along axis 0 (per row of a matrix, PyTorch's `weight_norm(dim=0)` for a
   * `Linear` weight of shape [out, in]) and one γ per slice.
   * @defaultValue undefined (whole tensor)
   */
  readonly dim?: 0;
}

/** The result of {@link weightNormGrad}. */
export interface WeightNormGrad {
  /** The weight $w = s\,u$. */
  readonly w: Tensor;
  /** $\nabla_u L = s\,W^\perp\nabla_w L$, shaped as u. Orthogonal to u (per slice). */
  readonly gradU: Tensor;
  /** $\nabla_\gamma L = \nabla_w L\cdot u/\lVert u\rVert$: a 0-d tensor, or one per slice. */
  readonly gradGamma: Tensor;
  /** $s = \gamma/\lVert u\rVert$: a 0-d tensor, or one per slice. */
  readonly s: Tensor;
  /**
   * $W^\perp = I - uu^\top/\lVert u\rVert^2$ on the flattened u: `[d, d]`, or `[R, d, d]` per slice
   * (built on request of this function: O(d²) memory).
   */
  readonly projection: Tensor;
}

interface Slices {
  readonly u: Float64Array;
  readonly shape: readonly number[];
  readonly rows: number;
  readonly d: number;
  readonly gamma: Float64Array;
  readonly norms: Float64Array;
}

/** ‖v‖ without overflow or underflow: scaled by the largest magnitude. */
function norm(v: Float64Array, start: number, d: number): number {
  let big = 0;
  for (let i = 0; i < d; i++) big = Math.max(big, Math.abs(v[start + i]!));
  if (big === 0 || !Number.isFinite(big)) return big === 0 ? 0 : Number.isNaN(big) ? Number.NaN : Number.POSITIVE_INFINITY;
  let acc = 0;
  for (let i = 0; i < d; i++) {
    const t = v[start + i]! / big;
    acc += t * t;
  }
  return big * Math.sqrt(acc);
}

function values(t: Tensor): Float64Array {
  const c = t.contiguous();
  return Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
}

function slices(op: string, uIn: Input, gammaIn: number | Tensor | NestedArray, options: WeightNormOptions): Slices {
  const ut = toTensor(op, uIn, "u");
  const perRow = options.dim === 0;
  if (perRow && ut.ndim < 2) throw new RangeError(`${op}: dim 0 needs u of rank ≥ 2, got shape ${showShape(ut.shape)}`);
  if (ut.size === 0) throw new RangeError(`${op}: u is empty (shape ${showShape(ut.shape)})`);
  const rows = perRow ? ut.shape[0]! : 1;
  const d = ut.size / rows;
  const gt = toTensor(op, gammaIn, "gamma");
  let gamma: Float64Array;
  if (gt.size === 1 && gt.ndim <= 1) gamma = new Float64Array(rows).fill(values(gt)[0]!);
  else if (perRow && gt.ndim === 1 && gt.size === rows) gamma = values(gt);
  else throw new RangeError(`${op}: gamma has shape ${showShape(gt.shape)}, expected a scalar${perRow ? ` or [${rows}] (one per row)` : ""}`);
  const u = values(ut);
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    norms[r] = norm(u, r * d, d);
    if (norms[r] === 0) throw new RangeError(`${op}: u${perRow ? ` row ${r}` : ""} has zero norm: w = γu/‖u‖ is undefined`);
  }
  return { u, shape: ut.shape, rows, d, gamma, norms };
}

function scalarOrRows(v: Float64Array, perRow: boolean): Tensor {
  return perRow ? new Tensor(v, [v.length]) : new Tensor(Float64Array.of(v[0]!), []);
}

/**
 * Weight normalization: $w = \gamma\,\dfrac{u}{\lVert u\rVert}$ — the direction of u with length
 * |γ|. With `dim: 0`, per slice along axis 0 (per row of a matrix).
 *
 * @param u - The direction parameter (any shape; rank ≥ 2 with `dim: 0`).
 * @param gamma - The length γ: a number (or 0-d tensor), or one per row with `dim: 0`.
 * @param options - `dim`.
 * @returns w, shaped as u (float64).
 * @throws RangeError for an empty u, a zero-norm u (or row), or a γ of the wrong shape.
 * @example
 * ```ts
 * weightNorm([3, 4], 10).toArray(); // => [6, 8]
 * ```
 */
export function weightNorm(u: Input, gamma: number | Tensor | NestedArray, options: WeightNormOptions = {}): Tensor {
  const s = slices("weightNorm", u, gamma, options);
  const w = new Float64Array(s.u.length);
  for (let r = 0; r < s.rows; r++) {
    const k = s.gamma[r]! / s.norms[r]!;
    for (let i = r * s.d; i < (r + 1) * s.d; i++) w[i] = k * s.u[i]!;
  }
  return new Tensor(w, s.shape);
}

/**
 * The gradient of weight normalization (Question 3.3). With $s = \gamma/\lVert u\rVert$ and
 * $W^\perp = I - \dfrac{uu^\top}{\lVert u\rVert^2}$,
 *
 * $$\nabla_u L = s\,W^\perp\,\nabla_w L,\qquad \nabla_\gamma L = \frac{u^\top\nabla_w L}{\lVert u\rVert}.$$
 *
 * $W^\perp$ projects onto the complement of u, so $u^\top\nabla_u L = 0$: gradient steps on u do
 * not change its direction to first order, only rotate it (and ‖u‖ grows at second order).
 * Computed as $s\,(\nabla_w L - \frac{u^\top\nabla_w L}{\lVert u\rVert^2}u)$ (O(d), the matrix is
 * only built for the `projection` field).
 *
 * @param u - The direction parameter.
 * @param gamma - The length γ (a number, or one per row with `dim: 0`).
 * @param gradW - $\nabla_w L$, shaped as u.
 * @param options - `dim`.
 * @returns `{ w, gradU, gradGamma, s, projection }`.
 * @throws RangeError as {@link weightNorm}, and for a `gradW` of another shape.
 * @example
 * ```ts
 * weightNormGrad([3, 4], 10, [1, 0]).gradU.toArray(); // => [0.32, -0.24]  (⊥ [3, 4])
 * ```
 */
export function weightNormGrad(
  u: Input,
  gamma: number | Tensor | NestedArray,
  gradW: Input,
  options: WeightNormOptions = {},
): WeightNormGrad {
  const op = "weightNormGrad";
  const sl = slices(op, u, gamma, options);
  const gt = toTensor(op, gradW, "gradW");
  if (showShape(gt.shape) !== showShape(sl.shape)) {
    throw new RangeError(`${op}: gradW has shape ${showShape(gt.shape)}, expected the shape of u ${showShape(sl.shape)}`);
  }
  const g = values(gt);
  const { rows, d } = sl;
  const w = new Float64Array(sl.u.length);
  const gradU = new Float64Array(sl.u.length);
  const s = new Float64Array(rows);
  const gradGamma = new Float64Array(rows);
  const projection = new Float64Array(rows * d * d);
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    const nrm = sl.norms[r]!;
    const sr = sl.gamma[r]! / nrm;
    s[r] = sr;
    // Unit direction û = u/‖u‖ (scaled once, so huge or tiny u are safe).
    let dot = 0;
    for (let i = 0; i < d; i++) dot += (sl.u[base + i]! / nrm) * g[base + i]!;
    gradGamma[r] = dot;
    for (let i = 0; i < d; i++) {
      const ui = sl.u[base + i]! / nrm;
      w[base + i] = sl.gamma[r]! * ui;
      gradU[base + i] = sr * (g[base + i]! - dot * ui);
      const rowOff = r * d * d + i * d;
      for (let j = 0; j < d; j++) projection[rowOff + j] = (i === j ? 1 : 0) - ui * (sl.u[base + j]! / nrm);
    }
  }
  const perRow = options.dim === 0;
  return {
    w: new Tensor(w, sl.shape),
    gradU: new Tensor(gradU, sl.shape),
    gradGamma: scalarOrRows(gradGamma, perRow),
    s: scalarOrRows(s, perRow),
    projection: new Tensor(projection, perRow ? [rows, d, d] : [d, d]),
  };
}
