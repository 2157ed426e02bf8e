/**
 * NumPy broadcasting: the shape rule, and `sumTo`, its adjoint (used by every backward pass).
 */
import { recordOp } from "./autodiff/tape";
import { Tensor, allocate } from "./tensor";
import { formatShape } from "./internal/shape";
import { reduceGeometry, sumKernel } from "./internal/reduce-kernel";
import { broadcastTo } from "./views";

/**
 * Broadcast shapes pairwise, naming `op` in the error. Internal form of {@link broadcastShapes}.
 * @internal
 */
export function broadcastShapesFor(op: string, shapes: readonly (readonly number[])[]): number[] {
  let out: number[] = [];
  let first = true;
  for (const s of shapes) {
    if (first) {
      out = [...s];
      first = false;
      continue;
    }
    const n = Math.max(out.length, s.length);
    const next = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const a = out[out.length - n + i] ?? 1;
      const b = s[s.length - n + i] ?? 1;
      if (a === b || b === 1) next[i] = a;
      else if (a === 1) next[i] = b;
      else {
        throw new RangeError(`${op}: shapes ${formatShape(out)} and ${formatShape(s)} cannot broadcast`);
      }
    }
    out = next;
  }
  return out;
}

/**
 * The shape that several shapes broadcast to, by the NumPy rule: align the shapes on the right;
 * along each axis the sizes must be equal or 1 (a missing axis counts as 1), and the result takes
 * the larger size.
 *
 * @param shapes - The shapes to combine.
 * @returns The broadcast shape (`[]` for no shapes).
 * @throws RangeError when two shapes are incompatible, e.g.
 *   `broadcastShapes: shapes [2,3] and [4] cannot broadcast`.
 * @example
 * ```ts
 * broadcastShapes([2, 1, 3], [4, 1]); // [2, 4, 3]
 * ```
 */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  return broadcastShapesFor("broadcastShapes", shapes);
}

/**
 * Sum `x` down to `shape`, the adjoint of broadcasting `shape` up to `x.shape`: leading axes that
 * `shape` lacks are summed away, and axes where `shape` has 1 are summed with the dimension kept.
 * This turns the gradient of a broadcast operand back into that operand's shape.
 *
 * $$\mathrm{sumTo}(x, s)_{j} = \sum_{i \,:\, \mathrm{broadcast}(i) = j} x_i$$
 *
 * Always returns a new tensor object (a view when nothing is summed). Differentiable.
 *
 * @param x - The (broadcast) tensor.
 * @param shape - The target shape; it must broadcast to `x.shape`.
 * @returns A tensor of shape `shape`.
 * @throws RangeError when `shape` does not broadcast to `x.shape`.
 * @example
 * ```ts
 * sumTo(ones([2, 3]), [1, 3]).toArray(); // [[2, 2, 2]]
 * sumTo(ones([2, 3]), []).item();        // 6
 * ```
 */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  const lead = x.ndim - shape.length;
  const axes: number[] = [];
  let ok = lead >= 0;
  if (ok) {
    for (let i = 0; i < x.ndim; i++) {
      if (i < lead) axes.push(i);
      else {
        const t = shape[i - lead]!;
        const d = x.shape[i]!;
        if (t === d) continue;
        if (t === 1) axes.push(i);
        else ok = false;
      }
    }
  }
  if (!ok) throw new RangeError(`sumTo: shape ${formatShape(shape)} does not broadcast to ${formatShape(x.shape)}`);
  let out: Tensor;
  if (axes.length === 0) {
    out = new Tensor(x.data, shape, x.strides.slice(lead), x.offset);
  } else {
    const g = reduceGeometry(x.shape, axes);
    const acc = new Float64Array(g.outSize);
    sumKernel(x, g, acc);
    let data = allocate(x.dtype, g.outSize);
    if (data instanceof Float64Array) data = acc;
    else data.set(acc);
    out = new Tensor(data, shape);
  }
  recordOp("sumTo", [x], out, (gr) => [broadcastTo(gr, x.shape)], { differentiable: true });
  return out;
}
