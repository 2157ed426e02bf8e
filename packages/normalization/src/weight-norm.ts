/** Weight normalization w = γ u/‖u‖ (whole tensor, or per slice along an axis) and its projected gradient. */
import { Tensor, assertNotDifferentiated, readOptions, recordOp, toTensor, type TensorInput } from "@hw/tensor";
import { showShape } from "./internal/core";

/** Options of {@link weightNorm} and {@link weightNormGrad}. */
export interface WeightNormOptions {
  /**
   * The axis whose slices each get their own norm and their own γ (PyTorch's `dim`): `axis: 0` on a
   * `[out, in]` matrix normalizes each row, as `torch.nn.utils.weight_norm(layer)` (whose default is
   * `dim=0`) does for a `Linear` weight; `axis: 1` each column. `null` (the default) takes one norm
   * over the whole tensor with a scalar γ — the problem set's vector case (Question 3.3) — so that a
   * call without options never changes meaning with the rank of u. Negative axes count from the end
   * (NumPy's rule; note that PyTorch's `weight_norm(dim=-1)` means the whole tensor, i.e. `null`).
   * @defaultValue null (one norm over the whole tensor)
   */
  readonly axis?: number | null;
  /** @deprecated Renamed to {@link WeightNormOptions.axis} (PyTorch's `dim`); removed in 0.2.0. */
  readonly dim?: number | null;
}

/** The result of {@link weightNormGrad}. */
export interface WeightNormGrad {
  /** The weight $w = s\,u$, shaped as u. */
  readonly w: Tensor;
  /** $\nabla_u L = s\,W^\perp\nabla_w L$, shaped as u. Orthogonal to u (to each slice of u). */
  readonly gradU: Tensor;
  /** $\nabla_\gamma L = \nabla_w L\cdot u/\lVert u\rVert$: a 0-d tensor, or `[u.shape[axis]]`, one per slice. */
  readonly gradGamma: Tensor;
  /** $s = \gamma/\lVert u\rVert$: a 0-d tensor, or `[u.shape[axis]]`, one per slice. */
  readonly s: Tensor;
  /**
   * $W^\perp = I - \hat u\hat u^\top$ on the flattened u: `[d, d]`, or `[R, d, d]` with one matrix per
   * slice (each slice flattened row-major over the other axes). Built when first read (O(R·d²)
   * memory; a RangeError beyond 2²⁷ entries).
   */
  readonly projection: Tensor;
}

const OPTION_KEYS: readonly (keyof WeightNormOptions)[] = ["axis"];
const OPTION_ALIASES = { dim: "axis" } as const;
const MAX_PROJECTION_ENTRIES = 2 ** 27;

/** The slices of u: slice r holds the elements `o·len·inner + r·inner + j` (o < outer, j < inner). */
interface Slices {
  readonly ut: Tensor;
  readonly gt: Tensor;
  readonly u: Float64Array;
  readonly shape: readonly number[];
  /** The normalized axis, or null for the whole tensor. */
  readonly axis: number | null;
  readonly rows: number;
  readonly outer: number;
  readonly inner: number;
  /** Elements per slice. */
  readonly d: number;
  readonly gamma: Float64Array;
  readonly norms: Float64Array;
}

function values(t: Tensor): Float64Array {
  const c = t.contiguous();
  return Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
}

/** The flat index of element k (0 ≤ k < d) of slice r. */
function at(s: Slices, r: number, k: number): number {
  const o = Math.floor(k / s.inner);
  return (o * s.rows + r) * s.inner + (k - o * s.inner);
}

/** ‖slice r‖ without overflow or underflow: scaled by the slice's largest magnitude. */
function sliceNorm(s: Omit<Slices, "norms" | "gamma" | "gt">, r: number): number {
  const { u, rows, inner, outer } = s;
  let big = 0;
  for (let o = 0; o < outer; o++) {
    const base = (o * rows + r) * inner;
    for (let j = 0; j < inner; j++) big = Math.max(big, Math.abs(u[base + j]!));
  }
  if (big === 0 || !Number.isFinite(big)) return big === 0 ? 0 : Number.isNaN(big) ? Number.NaN : Number.POSITIVE_INFINITY;
  let acc = 0;
  for (let o = 0; o < outer; o++) {
    const base = (o * rows + r) * inner;
    for (let j = 0; j < inner; j++) {
      const t = u[base + j]! / big;
      acc += t * t;
    }
  }
  return big * Math.sqrt(acc);
}

