/**
 * Validation, conversion and the forward/backward drivers shared by `normalize` and its presets.
 *
 * @internal
 */
import { Tensor, isTensor, recordOp, toTensor, type DType, type TensorInput } from "@hw/tensor";
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

/**
 * A caller's output tensor (checked by the preset: contiguous, the input's shape and dtype), written
 * in place of a fresh array.
 */
export interface OutTarget {
  readonly tensor: Tensor;
  /** The tensor's elements in row-major order (a view of its storage). */
  readonly data: Float64Array | Float32Array;
}

/** Run the forward pass (no autodiff recording), into `into` when given, else a fresh array. */
export function forward(spec: Spec, into?: OutTarget): Forward {
  const { mean, var: variance, plan } = statistics(spec);
  const out = into ? into.data : alloc(spec.x.dtype, plan.size);
  const gamma = spec.gamma ?? ones(plan.paramCount);
  const beta = spec.beta ?? new Float64Array(plan.paramCount);
  forwardKernel(plan, spec.view, mean, invStdOf(variance, spec.eps), gamma, beta, out);
  return { y: into ? into.tensor : new Tensor(out, spec.x.shape), mean, var: variance };
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
export function backward(spec: Spec, dy: Tensor, stats?: { readonly mean: Float64Array; readonly var: Float64Array }, into?: OutTarget): Backward {
  checkGradYShape(spec.op, dy, spec.x);
  const { mean, var: variance } = stats ?? statistics(spec);
  // The upstream gradient is read through the same (possibly split) view geometry as x.
  const dyView = spec.groups === undefined ? viewOf(dy) : splitAxis(viewOf(dy), 1, spec.groups);
  const plan = makePlan(spec.view, spec.reduced, spec.paramShape, dyView.strides);
  const gradX = into ? into.data : alloc(spec.x.dtype, plan.size);
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
  return { gradX: into ? into.tensor : new Tensor(gradX, spec.x.shape), gradGamma, gradBeta };
}

/** Every backward pass's check that the upstream gradient has the input's shape. */
export function checkGradYShape(op: string, dy: Tensor, x: Tensor): void {
  if (showShape(dy.shape) !== showShape(x.shape)) {
    throw new RangeError(`${op}: gradY has shape ${showShape(dy.shape)}, expected the input shape ${showShape(x.shape)}`);
  }
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
export function forwardRecorded(spec: Spec, gammaTensor: Tensor | null, betaTensor: Tensor | null, into?: OutTarget): Forward {
  const result = forward(spec, into);
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

/** The range of storage elements a tensor reads, `[first, last]` (offset plus the extreme strides). */
function span(t: Tensor): [number, number] {
  let lo = t.offset;
  let hi = t.offset;
  t.shape.forEach((d, k) => {
    const reach = (d - 1) * t.strides[k]!;
    if (reach < 0) lo += reach;
    else hi += reach;
  });
  return [lo, hi];
}

/**
 * Check a caller's `out` tensor: a tensor of the input's shape and dtype, contiguous, and either
 * disjoint from every tensor the pass reads or exactly one of them (the pass reads element i
 * before it writes element i, so in place is safe; a shifted overlap is not).
 */
export function outTarget(op: string, name: string, value: unknown, x: Tensor, reads: readonly (readonly [string, Tensor])[]): OutTarget {
  if (!isTensor(value)) {
    const what = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new TypeError(`${op}: ${name} must be a Tensor to write into, got ${what}`);
  }
  if (showShape(value.shape) !== showShape(x.shape)) {
    throw new RangeError(`${op}: ${name} has shape ${showShape(value.shape)}, expected the input shape ${showShape(x.shape)}`);
  }
  if (value.dtype !== x.dtype) throw new TypeError(`${op}: ${name} has dtype ${value.dtype}, expected the input's ${x.dtype}`);
  if (!value.isContiguous) {
    throw new RangeError(`${op}: ${name} must be contiguous (row-major), got strides ${showShape(value.strides)} for shape ${showShape(value.shape)}`);
  }
  const [lo, hi] = [value.offset, value.offset + value.size - 1];
  for (const [readName, t] of reads) {
    if (t.data.buffer !== value.data.buffer || t.size === 0 || value.size === 0) continue;
    const bytes = t.data.BYTES_PER_ELEMENT;
    const [tl, th] = span(t).map((e) => t.data.byteOffset + e * bytes);
    const [ol, oh] = [value.data.byteOffset + lo * bytes, value.data.byteOffset + hi * bytes];
    if (oh < tl! || th! < ol) continue;
    const same = t.isContiguous && t.data.byteOffset + t.offset * bytes === ol && t.dtype === value.dtype;
    if (!same) throw new RangeError(`${op}: ${name} overlaps ${readName} without being the same elements (in place needs ${name} and ${readName} to be one contiguous tensor)`);
  }
  return { tensor: value, data: value.data.subarray(lo, hi + 1) };
}
