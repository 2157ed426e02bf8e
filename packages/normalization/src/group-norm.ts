/** Group normalization: per sample and group of channels, over the group's channels and spatial axes. */
import type { Tensor } from "@hw/tensor";
import { backward, forwardRecorded, showShape, splitAxis, toTensor, viewOf, type Input, type Spec } from "./internal/core";
import { affine, nchw } from "./internal/presets";
import { toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

function prepare(op: string, xIn: Input, groups: number, options: AffineOptions): Prepared {
  const x = nchw(op, xIn, 2, "(N, C, …)");
  const channels = x.shape[1]!;
  if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
    throw new RangeError(`${op}: groups must be a positive integer dividing the ${channels} channels of shape ${showShape(x.shape)}, got ${String(groups)}`);
  }
  const a = affine(op, options, [channels], "one per channel");
  const view = splitAxis(viewOf(x), 1, groups);
  const spec: Spec = {
    op,
    x,
    view,
    reduced: view.shape.map((_, k) => k >= 2),
    paramShape: [groups, channels / groups, ...new Array<number>(x.ndim - 2).fill(1)],
    paramPublicShape: [channels],
    gamma: a.gamma,
    beta: a.beta,
    eps: a.eps,
    statShape: [x.shape[0]!, groups],
    groups,
  };
  return { spec, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor };
}

/**
 * Group normalization of an (N, C, …) input with C split into `groups` groups of C/G consecutive
 * channels: statistics per sample and group over the group's channels and the spatial axes, then a
 * per-channel affine map. One group is layer norm over (C, …) (with a per-channel rather than an
 * elementwise affine map); C groups is instance norm.
 *
 * $$\mu_{b,g} = \frac1n\sum_{c\in g,\,f}x_{b,c,f},\quad
 * y = \gamma_c\frac{x-\mu_{b,g(c)}}{\sqrt{\sigma_{b,g(c)}^2+\epsilon}}+\beta_c .$$
 *
 * @param x - Input of shape `[N, C, …]` (rank ≥ 2).
 * @param groups - Number of groups G, dividing C.
 * @param options - `eps`, per-channel `gamma`/`beta` (length C).
 * @returns `{ y, mean, var }` with statistics of shape `[N, G]`.
 * @throws RangeError for rank < 2, a G that does not divide C, or parameters not of length C.
 * @example
 * ```ts
 * groupNorm(problemTensor(), 1).mean.toArray(); // => [[2], [3], [2.5], [2.6667…]]  (= layer norm)
 * ```
 */
export function groupNorm(x: Input, groups: number, options: AffineOptions = {}): NormalizeResult {
  const p = prepare("groupNorm", x, groups, options);
  return toResult(p.spec, forwardRecorded(p.spec, p.gammaTensor, p.betaTensor));
}

/**
 * The analytic backward pass of {@link groupNorm} (each pool is one (b, g)):
 * $$\bar x = \frac{1}{\sqrt{\sigma_{b,g}^2+\epsilon}}\big(g - \overline{g} - \hat x\,\overline{g\hat x}\big),\quad g = \gamma_c\bar y .$$
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param groups - As in the forward pass.
 * @param options - As in the forward pass.
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients of shape `[C]`).
 * @throws RangeError as {@link groupNorm}, and for a `gradY` of another shape.
 * @example
 * ```ts
 * const { gradX } = groupNormBackward(problemTensor(), onesLike(problemTensor()), 2);
 * ```
 */
export function groupNormBackward(x: Input, gradY: Input, groups: number, options: AffineOptions = {}): NormalizeGrads {
  const p = prepare("groupNormBackward", x, groups, options);
  return toGrads(p.spec, backward(p.spec, toTensor("groupNormBackward", gradY, "gradY")));
}
