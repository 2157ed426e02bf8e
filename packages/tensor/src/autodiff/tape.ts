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

/** Record a differentiable op if a tape is active and any input is tracked. */
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
