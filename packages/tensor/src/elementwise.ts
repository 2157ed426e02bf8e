/**
 * Elementwise arithmetic and activation functions with NumPy broadcasting.
 *
 * Binary ops accept tensors or plain numbers on either side and broadcast by the NumPy rule
 * (see {@link broadcastShapes}). The result is float32 only when every tensor operand is float32;
 * anything involving a float64 tensor is float64 (plain numbers do not affect the dtype). Every op
 * returns a new contiguous tensor and is differentiable; the gradient of a broadcast operand is
 * summed back to its shape with {@link sumTo}.
 */
import { recordOp } from "./autodiff/tape";
import { sumTo } from "./broadcast";
import type { DType } from "./tensor";
import { Tensor, isTensor } from "./tensor";
import { map1, map2 } from "./internal/map";
import { kernels } from "./kernels/index";

/** A tensor or a plain number (treated as a 0-d tensor). */
export type TensorLike = Tensor | number;

/** The dtype of a result: float32 iff every tensor operand is float32. @internal */
export function resultDType(...operands: readonly TensorLike[]): DType {
  let any32 = false;
  for (const v of operands) {
    if (typeof v === "number") continue;
    if (v.dtype === "float64") return "float64";
    any32 = true;
  }
  return any32 ? "float32" : "float64";
}

/** Check an operand and turn a number into a 0-d tensor of `dtype`. @internal */
export function asTensor(op: string, v: unknown, dtype: DType): Tensor {
  if (isTensor(v)) return v;
  if (typeof v === "number") {
    const data = dtype === "float32" ? new Float32Array(1) : new Float64Array(1);
    data[0] = v;
    return new Tensor(data, []);
  }
  throw new TypeError(`${op}: expected a tensor or a number, got ${v === null ? "null" : typeof v}`);
}

type Grad2 = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => readonly [Tensor | null, Tensor | null];

function binary(name: string, a: TensorLike, b: TensorLike, f: (x: number, y: number) => number, grad: Grad2): Tensor {
  const dtype = resultDType(
    isTensor(a) ? a : 0,
    isTensor(b) ? b : 0,
  );
  const ta = asTensor(name, a, dtype);
  const tb = asTensor(name, b, dtype);
  const out = map2(name, ta, tb, f, dtype);
  const inputs: Tensor[] = [];
  if (isTensor(a)) inputs.push(ta);
  if (isTensor(b)) inputs.push(tb);
  recordOp(name, inputs, out, (g) => {
    const [ga, gb] = grad(g, ta, tb, out);
    const res: (Tensor | null)[] = [];
    if (isTensor(a)) res.push(ga === null ? null : sumTo(ga, ta.shape));
    if (isTensor(b)) res.push(gb === null ? null : sumTo(gb, tb.shape));
    return res;
  });
  return out;
}

function unary(name: string, x: Tensor, f: (v: number) => number, grad: (g: Tensor, x: Tensor, out: Tensor) => Tensor): Tensor {
  if (!isTensor(x)) throw new TypeError(`${name}: expected a tensor, got ${(x as unknown) === null ? "null" : typeof x}`);
  const out = map1(x, f);
  recordOp(name, [x], out, (g) => [grad(g, x, out)]);
  return out;
}

const dt = (g: Tensor, x: Tensor): DType => resultDType(g, x);
/** g ⊙ h(x) elementwise (shapes equal or broadcastable); used by backward passes. */
const gmul = (g: Tensor, x: Tensor, h: (v: number) => number): Tensor =>
  map2("backward", g, x, (gv, v) => gv * h(v), dt(g, x));

