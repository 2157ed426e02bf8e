/**
 * Function transforms built on reverse mode: `vjp`, `jvp` (by the double-vjp trick), `jacobian`,
 * `hessian` and `hvp`, with the semantics of PyTorch's `torch.autograd.functional` for one tensor
 * argument. They nest with `grad` and with each other.
 */
import { stack } from "../join";
import { mul } from "../elementwise";
import { sum } from "../reduce";
import { isTensor, Tensor } from "../tensor";
import { toTensor, type TensorInput } from "../to-tensor";
import { reshape } from "../views";
import { backprop, newTape } from "./backprop";
import { describeValue, sameShape, showShape, zerosOf } from "./buffers";
import { differentiate } from "./grad";
import { activeTapes, recordOp, withTapes } from "./tape";

/** A function of one tensor returning a tensor. */
export type TensorFn = (x: Tensor) => Tensor;

/** @internal Throw a TypeError naming `op` unless `f` is a function. */
export function requireFunction(op: string, f: unknown): asserts f is (...args: never[]) => unknown {
  if (typeof f !== "function") {
    throw new TypeError(`${op}: f must be a function, got ${describeValue(f)}`);
  }
}

/** The result of {@link vjp}. */
export interface VjpResult {
  /** $f(x)$. */
  readonly value: Tensor;
  /** $J^{\mathsf T} v$, shaped as `x`. */
  readonly vjp: Tensor;
}

/** The result of {@link jvp}. */
export interface JvpResult {
  /** $f(x)$. */
  readonly value: Tensor;
  /** $J v$, shaped as $f(x)$. */
  readonly jvp: Tensor;
}

/** The result of {@link hvp}. */
export interface HvpResult {
  /** $f(x)$ (a scalar tensor). */
  readonly value: Tensor;
  /** $H v = \nabla^2 f(x)\, v$, shaped as `x`. */
  readonly hvp: Tensor;
}

function checkShape(op: string, name: string, t: Tensor, shape: readonly number[], of: string): void {
  if (!sameShape(t.shape, shape)) {
    throw new RangeError(`${op}: ${name} has shape ${showShape(t.shape)} but ${of} has shape ${showShape(shape)}`);
  }
}

/**
 * Vector–Jacobian product (reverse mode, one backward pass): for $f:\mathbb{R}^{n}\to\mathbb{R}^{m}$
 * and a cotangent $v$ shaped as $f(x)$,
 * $$\mathrm{vjp}(f, x, v) = J_f(x)^{\mathsf T} v,\qquad (J^{\mathsf T}v)_j = \sum_i v_i\,\frac{\partial f_i}{\partial x_j}.$$
 *
 * As `torch.autograd.functional.vjp(f, x, v)`. Differentiable again (it nests in `grad`).
 *
 * @param f - a function of one tensor returning a tensor
 * @param x - the point (any {@link TensorInput})
 * @param v - the cotangent, shaped as `f(x)`
 * @returns `{ value: f(x), vjp: Jᵀv }`
 * @throws TypeError when `f` is not a function or does not return a tensor
 * @throws RangeError when `v`'s shape differs from `f(x)`'s
 * @example
 * ```ts
 * vjp((x) => mul(x, x), tensor([1, 2]), tensor([1, 1])).vjp; // => tensor([2, 4])
 * ```
 */
export function vjp(f: TensorFn, x: TensorInput, v: TensorInput): VjpResult {
  requireFunction("vjp", f);
  const xt = toTensor(x, "vjp: x");
  const vt = toTensor(v, "vjp: v");
  const r = differentiate("vjp", f as (...a: unknown[]) => unknown, [xt], {}, (out) => {
    checkShape("vjp", "v", vt, out.shape, "f(x)");
    return vt;
  });
  return { value: r.value, vjp: r.grad as Tensor };
}

/**
 * Jacobian–vector product (forward-mode directional derivative): for $f:\mathbb{R}^{n}\to\mathbb{R}^{m}$
 * and a tangent $v$ shaped as $x$,
 * $$\mathrm{jvp}(f, x, v) = J_f(x)\, v = \left.\frac{d}{dt} f(x + t v)\right|_{t=0}.$$
 *
 * Computed by the double-vjp trick: $u \mapsto J^{\mathsf T}u$ is linear, so
 * $J v = \nabla_u \langle J^{\mathsf T} u, v\rangle$ — it needs every op of `f` to be differentiable
 * to second order (an op that is not throws `NotDifferentiableError`).
 * As `torch.autograd.functional.jvp(f, x, v)`.
 *
 * @param f - a function of one tensor returning a tensor
 * @param x - the point
 * @param v - the tangent, shaped as `x`
 * @returns `{ value: f(x), jvp: Jv }`
 * @throws TypeError when `f` is not a function or does not return a tensor
 * @throws RangeError when `v`'s shape differs from `x`'s
 * @example
 * ```ts
 * jvp((x) => mul(x, x), tensor([1, 2]), tensor([1, 0])).jvp; // => tensor([2, 0])
 * ```
 */
