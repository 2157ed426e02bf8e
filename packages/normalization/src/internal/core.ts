/**
 * Validation, conversion and the forward/backward drivers shared by `normalize` and its presets.
 *
 * @internal
 */
import { Tensor, recordOp, toTensor, type DType, type TensorInput } from "@hw/tensor";
import { backwardKernel, forwardKernel, momentsKernel } from "./kernels";
import { makePlan, type View } from "./plan";

/**
 * A tensor, or nested arrays of numbers turned into a float64 tensor.
 * @deprecated Use `TensorInput` from `@hw/tensor` (the same type); removed in 0.2.0.
 */
export type Input = TensorInput;

/** Format a shape as `[2,3]`. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** The tensor as a strided view. */
export function viewOf(t: Tensor): View {
  return { data: t.data, offset: t.offset, shape: t.shape, strides: t.strides };
}

/** Check `eps` (finite, ≥ 0) and apply its default. */
export function checkEps(op: string, eps: number | undefined): number {
  const e = eps ?? 1e-5;
  if (typeof e !== "number" || !Number.isFinite(e) || e < 0) {
    throw new RangeError(`${op}: eps must be a finite number ≥ 0, got ${String(e)}`);
  }
  return e;
}

/** Normalize an axis list against `ndim` (negative axes count from the end; no repeats). */
export function checkAxes(op: string, axes: number | readonly number[], ndim: number): number[] {
  const list = typeof axes === "number" ? [axes] : [...axes];
  const out: number[] = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new RangeError(`${op}: axis ${String(a)} is out of range for a tensor of rank ${ndim}`);
    }
    const k = a < 0 ? a + ndim : a;
    if (out.includes(k)) throw new RangeError(`${op}: axis ${String(a)} is repeated in axes [${list.join(",")}]`);
    out.push(k);
  }
  return out.sort((p, q) => p - q);
}

/** The values of an affine parameter as a float64 array of exactly `shape` (row-major). */
export function paramValues(op: string, name: string, value: unknown, shape: readonly number[], what: string): { values: Float64Array; tensor: Tensor } {
  const t = toTensor(value as TensorInput, `${op}: ${name}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: ${name} has shape ${showShape(t.shape)}, expected ${showShape(shape)} (${what})`);
  }
  const c = t.contiguous();
  return { values: Float64Array.from(c.data.subarray(c.offset, c.offset + c.size)), tensor: t };
}

/** Everything a forward or backward pass needs. */
export interface Spec {
  readonly op: string;
  /** The user's input tensor. */
  readonly x: Tensor;
  /** The input seen by the kernels (a view of x: group norm splits the channel axis). */
  readonly view: View;
  /** Per axis of `view`: reduced or kept. */
  readonly reduced: readonly boolean[];
  /** Parameter shape aligned to the right of `view`. */
  readonly paramShape: readonly number[];
  /** Public shape of the parameter gradients. */
  readonly paramPublicShape: readonly number[];
  readonly gamma: Float64Array | null;
  readonly beta: Float64Array | null;
  readonly eps: number;
  /** Public shape of the statistics. */
  readonly statShape: readonly number[];
  /** Group norm: the channel axis (1) of x is split into (groups, C/groups) in `view`. */
  readonly groups?: number;
  /** Inference mode: normalize with these statistics instead of the batch's. */
  readonly fixed?: { readonly mean: Float64Array; readonly var: Float64Array };
}

/** Forward result in float64 statistics. */
export interface Forward {
  readonly y: Tensor;
  readonly mean: Float64Array;
  /** Biased variance (1/n) of each statistic, or the fixed variance in inference mode. */
  readonly var: Float64Array;
}

function alloc(dtype: DType, n: number): Float64Array | Float32Array {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

function ones(n: number): Float64Array {
  return new Float64Array(n).fill(1);
}

/** Statistics of the view: the fixed ones in inference mode, else two-pass batch moments. */
export function statistics(spec: Spec): { mean: Float64Array; var: Float64Array; plan: ReturnType<typeof makePlan> } {
  const plan = makePlan(spec.view, spec.reduced, spec.paramShape);
  if (spec.fixed) return { mean: spec.fixed.mean, var: spec.fixed.var, plan };
  const { mean, m2 } = momentsKernel(plan, spec.view);
  for (let i = 0; i < m2.length; i++) m2[i] = m2[i]! / plan.pooled;
  return { mean, var: m2, plan };
}

function invStdOf(v: Float64Array, eps: number): Float64Array {
  const r = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) r[i] = 1 / Math.sqrt(v[i]! + eps);
  return r;
}

