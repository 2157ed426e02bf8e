/** Group normalization: per sample and group of channels, over the group's channels and spatial axes. */
import { readOptions, toTensor, warnDeprecated, type Tensor, type TensorInput } from "@hw/tensor";
import { backward, forwardRecorded, showShape, splitAxis, viewOf, type Spec } from "./internal/core";
import { affine, nchw } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

/** Options of {@link groupNormBackward}: the forward's `groups` and options. */
export interface GroupNormBackwardOptions extends AffineOptions {
  /** Number of groups G, dividing C (as in the forward pass). */
  readonly groups: number;
}

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

function prepare(op: string, xIn: TensorInput, groups: number, optionsIn: AffineOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, AFFINE_KEYS);
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
 * @returns `{ y, mean, variance }` with statistics of shape `[N, G]`.
 * @throws RangeError for rank < 2, a G that does not divide C, or parameters not of length C.
 * @example
 * ```ts
 * groupNorm(problemTensor(), 1).mean.toArray(); // => [[2], [3], [2.5], [2.6667…]]  (= layer norm)
 * ```
 */
export function groupNorm(x: TensorInput, groups: number, options?: AffineOptions): NormalizeResult {
  const p = prepare("groupNorm", x, groups, options);
  return toResult(p.spec, forwardRecorded(p.spec, p.gammaTensor, p.betaTensor));
}

/**
 * The analytic backward pass of {@link groupNorm} (each pool is one (b, g)):
 * $$\bar x = \frac{1}{\sqrt{\sigma_{b,g}^2+\epsilon}}\big(g - \overline{g} - \hat x\,\overline{g\hat x}\big),\quad g = \gamma_c\bar y .$$
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param options - The forward's `groups` and options. (The old form
 *   `groupNormBackward(x, gradY, groups, options)` still works, with a deprecation warning.)
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients of shape `[C]`).
 * @throws RangeError as {@link groupNorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link groupNorm}).
 * @example
 * ```ts
 * const { gradX } = groupNormBackward(problemTensor(), onesLike(problemTensor()), { groups: 2 });
 * ```
 */
export function groupNormBackward(x: TensorInput, gradY: TensorInput, options: GroupNormBackwardOptions): NormalizeGrads;
/** @deprecated Pass `groups` in the options: `groupNormBackward(x, gradY, { groups, ...options })`. */
export function groupNormBackward(x: TensorInput, gradY: TensorInput, groups: number, options?: AffineOptions): NormalizeGrads;
export function groupNormBackward(x: TensorInput, gradY: TensorInput, ...args: unknown[]): NormalizeGrads {
  const op = "groupNormBackward";
  const third = args[0] as GroupNormBackwardOptions | number;
  const fourth = args[1] as AffineOptions | undefined;
  let groups: number;
  let options: AffineOptions | undefined;
  if (typeof third === "number") {
    warnDeprecated(`${op}(x, gradY, groups, options) is deprecated and will be removed in the next minor version; use ${op}(x, gradY, { groups, ...options })`);
    groups = third;
    options = fourth;
  } else {
    const { groups: g, ...rest } = readOptions(op, third, ["groups", ...AFFINE_KEYS]);
    if ((g as unknown) === undefined) throw new TypeError(`${op}: options.groups is required`);
    groups = g;
    options = rest;
  }
  const p = prepare(op, x, groups, options);
  const dy = toTensor(gradY, `${op}: gradY`);
  refuseGrad(op, [p.spec.x, dy, p.gammaTensor, p.betaTensor]);
  return toGrads(p.spec, backward(p.spec, dy));
}
