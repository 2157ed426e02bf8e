/**
 * The strided n-d array at the heart of hw.
 *
 * A `Tensor` is a view: a typed array (`data`) plus `shape`, `strides` and `offset`, so that
 * element `[i0, i1, …]` lives at `data[offset + i0·strides[0] + i1·strides[1] + …]`. Views
 * (transpose, slice, broadcast …) share `data`; `contiguous()` copies into row-major order.
 * Tensors are immutable from the outside: no public op writes into an existing tensor.
 */

/** Element types: float64 is the default everywhere in hw; float32 where asked. */
export type DType = "float64" | "float32";

/** The typed array that backs a tensor of the given dtype. */
export type DataArray = Float64Array | Float32Array;

/** Nested JavaScript arrays of numbers, as produced by `toArray()`. */
export type NestedArray = number | readonly NestedArray[];

/** The brand that identifies a tensor across duplicate installed copies of `@hw/tensor`. */
export const TENSOR_BRAND: unique symbol = Symbol.for("@hw/tensor") as never;

/** Row-major (C-order) strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocate a zero-filled typed array of the dtype. */
export function allocate(dtype: DType, n: number): DataArray {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

/**
 * An immutable strided view of a typed array.
 *
 * Construct tensors with `tensor()`, `zeros()` and friends rather than with `new`.
 */
export class Tensor {
  /** Brand checked by {@link isTensor}. */
  readonly [TENSOR_BRAND] = true;
  /** The backing storage (shared between views). */
  readonly data: DataArray;
  /** Extent of each axis. */
  readonly shape: readonly number[];
  /** Step in `data` between neighbours along each axis (0 for broadcast axes). */
  readonly strides: readonly number[];
  /** Index in `data` of the first element. */
  readonly offset: number;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;

  /**
   * Low-level constructor: no validation beyond dtype consistency. Prefer the creation functions.
   */
  constructor(data: DataArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = data instanceof Float32Array ? "float32" : "float64";
    this.size = shapeSize(shape);
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True when the elements are laid out row-major from `offset` with no gaps. */
  get isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d !== 1 && this.strides[i] !== expected) return false;
      expected *= d;
    }
    return true;
  }
}

/** True for any `@hw/tensor` tensor, including one from another installed copy of the package. */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}