/** Run the forward pass (no autodiff recording). */
export function forward(spec: Spec): Forward {
  const { mean, var: variance, plan } = statistics(spec);
  const out = alloc(spec.x.dtype, plan.size);
  const gamma = spec.gamma ?? ones(plan.paramCount);
  const beta = spec.beta ?? new Float64Array(plan.paramCount);
  forwardKernel(plan, spec.view, mean, invStdOf(variance, spec.eps), gamma, beta, out);
  return { y: new Tensor(out, spec.x.shape), mean, var: variance };
}

/** Parameter gradients and the input gradient. */
export interface Backward {
  readonly gradX: Tensor;
  readonly gradGamma: Float64Array;
  readonly gradBeta: Float64Array;
}

/**
 * Run the analytic backward pass for the upstream gradient `dy` (shape of x). `stats` are the
 * forward pass's statistics when the caller has them (autodiff), else they are recomputed.
 */
export function backward(spec: Spec, dy: Tensor, stats?: { readonly mean: Float64Array; readonly var: Float64Array }): Backward {
  if (dy.shape.length !== spec.x.shape.length || dy.shape.some((d, i) => d !== spec.x.shape[i])) {
    throw new RangeError(`${spec.op}: gradY has shape ${showShape(dy.shape)}, expected the input shape ${showShape(spec.x.shape)}`);
  }
  const { mean, var: variance } = stats ?? statistics(spec);
  // The upstream gradient is read through the same (possibly split) view geometry as x.
  const dyView = spec.groups === undefined ? viewOf(dy) : splitAxis(viewOf(dy), 1, spec.groups);
  const plan = makePlan(spec.view, spec.reduced, spec.paramShape, dyView.strides);
  const gradX = alloc(spec.x.dtype, plan.size);
  const gradGamma = new Float64Array(plan.paramCount);
  const gradBeta = new Float64Array(plan.paramCount);
  backwardKernel(
    plan,
    spec.view,
    dyView,
    mean,
    invStdOf(variance, spec.eps),
    spec.gamma ?? ones(plan.paramCount),
    spec.fixed !== undefined,
    gradX,
    gradGamma,
    gradBeta,
  );
  return { gradX: new Tensor(gradX, spec.x.shape), gradGamma, gradBeta };
}

/** Split axis `axis` of `v` into (outer, extent/outer): always a view (group norm's G × C/G). */
export function splitAxis(v: View, axis: number, outer: number): View {
  const d = v.shape[axis]!;
  const s = v.strides[axis]!;
  const inner = d / outer;
  return {
    data: v.data,
    offset: v.offset,
    shape: [...v.shape.slice(0, axis), outer, inner, ...v.shape.slice(axis + 1)],
    strides: [...v.strides.slice(0, axis), s * inner, s, ...v.strides.slice(axis + 1)],
  };
}

/** Wrap a float64 result array as a tensor of `dtype` and `shape`. */
export function asTensorOf(values: Float64Array, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(dtype === "float32" ? Float32Array.from(values) : values, shape);
}

/**
 * Forward with autodiff recording: when `grad`/`valueAndGrad` is tracing, `y` gets the analytic
 * backward of {@link backward} for x and for the parameter tensors the caller passed.
 */
export function forwardRecorded(spec: Spec, gammaTensor: Tensor | null, betaTensor: Tensor | null): Forward {
  const result = forward(spec);
  const inputs: Tensor[] = [spec.x];
  if (gammaTensor) inputs.push(gammaTensor);
  if (betaTensor) inputs.push(betaTensor);
  recordOp(spec.op, inputs, result.y, (g) => {
    const b = backward(spec, g, result);
    const grads: Tensor[] = [b.gradX];
    if (gammaTensor) grads.push(asTensorOf(b.gradGamma, gammaTensor.shape, gammaTensor.dtype));
    if (betaTensor) grads.push(asTensorOf(b.gradBeta, betaTensor.shape, betaTensor.dtype));
    return grads;
  });
  return result;
}
