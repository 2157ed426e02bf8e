import { createRng, mul, readOptions, toTensor, type Rng, type Tensor, type TensorInput } from "@hw/tensor";
import { dropoutMask } from "./dropout-mask";
import { resolveKeep, type KeepProbability } from "./keep-probability";

/** Options of {@link dropout}: the randomness is always explicit (`rng` or `seed`). */
export interface DropoutOptions {
  /** A seeded generator from `createRng(seed)`; takes precedence over `seed`. */
  readonly rng?: Rng;
  /** A seed for a fresh `createRng(seed)` when no `rng` is given. */
  readonly seed?: number;
  /**
   * Scale the kept units by 1/p ("inverted dropout", as PyTorch does in training) so that
   * E[dropout(x)] = x. When false, the output is x ⊙ R as in Question 4.
   * @defaultValue false
   */
  readonly inverted?: boolean;
}

/**
 * Dropout of the units of `x` with **p the probability of KEEPING a unit** (pass `{ drop: q }` for
 * PyTorch's convention, p = 1 − q), R ~ Bernoulli(p) i.i.d.:
 * $$\operatorname{dropout}(x) = x \odot R \quad\text{or, inverted,}\quad \frac{1}{p}\,x\odot R .$$
 * Differentiable with `@hw/tensor`'s autodiff (it is `mul(x, mask)`). NaN·0 = NaN, as in PyTorch:
 * a dropped NaN stays NaN. With p = 0 every unit is dropped (no 1/p scaling is applied).
 *
 * @param x - The input: a Tensor or nested arrays.
 * @param p - The KEEP probability p ∈ [0, 1], or `{ drop: q }`.
 * @param options - `rng` or `seed` (one is required), `inverted` (default false).
 * @returns A new Tensor of the shape of `x`.
 * @throws RangeError when p ∉ [0, 1].
 * @throws TypeError when neither `rng` nor `seed` is given, `x` is not numeric, or an option is unknown.
 * @example
 * ```ts
 * dropout([[1, 2], [3, 4]], { drop: 0.5 }, { seed: 7, inverted: true }); // kept units doubled, others 0
 * ```
 */
export function dropout(x: TensorInput, p: KeepProbability, optionsIn?: DropoutOptions): Tensor {
  const op = "dropout";
  const options = readOptions(op, optionsIn, ["rng", "seed", "inverted"]);
  const keep = resolveKeep(op, p, true);
  let rng = options.rng;
  if (rng === undefined) {
    if (options.seed === undefined) {
      throw new TypeError(`${op}: pass { rng } or { seed }: hw has no hidden global random state`);
    }
    rng = createRng(options.seed);
  }
  const xt = toTensor(x, `${op}: x`);
  const mask = dropoutMask(xt.shape, keep, rng);
  if (options.inverted === true && keep > 0) {
    const scaled = mask.data;
    for (let i = 0; i < scaled.length; i++) scaled[i] = scaled[i]! / keep;
  }
  return mul(xt, mask);
}