/**
 * Elementwise sum with broadcasting.
 *
 * $$z = a + b$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast (`add: shapes [2,3] and [4] cannot broadcast`).
 * @throws TypeError when an operand is neither a tensor nor a number.
 * @example
 * ```ts
 * add(tensor([[1], [2]]), tensor([10, 20])).toArray(); // [[11, 21], [12, 22]]
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary("add", a, b, (x, y) => x + y, (g) => [g, g]);
}

/**
 * Elementwise difference with broadcasting.
 *
 * $$z = a - b$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * sub(tensor([5, 6]), 1).toArray(); // [4, 5]
 * ```
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary("sub", a, b, (x, y) => x - y, (g) => [g, map1(g, (v) => -v)]);
}

/**
 * Elementwise product with broadcasting.
 *
 * $$z = a \odot b$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * mul(tensor([1, 2]), 3).toArray(); // [3, 6]
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary("mul", a, b, (x, y) => x * y, (g, ta, tb) => [
    map2("mul", g, tb, (u, v) => u * v, dt(g, tb)),
    map2("mul", g, ta, (u, v) => u * v, dt(g, ta)),
  ]);
}

/**
 * Elementwise quotient with broadcasting (IEEE: `1/0 = Infinity`, `0/0 = NaN`).
 *
 * $$z = a / b$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * div(tensor([1, 2]), 4).toArray(); // [0.25, 0.5]
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary("div", a, b, (x, y) => x / y, (g, ta, tb, out) => [
    map2("div", g, tb, (u, v) => u / v, dt(g, tb)),
    // ∂(a/b)/∂b = −(a/b)/b
    map2("div", map2("div", g, out, (u, q) => -u * q, dt(g, out)), tb, (u, v) => u / v, dt(g, tb)),
  ]);
}

/**
 * Elementwise power with broadcasting (`Math.pow` semantics: a negative base with a non-integer
 * exponent gives NaN). The gradient with respect to the exponent is taken as 0 where `a = 0` and
 * `b ≥ 0` (as PyTorch does), avoiding `0 · log 0`.
 *
 * $$z = a^{b},\qquad \frac{\partial z}{\partial a} = b\,a^{b-1},\qquad \frac{\partial z}{\partial b} = a^{b}\ln a$$
 *
 * @param a - Base, tensor or number.
 * @param b - Exponent, tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2).toArray(); // [4, 9]
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary("pow", a, b, (x, y) => x ** y, (g, ta, tb) => {
    const da = map2("pow", ta, tb, (x, y) => (y === 0 ? 0 : y * x ** (y - 1)), dt(ta, tb));
    const db = map2("pow", ta, tb, (x, y) => (x === 0 && y >= 0 ? 0 : x ** y * Math.log(x)), dt(ta, tb));
    return [
      map2("pow", g, da, (u, v) => u * v, dt(g, da)),
      map2("pow", g, db, (u, v) => u * v, dt(g, db)),
    ];
  });
}

/**
 * Elementwise maximum with broadcasting; NaN propagates (NumPy `maximum`). On ties the gradient is
 * split evenly between the two operands (as PyTorch does).
 *
 * $$z = \max(a, b)$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * maximum(tensor([1, 5]), 3).toArray(); // [3, 5]
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary("maximum", a, b, (x, y) => Math.max(x, y), (g, ta, tb) => {
    const wa = map2("maximum", ta, tb, (x, y) => (x > y ? 1 : x === y ? 0.5 : 0), dt(ta, tb));
    return [
      map2("maximum", g, wa, (u, w) => u * w, dt(g, wa)),
      map2("maximum", g, wa, (u, w) => u * (1 - w), dt(g, wa)),
    ];
  });
}

/**
 * Elementwise minimum with broadcasting; NaN propagates (NumPy `minimum`). On ties the gradient is
 * split evenly between the two operands.
 *
 * $$z = \min(a, b)$$
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * minimum(tensor([1, 5]), 3).toArray(); // [1, 3]
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary("minimum", a, b, (x, y) => Math.min(x, y), (g, ta, tb) => {
    const wa = map2("minimum", ta, tb, (x, y) => (x < y ? 1 : x === y ? 0.5 : 0), dt(ta, tb));
    return [
      map2("minimum", g, wa, (u, w) => u * w, dt(g, wa)),
      map2("minimum", g, wa, (u, w) => u * (1 - w), dt(g, wa)),
    ];
  });
}

/**
 * Elementwise negation.
 *
 * $$y = -x$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * neg(tensor([1, -2])).toArray(); // [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  return unary("neg", x, (v) => -v, (g) => map1(g, (u) => -u));
}

/**
 * Elementwise exponential.
 *
 * $$y = e^{x}$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * exp(tensor([0])).toArray(); // [1]
 * ```
 */
export function exp(x: Tensor): Tensor {
  return unary("exp", x, Math.exp, (g, _x, out) => map2("exp", g, out, (u, y) => u * y, dt(g, out)));
}

/**
 * Elementwise natural logarithm (`log 0 = −Infinity`, negative input gives NaN).
 *
 * $$y = \ln x,\qquad \frac{dy}{dx} = \frac{1}{x}$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * log(tensor([1])).toArray(); // [0]
 * ```
 */
export function log(x: Tensor): Tensor {
  return unary("log", x, Math.log, (g, xi) => map2("log", g, xi, (u, v) => u / v, dt(g, xi)));
}

/**
 * Elementwise square root (negative input gives NaN).
 *
 * $$y = \sqrt{x},\qquad \frac{dy}{dx} = \frac{1}{2\sqrt{x}}$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * sqrt(tensor([4, 9])).toArray(); // [2, 3]
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  return unary("sqrt", x, Math.sqrt, (g, _x, out) => map2("sqrt", g, out, (u, y) => u / (2 * y), dt(g, out)));
}

/**
 * Elementwise absolute value; the gradient at 0 is taken as 0.
 *
 * $$y = |x|,\qquad \frac{dy}{dx} = \operatorname{sign}(x)$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * abs(tensor([-1, 2])).toArray(); // [1, 2]
 * ```
 */
