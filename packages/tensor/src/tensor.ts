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

import { recordOp } from "./autodiff/tape";
import { formatTensor } from "./format";
import { contiguousData } from "./internal/strided";

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

  /**
   * A tensor with row-major strides holding the same elements: the same storage (a new `Tensor`
   * object) when already contiguous, a fresh copy otherwise. Differentiable (identity gradient).
   *
   * The result may keep a non-zero `offset` when it shares storage; read it as
   * `data[offset + i]` for the `i`-th element in row-major order.
   *
   * @returns A contiguous tensor equal to this one.
   * @example
   * ```ts
   * transpose(tensor([[1, 2], [3, 4]])).contiguous().data; // Float64Array [1, 3, 2, 4]
   * ```
   */
  contiguous(): Tensor {
    const out = this.isContiguous
      ? new Tensor(this.data, this.shape, contiguousStrides(this.shape), this.offset)
      : new Tensor(contiguousData(this), this.shape);
    recordOp("contiguous", [this], out, (g) => [g], { differentiable: true });
    return out;
  }

  /**
   * The elements as nested JavaScript arrays (a plain number for a 0-d tensor).
   *
   * @returns Nested arrays of numbers, outermost axis first.
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): NestedArray {
    const { data, shape, strides } = this;
    const build = (axis: number, off: number): NestedArray => {
      if (axis === shape.length) return data[off]!;
      const n = shape[axis]!;
      const s = strides[axis]!;
      const out: NestedArray[] = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, off + i * s);
      return out;
    };
    return build(0, this.offset);
  }

  /**
   * Read one element. Negative indices count from the end of their axis, as in NumPy.
   *
   * @param indices - One integer index per axis.
   * @returns The element value.
   * @throws RangeError when the number of indices differs from `ndim` or an index is out of range.
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).get(1, -1); // 4
   * ```
   */
  get(...indices: number[]): number {
    if (indices.length !== this.shape.length) {
      throw new RangeError(
        `get: expected ${this.shape.length} indices for shape [${this.shape.join(",")}], got ${indices.length}`,
      );
    }
    let off = this.offset;
    for (let i = 0; i < indices.length; i++) {
      const d = this.shape[i]!;
      let k = indices[i]!;
      if (!Number.isInteger(k) || k < -d || k >= d) {
        throw new RangeError(`get: index ${String(k)} is out of range for axis ${i} of size ${d} (shape [${this.shape.join(",")}])`);
      }
      if (k < 0) k += d;
      off += k * this.strides[i]!;
    }
    return this.data[off]!;
  }

  /**
   * The single element of a 0-d or size-1 tensor.
   *
   * @returns The element value.
   * @throws RangeError when the tensor does not have exactly one element.
   * @example
   * ```ts
   * sum(tensor([1, 2, 3])).item(); // 6
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item: tensor of shape [${this.shape.join(",")}] has ${this.size} elements, expected 1`);
    }
    // Every index is 0, so the element sits at `offset`.
    return this.data[this.offset]!;
  }

  /**
   * NumPy/PyTorch-like text: `tensor([[1, 2],\n        [3, 4]])`, columns aligned, large tensors
   * summarized with `...`, and `dtype=float32` noted for float32 tensors.
   *
   * @returns The formatted tensor.
   */
  toString(): string {
    return formatTensor(this);
  }
}

/** True for any `@hw/tensor` tensor, including one from another installed copy of the package. */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TENSOR_BRAND] === true;
}
