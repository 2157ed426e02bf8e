/**
 * The basics: creation, NumPy broadcasting, views, formatting.
 *
 * In your own code import from "@hw/tensor" (see examples/autodiff.ts for why the sources here).
 */
import { add, arange, mul, reshape, tensor, transpose } from "../src/index";

/** Broadcasting a column [3,1] against a row [1,2] (the row may also be given as shape [2]). */
export function broadcasting(): string {
  const column = tensor([[1], [2], [3]]); // shape [3, 1]
  const row = tensor([10, 20]); // shape [2] → treated as [1, 2]
  return add(column, row).toString();
  // => tensor([[11, 21],
  //            [12, 22],
  //            [13, 23]])
}

/** Views share storage: transpose is a new shape and strides, no copy. */
export function views(): { shape: readonly number[]; strides: readonly number[]; shared: boolean; values: unknown } {
  const x = reshape(arange(6), [2, 3]);
  const t = transpose(x);
  return { shape: t.shape, strides: t.strides, shared: t.data === x.data, values: t.toArray() };
  // => { shape: [3, 2], strides: [1, 3], shared: true, values: [[0, 3], [1, 4], [2, 5]] }
}

/** Elementwise ops take numbers as scalar operands. */
export function scalars(): unknown {
  return mul(2, tensor([1.5, -0.5])).toArray(); // => [3, -1]
}
