/**
 * The reverse-mode engine: walks a tape backwards and accumulates gradients per tensor object.
 * Internal (not exported from the package); `grad`, `valueAndGrad` and `gradcheck` are built on it.
 */
import { add } from "../elementwise";
import { Tensor } from "../tensor";
import { NotDifferentiableError, recordOp, withTapes, type Tape, type TapeNode } from "./tape";
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
 * recorded later and has already been processed.
 *
 * Higher order: `outer` are the tapes that were recording when the differentiation started (those
 * of enclosing `grad` calls). Differentiable backward functions run with them recording, and
 * gradients are accumulated with the recorded `add`, so the returned gradients are differentiable
 * functions of the outer inputs. A non-differentiable backward runs with recording paused, and its
 * gradients are wrapped in a node whose own backward throws `NotDifferentiableError`.
 *
 * With `retain`, the tape is kept for another walk (one forward pass, several backward passes, as
 * `jacobian` does); otherwise it is released.
 *
 * @returns one gradient per target, each a fresh row-major tensor of the target's shape and dtype
 *   (zeros for a target the output does not depend on).
 */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function backprop(
  op: string,
  tape: Tape,
  output: Tensor,
  seed: Tensor,
  targets: readonly Tensor[],
  outer: readonly Tape[] = [],
  retain = false,
): Tensor[] {
  return withTapes(outer, () => walk(op, tape, output, seed, targets, outer.length > 0, retain));
}

/** A view of `g` recorded as depending on `deps` through an op that refuses a second derivative. */
function refuseSecondOrder(node: TapeNode, g: Tensor, deps: readonly Tensor[]): Tensor {
  const out = new Tensor(g.data, g.shape, g.strides, g.offset);
  recordOp(`${node.name} (backward)`, deps, out, () => {
    throw new NotDifferentiableError(
      node.name,
      "its backward pass is computed on raw arrays, so it has no second derivative",
    );
  });
  return out;
}

function walk(
  op: string,
  tape: Tape,
  output: Tensor,
  seed: Tensor,
  targets: readonly Tensor[],
  higher: boolean,
  retain: boolean,
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
    let inputGrads: readonly (Tensor | null)[];
    if (!higher) {
      inputGrads = withTapes([], () => node.backward(entry.t));
    } else if (node.differentiable) {
      inputGrads = node.backward(entry.t); // recorded on the outer tapes
    } else {
      const raw = withTapes([], () => node.backward(entry.t));
      const deps = [entry.t, ...node.inputs];
      inputGrads = raw.map((g) => (g === null ? null : refuseSecondOrder(node, g, deps)));
    }
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
      if (higher) {
        // Recorded accumulation (no in-place updates), so the sum stays differentiable.
        grads.set(input, { t: prev === undefined ? g : add(prev.t, g), owned: false });
      } else if (prev === undefined) {
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
  if (!retain) nodes.length = 0; // release the graph
  return targets.map((target) => {
    const entry = grads.get(target);
    if (entry === undefined) return zerosOf(target.shape, target.dtype);
    if (higher) {
      // A fresh copy that stays connected to the outer tapes (identity backward).
      const copy = contiguousCopy(entry.t, target.dtype);
      recordOp("grad", [entry.t], copy, (g) => [g], { differentiable: true });
      return copy;
    }
    // Copy unless this walk allocated it: a backward may hand back a view of another tensor.
    return entry.owned && entry.t.dtype === target.dtype ? entry.t : contiguousCopy(entry.t, target.dtype);
  });
}
