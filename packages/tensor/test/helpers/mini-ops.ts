/**
 * Tiny, obviously-correct differentiable ops written in the tests with `recordOp`, so that the
 * autodiff engine (grad, valueAndGrad, gradcheck) is tested on its own, independently of the
 * package's real ops (which test/gradcheck-ops.test.ts checks).
 */
import { recordOp } from "../../src/autodiff/tape";
import { Tensor } from "../../src/tensor";

/** Values of `t` in row-major order (any strides). */
export function valuesOf(t: Tensor): number[] {
  const out: number[] = [];
  const visit = (axis: number, pos: number): void => {
    if (axis === t.shape.length) {
      out.push(t.data[pos]!);
      return;
    }
    for (let i = 0; i < t.shape[axis]!; i++) visit(axis + 1, pos + i * t.strides[axis]!);
  };
  if (t.size > 0) visit(0, t.offset);
  return out;
}

/** A float64 tensor from row-major values. */
export function make(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return new Tensor(Float64Array.from(values), shape);
}

function unravel(k: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    index[ax] = k % shape[ax]!;
    k = Math.floor(k / shape[ax]!);
  }
  return index;
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new RangeError(`mini: cannot broadcast [${a.join(",")}] and [${b.join(",")}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Row-major flat position in `shape` of the broadcast index `index` (of a larger shape). */
function sourcePosition(index: readonly number[], shape: readonly number[]): number {
  const lead = index.length - shape.length;
  let pos = 0;
  for (let ax = 0; ax < shape.length; ax++) pos = pos * shape[ax]! + (shape[ax] === 1 ? 0 : index[lead + ax]!);
  return pos;
}

/** Sum `g` (of a broadcast shape) back down to `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(size);
  const gv = valuesOf(g);
  for (let k = 0; k < gv.length; k++) out[sourcePosition(unravel(k, g.shape), shape)]! += gv[k]!;
  return new Tensor(out, shape);
}

function elementwise(a: Tensor, b: Tensor, op: (x: number, y: number) => number): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  const size = shape.reduce((p, d) => p * d, 1);
  const av = valuesOf(a);
  const bv = valuesOf(b);
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const index = unravel(k, shape);
    out[k] = op(av[sourcePosition(index, a.shape)]!, bv[sourcePosition(index, b.shape)]!);
  }
  return new Tensor(out, shape);
}

/** Broadcasting a + b. */
export function add(a: Tensor, b: Tensor): Tensor {
  const out = elementwise(a, b, (x, y) => x + y);
  recordOp("add", [a, b], out, (g) => [sumTo(g, a.shape), sumTo(g, b.shape)]);
  return out;
}

/** Broadcasting a · b. */
export function mul(a: Tensor, b: Tensor): Tensor {
  const out = elementwise(a, b, (x, y) => x * y);
  recordOp("mul", [a, b], out, (g) => [sumTo(mulRaw(g, b), a.shape), sumTo(mulRaw(g, a), b.shape)]);
  return out;
}

function mulRaw(a: Tensor, b: Tensor): Tensor {
  return elementwise(a, b, (x, y) => x * y);
}

/** c · x for a number c. */
export function scale(x: Tensor, c: number): Tensor {
  const out = make(valuesOf(x).map((v) => c * v), x.shape);
  recordOp("scale", [x], out, (g) => [make(valuesOf(g).map((v) => c * v), x.shape)]);
  return out;
}

/** sin(x). */
export function sin(x: Tensor): Tensor {
  const xv = valuesOf(x);
  const out = make(xv.map(Math.sin), x.shape);
  recordOp("sin", [x], out, (g) => [make(valuesOf(g).map((v, k) => v * Math.cos(xv[k]!)), x.shape)]);
  return out;
}

/** Sum of all elements, as a 0-d tensor. */
export function sum(x: Tensor): Tensor {
  const out = make([valuesOf(x).reduce((p, v) => p + v, 0)], []);
  // backward: a stride-0 broadcast view of the scalar gradient (exercises non-contiguous gradients)
  recordOp("sum", [x], out, (g) => [new Tensor(g.data, x.shape, x.shape.map(() => 0), g.offset)]);
  return out;
}

/** Identity that returns its input object itself (an op whose output === its input). */
export function same(x: Tensor): Tensor {
  recordOp("same", [x], x, (g) => [g]);
  return x;
}

/** Transposed 2-D view (shares data). */
export function transposeView(x: Tensor): Tensor {
  const out = new Tensor(x.data, [x.shape[1]!, x.shape[0]!], [x.strides[1]!, x.strides[0]!], x.offset);
  recordOp("transposeView", [x], out, (g) => [new Tensor(g.data, x.shape, [g.strides[1]!, g.strides[0]!], g.offset)]);
  return out;
}
