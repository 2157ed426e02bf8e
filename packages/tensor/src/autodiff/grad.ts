/**
 * `grad` and `valueAndGrad`: reverse-mode automatic differentiation in the functional style of
 * JAX and TensorFlow.js.
 */
import { isTensor, Tensor } from "../tensor";
import { backprop, newTape } from "./backprop";
import { describeValue, filledOf, showShape } from "./buffers";
import { activeTapes, recordOp, withTapes } from "./tape";
import { readOptions } from "../options";

/** @internal Throw a TypeError naming `op` unless `f` is a function. */
function requireFunction(op: string, f: unknown): void {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function, got ${describeValue(f)}`);
}

/**
 * What can be differentiated: a tensor, an array of tensors or a record of tensors (flat, one level).
 */
export type Differentiable = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };

/** The gradient of one argument: a tensor, or an array/record of tensors with the same keys. */
export type GradOf<A> = A extends Tensor
  ? Tensor
  : A extends readonly Tensor[]
    ? { -readonly [K in keyof A]: Tensor }
    : A extends object
      ? { -readonly [K in keyof A]: Tensor }
      : never;

/**
 * The constraint on a differentiated argument: a tensor, an array of tensors, or an object whose
 * properties are all tensors (an interface works too, not only an index-signature record).
 */
export type DifferentiableArg<A> = A extends Tensor
  ? Tensor
  : A extends readonly unknown[]
    ? readonly Tensor[]
    : A extends object
      ? { readonly [K in keyof A]: Tensor }
      : Differentiable;

/**
 * The gradients of all the arguments: the single gradient for a one-argument function, otherwise a
 * tuple with one gradient per argument.
 */
export type GradsOf<Args extends readonly unknown[]> = Args extends readonly [infer Only]
  ? GradOf<Only>
  : { -readonly [K in keyof Args]: GradOf<Args[K]> };

/** The gradients of the arguments at the positions `N`, as a tuple. */
export type GradsAt<Args extends readonly unknown[], N extends readonly number[]> = {
  -readonly [I in keyof N]: GradOf<Args[N[I] & number]>;
};

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /**
   * Which positional arguments to differentiate: one index (the result is that argument's gradient)
   * or an array of indices (the result is a tuple in that order). The other arguments are passed
   * through unchanged and may be anything.
   * @defaultValue every argument (each must then be a tensor, an array or a record of tensors)
   */
  readonly argnums?: number | readonly number[];
}

/** The result of a function made by {@link valueAndGrad}. */
export interface ValueAndGrad<G> {
  /** `f`'s output (the scalar tensor). */
  readonly value: Tensor;
  /** The gradients, shaped as the differentiated arguments. */
  readonly grad: G;
}

type ScalarFn<Args extends readonly unknown[]> = (...args: Args) => Tensor;

/**
 * Differentiate a scalar-valued function of tensors (reverse mode).
 *
 * For $f:\mathbb{R}^{n_1}\times\dots\to\mathbb{R}$, `grad(f)(x_1, …)` returns
 * $\left(\nabla_{x_1} f, \dots\right)$, each with the shape and dtype of its argument:
 * $$\left(\nabla_{x} f\right)_{i} = \frac{\partial f}{\partial x_{i}}.$$
 *
 * - one argument: `grad(f)(x)` is a tensor;
 * - several: `grad(f)(a, b)` is `[ga, gb]`;
 * - a record (or array) of tensors: `grad((p) => loss(p))({ W, b })` is `{ W: gW, b: gb }`;
 * - `{ argnums }` picks the arguments to differentiate; the others pass through untouched.
 *
 * Each differentiated tensor is wrapped in a fresh view, so the same tensor passed twice gets two
 * partial derivatives and a tensor captured by `f` as a constant is not differentiated.
 * An argument `f` does not use gets zeros; an output that does not depend on any argument gives
 * zeros. To cut the graph inside `f`, use {@link stopGradient}.
 *
 * Higher order: `grad` nests, `grad(x => sum(grad(f)(x)))` differentiates the gradient (the
 * backward passes of the built-in ops are themselves recorded). An op whose backward pass cannot be
 * differentiated (see the README's table) throws `NotDifferentiableError` when a second derivative
 * flows through it — never a silent zero. See also {@link hessian}, {@link jacobian}, {@link hvp}.
 *
 * @param f - a function of tensors returning a scalar tensor (0-d or of size 1)
 * @param options - {@link GradOptions}
 * @returns a function with `f`'s parameters returning the gradients
 * @throws TypeError when `f` returns something else than a tensor of size 1 (the message names the
 *   shape), or an argument to differentiate is not a tensor / array / record of tensors
 * @throws RangeError when an `argnums` index is out of range
 * @example
 * ```ts
 * const f = (x: Tensor) => sum(mul(x, x));
 * grad(f)(tensor([1, 2, 3])).toArray(); // => [2, 4, 6]
 *
 * const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(a, b)))(tensor([1, 2]), tensor([3, 4]));
 * // ga => [3, 4], gb => [1, 2]
 *
 * const x = tensor([[1], [2]]);
 * const g = grad((p: { w: Tensor; b: Tensor }) => sum(add(mul(x, p.w), p.b)))({ w: tensor(0.5), b: tensor(0) });
 * // g.w => tensor(3) (Σ x), g.b => tensor(2) (one per row)
 * ```
 */
export function grad<Args extends { readonly [I in keyof Args]: DifferentiableArg<Args[I]> } & readonly unknown[]>(
  f: ScalarFn<Args>,
): (...args: Args) => GradsOf<Args>;
export function grad<Args extends readonly unknown[], const N extends number>(
  f: ScalarFn<Args>,
  options: { readonly argnums: N },
): (...args: Args) => GradOf<Args[N]>;
export function grad<Args extends readonly unknown[], const N extends readonly number[]>(
  f: ScalarFn<Args>,
  options: { readonly argnums: N },
): (...args: Args) => GradsAt<Args, N>;
export function grad(
  f: (...args: never[]) => Tensor,
  options: GradOptions = {},
): (...args: unknown[]) => unknown {
  requireFunction("grad", f);
  const opts = readOptions("grad", options, ["argnums"]);
  return (...args: unknown[]) => differentiate("grad", f as (...a: unknown[]) => unknown, args, opts).grad;
}

/**
 * Like {@link grad}, but also returns `f`'s value: `valueAndGrad(f)(x)` is `{ value, grad }`, from
 * a single forward pass.
 *
 * @param f - a function of tensors returning a scalar tensor (0-d or of size 1)
 * @param options - {@link GradOptions}
 * @returns a function with `f`'s parameters returning `{ value, grad }`, `grad` shaped as for
 *   {@link grad}
 * @throws TypeError / RangeError as {@link grad}
 * @example
 * ```ts
 * const { value, grad: g } = valueAndGrad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2]));
 * // value => tensor(5), g => tensor([2, 4])
 * ```
 */
export function valueAndGrad<
  Args extends { readonly [I in keyof Args]: DifferentiableArg<Args[I]> } & readonly unknown[],
>(
  f: ScalarFn<Args>,
): (...args: Args) => ValueAndGrad<GradsOf<Args>>;
export function valueAndGrad<Args extends readonly unknown[], const N extends number>(
  f: ScalarFn<Args>,
  options: { readonly argnums: N },
): (...args: Args) => ValueAndGrad<GradOf<Args[N]>>;
export function valueAndGrad<Args extends readonly unknown[], const N extends readonly number[]>(
  f: ScalarFn<Args>,
  options: { readonly argnums: N },
): (...args: Args) => ValueAndGrad<GradsAt<Args, N>>;
export function valueAndGrad(
  f: (...args: never[]) => Tensor,
  options: GradOptions = {},
): (...args: unknown[]) => ValueAndGrad<unknown> {
  requireFunction("valueAndGrad", f);
  const opts = readOptions("valueAndGrad", options, ["argnums"]);
  return (...args: unknown[]) => differentiate("valueAndGrad", f as (...a: unknown[]) => unknown, args, opts);
}

/** One differentiated argument: its wrappers (tracked leaves) and how to reassemble its gradient. */
interface Slot {
  readonly leaves: Tensor[];
  readonly assemble: (grads: readonly Tensor[]) => unknown;
}

/**
 * A fresh view of `t` (new object, same data): the tracked stand-in for a differentiated argument.
 * Inside an enclosing `grad` it is recorded as the identity of `t`, so the gradient computed from it
 * stays a differentiable function of the outer inputs (grad of grad).
 */
function leafOf(t: Tensor): Tensor {
  const leaf = new Tensor(t.data, t.shape, t.strides, t.offset);
  recordOp("grad", [t], leaf, (g) => [g], { differentiable: true });
  return leaf;
}

function wrap(op: string, arg: unknown, position: number): { value: unknown; slot: Slot } {
  if (isTensor(arg)) {
    const leaf = leafOf(arg);
    return { value: leaf, slot: { leaves: [leaf], assemble: (g) => g[0] } };
  }
  if (Array.isArray(arg)) {
    const items = arg as unknown[];
    const leaves = items.map((item, i) => {
      if (!isTensor(item)) {
        throw new TypeError(`${op}: argument ${position}[${i}] is not a tensor (got ${describeValue(item)})`);
      }
      return leafOf(item);
    });
    return { value: leaves, slot: { leaves, assemble: (g) => [...g] } };
  }
  if (typeof arg === "object" && arg !== null) {
    const keys = Object.keys(arg);
    const record = arg as Record<string, unknown>;
    const leaves = keys.map((key) => {
      const item = record[key];
      if (!isTensor(item)) {
        throw new TypeError(`${op}: argument ${position}.${key} is not a tensor (got ${describeValue(item)})`);
      }
      return leafOf(item);
    });
    const value = Object.fromEntries(keys.map((key, i) => [key, leaves[i]]));
    return {
      value,
      slot: { leaves, assemble: (g) => Object.fromEntries(keys.map((key, i) => [key, g[i]])) },
    };
  }
  throw new TypeError(
    `${op}: argument ${position} is not a tensor, an array or a record of tensors (got ${describeValue(arg)})`,
  );
}

/**
 * Run `f(...args)` on a fresh tape with the selected arguments tracked, then backpropagate from
 * its output: from 1 for a scalar output, or from `cotangent(out)` (a tensor of `out`'s shape) when
 * given. Shared by grad, valueAndGrad and the functional transforms (vjp, jacobian, …). @internal
 */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function differentiate(
  op: string,
  f: (...args: unknown[]) => unknown,
  args: readonly unknown[],
  options: GradOptions,
  cotangent?: (out: Tensor) => Tensor,
): ValueAndGrad<unknown> {
  const { argnums } = options;
  const positions =
    argnums === undefined ? args.map((_, i) => i) : typeof argnums === "number" ? [argnums] : [...argnums];
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= args.length) {
      throw new RangeError(`${op}: argnums ${p} is out of range for ${args.length} argument(s)`);
    }
  }
  if (positions.length === 0) throw new RangeError(`${op}: no argument to differentiate (argnums is empty)`);
  const callArgs = [...args];
  const slots = new Map<number, Slot>();
  for (const p of positions) {
    if (slots.has(p)) continue;
    const { value, slot } = wrap(op, args[p], p);
    callArgs[p] = value;
    slots.set(p, slot);
  }
  const outer = activeTapes();
  const tape = newTape();
  const leaves: Tensor[] = [];
  for (const slot of slots.values()) {
    for (const leaf of slot.leaves) {
      tape.tracked.add(leaf);
      leaves.push(leaf);
    }
  }
  const out = withTapes([...outer, tape], () => f(...callArgs));
  if (!isTensor(out)) throw new TypeError(`${op}: f must return a tensor, got ${describeValue(out)}`);
  if (cotangent === undefined && out.size !== 1) {
    throw new TypeError(`${op}: f must return a scalar (a tensor of size 1), got shape ${showShape(out.shape)}`);
  }
  const seed = cotangent === undefined ? filledOf(out.shape, out.dtype, 1) : cotangent(out);
  const grads = backprop(op, tape, out, seed, leaves, outer);
  const bySlot = new Map<number, unknown>();
  let k = 0;
  for (const [p, slot] of slots) {
    bySlot.set(p, slot.assemble(grads.slice(k, k + slot.leaves.length)));
    k += slot.leaves.length;
  }
  const single = typeof argnums === "number" || (argnums === undefined && args.length === 1);
  const result = single ? bySlot.get(positions[0]!) : positions.map((p) => bySlot.get(p));
  return { value: out, grad: result };
}
