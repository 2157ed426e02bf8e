/**
 * The recording hook every differentiable op calls. The autodiff module (grad, valueAndGrad)
 * turns recording on; outside it, `recordOp` costs one branch.
 *
 * Contract for op authors:
 *   const out = …compute…;
 *   recordOp("add", [a, b], out, (g) => [sumTo(g, a.shape), sumTo(g, b.shape)]);
 *   return out;
 * `backward` receives the gradient of the output (same shape as `out`) and returns one gradient per
 * input, with that input's shape, or `null` where the input gets no gradient. Backward functions are
 * written with public ops: they run with recording paused (no higher-order gradients).
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
}

/** A recording session: the tensors being differentiated and everything computed from them. */
export interface Tape {
  readonly nodes: TapeNode[];
  /** Tensors that depend on a differentiated input. */
  readonly tracked: WeakSet<Tensor>;
}

let active: Tape | null = null;

/** The tape currently recording, or null. */
export function activeTape(): Tape | null {
  return active;
}

/** Run `fn` with `tape` recording (nested calls restore the previous tape). */
export function withTape<T>(tape: Tape | null, fn: () => T): T {
  const previous = active;
  active = tape;
  try {
    return fn();
  } finally {
    active = previous;
  }
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
 * @param backward - {@link BackwardFn}; runs with recording paused
 * @example
 * ```ts
 * function cube(x: Tensor): Tensor {
 *   const out = mul(mul(x, x), x); // computed with any ops, recorded or not
 *   recordOp("cube", [x], out, (g) => [mul(g, mul(3, mul(x, x)))]);
 *   return out;
 * }
 * ```
 */
export function recordOp(name: string, inputs: readonly Tensor[], output: Tensor, backward: BackwardFn): void {
  const tape = active;
  if (tape === null) return;
  let any = false;
  for (const t of inputs) {
    if (tape.tracked.has(t)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  tape.tracked.add(output);
  tape.nodes.push({ name, inputs, output, backward });
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
  const tape = active;
  return tape !== null && typeof value === "object" && value !== null && tape.tracked.has(value as Tensor);
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
  if (active === null) return;
  for (const v of inputs) {
    if (isTracked(v)) throw new NotDifferentiableError(fn, reason);
    if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) {
      for (const inner of Object.values(v as Record<string, unknown>)) {
        if (isTracked(inner)) throw new NotDifferentiableError(fn, reason);
      }
    }
  }
}
