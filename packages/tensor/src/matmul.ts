/**
 * Matrix products with NumPy/PyTorch `matmul` semantics: `matmul`, `dot`, `outer`.
 */
import { isRecording, recordOp } from "./autodiff/tape";
import { broadcastShapesFor, sumTo } from "./broadcast";
import { kernels } from "./kernels/index";
import { formatShape } from "./internal/shape";
import { broadcastStrides, contiguousData } from "./internal/strided";
import { Tensor, isTensor, shapeSize } from "./tensor";
import { reshape, swapAxes } from "./views";

/** @internal Throw a TypeError naming `op` unless `x` is a tensor. */
export function requireTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!isTensor(x)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, got ${x === null ? "null" : typeof x}`);
  }
}

/** A matrix operand after NumPy's vector promotion: batch dims + [rows, cols] with strides. */
interface MatrixOperand {
  readonly batchShape: readonly number[];
  readonly batchStrides: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
  readonly colStride: number;
}

function asMatrix(x: Tensor, isLeft: boolean): MatrixOperand {
  const nd = x.ndim;
  if (nd === 1) {
    const len = x.shape[0]!;
    const st = x.strides[0]!;
    // Left vector: a row [1, k]; right vector: a column [k, 1].
    return isLeft
      ? { batchShape: [], batchStrides: [], rows: 1, cols: len, rowStride: 0, colStride: st }
      : { batchShape: [], batchStrides: [], rows: len, cols: 1, rowStride: st, colStride: 0 };
  }
  return {
    batchShape: x.shape.slice(0, nd - 2),
    batchStrides: x.strides.slice(0, nd - 2),
    rows: x.shape[nd - 2]!,
    cols: x.shape[nd - 1]!,
    rowStride: x.strides[nd - 2]!,
    colStride: x.strides[nd - 1]!,
  };
}

/** The output shape of `matmul(a, b)` (validated), and the broadcast batch shape. */
function matmulShapes(a: Tensor, b: Tensor): { batch: number[]; out: number[] } {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: operands must have at least 1 axis, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}`,
    );
  }
  const ma = asMatrix(a, true);
  const mb = asMatrix(b, false);
  if (ma.cols !== mb.rows) {
    throw new RangeError(`matmul: inner dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  let batch: number[];
  try {
    batch = broadcastShapesFor("matmul", [ma.batchShape, mb.batchShape]);
  } catch {
    throw new RangeError(
      `matmul: batch dimensions do not broadcast: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`,
    );
  }
  const out = [...batch];
  if (a.ndim > 1) out.push(ma.rows);
  if (b.ndim > 1) out.push(mb.cols);
  return { batch, out };
}

/** A float64 view of `x` (itself, or a contiguous float64 copy of a float32 tensor) and its data. */
function asFloat64(x: Tensor): { t: Tensor; data: Float64Array } {
  if (x.data instanceof Float64Array) return { t: x, data: x.data };
  const data = Float64Array.from(contiguousData(x));
  return { t: new Tensor(data, x.shape), data };
}

/** Forward product without recording. */
function matmulForward(a: Tensor, b: Tensor): Tensor {
  const { batch, out } = matmulShapes(a, b);
  const outDType = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  // The kernel only ever sees Float64Array (keeps V8's code monomorphic); the copy is O(size).
  const a64 = asFloat64(a);
  const b64 = asFloat64(b);
  a = a64.t;
  b = b64.t;
  const ma = asMatrix(a, true);
  const mb = asMatrix(b, false);
  const m = ma.rows;
  const k = ma.cols;
  const n = mb.cols;
  const batchSize = shapeSize(batch);
  const c = new Float64Array(batchSize * m * n);
  if (c.length > 0 && k > 0) {
    const sa = broadcastStrides(ma.batchShape, ma.batchStrides, batch);
    const sb = broadcastStrides(mb.batchShape, mb.batchStrides, batch);
    const index = new Array<number>(batch.length).fill(0);
    let offA = a.offset;
    let offB = b.offset;
    for (let t = 0; t < batchSize; t++) {
      kernels.gemm(m, n, k, 1, a64.data, offA, ma.rowStride, ma.colStride, b64.data, offB, mb.rowStride, mb.colStride, c, t * m * n, n, true);
      // Advance the batch multi-index (row-major), updating both operand offsets.
      for (let ax = batch.length - 1; ax >= 0; ax--) {
        index[ax]!++;
        offA += sa[ax]!;
        offB += sb[ax]!;
        if (index[ax]! < batch[ax]!) break;
        offA -= sa[ax]! * batch[ax]!;
        offB -= sb[ax]! * batch[ax]!;
        index[ax] = 0;
      }
    }
  }
  const data = outDType === "float32" ? Float32Array.from(c) : c;
  return new Tensor(data, out);
}

/** The promoted (≥ 2-D) shape NumPy uses for an operand: `[k] → [1, k]` (left) or `[k, 1]` (right). */
function promotedShape(x: Tensor, isLeft: boolean): number[] {
  if (x.ndim !== 1) return [...x.shape];
  return isLeft ? [1, x.shape[0]!] : [x.shape[0]!, 1];
}

/**
 * Matrix product with NumPy/PyTorch `matmul` semantics.
 *
 * $$C_{\dots i j} = \sum_{p} A_{\dots i p}\, B_{\dots p j}$$
 *
 * - 2-D @ 2-D: the matrix product `[m,k] @ [k,n] → [m,n]`.
 * - 1-D operands are promoted: a left vector `[k]` to a row `[1,k]`, a right vector `[k]` to a
 *   column `[k,1]`, and the promoted axis is removed from the result (so vector @ vector is a
 *   0-d tensor, matrix @ vector is `[m]`, vector @ matrix is `[n]`).
 * - More than 2 axes: the leading (batch) axes broadcast by the NumPy rule, e.g.
 *   `[2,1,m,k] @ [3,k,n] → [2,3,m,n]`.
 * - Any strides (transposed, sliced or broadcast views) are accepted; operands are packed into
 *   cache-sized contiguous panels inside the kernel rather than copied up front.
 * - An inner dimension of 0 gives zeros. NaN and ±Infinity propagate as IEEE arithmetic says
 *   (zero entries are never skipped, so `0 · Inf` gives NaN).
 *
 * Accumulation is always in float64. The result is float32 only when both operands are float32.
 *
 * Differentiable: with $G = \partial L / \partial C$,
 * $\nabla_A = \mathrm{sumTo}(G B^{\mathsf T}, \mathrm{shape}(A))$ and
 * $\nabla_B = \mathrm{sumTo}(A^{\mathsf T} G, \mathrm{shape}(B))$, computed on the promoted shapes;
 * `sumTo` sums the gradient back over batch axes that were broadcast.
 *
 * @param a - Left operand (at least 1 axis).
 * @param b - Right operand (at least 1 axis).
 * @returns The product.
 * @throws TypeError when an operand is not a tensor.
 * @throws RangeError when an operand is 0-d, the inner dimensions differ
 *   (`matmul: inner dimensions differ: [2,3] @ [4,5]`) or the batch axes do not broadcast.
 * @example
 * ```ts
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(); // [[17], [39]]
 * matmul(tensor([1, 2]), tensor([3, 4])).item();                   // 11
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  requireTensor("matmul", "a", a);
  requireTensor("matmul", "b", b);
  const out = matmulForward(a, b);
  recordOp("matmul", [a, b], out, (g) => matmulBackward(a, b, g), DIFF);
  return out;
}

/** Backward passes of the products: recorded `matmul`s when recording (higher order). */
const DIFF = { differentiable: true } as const;

/** The product used inside backward passes: recorded when a tape records, the bare kernel otherwise. */
function product(a: Tensor, b: Tensor): Tensor {
  return isRecording() ? matmul(a, b) : matmulForward(a, b);
}

/** Gradients of `matmul(a, b)` given the output gradient `g`. */
function matmulBackward(a: Tensor, b: Tensor, g: Tensor): [Tensor, Tensor] {
  const pa = promotedShape(a, true);
  const pb = promotedShape(b, false);
  const A = reshape(a, pa);
  const B = reshape(b, pb);
  const { batch } = matmulShapes(a, b);
  const G = reshape(g, [...batch, pa[pa.length - 2]!, pb[pb.length - 1]!]);
  const gA = sumTo(product(G, swapAxes(B, -1, -2)), pa);
  const gB = sumTo(product(swapAxes(A, -1, -2), G), pb);
  return [reshape(gA, a.shape), reshape(gB, b.shape)];
}

/**
 * Inner product of two vectors.
 *
 * $$a \cdot b = \sum_i a_i b_i$$
 *
 * Differentiable: $\nabla_a = g\, b$, $\nabla_b = g\, a$.
 *
 * @param a - A 1-D tensor.
 * @param b - A 1-D tensor of the same length.
 * @returns A 0-d tensor (0 for empty vectors).
 * @throws TypeError when an operand is not a tensor.
 * @throws RangeError when an operand is not 1-D (`dot: expected 1-D tensors, got [2,2] and [2]`)
 *   or the lengths differ.
 * @example
 * ```ts
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  requireTensor("dot", "a", a);
  requireTensor("dot", "b", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(`dot: expected 1-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(`dot: lengths differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const out = matmulForward(a, b);
  recordOp("dot", [a, b], out, (g) => matmulBackward(a, b, g), DIFF);
  return out;
}

/**
 * Outer product of two vectors.
 *
 * $$(a \otimes b)_{ij} = a_i\, b_j$$
 *
 * Differentiable: $\nabla_a = G\, b$, $\nabla_b = G^{\mathsf T} a$.
 *
 * @param a - A 1-D tensor of length m.
 * @param b - A 1-D tensor of length n.
 * @returns An `[m, n]` tensor.
 * @throws TypeError when an operand is not a tensor.
 * @throws RangeError when an operand is not 1-D.
 * @example
 * ```ts
 * outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(); // [[3, 4, 5], [6, 8, 10]]
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  requireTensor("outer", "a", a);
  requireTensor("outer", "b", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(`outer: expected 1-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const m = a.shape[0]!;
  const n = b.shape[0]!;
  const col = new Tensor(a.data, [m, 1], [a.strides[0]!, 0], a.offset);
  const row = new Tensor(b.data, [1, n], [0, b.strides[0]!], b.offset);
  const out = matmulForward(col, row);
  recordOp(
    "outer",
    [a, b],
    out,
    (g) => [
      reshape(product(g, reshape(b, [n, 1])), [m]),
      reshape(product(swapAxes(g, 0, 1), reshape(a, [m, 1])), [n]),
    ],
    DIFF,
  );
  return out;
}
