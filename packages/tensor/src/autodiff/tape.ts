/**
 * The recording hook every differentiable op calls. The autodiff module (grad, valueAndGrad)
 * turns recording on; outside it, `recordOp` costs one branch.
 *
 * Contract for op authors:
 *   const out = …compute…;
 *   recordOp("add", [a, b], out, (g) => [sumTo(g, a.shape), sumTo(g, b.shape)]);
 *   return out;
 * `backward` receives the gradient of the output (same shape as `out`) and returns one gradient per
 * input, with that input's shape, or `null` where the input gets no gradient.
 *
 * Higher order: tapes nest (`grad` inside `grad`). An op is recorded on every active tape that
 * tracks one of its inputs. A backward declared `{ differentiable: true }` runs with the enclosing
 * tapes recording, so the gradient it returns is itself differentiable (it must then be written
 * with recorded public ops only); any other backward runs with recording paused and its result is
 * marked so that differentiating through it again throws `NotDifferentiableError` — never zeros.
 */
import type { Tensor } from "../tensor";

/**
 * The backward rule of a recorded op: given $\bar y = \partial L/\partial y$ (shape of the output),
 * return $\bar x_j = \partial L/\partial x_j$ for each input $x_j$ (its shape), or `null` for an
 * input that gets no gradient.
 *
 * @param gradOutput - the gradient of the op's output
 * @returns one gradient (or null) per input, in the order of `inputs`
 */
export type BackwardFn = (gradOutput: Tensor) => readonly (Tensor | null)[];

/** One recorded operation. */
export interface TapeNode {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly backward: BackwardFn;
  /** True when `backward` is built from recorded ops (so it can be differentiated again). */
  readonly differentiable: boolean;
}

/** Options of {@link recordOp}. */
export interface RecordOptions {
  /**
   * The backward is written with recorded public ops only, so gradients of gradients flow through
   * it (e.g. `(g) => [mul(g, y)]`). Leave it false for a backward that computes on raw arrays: a
   * second derivative through the op then throws `NotDifferentiableError` instead of being zero.
   * @defaultValue false
   */
  readonly differentiable?: boolean;
}

/** A recording session: the tensors being differentiated and everything computed from them. */
export interface Tape {
  readonly nodes: TapeNode[];
  /** Tensors that depend on a differentiated input. */
  readonly tracked: WeakSet<Tensor>;
}

/** The tapes recording now, outermost first (nested `grad` calls push one each). */
let stack: readonly Tape[] = [];

/** The innermost tape currently recording, or null. */
export function activeTape(): Tape | null {
  return stack.length === 0 ? null : stack[stack.length - 1]!;
}

/** The tapes recording now, outermost first. */
export function activeTapes(): readonly Tape[] {
  return stack;
}

/** True when some tape is recording (inside `grad`, or inside a differentiable backward of a nested one). */
export function isRecording(): boolean {
  return stack.length > 0;
}

/** Run `fn` with exactly `tapes` recording (restored afterwards). */
export function withTapes<T>(tapes: readonly Tape[], fn: () => T): T {
  const previous = stack;
  stack = tapes;
  try {
    return fn();
  } finally {
    stack = previous;
  }
}

/** Run `fn` with `tape` pushed on the recording tapes, or with recording paused when `tape` is null. */
export function withTape<T>(tape: Tape | null, fn: () => T): T {
  return withTapes(tape === null ? [] : [...stack, tape], fn);
}

/**
 * Record a differentiable op if a tape is active and any input is tracked (otherwise one branch).
 *
 * Every differentiable op of `@hw/tensor` calls it; topic packages may call it too, to give a
 * composite op an analytic backward (check it with `gradcheck`).
 *
 * @param name - the op's name (shown in errors about its backward)
 * @param inputs - the tensors the output depends on differentiably
 * @param output - the freshly computed output (a new `Tensor` object)
 * @param backward - {@link BackwardFn}
 * @param options - {@link RecordOptions}: `{ differentiable: true }` when `backward` uses recorded
 *   ops only, so second derivatives flow through it
 * @example
 * ```ts
 * function cube(x: Tensor): Tensor {
 *   const out = mul(mul(x, x), x); // computed with any ops, recorded or not
 *   recordOp("cube", [x], out, (g) => [mul(g, mul(3, mul(x, x)))]);
 *   return out;
 * }
 * ```
 */
// eslint-disable-next-line no-restricted-syntax -- recordOp(name, inputs, output, backward, options) mirrors torch.autograd.Function: four required parts of one op
export function recordOp(
  name: string,
  inputs: readonly Tensor[],
  output: Tensor,
  backward: BackwardFn,
  options?: RecordOptions,
): void {
  const tapes = stack;
  if (tapes.length === 0) return;
  let node: TapeNode | null = null;
  for (const tape of tapes) {
    let any = false;
    for (const t of inputs) {
      if (tape.tracked.has(t)) {
        any = true;
        break;
      }
    }
    if (!any) continue;
    node ??= { name, inputs, output, backward, differentiable: options?.differentiable === true };
    tape.tracked.add(output);
    tape.nodes.push(node);
  }
}

/**
 * Thrown when a function that has no backward rule is called on a tensor that autodiff is
 * differentiating: hw refuses rather than return a gradient of zeros.
 */
export class NotDifferentiableError extends Error {
  /** The public function that was differentiated. */
  readonly fn: string;

  constructor(fn: string, reason = "it has no backward rule") {
    super(`${fn}: not differentiable (${reason}); call it outside grad/valueAndGrad, or on stopGradient(x)`);
    this.name = "NotDifferentiableError";
    this.fn = fn;
  }
}

/** True when autodiff is recording and `value` is a tensor that depends on a differentiated input. */
export function isTracked(value: unknown): boolean {
  if (stack.length === 0 || typeof value !== "object" || value === null) return false;
  for (const tape of stack) if (tape.tracked.has(value as Tensor)) return true;
  return false;
}

/**
 * The differentiability guard of a function without a backward rule: throws
 * {@link NotDifferentiableError} when any of `inputs` (tensors, or records/arrays of them, one level
 * deep) is being differentiated. Outside `grad` it costs one branch.
 *
 * @param fn - the public function's name
 * @param inputs - its tensor arguments
 * @throws NotDifferentiableError naming `fn`
 */
export function assertNotDifferentiated(fn: string, inputs: readonly unknown[], reason?: string): void {
  if (stack.length === 0) return;
  for (const v of inputs) {
    if (isTracked(v)) throw new NotDifferentiableError(fn, reason);
    if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) {
      for (const inner of Object.values(v as Record<string, unknown>)) {
        if (isTracked(inner)) throw new NotDifferentiableError(fn, reason);
      }
    }
  }
}
