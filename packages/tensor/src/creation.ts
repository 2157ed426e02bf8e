/**
 * Creating tensors: from JavaScript data, constant fills, ranges and identity matrices.
 */
import { readOptions } from "./options";
import type { DType, NestedArray } from "./tensor";
import { Tensor, allocate, shapeSize } from "./tensor";
import { checkShape, formatShape } from "./internal/shape";

/** Options shared by the creation functions. */
export interface CreationOptions {
  /**
   * Element type of the new tensor.
   * @defaultValue `"float64"` (for `tensor()` of a `Float32Array`: `"float32"`)
   */
  readonly dtype?: DType;
}

function checkDType(op: string, dtype: unknown): DType {
  if (dtype !== "float64" && dtype !== "float32") {
    throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected "float64" or "float32"`);
  }
  return dtype;
}

type TypedInput = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | Uint8ClampedArray;

function isTypedInput(v: unknown): v is TypedInput {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

/**
 * Create a tensor from a number, nested arrays of numbers, or a flat (typed) array plus a shape.
 *
 * Nested arrays must be rectangular; their shape is inferred (and checked against `shape` when
 * given). A flat array or typed array is read in row-major order and needs `shape` unless it is
 * meant as a 1-D tensor. The data is always copied. Non-finite values (NaN, ±Infinity) are
 * legitimate data and accepted.
 *
 * @param values - A number (0-d tensor), nested arrays, or a flat array / typed array.
 * @param shape - Optional shape; required to give a flat array more than one axis.
 * @param options - `dtype` (default float64; a `Float32Array` input defaults to float32).
 * @returns A new contiguous tensor.
 * @throws RangeError on ragged nested arrays (`tensor: ragged nested array at [1]: expected length 3, got 2`)
 *   or a shape that does not match the number of values.
 * @throws TypeError on a non-number element or an unknown dtype.
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]).shape;            // [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], [2, 3]).get(1, 0); // 4
 * tensor(2.5).item();                        // 2.5
 * ```
 */
export function tensor(
  values: NestedArray | readonly number[] | ArrayLike<number>,
  shape?: readonly number[],
  options: CreationOptions = {},
): Tensor {
  readOptions("tensor", options, ["dtype"]);
  const dtype = checkDType(
    "tensor",
    options.dtype ?? (values instanceof Float32Array ? "float32" : "float64"),
  );
  if (typeof values === "number") {
    const want = shape === undefined ? [] : checkShape("tensor", shape);
    if (shapeSize(want) !== 1) {
      throw new RangeError(`tensor: a single number cannot fill shape ${formatShape(want)}`);
    }
    const data = allocate(dtype, 1);
    data[0] = values;
    return new Tensor(data, want);
  }
  if (isTypedInput(values)) {
    const want = shape === undefined ? [values.length] : checkShape("tensor", shape);
    if (shapeSize(want) !== values.length) {
      throw new RangeError(`tensor: ${values.length} values cannot fill shape ${formatShape(want)}`);
    }
    const data = allocate(dtype, values.length);
    data.set(values);
    return new Tensor(data, want);
  }
  if (!Array.isArray(values)) {
    throw new TypeError(`tensor: expected a number, nested arrays of numbers or a typed array, got ${describe(values)}`);
  }
  // Infer the shape from the first element at each depth, then check every element against it.
  const inferred: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    inferred.push(probe.length);
    probe = probe[0];
  }
  const total = shapeSize(inferred);
  const data = allocate(dtype, total);
  let k = 0;
  const path: number[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth === inferred.length) {
      if (typeof node !== "number") {
        if (Array.isArray(node)) {
          throw new RangeError(`tensor: ragged nested array at ${formatShape(path)}: expected a number, got an array`);
        }
        throw new TypeError(`tensor: expected a number at ${formatShape(path)}, got ${describe(node)}`);
      }
      data[k++] = node;
      return;
    }
    if (!Array.isArray(node)) {
      throw new RangeError(
        `tensor: ragged nested array at ${formatShape(path)}: expected an array of length ${inferred[depth]!}, got ${describe(node)}`,
      );
    }
    if (node.length !== inferred[depth]) {
      throw new RangeError(
        `tensor: ragged nested array at ${formatShape(path)}: expected length ${inferred[depth]!}, got ${node.length}`,
      );
    }
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walk(node[i] as unknown, depth + 1);
      path.pop();
    }
  };
  walk(values, 0);
  if (shape === undefined) return new Tensor(data, inferred);
  const want = checkShape("tensor", shape);
  // Flat input, or empty nested arrays (which cannot spell out trailing axes): only sizes must agree.
  if (inferred.length <= 1 || (total === 0 && shapeSize(want) === 0)) {
    if (shapeSize(want) !== total) {
      throw new RangeError(`tensor: ${total} values cannot fill shape ${formatShape(want)}`);
    }
    return new Tensor(data, want);
  }
  if (want.length !== inferred.length || want.some((d, i) => d !== inferred[i])) {
    throw new RangeError(`tensor: nested arrays have shape ${formatShape(inferred)} but shape ${formatShape(want)} was given`);
  }
  return new Tensor(data, want);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return `${typeof v} ${v.toString()}`;
  return typeof v;
}

