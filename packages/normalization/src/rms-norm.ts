/** RMS normalization (Zhang & Sennrich 2019) with PyTorch's `nn.RMSNorm` semantics. */
import { Tensor, readOptions, recordOp, toTensor, type TensorInput } from "@hw/tensor";
import { checkGradYShape, showShape } from "./internal/core";
import { refuseGrad } from "./normalize";

/** Options of {@link rmsNorm}. */
export interface RmsNormOptions {
  /**
   * Added to the mean square inside the root, $1/\sqrt{\overline{x^2} + \epsilon}$ (as PyTorch).
   * @defaultValue the machine epsilon of x's dtype (PyTorch's `eps=None`: 2⁻⁵² for float64, 2⁻²³ for float32)
   */
  readonly eps?: number;
  /** Elementwise scale $\gamma$ of shape `normalizedShape` (PyTorch's `weight`). @defaultValue no scale (γ = 1) */
  readonly gamma?: TensorInput;
}

/** Options of {@link rmsNormBackward}: the forward's `normalizedShape` and options. */
export interface RmsNormBackwardOptions extends RmsNormOptions {
  /** The trailing axes normalized in the forward pass (a number for one axis). */
  readonly normalizedShape: number | readonly number[];
}

/** The result of {@link rmsNorm}. */
export interface RmsNormResult {
  /** $y = \gamma\,x/\sqrt{\overline{x^2}+\epsilon}$, shaped and typed as x. */
  readonly y: Tensor;
  /** $\sqrt{\overline{x^2}+\epsilon}$ of each row (ε included), shaped as the leading axes of x. */
  readonly rms: Tensor;
}

interface Prepared {
  readonly x: Tensor;
  readonly xs: Float64Array;
  readonly rows: number;
  readonly n: number;
  readonly lead: readonly number[];
  readonly eps: number;
  readonly gammaTensor: Tensor | null;
  readonly gamma: Float64Array | null;
}

const KEYS: readonly (keyof RmsNormOptions)[] = ["eps", "gamma"];

function values(t: Tensor): Float64Array {
  const c = t.contiguous();
  return Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
}

function prepare(op: string, xIn: TensorInput, normalizedShape: unknown, optionsIn: RmsNormOptions | undefined): Prepared {
  const options = readOptions(op, optionsIn, KEYS);
  const x = toTensor(xIn, `${op}: x`);
  if (typeof normalizedShape !== "number" && !Array.isArray(normalizedShape)) {
    throw new TypeError(`${op}: normalizedShape must be a number or an array of sizes, got ${typeof normalizedShape}`);
  }
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...(normalizedShape as number[])];
  const k = x.ndim - shape.length;
  if (shape.length === 0 || k < 0 || shape.some((d, i) => d !== x.shape[k + i])) {
    throw new RangeError(`${op}: normalizedShape ${showShape(shape)} must be a non-empty trailing part of the input shape ${showShape(x.shape)}`);
  }
  const eps = options.eps ?? (x.dtype === "float32" ? 2 ** -23 : Number.EPSILON);
  if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0) throw new RangeError(`${op}: eps must be a finite number ≥ 0, got ${String(eps)}`);
  let gammaTensor: Tensor | null = null;
  let gamma: Float64Array | null = null;
  if (options.gamma !== undefined) {
    gammaTensor = toTensor(options.gamma, `${op}: gamma`);
    if (showShape(gammaTensor.shape) !== showShape(shape)) {
      throw new RangeError(`${op}: gamma has shape ${showShape(gammaTensor.shape)}, expected ${showShape(shape)} (elementwise, the normalizedShape)`);
    }
    gamma = values(gammaTensor);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  return { x, xs: values(x), rows: n === 0 ? 0 : x.size / n, n, lead: x.shape.slice(0, k), eps, gammaTensor, gamma };
}

/** 1/√(mean x² + ε) per row, the mean square scaled by the row's largest magnitude (no overflow). */
function inverseRms(p: Prepared): Float64Array {
  const r = new Float64Array(p.rows);
  for (let b = 0; b < p.rows; b++) {
    const o = b * p.n;
    let big = 0;
    for (let i = 0; i < p.n; i++) big = Math.max(big, Math.abs(p.xs[o + i]!));
    // rms without ε, ≤ big (never overflows), then √(s² + ε) by hypot (no overflow or underflow).
    let s = big;
    if (big > 0 && Number.isFinite(big)) {
      let acc = 0;
      for (let i = 0; i < p.n; i++) {
        const t = p.xs[o + i]! / big;
        acc += t * t;
      }
      s = big * Math.sqrt(acc / p.n);
    }
    r[b] = 1 / Math.hypot(s, Math.sqrt(p.eps));
  }
  return r;
}

