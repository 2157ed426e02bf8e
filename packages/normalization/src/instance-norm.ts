/** Instance normalization: per sample and channel, over the spatial axes. */
import { readOptions, toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import { backward, forwardRecorded, viewOf, type Spec } from "./internal/core";
import { affine, nchw, perChannelShape } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

function prepare(op: string, xIn: TensorInput, optionsIn: AffineOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, AFFINE_KEYS);
  const x = nchw(op, xIn, 3, "(N, C, …spatial)");
  const channels = x.shape[1]!;
  const a = affine(op, options, [channels], "one per channel");
  const spec: Spec = {
    op,
    x,
    view: viewOf(x),
    reduced: x.shape.map((_, k) => k >= 2),
    paramShape: perChannelShape(channels, x.ndim),
    paramPublicShape: [channels],
    gamma: a.gamma,
    beta: a.beta,
    eps: a.eps,
    statShape: [x.shape[0]!, channels],
  };
  return { spec, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor };
}

/**
 * Instance normalization of an (N, C, …spatial) input: statistics per sample and channel over the
 * spatial axes,
 *
 * $$\mu_{b,c} = \frac1n\sum_f x_{b,c,f},\quad \sigma_{b,c}^2 = \frac1n\sum_f (x_{b,c,f}-\mu_{b,c})^2,\quad
 * y = \gamma_c\frac{x-\mu_{b,c}}{\sqrt{\sigma_{b,c}^2+\epsilon}}+\beta_c .$$
 *
 * The affine map is OFF unless `gamma`/`beta` are given (PyTorch's `InstanceNorm` default
 * `affine=False`). No running statistics (PyTorch's default `track_running_stats=False`).
 *
 * @param x - Input of shape `[N, C, …spatial]` (rank ≥ 3).
 * @param options - `eps`, optional per-channel `gamma`/`beta` (length C).
 * @returns `{ y, mean, variance }` with statistics of shape `[N, C]`.
 * @throws RangeError for rank < 3 or parameters not of length C.
 * @example
 * ```ts
 * instanceNorm(problemTensor()).mean.toArray(); // => [[2, 2], [2.6667…, 3.3333…], …]
 * ```
 */
export function instanceNorm(x: TensorInput, options?: AffineOptions): NormalizeResult {
  const p = prepare("instanceNorm", x, options);
  return toResult(p.spec, forwardRecorded(p.spec, p.gammaTensor, p.betaTensor));
}

/**
 * The analytic backward pass of {@link instanceNorm} (the pools are each (b, c)'s spatial axes):
 * $$\bar x = \frac{1}{\sqrt{\sigma_{b,c}^2+\epsilon}}\big(g - \overline{g} - \hat x\,\overline{g\hat x}\big),\quad g = \gamma_c\bar y .$$
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param options - As in the forward pass.
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients of shape `[C]`, for γ = 1, β = 0
 *   when none were given).
 * @throws RangeError as {@link instanceNorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link instanceNorm}).
 * @example
 * ```ts
 * const { gradX } = instanceNormBackward(problemTensor(), onesLike(problemTensor()));
 * ```
 */
export function instanceNormBackward(x: TensorInput, gradY: TensorInput, options?: AffineOptions): NormalizeGrads {
  const p = prepare("instanceNormBackward", x, options);
  const dy = toTensor(gradY, "instanceNormBackward: gradY");
  refuseGrad("instanceNormBackward", [p.spec.x, dy, p.gammaTensor, p.betaTensor]);
  return toGrads(p.spec, backward(p.spec, dy));
}