/**
 * A 0-d tensor holding one number.
 *
 * @param value - The value.
 * @param options - `dtype`.
 * @returns A tensor of shape `[]`.
 * @example
 * ```ts
 * scalar(3).item(); // 3
 * ```
 */
export function scalar(value: number, options: CreationOptions = {}): Tensor {
  readOptions("scalar", options, ["dtype"]);
  if (typeof value !== "number") throw new TypeError(`scalar: expected a number, got ${describe(value)}`);
  return full([], value, options);
}

/**
 * A tensor filled with one value.
 *
 * @param shape - Extent of each axis (non-negative integers).
 * @param value - The fill value (NaN and ±Infinity allowed).
 * @param options - `dtype`.
 * @returns A new contiguous tensor.
 * @throws RangeError on an invalid shape.
 * @example
 * ```ts
 * full([2], 7).toArray(); // [7, 7]
 * ```
 */
export function full(shape: readonly number[], value: number, options: CreationOptions = {}): Tensor {
  readOptions("full", options, ["dtype"]);
  const s = checkShape("full", shape);
  if (typeof value !== "number") throw new TypeError(`full: fill value must be a number, got ${describe(value)}`);
  const data = allocate(checkDType("full", options.dtype ?? "float64"), shapeSize(s));
  if (value !== 0) data.fill(value);
  return new Tensor(data, s);
}