function backward(p: Prepared, r: Float64Array, gy: Float64Array): { gradX: Float64Array; gradGamma: Float64Array } {
  const gradX = new Float64Array(p.xs.length);
  const gradGamma = new Float64Array(p.n);
  for (let b = 0; b < p.rows; b++) {
    const o = b * p.n;
    const rb = r[b]!;
    // x̄ = r (g − x̂ · mean(g x̂)), g = γ ȳ, x̂ = x r.
    let dot = 0;
    for (let i = 0; i < p.n; i++) {
      const xh = p.xs[o + i]! * rb;
      const g = gy[o + i]! * (p.gamma?.[i] ?? 1);
      dot += g * xh;
      gradGamma[i] = gradGamma[i]! + gy[o + i]! * xh;
    }
    const m = dot / p.n;
    for (let i = 0; i < p.n; i++) {
      const xh = p.xs[o + i]! * rb;
      gradX[o + i] = rb * (gy[o + i]! * (p.gamma?.[i] ?? 1) - xh * m);
    }
  }
  return { gradX, gradGamma };
}

function like(x: Tensor, data: Float64Array): Tensor {
  return new Tensor(x.dtype === "float32" ? Float32Array.from(data) : data, x.shape);
}

/**
 * RMS normalization over the trailing `normalizedShape` axes, as PyTorch's `nn.RMSNorm` /
 * `F.rms_norm` (Zhang & Sennrich 2019): no centring, ε inside the root,
 *
 * $$y = \gamma \odot \frac{x}{\sqrt{\frac1n\sum_{i} x_i^2 + \epsilon}}$$
 *
 * with the mean over each row's $n$ trailing elements and an elementwise γ of shape
 * `normalizedShape`. The mean square is computed with scaling, so huge and tiny rows are safe.
 * Differentiable under `grad` (x and γ) with the analytic rule of {@link rmsNormBackward}.
 *
 * @param x - The input, any rank ≥ the length of `normalizedShape`.
 * @param normalizedShape - The trailing axes to normalize over (a number for one axis).
 * @param options - `eps` (default: the dtype's machine epsilon, as PyTorch), `gamma`.
 * @returns `{ y, rms }`.
 * @throws RangeError when `normalizedShape` is not a non-empty trailing part of the shape, γ has
 *   another shape or eps is negative; TypeError for an unknown option.
 * @example
 * ```ts
 * rmsNorm([[3, 4]], 2, { eps: 0 }).y.toArray(); // => [[0.8485…, 1.1313…]]  (x / √12.5)
 * ```
 */
export function rmsNorm(x: TensorInput, normalizedShape: number | readonly number[], options?: RmsNormOptions): RmsNormResult {
  const p = prepare("rmsNorm", x, normalizedShape, options);
  const r = inverseRms(p);
  const y = new Float64Array(p.xs.length);
  for (let b = 0; b < p.rows; b++) {
    const o = b * p.n;
    for (let i = 0; i < p.n; i++) y[o + i] = p.xs[o + i]! * r[b]! * (p.gamma?.[i] ?? 1);
  }
  const out = like(p.x, y);
  const inputs = p.gammaTensor === null ? [p.x] : [p.x, p.gammaTensor];
  recordOp("rmsNorm", inputs, out, (g) => {
    const b = backward(p, r, values(g));
    const grads = [like(p.x, b.gradX)];
    if (p.gammaTensor !== null) grads.push(new Tensor(b.gradGamma, p.gammaTensor.shape));
    return grads;
  });
  const rms = new Float64Array(p.rows);
  for (let b = 0; b < p.rows; b++) rms[b] = 1 / r[b]!;
  return { y: out, rms: new Tensor(p.x.dtype === "float32" ? Float32Array.from(rms) : rms, p.lead) };
}

/**
 * The analytic backward pass of {@link rmsNorm}: with $r = 1/\sqrt{\overline{x^2}+\epsilon}$,
 * $\hat x = r\,x$ and $g = \gamma\odot\bar y$,
 *
 * $$\bar x = r\,\big(g - \hat x\;\overline{g\,\hat x}\big),\qquad \bar\gamma = \sum_{\text{rows}} \bar y\odot\hat x .$$
 *
 * @param x - The forward input.
 * @param gradY - $\partial L/\partial y$, shaped as x.
 * @param options - The forward's `normalizedShape`, `eps` and `gamma`.
 * @returns `{ gradX, gradGamma }` (`gradGamma` shaped as `normalizedShape`: for γ = 1 when none was given).
 * @throws RangeError as {@link rmsNorm}, and for a `gradY` of another shape.
 * @throws NotDifferentiableError inside `grad` (it returns gradients; differentiate {@link rmsNorm}).
 * @example
 * ```ts
 * rmsNormBackward([[3, 4]], [[1, 0]], { normalizedShape: 2, eps: 0 }).gradX.toArray();
 * ```
 */
export function rmsNormBackward(x: TensorInput, gradY: TensorInput, options: RmsNormBackwardOptions): { readonly gradX: Tensor; readonly gradGamma: Tensor } {
  const op = "rmsNormBackward";
  const { normalizedShape, ...rest } = readOptions(op, options, ["normalizedShape", ...KEYS]);
  if ((normalizedShape as unknown) === undefined) {
    throw new TypeError(`${op}: options.normalizedShape is required`);
  }
  const p = prepare(op, x, normalizedShape, rest);
  const dy = toTensor(gradY, `${op}: gradY`);
  refuseGrad(op, [p.x, dy, p.gammaTensor]);
  checkGradYShape(op, dy, p.x);
  const b = backward(p, inverseRms(p), values(dy));
  const gShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  return { gradX: like(p.x, b.gradX), gradGamma: new Tensor(b.gradGamma, gShape) };
}
