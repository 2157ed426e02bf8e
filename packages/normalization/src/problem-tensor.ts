/** The 4×2×3 tensor of Question 3.1. */
import { tensor, type Tensor } from "@hw/tensor";

const VALUES = [
  [
    [1, 3, 2],
    [1, 2, 3],
  ],
  [
    [3, 3, 2],
    [2, 4, 4],
  ],
  [
    [4, 2, 2],
    [1, 2, 4],
  ],
  [
    [3, 3, 2],
    [3, 3, 2],
  ],
];

/**
 * The B×C×F = 4×2×3 tensor (batch × channels × features) of Question 3.1 of the problem set, a new
 * float64 tensor on each call.
 *
 * @returns The tensor `[[[1,3,2],[1,2,3]], [[3,3,2],[2,4,4]], [[4,2,2],[1,2,4]], [[3,3,2],[3,3,2]]]`.
 * @example
 * ```ts
 * problemTensor().shape; // => [4, 2, 3]
 * ```
 */
export function problemTensor(): Tensor {
  return tensor(VALUES);
}