/**
 * A tensor of zeros.
 *
 * @param shape - Extent of each axis.
 * @param options - `dtype`.
 * @returns A new contiguous tensor.
 * @throws RangeError on an invalid shape.
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros(shape: readonly number[], options: CreationOptions = {}): Tensor {
  readOptions("zeros", options, ["dtype"]);
  checkShape("zeros", shape);
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @param shape - Extent of each axis.
 * @param options - `dtype`.
 * @returns A new contiguous tensor.
 * @throws RangeError on an invalid shape.
 * @example
 * ```ts
 * ones([3]).toArray(); // [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[], options: CreationOptions = {}): Tensor {
  readOptions("ones", options, ["dtype"]);
  checkShape("ones", shape);
  return full(shape, 1, options);
}

/**
 * Identity matrix: ones on the main diagonal of an `n × m` matrix.
 *
 * $$I_{ij} = [i = j]$$
 *
 * @param n - Number of rows.
 * @param m - Number of columns (default `n`).
 * @param options - `dtype`.
 * @returns A new `[n, m]` tensor.
 * @throws RangeError when `n` or `m` is not a non-negative integer.
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, options: CreationOptions = {}): Tensor {
  readOptions("eye", options, ["dtype"]);
  checkShape("eye", [n, m]);
  const out = full([n, m], 0, options);
  const k = Math.min(n, m);
  for (let i = 0; i < k; i++) out.data[i * m + i] = 1;
  return out;
}

/**
 * Evenly spaced values in the half-open interval `[start, stop)`, NumPy style:
 * `arange(stop)`, `arange(start, stop)`, `arange(start, stop, step)`.
 *
 * $$x_i = \mathrm{start} + i\cdot\mathrm{step},\quad i = 0,\dots,\left\lceil \tfrac{\mathrm{stop}-\mathrm{start}}{\mathrm{step}} \right\rceil - 1$$
 *
 * @param start - First value (or `stop` when it is the only argument).
 * @param stop - End, excluded.
 * @param step - Spacing (non-zero; may be negative).
 * @param options - `dtype`.
 * @returns A new 1-D tensor (empty when the interval is empty).
 * @throws RangeError when `step` is 0 or an argument is not finite.
 * @example
 * ```ts
 * arange(4).toArray();        // [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, stop?: number, step = 1, options: CreationOptions = {}): Tensor {
  readOptions("arange", options, ["dtype"]);
  let a = start;
  let b = stop;
  if (b === undefined) {
    b = a;
    a = 0;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(step)) {
    throw new RangeError(`arange: start, stop and step must be finite, got ${a}, ${b}, ${step}`);
  }
  if (step === 0) throw new RangeError(`arange: step must be non-zero, got 0`);
  const n = Math.max(0, Math.ceil((b - a) / step));
  const out = full([n], 0, options);
  for (let i = 0; i < n; i++) out.data[i] = a + i * step;
  return out;
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included.
 *
 * $$x_i = \mathrm{start} + i\,\frac{\mathrm{stop}-\mathrm{start}}{\mathrm{num}-1}$$
 *
 * @param start - First value.
 * @param stop - Last value (exactly, for `num ≥ 2`).
 * @param num - Number of values (a non-negative integer).
 * @param options - `dtype`.
 * @returns A new 1-D tensor of length `num`.
 * @throws RangeError when `num` is not a non-negative integer.
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number, options: CreationOptions = {}): Tensor {
  readOptions("linspace", options, ["dtype"]);
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`linspace: num must be a non-negative integer, got ${num}`);
  const out = full([num], 0, options);
  if (num === 1) {
    out.data[0] = start;
  } else if (num > 1) {
    const step = (stop - start) / (num - 1);
    for (let i = 0; i < num; i++) out.data[i] = start + i * step;
    out.data[num - 1] = stop;
  }
  return out;
}

/**
 * Zeros with the shape (and, unless overridden, the dtype) of `x`.
 *
 * @param x - Template tensor.
 * @param options - `dtype` override.
 * @returns A new contiguous tensor.
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])).toArray(); // [0, 0]
 * ```
 */
export function zerosLike(x: Tensor, options: CreationOptions = {}): Tensor {
  readOptions("zerosLike", options, ["dtype"]);
  return full(x.shape, 0, { dtype: options.dtype ?? x.dtype });
}

/**
 * Ones with the shape (and, unless overridden, the dtype) of `x`.
 *
 * @param x - Template tensor.
 * @param options - `dtype` override.
 * @returns A new contiguous tensor.
 * @example
 * ```ts
 * onesLike(tensor([1, 2])).toArray(); // [1, 1]
 * ```
 */
export function onesLike(x: Tensor, options: CreationOptions = {}): Tensor {
  readOptions("onesLike", options, ["dtype"]);
  return full(x.shape, 1, { dtype: options.dtype ?? x.dtype });
}

/**
 * A constant with the shape (and, unless overridden, the dtype) of `x`.
 *
 * @param x - Template tensor.
 * @param value - Fill value.
 * @param options - `dtype` override.
 * @returns A new contiguous tensor.
 * @example
 * ```ts
 * fullLike(tensor([1, 2]), 5).toArray(); // [5, 5]
 * ```
 */
export function fullLike(x: Tensor, value: number, options: CreationOptions = {}): Tensor {
  readOptions("fullLike", options, ["dtype"]);
  return full(x.shape, value, { dtype: options.dtype ?? x.dtype });
}
