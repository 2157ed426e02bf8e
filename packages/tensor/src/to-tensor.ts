/**
 * The one conversion every package uses for its tensor arguments.
 */
import { tensor } from "./creation";
import { isTensor, type NestedArray, type Tensor } from "./tensor";

/** What every hw function accepts where it needs a tensor: a `Tensor`, a number, or nested arrays of numbers. */
export type TensorInput = Tensor | NestedArray;

/**
 * A tensor from a {@link TensorInput}: tensors are returned as they are (no copy, autodiff tracking
 * kept); numbers and nested arrays become new float64 tensors.
 *
 * @param input - the value given by the caller
 * @param name - how errors name the argument, with its function: `"bptt: x"`
 * @returns the tensor
 * @throws TypeError `bptt: x: expected a tensor or nested arrays of numbers, got string`, or the
 *   reason nested arrays were refused (`bptt: x: ragged nested array at [1]: …`)
 * @example
 * ```ts
 * toTensor([[1, 2], [3, 4]], "solve: A").shape; // [2, 2]
 * ```
 */
export function toTensor(input: TensorInput, name: string): Tensor {
  const value: unknown = input;
  if (isTensor(value)) return value;
  if (typeof value === "number" || Array.isArray(value)) {
    try {
      return tensor(value as NestedArray);
    } catch (error) {
      const message = error instanceof Error ? error.message.replace(/^tensor: /, "") : String(error);
      throw new TypeError(`${name}: ${message}`);
    }
  }
  const got = value === null ? "null" : ArrayBuffer.isView(value) ? "a typed array (use tensor(values, shape))" : typeof value;
  throw new TypeError(`${name}: expected a tensor or nested arrays of numbers, got ${got}`);
}