export function jvp(f: TensorFn, x: TensorInput, v: TensorInput): JvpResult {
  requireFunction("jvp", f);
  const xt = toTensor(x, "jvp: x");
  const vt = toTensor(v, "jvp: v");
  checkShape("jvp", "v", vt, xt.shape, "x");
  const value = f(xt);
  if (!isTensor(value)) throw new TypeError(`jvp: f must return a tensor, got ${describeValue(value)}`);
  const u0 = zerosOf(value.shape, value.dtype);
  const out = differentiate(
    "jvp",
    (u) => {
      const back = differentiate("jvp", f as (...a: unknown[]) => unknown, [xt], {}, () => u as Tensor);
      return sum(mul(back.grad as Tensor, vt));
    },
    [u0],
    {},
  );
  return { value, jvp: out.grad as Tensor };
}

/**
 * The full Jacobian of $f:\mathbb{R}^{n}\to\mathbb{R}^{m}$ at $x$, shaped `[...f(x).shape, ...x.shape]`:
 * $$J_{ij} = \frac{\partial f_i}{\partial x_j}.$$
 *
 * One forward pass and one backward pass per output element (reverse mode, as
 * `torch.autograd.functional.jacobian`). The result is differentiable again, so `jacobian` nests
 * (see {@link hessian}).
 *
 * @param f - a function of one tensor returning a tensor
 * @returns a function of `x` returning the Jacobian
 * @throws TypeError when `f` is not a function (at once), or does not return a tensor (when called)
 * @example
 * ```ts
 * jacobian((x) => mul(x, x))(tensor([1, 2])).toArray(); // => [[2, 0], [0, 4]]
 * ```
 */
export function jacobian(f: TensorFn): (x: TensorInput) => Tensor {
  requireFunction("jacobian", f);
  return (x) => jacobianAt("jacobian", f, toTensor(x, "jacobian: x"));
}

function jacobianAt(op: string, f: TensorFn, x: Tensor): Tensor {
  const outer = activeTapes();
  const leaf = new Tensor(x.data, x.shape, x.strides, x.offset);
  recordOp(op, [x], leaf, (g) => [g], { differentiable: true });
  const tape = newTape();
  tape.tracked.add(leaf);
  const out = withTapes([...outer, tape], () => f(leaf));
  if (!isTensor(out)) throw new TypeError(`${op}: f must return a tensor, got ${describeValue(out)}`);
  const shape = [...out.shape, ...x.shape];
  if (out.size === 0 || x.size === 0) {
    tape.nodes.length = 0;
    return zerosOf(shape, x.dtype);
  }
  const rows: Tensor[] = [];
  for (let k = 0; k < out.size; k++) {
    const seed = zerosOf(out.shape, out.dtype);
    seed.data[k] = 1;
    rows.push(backprop(op, tape, out, seed, [leaf], outer, true)[0]!);
  }
  tape.nodes.length = 0;
  return withTapes(outer, () => reshape(stack(rows, 0), shape));
}

/**
 * The Hessian of a scalar function at $x$, shaped `[...x.shape, ...x.shape]`:
 * $$H_{ij} = \frac{\partial^2 f}{\partial x_i\,\partial x_j},$$
 * the Jacobian of the gradient (reverse over reverse, as `torch.autograd.functional.hessian`). Every
 * op of `f` must be differentiable to second order (see the README's table); one that is not throws
 * `NotDifferentiableError`.
 *
 * @param f - a function of one tensor returning a scalar tensor
 * @returns a function of `x` returning the Hessian
 * @throws TypeError when `f` is not a function, or does not return a scalar tensor
 * @example
 * ```ts
 * hessian((x) => sum(pow(x, 3)))(tensor([1, 2])).toArray(); // => [[6, 0], [0, 12]]
 * ```
 */
export function hessian(f: TensorFn): (x: TensorInput) => Tensor {
  requireFunction("hessian", f);
  const gradient = (y: Tensor): Tensor => differentiate("hessian", f as (...a: unknown[]) => unknown, [y], {}).grad as Tensor;
  return (x) => jacobianAt("hessian", gradient, toTensor(x, "hessian: x"));
}

/**
 * Hessian–vector product of a scalar function, without forming the Hessian (two backward passes):
 * $$\mathrm{hvp}(f, x, v) = \nabla^2 f(x)\, v = \nabla_x \langle \nabla f(x), v\rangle.$$
 *
 * As `torch.autograd.functional.hvp(f, x, v)`; needs second-order differentiable ops.
 *
 * @param f - a function of one tensor returning a scalar tensor
 * @param x - the point
 * @param v - the direction, shaped as `x`
 * @returns `{ value: f(x), hvp: Hv }`
 * @throws TypeError when `f` is not a function or does not return a scalar tensor
 * @throws RangeError when `v`'s shape differs from `x`'s
 * @example
 * ```ts
 * hvp((x) => sum(pow(x, 3)), tensor([1, 2]), tensor([1, 1])).hvp; // => tensor([6, 12])
 * ```
 */
export function hvp(f: TensorFn, x: TensorInput, v: TensorInput): HvpResult {
  requireFunction("hvp", f);
  const xt = toTensor(x, "hvp: x");
  const vt = toTensor(v, "hvp: v");
  checkShape("hvp", "v", vt, xt.shape, "x");
  let value: Tensor | null = null;
  const out = differentiate(
    "hvp",
    (y) => {
      const inner = differentiate("hvp", f as (...a: unknown[]) => unknown, [y], {});
      value = inner.value;
      return sum(mul(inner.grad as Tensor, vt));
    },
    [xt],
    {},
  );
  return { value: value!, hvp: out.grad as Tensor };
}