export function abs(x: Tensor): Tensor {
  return unary("abs", x, Math.abs, (g, xi) => gmul(g, xi, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0)));
}

/**
 * Elementwise square.
 *
 * $$y = x^2,\qquad \frac{dy}{dx} = 2x$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * square(tensor([-3])).toArray(); // [9]
 * ```
 */
export function square(x: Tensor): Tensor {
  return unary("square", x, (v) => v * v, (g, xi) => gmul(g, xi, (v) => 2 * v));
}

/**
 * Elementwise reciprocal.
 *
 * $$y = 1/x,\qquad \frac{dy}{dx} = -\frac{1}{x^2}$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * reciprocal(tensor([4])).toArray(); // [0.25]
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  return unary("reciprocal", x, (v) => 1 / v, (g, _x, out) => map2("reciprocal", g, out, (u, y) => -u * y * y, dt(g, out)));
}

/** Stable logistic function by the sign split (the `sigmoid` kernel of `@hw/tensor/kernels`). @internal */
export function sigmoidScalar(v: number): number {
  return kernels.sigmoid(v);
}

/**
 * Elementwise logistic sigmoid, computed stably by the sign split, so `sigmoid(1000) = 1` and
 * `sigmoid(−1000) = 0` exactly, without overflow or NaN.
 *
 * $$\sigma(x) = \frac{1}{1+e^{-x}} = \begin{cases}\frac{1}{1+e^{-x}} & x \ge 0\\ \frac{e^{x}}{1+e^{x}} & x < 0\end{cases},\qquad \sigma' = \sigma(1-\sigma)$$
 *
 * @param x - The tensor.
 * @returns A new tensor with values in [0, 1].
 * @example
 * ```ts
 * sigmoid(tensor([0])).toArray(); // [0.5]
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return unary("sigmoid", x, sigmoidScalar, (g, _x, out) => map2("sigmoid", g, out, (u, s) => u * s * (1 - s), dt(g, out)));
}

/**
 * Elementwise hyperbolic tangent.
 *
 * $$y = \tanh x,\qquad \frac{dy}{dx} = 1 - y^2$$
 *
 * @param x - The tensor.
 * @returns A new tensor with values in [−1, 1].
 * @example
 * ```ts
 * tanh(tensor([0])).toArray(); // [0]
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return unary("tanh", x, Math.tanh, (g, _x, out) => map2("tanh", g, out, (u, y) => u * (1 - y * y), dt(g, out)));
}

/**
 * Elementwise rectified linear unit; NaN propagates; the gradient at 0 is 0.
 *
 * $$y = \max(x, 0)$$
 *
 * @param x - The tensor.
 * @returns A new tensor.
 * @example
 * ```ts
 * relu(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export function relu(x: Tensor): Tensor {
  return unary("relu", x, (v) => (v > 0 ? v : v !== v ? v : 0), (g, xi) => gmul(g, xi, (v) => (v > 0 ? 1 : 0)));
}

/**
 * Elementwise softplus, computed stably as `log1p(exp(−|x|)) + max(x, 0)` (no overflow for large
 * `x`, no underflow to 0 for moderately negative `x`).
 *
 * $$\operatorname{softplus}(x) = \ln(1 + e^{x}),\qquad \frac{d}{dx}\operatorname{softplus}(x) = \sigma(x)$$
 *
 * @param x - The tensor.
 * @returns A new tensor (positive values).
 * @example
 * ```ts
 * softplus(tensor([0])).toArray(); // [0.6931471805599453]
 * ```
 */
export function softplus(x: Tensor): Tensor {
  return unary("softplus", x, (v) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0), (g, xi) => gmul(g, xi, sigmoidScalar));
}

/**
 * Clamp every element into `[min, max]` (NumPy `clip`, PyTorch `clamp`); NaN stays NaN. The
 * gradient passes where `min ≤ x ≤ max` and is 0 outside (as in PyTorch).
 *
 * $$y = \min(\max(x, \mathrm{min}), \mathrm{max})$$
 *
 * @param x - The tensor.
 * @param min - Lower bound (or `undefined` for none).
 * @param max - Upper bound (or `undefined` for none).
 * @returns A new tensor.
 * @throws TypeError when a bound is not a number.
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 * ```
 */
export function clip(x: Tensor, min?: number, max?: number): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== "number" || typeof hi !== "number") {
    throw new TypeError(`clip: bounds must be numbers, got ${typeof lo} and ${typeof hi}`);
  }
  return unary("clip", x, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)), (g, xi) =>
    gmul(g, xi, (v) => (v >= lo && v <= hi ? 1 : 0)),
  );
}
