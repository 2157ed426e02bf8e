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
