/**
 * Shared plumbing of the linear-algebra ops (not exported from the package): validation of
 * (batches of) square matrices, batch broadcasting, and copies between strided tensors and
 * row-major float64 work arrays.
 */
import { recordOp } from "../autodiff/tape";
import { broadcastShapesFor } from "../broadcast";
import { requireTensor } from "../matmul";
import { formatShape } from "../internal/shape";
import { broadcastStrides } from "../internal/strided";
import { Tensor, shapeSize, type DType } from "../tensor";

/** Validate a tensor of shape `[..., n, n]`; returns n and the batch shape. */
export function squareBatch(op: string, name: string, a: unknown): { n: number; batch: number[] } {
  requireTensor(op, name, a);
  if (a.ndim < 2) {
    throw new RangeError(`${op}: ${name} must have at least 2 axes [..., n, n], got ${formatShape(a.shape)}`);
  }
  const n = a.shape[a.ndim - 1]!;
  if (a.shape[a.ndim - 2] !== n) {
    throw new RangeError(`${op}: ${name} must be square, got ${formatShape(a.shape)}`);
  }
  return { n, batch: a.shape.slice(0, -2) };
}

/** Offsets of each matrix of `x` (batch axes `x.shape[:-2]`) when broadcast to `batch`. */
export function batchOffsets(x: Tensor, batch: readonly number[], matrixAxes = 2): number[] {
  const own = x.shape.slice(0, x.ndim - matrixAxes);
  const strides = broadcastStrides(own, x.strides.slice(0, x.ndim - matrixAxes), batch);
  const count = shapeSize(batch);
  const out = new Array<number>(count);
  const index = new Array<number>(batch.length).fill(0);
  let off = x.offset;
  for (let t = 0; t < count; t++) {
    out[t] = off;
    for (let ax = batch.length - 1; ax >= 0; ax--) {
      index[ax]!++;
      off += strides[ax]!;
      if (index[ax]! < batch[ax]!) break;
      off -= strides[ax]! * batch[ax]!;
      index[ax] = 0;
    }
  }
  return out;
}

/** Broadcast two batch shapes, naming both full operand shapes in the error. */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function broadcastBatch(op: string, a: Tensor, aBatch: readonly number[], b: Tensor, bBatch: readonly number[]): number[] {
  try {
    return broadcastShapesFor(op, [aBatch, bBatch]);
  } catch {
    throw new RangeError(`${op}: batch dimensions do not broadcast: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
}

/** Copy a rows×cols strided block starting at `off` into `out` (row-major, row stride cols). */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function readMatrix(x: Tensor, off: number, rows: number, cols: number, out: Float64Array): void {
  const d = x.data;
  const rs = x.strides[x.ndim - 2] ?? 0;
  const cs = x.strides[x.ndim - 1] ?? 0;
  let k = 0;
  for (let i = 0; i < rows; i++) {
    let s = off + i * rs;
    for (let j = 0; j < cols; j++) {
      out[k++] = d[s]!;
      s += cs;
    }
  }
}

/** Copy a column vector (the last axis of `x`, from `off`) into `out`. */
export function readVector(x: Tensor, off: number, n: number, out: Float64Array): void {
  const s = x.strides[x.ndim - 1] ?? 0;
  for (let i = 0; i < n; i++) out[i] = x.data[off + i * s]!;
}

/** The dtype of a result: float32 only when every operand is float32. */
export function resultDType(...xs: readonly Tensor[]): DType {
  return xs.every((x) => x.dtype === "float32") ? "float32" : "float64";
}

/** Wrap float64 results as a tensor of `dtype`. */
export function makeTensor(data: Float64Array, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(dtype === "float32" ? Float32Array.from(data) : data, shape);
}

/** Throw when a matrix copy holds NaN or ±Infinity (the message names the first bad entry). */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function requireFinite(op: string, m: Float64Array, cols: number, batchIndex: number, batchCount: number): void {
  for (let i = 0; i < m.length; i++) {
    const v = m[i]!;
    if (!Number.isFinite(v)) {
      const where = batchCount > 1 ? ` of matrix ${batchIndex}` : "";
      throw new RangeError(
        `${op}: matrix has a non-finite entry ${v} at [${Math.floor(i / cols)},${i % cols}]${where}`,
      );
    }
  }
}

/**
 * A new tensor keeping one triangle of each matrix of `t` (`[..., n, n]`), zero elsewhere:
 * the lower (`lower`) or upper triangle, with the diagonal scaled by `diagonal` (1 keeps it,
 * 0 drops it, 0.5 gives the Φ operator of the Cholesky gradient).
 */
export function triangle(t: Tensor, lower: boolean, diagonal: number): Tensor {
  const out = triangleData(t, lower, diagonal);
  // A linear mask, its own adjoint: differentiable to any order.
  recordOp("triangle", [t], out, (g) => [triangle(g, lower, diagonal)], { differentiable: true });
  return out;
}

function triangleData(t: Tensor, lower: boolean, diagonal: number): Tensor {
  const n = t.shape[t.ndim - 1]!;
  const batch = t.shape.slice(0, -2);
  const count = shapeSize(batch);
  const offsets = batchOffsets(t, batch);
  const out = new Float64Array(count * n * n);
  const m = new Float64Array(n * n);
  for (let b = 0; b < count; b++) {
    readMatrix(t, offsets[b]!, n, n, m);
    const base = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const keep = lower ? j < i : j > i;
        out[base + i * n + j] = keep ? m[i * n + j]! : i === j ? diagonal * m[i * n + j]! : 0;
      }
    }
  }
  return makeTensor(out, t.shape, t.dtype);
}
