/**
 * The reverse-mode engine: walks a tape backwards and accumulates gradients per tensor object.
 * Internal (not exported from the package); `grad`, `valueAndGrad` and `gradcheck` are built on it.
 */
import type { Tensor } from "../tensor";
import { withTape, type Tape } from "./tape";
import { addInto, contiguousCopy, sameShape, showShape, zerosOf } from "./buffers";

interface Accumulated {
  /** The gradient so far. */
  t: Tensor;
  /** True when `t` is a buffer this walk allocated, so it may be added into in place. */
  owned: boolean;
}

/** A fresh empty tape. */
export function newTape(): Tape {
  return { nodes: [], tracked: new WeakSet<Tensor>() };
}

/**
 * Vector–Jacobian product: the gradient of `⟨seed, output⟩` with respect to each of `targets`,
 * given the tape that recorded `output` from them.
 *
 * The walk is iterative over the tape in reverse recording order (a valid reverse topological
 * order, since an op is recorded after its inputs exist), so graphs of any depth are fine.
 * A tensor's gradient is complete when its producing node is reached: every consumer was
 * recorded later and has already been processed. Backward functions run with recording paused.
 *
 * @returns one gradient per target, each a fresh row-major tensor of the target's shape and dtype
 *   (zeros for a target the output does not depend on).
 */
export function backprop(
  op: string,
  tape: Tape,
  output: Tensor,
  seed: Tensor,
  targets: readonly Tensor[],
): Tensor[] {
  const grads = new Map<Tensor, Accumulated>();
  if (tape.tracked.has(output)) grads.set(output, { t: seed, owned: false });
  const nodes = tape.nodes;
  for (let n = nodes.length - 1; n >= 0; n--) {
    const node = nodes[n]!;
    const entry = grads.get(node.output);
    if (entry === undefined) continue; // the output does not reach this node
    // Delete before accumulating: an op that returned one of its inputs unchanged (output === input)
    // then passes its gradient through instead of doubling it.
    grads.delete(node.output);
    const inputGrads = withTape(null, () => node.backward(entry.t));
    if (inputGrads.length !== node.inputs.length) {
      throw new Error(
        `${op}: backward of "${node.name}" returned ${inputGrads.length} gradients for ${node.inputs.length} inputs`,
      );
    }
    for (let j = 0; j < inputGrads.length; j++) {
      const g = inputGrads[j];
      const input = node.inputs[j]!;
      if (g === null || g === undefined || !tape.tracked.has(input)) continue;
      if (!sameShape(g.shape, input.shape)) {
        throw new Error(
          `${op}: backward of "${node.name}" returned a gradient of shape ${showShape(g.shape)} ` +
            `for input ${j} of shape ${showShape(input.shape)}`,
        );
      }
      const prev = grads.get(input);
      if (prev === undefined) {
        grads.set(input, { t: g, owned: false });
      } else if (prev.owned) {
        addInto(prev.t, g);
      } else {
        const sum = contiguousCopy(prev.t, input.dtype);
        addInto(sum, g);
        grads.set(input, { t: sum, owned: true });
      }
    }
  }
  nodes.length = 0; // release the graph
  return targets.map((target) => {
    const entry = grads.get(target);
    if (entry === undefined) return zerosOf(target.shape, target.dtype);
    // Copy unless this walk allocated it: a backward may hand back a view of another tensor.
    return entry.owned && entry.t.dtype === target.dtype ? entry.t : contiguousCopy(entry.t, target.dtype);
  });
}
