/**
 * Elementwise comparisons (results are 1/0 tensors), `where`, and NaN/finiteness tests.
 *
 * Comparisons broadcast like the arithmetic ops and follow IEEE rules: any comparison with NaN is
 * false (0), except `notEqual`, which is true (1). They are not differentiable (their outputs are
 * piecewise constant); `where` is differentiable in its two value operands.
 */
import { isRecording, recordOp } from "./autodiff/tape";
import { sumTo } from "./broadcast";
import type { Tensor } from "./tensor";
import { isTensor } from "./tensor";
import type { TensorLike } from "./elementwise";
import { asTensor, resultDType } from "./elementwise";
import { map1, map2, map3 } from "./internal/map";

function compare(name: string, a: TensorLike, b: TensorLike, f: (x: number, y: number) => boolean): Tensor {
  const dtype = resultDType(isTensor(a) ? a : 0, isTensor(b) ? b : 0);
  return map2(name, asTensor(name, a, dtype), asTensor(name, b, dtype), (x, y) => (f(x, y) ? 1 : 0), dtype);
}

/**
 * Elementwise `a == b` as 1/0, with broadcasting (NaN is never equal to anything).
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * equal(tensor([1, 2]), 2).toArray(); // [0, 1]
 * ```
 */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return compare("equal", a, b, (x, y) => x === y);
}

/**
 * Elementwise `a != b` as 1/0, with broadcasting (true wherever either side is NaN).
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * notEqual(tensor([1, 2]), 2).toArray(); // [1, 0]
 * ```
 */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("notEqual", a, b, (x, y) => x !== y);
}

/**
 * Elementwise `a < b` as 1/0, with broadcasting.
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * less(tensor([1, 2]), 2).toArray(); // [1, 0]
 * ```
 */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return compare("less", a, b, (x, y) => x < y);
}

/**
 * Elementwise `a <= b` as 1/0, with broadcasting.
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * lessEqual(tensor([1, 2, 3]), 2).toArray(); // [1, 1, 0]
 * ```
 */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("lessEqual", a, b, (x, y) => x <= y);
}

/**
 * Elementwise `a > b` as 1/0, with broadcasting.
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * greater(tensor([1, 2, 3]), 2).toArray(); // [0, 0, 1]
 * ```
 */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return compare("greater", a, b, (x, y) => x > y);
}

/**
 * Elementwise `a >= b` as 1/0, with broadcasting.
 *
 * @param a - Tensor or number.
 * @param b - Tensor or number.
 * @returns A new 1/0 tensor of the broadcast shape.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2, 3]), 2).toArray(); // [0, 1, 1]
 * ```
 */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare("greaterEqual", a, b, (x, y) => x >= y);
}

/**
 * Choose elementwise between `a` (where `cond` is non-zero) and `b` (where `cond` is 0), with
 * three-way broadcasting. A NaN condition counts as true (non-zero), as in NumPy. Differentiable
 * in `a` and `b`: each receives the gradient where it was chosen, 0 elsewhere.
 *
 * $$z_i = \begin{cases} a_i & c_i \ne 0 \\ b_i & c_i = 0 \end{cases}$$
 *
 * @param cond - Condition tensor (typically 1/0 from a comparison).
 * @param a - Values where the condition holds (tensor or number).
 * @param b - Values elsewhere (tensor or number).
 * @returns A new tensor of the broadcast shape of the three operands.
 * @throws RangeError when the shapes cannot broadcast.
 * @example
 * ```ts
 * const x = tensor([-1, 2]);
 * where(greater(x, 0), x, 0).toArray(); // [0, 2]
 * ```
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!isTensor(cond)) throw new TypeError(`where: condition must be a tensor, got ${typeof cond}`);
  const dtype = resultDType(isTensor(a) ? a : 0, isTensor(b) ? b : 0);
  const ta = asTensor("where", a, dtype);
  const tb = asTensor("where", b, dtype);
  const out = map3("where", cond, ta, tb, (c, x, y) => (c !== 0 ? x : y), dtype);
  const inputs: Tensor[] = [];
  if (isTensor(a)) inputs.push(ta);
  if (isTensor(b)) inputs.push(tb);
  recordOp(
    "where",
    inputs,
    out,
    (g) => {
      const res: Tensor[] = [];
      const rec = isRecording();
      if (isTensor(a)) res.push(sumTo(rec ? where(cond, g, 0) : map2("where", g, cond, (u, c) => (c !== 0 ? u : 0), g.dtype), ta.shape));
      if (isTensor(b)) res.push(sumTo(rec ? where(cond, 0, g) : map2("where", g, cond, (u, c) => (c !== 0 ? 0 : u), g.dtype), tb.shape));
      return res;
    },
    { differentiable: true },
  );
  return out;
}

/**
 * Elementwise NaN test as 1/0.
 *
 * @param x - The tensor.
 * @returns A new 1/0 tensor.
 * @example
 * ```ts
 * isNaN(tensor([1, NaN])).toArray(); // [0, 1]
 * ```
 */
export function isNaN(x: Tensor): Tensor {
  return map1(x, (v) => (v !== v ? 1 : 0));
}

/**
 * Elementwise finiteness test as 1/0 (0 for NaN and ±Infinity).
 *
 * @param x - The tensor.
 * @returns A new 1/0 tensor.
 * @example
 * ```ts
 * isFinite(tensor([1, Infinity, NaN])).toArray(); // [1, 0, 0]
 * ```
 */
export function isFinite(x: Tensor): Tensor {
  return map1(x, (v) => (Number.isFinite(v) ? 1 : 0));
}
