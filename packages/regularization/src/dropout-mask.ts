import type { Rng, Tensor } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";

/**
 * A dropout mask R with R_ij ~ Bernoulli(p) i.i.d., where **p is the probability of KEEPING a unit**
 * (1 = keep, 0 = drop; pass `{ drop: q }` for PyTorch's convention, p = 1 − q):
 * $$P(R_{ij} = 1) = p.$$
 *
 * @param shape - The mask's shape, e.g. `[n, d]` (empty axes allowed).
 * @param p - The KEEP probability p ∈ [0, 1], or `{ drop: q }`.
 * @param rng - A seeded generator from `createRng(seed)` of `@hw/tensor` (advanced by the call).
 * @returns A float64 Tensor of zeros and ones (drawn with `rng.bernoulli(shape, p)`).
 * @throws RangeError when p ∉ [0, 1] or the shape is invalid.
 * @throws TypeError when p is not a probability.
 * @example
 * ```ts
 * import { createRng } from "@hw/tensor";
 * dropoutMask([2, 3], 0.8, createRng(0)); // a 2×3 tensor of 0/1, each 1 with probability 0.8
 * ```
 */
export function dropoutMask(shape: readonly number[], p: KeepProbability, rng: Rng): Tensor {
  const keep = resolveKeep("dropoutMask", p, true);
  if (!Array.isArray(shape)) throw new TypeError(`dropoutMask: shape must be an array of sizes, got ${typeof shape}`);
  return rng.bernoulli(shape, keep);
}
