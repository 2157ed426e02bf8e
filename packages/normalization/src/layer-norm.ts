/** Layer normalization over the trailing `normalizedShape` axes, with an elementwise affine map. */
import { readOptions, toTensor, warnDeprecated, type Tensor, type TensorInput } from "@hw/tensor";
import { backward, forwardRecorded, showShape, viewOf, type Spec } from "./internal/core";
import { affine } from "./internal/presets";
import { AFFINE_KEYS, refuseGrad, toGrads, toResult, type AffineOptions, type NormalizeGrads, type NormalizeResult } from "./normalize";

/** Options of {@link layerNormBackward}: the forward's `normalizedShape` and options. */
export interface LayerNormBackwardOptions extends AffineOptions {
  /** The trailing axes pooled in the forward pass (a number for one axis). */
  readonly normalizedShape: number | readonly number[];
}

interface Prepared {
  readonly spec: Spec;
  readonly gammaTensor: Tensor | null;
  readonly betaTensor: Tensor | null;
}

function prepare(op: string, xIn: TensorInput, normalizedShape: number | readonly number[], optionsIn: AffineOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, AFFINE_KEYS);
  const x = toTensor(xIn, `${op}: x`);
  if (typeof normalizedShape !== "number" && !Array.isArray(normalizedShape)) {
    throw new TypeError(`${op}: normalizedShape must be a number or an array of sizes, got ${String(normalizedShape)}`);
  }
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...(normalizedShape as readonly number[])];
  const lead = x.ndim - shape.length;
  if (shape.length === 0 || lead < 0 || shape.some((d, i) => d !== x.shape[lead + i])) {
    throw new RangeError(
      `${op}: normalizedShape ${showShape(shape)} must be a non-empty trailing part of the input shape ${showShape(x.shape)}`,
    );
  }
  const a = affine(op, options, shape, "elementwise, the normalizedShape");
  const spec: Spec = {
    op,
    x,
    view: viewOf(x),
    reduced: x.shape.map((_, k) => k >= lead),
    paramShape: shape,
    paramPublicShape: shape,
    gamma: a.gamma,
    beta: a.beta,
    eps: a.eps,
    statShape: x.shape.slice(0, lead),
  };
  return { spec, gammaTensor: a.gammaTensor, betaTensor: a.betaTensor };
}

/**
 * Layer normalization: statistics per sample over the trailing `normalizedShape` axes (for an
 * (N, C, F) input and `normalizedShape = [C, F]`: over channels and features), with an ELEMENTWISE
 * affine map of shape `normalizedShape`, as PyTorch's `LayerNorm`:
 *
 * $$\mu_b = \frac1n\sum_{c,f}x_{b,c,f},\quad \sigma_b^2 = \frac1n\sum_{c,f}(x_{b,c,f}-\mu_b)^2,\quad
 * y = \gamma_{c,f}\frac{x-\mu_b}{\sqrt{\sigma_b^2+\epsilon}}+\beta_{c,f}.$$
 *
 * The same in training and inference (no running statistics).
 *
 * @param x - The input, any rank ≥ the length of `normalizedShape`.
 * @param normalizedShape - The trailing axes to pool (a number for one axis).
 * @param options - `eps`, `gamma`/`beta` of shape `normalizedShape`.
 * @returns `{ y, mean, variance }` with statistics shaped as the leading axes (`[N]` for (N, C, F)).
 * @throws RangeError when `normalizedShape` is not a non-empty trailing part of the shape, or the
 *   parameters have another shape.
 * @example
 * ```ts
 * layerNorm(problemTensor(), [2, 3]).mean.toArray(); // => [2, 3, 2.5, 2.6667…]
 * ```
 */
export function layerNorm(x: TensorInput, normalizedShape: number | readonly number[], options?: AffineOptions): NormalizeResult {
  const p = prepare("layerNorm", x, normalizedShape, options);
  return toResult(p.spec, forwardRecorded(p.spec, p.gammaTensor, p.betaTensor));
}

/**
 * The analytic backward pass of {@link layerNorm}: with $g = \gamma\bar y$ and the means over each
 * sample's $n$ pooled elements,
 * $$\bar x = \frac{1}{\sqrt{\sigma_b^2+\epsilon}}\big(g - \overline{g} - \hat x\,\overline{g\hat x}\big),\quad
 * \bar\gamma = \sum_b \bar y\,\hat x,\quad \bar\beta = \sum_b\bar y .$$
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as `x`.
 * @param options - The forward's `normalizedShape` and options. (The old form
 *   `layerNormBackward(x, gradY, normalizedShape, options)` still works, with a deprecation warning.)
 * @returns `{ gradX, gradGamma, gradBeta }` (parameter gradients shaped as `normalizedShape`).
 * @throws RangeError as {@link layerNorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link layerNorm}).
 * @example
 * ```ts
 * const { gradX } = layerNormBackward([[1, 2, 4]], [[1, 0, 0]], { normalizedShape: 3 });
 * ```
 */
export function layerNormBackward(x: TensorInput, gradY: TensorInput, options: LayerNormBackwardOptions): NormalizeGrads;
/** @deprecated Pass `normalizedShape` in the options: `layerNormBackward(x, gradY, { normalizedShape, ...options })`. */
export function layerNormBackward(x: TensorInput, gradY: TensorInput, normalizedShape: number | readonly number[], options?: AffineOptions): NormalizeGrads;
export function layerNormBackward(x: TensorInput, gradY: TensorInput, ...args: unknown[]): NormalizeGrads {
  const op = "layerNormBackward";
  const third = args[0] as LayerNormBackwardOptions | number | readonly number[];
  const fourth = args[1] as AffineOptions | undefined;
  let normalizedShape: number | readonly number[];
  let options: AffineOptions | undefined;
  if (typeof third === "number" || Array.isArray(third)) {
    warnDeprecated(`${op}(x, gradY, normalizedShape, options) is deprecated and will be removed in the next minor version; use ${op}(x, gradY, { normalizedShape, ...options })`);
    normalizedShape = third as number | readonly number[];
    options = fourth;
  } else {
    const { normalizedShape: ns, ...rest } = readOptions(op, third as LayerNormBackwardOptions, ["normalizedShape", ...AFFINE_KEYS]);
    if ((ns as unknown) === undefined) throw new TypeError(`${op}: options.normalizedShape is required`);
    normalizedShape = ns;
    options = rest;
  }
  const p = prepare(op, x, normalizedShape, options);
  const dy = toTensor(gradY, `${op}: gradY`);
  refuseGrad(op, [p.spec.x, dy, p.gammaTensor, p.betaTensor]);
  return toGrads(p.spec, backward(p.spec, dy));
}
