/** Conversion of the public inputs (any `TensorInput`) into packed row-major Float64Arrays, and of results into Tensors. */
import { Tensor, assertNotDifferentiated, toTensor as toTensorOf, warnDeprecated, type TensorInput } from "@hw/tensor";

/**
 * A matrix argument: an `@hw/tensor` Tensor of rank 2 (any strides, float32 or float64) or nested arrays.
 * @deprecated Use `TensorInput` from `@hw/tensor`; removed in 0.2.0.
 */
export type MatrixInput = TensorInput;

/**
 * A vector argument: an `@hw/tensor` Tensor of rank 1 or a plain array (typed arrays are still read,
 * with a deprecation warning).
 * @deprecated Use `TensorInput` from `@hw/tensor`; removed in 0.2.0.
 */
export type VectorInput = TensorInput | Float64Array | Float32Array;

/** A fresh rank-1 float64 Tensor holding `data` (results are Tensors, never bare typed arrays). */
export function vectorTensor(data: Float64Array): Tensor {
  return new Tensor(data, [data.length]);
}

/**
 * The differentiability guard of the package's functions: none records a backward rule (they return
 * numbers or solve systems in float64 kernels), so inside `grad` they refuse instead of giving zeros.
 */
export function refuseGrad(op: string, inputs: readonly unknown[]): void {
  assertNotDifferentiated(op, inputs, "computed in float64 kernels with no backward rule; build the loss from @hw/tensor ops to differentiate it");
}

/** A packed row-major float64 matrix. */
export interface Packed {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

function toTensor(op: string, name: string, value: unknown): Tensor {
  return toTensorOf(value as TensorInput, `${op}: ${name}`);
}

/** Copy a tensor's elements, row-major, into a fresh Float64Array (handles views and float32). */
function packed(t: Tensor): Float64Array {
  const c = t.contiguous();
  const out = new Float64Array(c.size);
  for (let i = 0; i < out.length; i++) out[i] = c.data[c.offset + i]!;
  return out;
}

function checkFinite(op: string, name: string, data: Float64Array, cols: number): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const at = cols > 0 ? `[${Math.floor(i / cols)}][${i % cols}]` : `[${i}]`;
      throw new RangeError(`${op}: ${name}${at} is ${v}; the inputs must be finite`);
    }
  }
}

/** A rank-2 input as a packed matrix; non-finite entries are a RangeError naming the entry. */
export function asMatrix(op: string, name: string, value: unknown, finite = true): Packed {
  const t = toTensor(op, name, value);
  if (t.ndim !== 2) {
    throw new RangeError(`${op}: ${name} must be a matrix (rank 2), got shape [${t.shape.join(",")}]`);
  }
  const rows = t.shape[0]!;
  const cols = t.shape[1]!;
  const data = packed(t);
  if (finite) checkFinite(op, name, data, cols);
  return { data, rows, cols };
}

/** A rank-1 input as a Float64Array, optionally of a required length (named `what` in the error). */
export function asVector(op: string, name: string, value: unknown, length?: number, what?: string): Float64Array {
  let data: Float64Array;
  if (value instanceof Float64Array || value instanceof Float32Array) {
    warnDeprecated(`${op}: a typed array as ${name} is deprecated and will be refused from 0.2.0; pass a Tensor or an array (e.g. tensor.toArray())`);
    data = Float64Array.from(value);
  } else {
    const t = toTensor(op, name, value);
    if (t.ndim !== 1) {
      throw new RangeError(`${op}: ${name} must be a vector (rank 1), got shape [${t.shape.join(",")}]`);
    }
    data = packed(t);
  }
  if (length !== undefined && data.length !== length) {
    throw new RangeError(`${op}: ${name} has length ${data.length}, expected ${length}${what === undefined ? "" : ` (${what})`}`);
  }
  checkFinite(op, name, data, 0);
  return data;
}

/** The design matrix and targets of a regression, with their shapes checked against each other. */
export interface Regression {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly d: number;
}

/** Validate `X` (n×d, n ≥ 1, d ≥ 1) and `y` (n). */
export function regression(op: string, X: unknown, y: unknown): Regression {
  const m = asMatrix(op, "X", X);
  if (m.rows === 0 || m.cols === 0) {
    throw new RangeError(`${op}: X must have at least one row and one column, got shape [${m.rows},${m.cols}]`);
  }
  const yy = asVector(op, "y", y);
  if (yy.length !== m.rows) {
    throw new RangeError(`${op}: X and y disagree: X is [${m.rows},${m.cols}] but y has length ${yy.length} (expected ${m.rows})`);
  }
  return { x: m.data, y: yy, n: m.rows, d: m.cols };
}

/** A non-negative finite penalty λ. */
export function penaltyValue(op: string, name: string, lambda: number): number {
  if (typeof lambda !== "number" || !(lambda >= 0) || lambda === Infinity) {
    throw new RangeError(`${op}: ${name} must be a finite number ≥ 0, got ${String(lambda)}`);
  }
  return lambda;
}