function readAxis(op: string, options: WeightNormOptions | undefined, ndim: number): number | null {
  const o = readOptions(op, options, OPTION_KEYS, OPTION_ALIASES);
  const axis = o.axis ?? null;
  if (axis === null) return null;
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`${op}: axis must be null (the whole tensor) or an integer in [${-ndim}, ${ndim - 1}] for u of rank ${ndim}, got ${String(axis)}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

function slices(op: string, uIn: TensorInput, gammaIn: TensorInput, options: WeightNormOptions | undefined): Slices {
  const ut = toTensor(uIn, `${op}: u`);
  const axis = readAxis(op, options, ut.ndim);
  if (ut.size === 0) throw new RangeError(`${op}: u is empty (shape ${showShape(ut.shape)})`);
  const rows = axis === null ? 1 : ut.shape[axis]!;
  const outer = axis === null ? 1 : ut.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = axis === null ? ut.size : ut.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const gt = toTensor(gammaIn, `${op}: gamma`);
  const perSlice =
    axis !== null &&
    gt.size === rows &&
    ((gt.ndim === 1 && gt.shape[0] === rows) || (gt.ndim === ut.ndim && gt.shape.every((n, k) => (k === axis ? n === rows : n === 1))));
  let gamma: Float64Array;
  if (gt.size === 1 && gt.shape.every((n) => n === 1)) gamma = new Float64Array(rows).fill(values(gt)[0]!);
  else if (perSlice) gamma = values(gt);
  else {
    const keep = axis === null ? "" : ` or one per slice: [${rows}] or [${ut.shape.map((n, k) => (k === axis ? n : 1)).join(",")}]`;
    throw new RangeError(`${op}: gamma has shape ${showShape(gt.shape)}; expected a scalar${keep} (u has shape ${showShape(ut.shape)}, axis ${String(axis)})`);
  }
  const u = values(ut);
  const base = { ut, u, shape: ut.shape, axis, rows, outer, inner, d: outer * inner };
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    norms[r] = sliceNorm(base, r);
    if (norms[r] === 0) {
      throw new RangeError(`${op}: u${axis === null ? "" : ` (slice ${r} along axis ${axis})`} has zero norm: w = γu/‖u‖ is undefined`);
    }
  }
  return { ...base, gt, gamma, norms };
}

function perSlice(v: Float64Array, axis: number | null): Tensor {
  return axis === null ? new Tensor(Float64Array.of(v[0]!), []) : new Tensor(v, [v.length]);
}

/** ∇_u L and ∇_γ L (one per slice) for the upstream gradient g (flat, shaped as u). */
function backward(s: Slices, g: Float64Array): { gradU: Float64Array; gradGamma: Float64Array } {
  const gradU = new Float64Array(s.u.length);
  const gradGamma = new Float64Array(s.rows);
  for (let r = 0; r < s.rows; r++) {
    const nrm = s.norms[r]!;
    // û = u/‖u‖ is formed before any product, so huge and tiny u are safe.
    let dot = 0;
    for (let k = 0; k < s.d; k++) {
      const i = at(s, r, k);
      dot += (s.u[i]! / nrm) * g[i]!;
    }
    gradGamma[r] = dot;
    const sr = s.gamma[r]! / nrm;
    for (let k = 0; k < s.d; k++) {
      const i = at(s, r, k);
      // s·(g − (û·g)û), with s·g computed as γ·(g/‖u‖) so that a tiny ‖u‖ cannot overflow s alone.
      gradU[i] = Number.isFinite(sr) ? sr * (g[i]! - dot * (s.u[i]! / nrm)) : (s.gamma[r]! * (g[i]! - dot * (s.u[i]! / nrm))) / nrm;
    }
  }
  return { gradU, gradGamma };
}

/** γ's gradient in γ's own shape: summed over the slices when one γ was broadcast to all of them. */
function gammaGradient(s: Slices, gradGamma: Float64Array): Tensor {
  if (s.gt.size === 1 && s.rows > 1) return new Tensor(Float64Array.of(gradGamma.reduce((a, b) => a + b, 0)), s.gt.shape);
  return new Tensor(gradGamma, s.gt.shape);
}

/**
 * Weight normalization: $w = \gamma\,\dfrac{u}{\lVert u\rVert}$ — the direction of u with length
 * |γ|. With `axis: k`, each slice along axis k gets its own norm and its own γ (PyTorch's
 * `torch.nn.utils.weight_norm(…, dim=k)`); without, one norm over the whole tensor. The quotient
 * $u/\lVert u\rVert$ is formed first (and the norm is computed with scaling), so huge and tiny u
 * are safe: `weightNorm([1e-309], 1)` is `[1]`. Differentiable under `grad` (the analytic rule of
 * {@link weightNormGrad}) with respect to u and γ.
 *
 * @param u - The direction parameter (any shape).
 * @param gamma - The length γ: a number (or 1-element tensor) for every slice, or one per slice
 *   (`[u.shape[axis]]`, or PyTorch's `weight_g` shape with 1 on every other axis).
 * @param options - `axis` (default `null`, the whole tensor; `dim` is a deprecated alias).
 * @returns w, shaped as u (float64).
 * @throws RangeError for an empty u, a zero-norm u (or slice), an out-of-range axis or a γ of the
 *   wrong shape; TypeError for an unknown option.
 * @example
 * ```ts
 * weightNorm([3, 4], 10).toArray(); // => [6, 8]
 * weightNorm([[3, 4], [0, 2]], [1, 1], { axis: 0 }).toArray(); // => [[0.6, 0.8], [0, 1]]
 * ```
 */
export function weightNorm(u: TensorInput, gamma: TensorInput, options?: WeightNormOptions): Tensor {
  const s = slices("weightNorm", u, gamma, options);
  const w = new Float64Array(s.u.length);
  for (let r = 0; r < s.rows; r++) {
    const nrm = s.norms[r]!;
    const g = s.gamma[r]!;
    for (let k = 0; k < s.d; k++) {
      const i = at(s, r, k);
      w[i] = g * (s.u[i]! / nrm);
    }
  }
  const out = new Tensor(w, s.shape);
  recordOp("weightNorm", [s.ut, s.gt], out, (gOut) => {
    const { gradU, gradGamma } = backward(s, values(gOut));
    return [new Tensor(gradU, s.shape), gammaGradient(s, gradGamma)];
  });
  return out;
}

/**
 * The gradient of weight normalization (Question 3.3). With $s = \gamma/\lVert u\rVert$ and
 * $W^\perp = I - \dfrac{uu^\top}{\lVert u\rVert^2}$ (per slice with `axis`),
 *
 * $$\nabla_u L = s\,W^\perp\,\nabla_w L,\qquad \nabla_\gamma L = \frac{u^\top\nabla_w L}{\lVert u\rVert}.$$
 *
 * $W^\perp$ projects onto the complement of u, so $u^\top\nabla_u L = 0$: gradient steps on u do
 * not change its direction to first order, only rotate it (and ‖u‖ grows at second order).
 * Computed as $s\,(\nabla_w L - (\hat u^\top\nabla_w L)\,\hat u)$ with $\hat u = u/\lVert u\rVert$
 * (O(d); the matrix is only built when the `projection` field is read). Equal to PyTorch's
 * `weight_v.grad` and `weight_g.grad` under `torch.nn.utils.weight_norm`. A function of gradients,
 * it is not itself differentiable: differentiate {@link weightNorm} instead.
 *
 * @param u - The direction parameter.
 * @param gamma - The length γ (a number, or one per slice with `axis`).
 * @param gradW - $\nabla_w L$, shaped as u.
 * @param options - `axis` (default `null`, the whole tensor; `dim` is a deprecated alias).
 * @returns `{ w, gradU, gradGamma, s, projection }`.
 * @throws RangeError as {@link weightNorm}, and for a `gradW` of another shape.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * weightNormGrad([3, 4], 10, [1, 0]).gradU.toArray(); // => [0.32, -0.24]  (⊥ [3, 4])
 * ```
 */
export function weightNormGrad(u: TensorInput, gamma: TensorInput, gradW: TensorInput, options?: WeightNormOptions): WeightNormGrad {
  const op = "weightNormGrad";
  const sl = slices(op, u, gamma, options);
  const gt = toTensor(gradW, `${op}: gradW`);
  assertNotDifferentiated(op, [sl.ut, sl.gt, gt], "it returns gradients; differentiate weightNorm instead");
  if (showShape(gt.shape) !== showShape(sl.shape)) {
    throw new RangeError(`${op}: gradW has shape ${showShape(gt.shape)}, expected the shape of u ${showShape(sl.shape)}`);
  }
  const { gradU, gradGamma } = backward(sl, values(gt));
  const w = new Float64Array(sl.u.length);
  const s = new Float64Array(sl.rows);
  for (let r = 0; r < sl.rows; r++) {
    s[r] = sl.gamma[r]! / sl.norms[r]!;
    for (let k = 0; k < sl.d; k++) {
      const i = at(sl, r, k);
      w[i] = sl.gamma[r]! * (sl.u[i]! / sl.norms[r]!);
    }
  }
  let projection: Tensor | undefined;
  const result = {
    w: new Tensor(w, sl.shape),
    gradU: new Tensor(gradU, sl.shape),
    gradGamma: perSlice(gradGamma, sl.axis),
    s: perSlice(s, sl.axis),
  };
  Object.defineProperty(result, "projection", {
    enumerable: true,
    get(): Tensor {
      projection ??= projectionOf(sl);
      return projection;
    },
  });
  return result as typeof result & { readonly projection: Tensor };
}

function projectionOf(sl: Slices): Tensor {
  const { rows, d } = sl;
  if (rows * d * d > MAX_PROJECTION_ENTRIES) {
    throw new RangeError(
      `weightNormGrad: projection would have ${rows}·${d}² = ${(rows * d * d).toExponential(2)} entries (${((rows * d * d * 8) / 2 ** 30).toFixed(1)} GiB); ` +
        `the limit is 2^27 — use gradU (= s·W⊥∇_w L, computed in O(d)) instead`,
    );
  }
  const p = new Float64Array(rows * d * d);
  const unit = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < d; k++) unit[k] = sl.u[at(sl, r, k)]! / sl.norms[r]!;
    for (let i = 0; i < d; i++) {
      const off = (r * d + i) * d;
      for (let j = 0; j < d; j++) p[off + j] = (i === j ? 1 : 0) - unit[i]! * unit[j]!;
    }
  }
  return new Tensor(p, sl.axis === null ? [d, d] : [rows, d, d]);
}
