/**
 * Softmax and log-softmax along one axis, computed with the max shift (stable for any input).
 */
import { isRecording, recordOp } from "./autodiff/tape";
import { exp, mul, sub } from "./elementwise";
import { sum } from "./reduce";
import { Tensor, isTensor } from "./tensor";
import { normalizeAxis } from "./internal/shape";
import { reduceGeometry, sumKernel } from "./internal/reduce-kernel";
import { map2, map3 } from "./internal/map";
import { lseParts } from "./reduce";

function check(op: string, x: Tensor, axis: number): number {
  if (!isTensor(x)) throw new TypeError(`${op}: expected a tensor, got ${typeof x}`);
  return normalizeAxis(op, axis, x.ndim);
}

/**
 * Softmax along `axis`: exponentiate and normalize so each slice sums to 1. Computed as
 * `exp(x − logSumExp(x))`, so huge or tiny inputs do not overflow; a slice of all −Infinity gives
 * NaN (0/0), as in PyTorch.
 *
 * $$\operatorname{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},\qquad m = \max_j x_j$$
 *
 * Gradient: $\bar x = y \odot (\bar y - \langle \bar y, y\rangle)$ along the axis.
 *
 * @param x - The tensor.
 * @param axis - The axis to normalize over (negative allowed).
 * @returns A tensor of the shape of `x`.
 * @throws RangeError when the axis is out of range.
 * @example
 * ```ts
 * softmax(tensor([0, Math.log(3)]), -1).toArray(); // [0.25, 0.75]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = check("softmax", x, axis);
  const geo = reduceGeometry(x.shape, [a]);
  const { shift, logSum } = lseParts(x, geo);
  const m = new Tensor(shift, geo.keepDimsShape);
  const l = new Tensor(logSum, geo.keepDimsShape);
  const out = map3("softmax", x, m, l, (v, c, q) => Math.exp(v - c - q), x.dtype);
  recordOp("softmax", [x], out, (g) => {
    if (isRecording()) return [mul(sub(g, sum(mul(g, out), a, { keepDims: true })), out)];
    const gy = map2("softmax", g, out, (u, y) => u * y, "float64");
    const s = new Float64Array(geo.outSize);
    sumKernel(gy, geo, s);
    const st = new Tensor(s, geo.keepDimsShape);
    const inner = map2("softmax", g, st, (u, q) => u - q, "float64");
    return [map2("softmax", inner, out, (u, y) => u * y, g.dtype)];
  }, { differentiable: true });
  return out;
}

/**
 * Log-softmax along `axis`, computed as `x − logSumExp(x)` (stable; no `log(0)` for very negative
 * entries).
 *
 * $$\operatorname{logSoftmax}(x)_i = x_i - \ln\sum_j e^{x_j}$$
 *
 * Gradient: $\bar x = \bar y - e^{y}\sum_j \bar y_j$ along the axis.
 *
 * @param x - The tensor.
 * @param axis - The axis to normalize over (negative allowed).
 * @returns A tensor of the shape of `x`.
 * @throws RangeError when the axis is out of range.
 * @example
 * ```ts
 * logSoftmax(tensor([1000, 1000])).toArray(); // [-0.6931471805599453, -0.6931471805599453]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = check("logSoftmax", x, axis);
  const geo = reduceGeometry(x.shape, [a]);
  const { shift, logSum } = lseParts(x, geo);
  const m = new Tensor(shift, geo.keepDimsShape);
  const l = new Tensor(logSum, geo.keepDimsShape);
  const out = map3("logSoftmax", x, m, l, (v, c, q) => v - c - q, x.dtype);
  recordOp("logSoftmax", [x], out, (g) => {
    if (isRecording()) return [sub(g, mul(exp(out), sum(g, a, { keepDims: true })))];
    const s = new Float64Array(geo.outSize);
    sumKernel(g, geo, s);
    const st = new Tensor(s, geo.keepDimsShape);
    const w = map2("logSoftmax", out, st, (y, q) => Math.exp(y) * q, "float64");
    return [map2("logSoftmax", g, w, (u, v) => u - v, g.dtype)];
  }, { differentiable: true });
  return out;
}
