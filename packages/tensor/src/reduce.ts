/**
 * Reductions over any set of axes: `sum mean var std max min logSumExp`, and `argmax argmin`.
 *
 * Axes: `undefined` reduces every axis, a number one axis, an array several; negative axes count
 * from the end; a repeated axis is a RangeError. With `keepDims: true` reduced axes stay as size 1
 * (ready to broadcast against the input). Accumulation is in float64 whatever the dtype; the result
 * has the input's dtype (`argmax`/`argmin` always return float64 indices).
 *
 * The kernels stream the input once in memory order, folding each contiguous innermost row before
 * touching the output, so reducing axes [0, 2] of an [N, C, L] batch runs at memory speed.
 */
import { readOptions } from "./options";
import { isRecording, recordOp } from "./autodiff/tape";
import { div, exp, mul, sub } from "./elementwise";
import { broadcastTo, reshape } from "./views";
import type { DType } from "./tensor";
import { Tensor, contiguousStrides, isTensor } from "./tensor";
import { formatShape, normalizeAxes, normalizeAxis } from "./internal/shape";
import type { ReduceGeometry } from "./internal/reduce-kernel";
import { extremumKernel, momentsKernel, reduceGeometry, sumExpKernel, sumKernel, sumSqDevKernel } from "./internal/reduce-kernel";
import { map2 } from "./internal/map";
import { forEachRow } from "./internal/strided";

/** The axes argument of a reduction: one axis, several, or `undefined` for all. */
export type Axes = number | readonly number[] | undefined;

/** Options of the reductions. */
export interface ReduceOptions {
  /**
   * Keep reduced axes as size-1 axes.
   * @defaultValue false
   */
  readonly keepDims?: boolean;
}

/** Options of {@link variance} / {@link std}. */
export interface VarianceOptions extends ReduceOptions {
  /**
   * Subtracted from the count in the denominator: 0 gives the biased (population) variance used in
   * the problem set and by batch norm; 1 gives the unbiased (sample) variance.
   * @defaultValue 0
   */
  readonly correction?: number;
}

interface Prepared {
  readonly axes: number[];
  readonly geo: ReduceGeometry;
  readonly keepDims: boolean;
}

function prepare(op: string, x: Tensor, axis: Axes, options: ReduceOptions, known: readonly string[] = ["keepDims"]): Prepared {
  if (!isTensor(x)) throw new TypeError(`${op}: expected a tensor, got ${typeof x}`);
  readOptions(op, options as Record<string, unknown>, known);
  const axes = normalizeAxes(op, axis, x.ndim);
  return { axes, geo: reduceGeometry(x.shape, axes), keepDims: options.keepDims ?? false };
}

function wrap(acc: Float64Array, dtype: DType, p: Prepared): Tensor {
  const shape = p.keepDims ? p.geo.keepDimsShape : p.geo.keptShape;
  return new Tensor(dtype === "float64" ? acc : Float32Array.from(acc), shape);
}

/** Backward passes written with recorded ops when recording (higher order), fused loops otherwise. */
const DIFF = { differentiable: true } as const;

/** ∂mean: the output gradient spread over the pooled elements, divided by their count. */
function meanBackward(g: Tensor, p: Prepared, x: Tensor): Tensor {
  const n = p.geo.count;
  return spread(isRecording() ? div(g, n) : map2("mean", g, g, (u) => u / n, g.dtype), p, x);
}

/** ∂var: 2 (x − x̄) / (n − c) times the spread output gradient (x̄ recorded as a function of x when recording). */
function varianceBackward(g: Tensor, p: Prepared, x: Tensor, centre: Float64Array, denom: number): Tensor {
  const gb = spread(g, p, x);
  if (isRecording()) {
    const c = mean(x, p.axes, { keepDims: true });
    return mul(div(mul(2, sub(x, c)), denom), gb);
  }
  const c = spread(new Tensor(centre, p.geo.keptShape), p, x);
  const d = map2("var", x, c, (a, m) => (2 * (a - m)) / denom, "float64");
  return map2("var", d, gb, (a, b) => a * b, g.dtype);
}

/** Reshape a reduced output (or its gradient) to the keepDims shape and broadcast it over x. */
function spread(t: Tensor, p: Prepared, x: Tensor): Tensor {
  return broadcastTo(reshape(t, p.geo.keepDimsShape), x.shape);
}

/**
 * Sum over axes (0 for an empty reduction).
 *
 * $$\mathrm{sum}(x)_{k} = \sum_{i \in \text{reduced}} x_{k,i}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all; negative allowed).
 * @param options - `keepDims`.
 * @returns The sums.
 * @throws RangeError on an out-of-range or repeated axis.
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 0).toArray();                    // [4, 6]
 * sum(tensor([[1, 2], [3, 4]]), -1, { keepDims: true }).toArray(); // [[3], [7]]
 * ```
 */
export function sum(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const p = prepare("sum", x, axis, options);
  const acc = new Float64Array(p.geo.outSize);
  sumKernel(x, p.geo, acc);
  const out = wrap(acc, x.dtype, p);
  recordOp("sum", [x], out, (g) => [spread(g, p, x)], DIFF);
  return out;
}

function meanData(x: Tensor, p: Prepared): Float64Array {
  const acc = new Float64Array(p.geo.outSize);
  sumKernel(x, p.geo, acc);
  const n = p.geo.count;
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! / n;
  return acc;
}

/**
 * Arithmetic mean over axes (NaN for an empty reduction).
 *
 * $$\bar x_k = \frac{1}{n}\sum_{i} x_{k,i}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`.
 * @returns The means.
 * @throws RangeError on an out-of-range or repeated axis.
 * @example
 * ```ts
 * mean(tensor([[1, 2], [3, 4]]), 1).toArray(); // [1.5, 3.5]
 * ```
 */
export function mean(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const p = prepare("mean", x, axis, options);
  const out = wrap(meanData(x, p), x.dtype, p);
  recordOp("mean", [x], out, (g) => [meanBackward(g, p, x)], DIFF);
  return out;
}

interface VarParts {
  readonly p: Prepared;
  readonly centre: Float64Array;
  readonly variance: Float64Array;
  readonly denom: number;
}

function varParts(op: string, x: Tensor, axis: Axes, options: VarianceOptions): VarParts {
  const p = prepare(op, x, axis, options, ["keepDims", "correction"]);
  const correction = options.correction ?? 0;
  if (typeof correction !== "number" || !Number.isFinite(correction) || correction < 0) {
    throw new RangeError(`${op}: correction must be a finite non-negative number, got ${String(correction)}`);
  }
  // Two passes per row (the mean, then the centred sum of squares: exact for 1e8 + small noise),
  // with the row in cache — one pass over memory — and rows pooled exactly (momentsKernel);
  // two whole-tensor passes when the reduced axes are not innermost.
  let centre: Float64Array = new Float64Array(p.geo.outSize);
  const ss = new Float64Array(p.geo.outSize);
  if (!momentsKernel(x, p.geo, centre, ss)) {
    centre = meanData(x, p);
    sumSqDevKernel(x, p.geo, centre, ss);
  }
  const denom = p.geo.count - correction;
  for (let i = 0; i < ss.length; i++) ss[i] = denom > 0 ? ss[i]! / denom : NaN;
  return { p, centre, variance: ss, denom };
}

/**
 * Variance over axes, by two passes (mean, then centred sum of squares), so nearly equal large
 * values (1e8 + small noise) keep their digits. The denominator is `n − correction`; where it is
 * not positive the result is NaN.
 *
 * $$\operatorname{var}(x)_k = \frac{1}{n - c}\sum_{i}\left(x_{k,i} - \bar x_k\right)^2$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`, `correction` (0 = biased, the default; 1 = unbiased).
 * @returns The variances.
 * @throws RangeError on an out-of-range or repeated axis or a negative correction.
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4])).item();                    // 1.25
 * variance(tensor([1, 2, 3, 4]), 0, { correction: 1 }).item(); // 1.6666666666666667
 * ```
 */
export function variance(x: Tensor, axis?: Axes, options: VarianceOptions = {}): Tensor {
  const { p, centre, variance: v, denom } = varParts("var", x, axis, options);
  const out = wrap(v, x.dtype, p);
  recordOp("var", [x], out, (g) => [varianceBackward(g, p, x, centre, denom)], DIFF);
  return out;
}

/** Result of {@link moments}. */
export interface Moments {
  /** The means over the reduced axes. */
  readonly mean: Tensor;
  /** The variances over the reduced axes (two-pass, with the given `correction`). */
  readonly variance: Tensor;
}

/**
 * Mean and variance over axes in one call (batch-norm statistics), sharing the first pass: two
 * passes over the data instead of the three of `mean(x)` followed by `variance(x)`. Both outputs
 * are differentiable.
 *
 * $$\bar x_k = \frac{1}{n}\sum_i x_{k,i},\qquad \operatorname{var}(x)_k = \frac{1}{n-c}\sum_i (x_{k,i}-\bar x_k)^2$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`, `correction` (default 0, biased).
 * @returns `{ mean, variance }`.
 * @throws RangeError on an out-of-range or repeated axis or a negative correction.
 * @example
 * ```ts
 * const { mean: m, variance: v } = moments(tensor([[1, 2], [3, 4]]), 0);
 * m.toArray(); // [2, 3]
 * v.toArray(); // [1, 1]
 * ```
 */
export function moments(x: Tensor, axis?: Axes, options: VarianceOptions = {}): Moments {
  const { p, centre, variance: v, denom } = varParts("moments", x, axis, options);
  const m = wrap(centre, x.dtype, p);
  const out = wrap(v, x.dtype, p);
  recordOp("mean", [x], m, (g) => [meanBackward(g, p, x)], DIFF);
  recordOp("var", [x], out, (g) => [varianceBackward(g, p, x, centre, denom)], DIFF);
  return { mean: m, variance: out };
}

/**
 * Standard deviation over axes: the square root of {@link variance} (two-pass, same `correction`).
 *
 * $$\operatorname{std}(x)_k = \sqrt{\operatorname{var}(x)_k}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`, `correction` (default 0).
 * @returns The standard deviations.
 * @throws RangeError on an out-of-range or repeated axis or a negative correction.
 * @example
 * ```ts
 * std(tensor([1, 3])).item(); // 1
 * ```
 */
export function std(x: Tensor, axis?: Axes, options: VarianceOptions = {}): Tensor {
  const { p, centre, variance: v, denom } = varParts("std", x, axis, options);
  const s = v.map(Math.sqrt);
  const out = wrap(s, x.dtype, p);
  recordOp("std", [x], out, (g) => {
    if (isRecording()) {
      const xc = sub(x, mean(x, p.axes, { keepDims: true }));
      return [mul(div(div(xc, denom), spread(out, p, x)), spread(g, p, x))];
    }
    const c = spread(new Tensor(centre, p.geo.keptShape), p, x);
    const sd = spread(new Tensor(s, p.geo.keptShape), p, x);
    const gb = spread(g, p, x);
    const d = map2("std", x, c, (a, m) => (a - m) / denom, "float64");
    const q = map2("std", d, sd, (a, b) => a / b, "float64");
    return [map2("std", q, gb, (a, b) => a * b, g.dtype)];
  }, DIFF);
  return out;
}

function extremum(op: string, x: Tensor, axis: Axes, options: ReduceOptions, isMax: boolean): Tensor {
  const p = prepare(op, x, axis, options);
  if (p.geo.count === 0 && p.geo.outSize > 0) {
    const empty = p.axes.filter((a) => x.shape[a] === 0);
    throw new RangeError(`${op}: cannot reduce over empty axis ${empty.join(",")} of shape ${formatShape(x.shape)}`);
  }
  const acc = new Float64Array(p.geo.outSize).fill(isMax ? -Infinity : Infinity);
  extremumKernel(x, p.geo, acc, isMax);
  const out = wrap(acc, x.dtype, p);
  recordOp(op, [x], out, (g) => {
    // Ties split the gradient evenly between the tied elements (as PyTorch's amax/amin).
    const m = spread(new Tensor(acc, p.geo.keptShape), p, x);
    const mask = map2(op, x, m, (a, b) => (a === b ? 1 : 0), "float64");
    const cnt = new Float64Array(p.geo.outSize);
    sumKernel(mask, p.geo, cnt);
    if (isRecording()) return [mul(mask, div(reshape(g, p.geo.keepDimsShape), new Tensor(cnt, p.geo.keepDimsShape)))];
    const share = map2(op, reshape(g, p.geo.keepDimsShape), new Tensor(cnt, p.geo.keepDimsShape), (a, b) => a / b, "float64");
    return [map2(op, mask, share, (a, b) => a * b, g.dtype)];
  }, DIFF);
  return out;
}

/**
 * Maximum over axes; NaN propagates. The gradient goes to the maximal elements, split evenly
 * between ties.
 *
 * $$\max(x)_k = \max_{i} x_{k,i}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`.
 * @returns The maxima.
 * @throws RangeError on an out-of-range or repeated axis, or an empty reduced axis
 *   (`max: cannot reduce over empty axis 1 of shape [2,0]`).
 * @example
 * ```ts
 * max(tensor([[1, 5], [3, 2]]), 1).toArray(); // [5, 3]
 * ```
 */
export function max(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum("max", x, axis, options, true);
}

/**
 * Minimum over axes; NaN propagates. The gradient goes to the minimal elements, split evenly
 * between ties.
 *
 * $$\min(x)_k = \min_{i} x_{k,i}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`.
 * @returns The minima.
 * @throws RangeError on an out-of-range or repeated axis, or an empty reduced axis.
 * @example
 * ```ts
 * min(tensor([[1, 5], [3, 2]]), 0).toArray(); // [1, 2]
 * ```
 */
export function min(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  return extremum("min", x, axis, options, false);
}

/**
 * Log of the sum of exponentials over axes, computed with the max shift
 * (`logSumExp([1000, 1000]) = 1000 + ln 2`, `logSumExp([−1000, −1000]) = −1000 + ln 2`).
 * All −Infinity (or an empty reduction) gives −Infinity; any +Infinity gives +Infinity; NaN
 * propagates. The gradient is the softmax of the reduced elements.
 *
 * $$\operatorname{LSE}(x)_k = m_k + \ln \sum_i e^{x_{k,i} - m_k},\qquad m_k = \max_i x_{k,i}$$
 *
 * @param x - The tensor.
 * @param axis - Axis or axes to reduce (default all).
 * @param options - `keepDims`.
 * @returns The log-sum-exps.
 * @throws RangeError on an out-of-range or repeated axis.
 * @example
 * ```ts
 * logSumExp(tensor([0, 0])).item(); // 0.6931471805599453
 * ```
 */
export function logSumExp(x: Tensor, axis?: Axes, options: ReduceOptions = {}): Tensor {
  const p = prepare("logSumExp", x, axis, options);
  const acc = lseData(x, p.geo);
  const out = wrap(acc, x.dtype, p);
  recordOp("logSumExp", [x], out, (g) => {
    if (isRecording()) return [mul(exp(sub(x, spread(out, p, x))), spread(g, p, x))];
    const l = spread(new Tensor(acc, p.geo.keptShape), p, x);
    const gb = spread(g, p, x);
    const w = map2("logSumExp", x, l, (a, b) => Math.exp(a - b), "float64");
    return [map2("logSumExp", w, gb, (a, b) => a * b, g.dtype)];
  }, DIFF);
  return out;
}

/** Max-shifted log Σ exp over the geometry's slots: `shift + logSum` (kept apart for accuracy). @internal */
export function lseParts(x: Tensor, geo: ReduceGeometry): { shift: Float64Array; logSum: Float64Array } {
  const shift = new Float64Array(geo.outSize).fill(-Infinity);
  extremumKernel(x, geo, shift, true);
  for (let i = 0; i < shift.length; i++) if (!Number.isFinite(shift[i])) shift[i] = 0;
  const s = new Float64Array(geo.outSize);
  sumExpKernel(x, geo, shift, s);
  for (let i = 0; i < s.length; i++) s[i] = Math.log(s[i]!);
  return { shift, logSum: s };
}

/** log Σ exp over the geometry's slots (max-shifted). @internal */
export function lseData(x: Tensor, geo: ReduceGeometry): Float64Array {
  const { shift, logSum } = lseParts(x, geo);
  for (let i = 0; i < logSum.length; i++) logSum[i] = shift[i]! + logSum[i]!;
  return logSum;
}

function argExtremum(op: string, x: Tensor, axis: number | undefined, options: ReduceOptions, isMax: boolean): Tensor {
  readOptions(op, options, ["keepDims"]);
  const better = isMax
    ? (v: number, b: number): boolean => v > b || (v !== v && b === b)
    : (v: number, b: number): boolean => v < b || (v !== v && b === b);
  const xd = x.data;
  if (axis === undefined) {
    if (x.size === 0) throw new RangeError(`${op}: cannot take ${op} of an empty tensor of shape ${formatShape(x.shape)}`);
    let best = NaN;
    let bestIdx = -1;
    let k = 0;
    forEachRow(x.shape, [x.strides], [x.offset], (o, n, s) => {
      let q = o[0]!;
      const st = s[0]!;
      for (let j = 0; j < n; j++, k++, q += st) {
        const v = xd[q]!;
        if (bestIdx < 0 || better(v, best)) {
          best = v;
          bestIdx = k;
        }
      }
    });
    const shape = options.keepDims ? x.shape.map(() => 1) : [];
    return new Tensor(Float64Array.of(bestIdx), shape);
  }
  const a = normalizeAxis(op, axis, x.ndim);
  const len = x.shape[a]!;
  const outerShape = x.shape.filter((_, i) => i !== a);
  const outerStrides = x.strides.filter((_, i) => i !== a);
  const outSize = outerShape.reduce((q, d) => q * d, 1);
  if (len === 0 && outSize > 0) {
    throw new RangeError(`${op}: cannot reduce over empty axis ${a} of shape ${formatShape(x.shape)}`);
  }
  const sa = x.strides[a]!;
  const out = new Float64Array(outSize);
  forEachRow(outerShape, [outerStrides, contiguousStrides(outerShape)], [x.offset, 0], (o, n, s) => {
    for (let j = 0; j < n; j++) {
      const base = o[0]! + j * s[0]!;
      let best = xd[base]!;
      let bi = 0;
      for (let i = 1; i < len; i++) {
        const v = xd[base + i * sa]!;
        if (better(v, best)) {
          best = v;
          bi = i;
        }
      }
      out[o[1]! + j * s[1]!] = bi;
    }
  });
  const shape = options.keepDims ? x.shape.map((d, i) => (i === a ? 1 : d)) : outerShape;
  return new Tensor(out, shape);
}

/**
 * Index of the maximum along one axis (or of the flattened tensor when `axis` is undefined).
 * Ties and repeated NaN: the first index wins; NaN counts as the maximum (NumPy). Indices are
 * returned as a float64 tensor. Not differentiable.
 *
 * @param x - The tensor.
 * @param axis - The axis (negative allowed), or undefined for the flat index.
 * @param options - `keepDims`.
 * @returns The indices.
 * @throws RangeError on an out-of-range axis or an empty reduced axis.
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [3, 2]]), 1).toArray(); // [1, 0]
 * argmax(tensor([[1, 5], [3, 2]])).item();       // 1
 * ```
 */
export function argmax(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum("argmax", x, axis, options, true);
}

/**
 * Index of the minimum along one axis (or of the flattened tensor when `axis` is undefined).
 * Ties: the first index wins; NaN counts as the minimum (NumPy). Float64 indices. Not
 * differentiable.
 *
 * @param x - The tensor.
 * @param axis - The axis (negative allowed), or undefined for the flat index.
 * @param options - `keepDims`.
 * @returns The indices.
 * @throws RangeError on an out-of-range axis or an empty reduced axis.
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [3, 2]]), 1).toArray(); // [0, 1]
 * ```
 */
export function argmin(x: Tensor, axis?: number, options: ReduceOptions = {}): Tensor {
  return argExtremum("argmin", x, axis, options, false);
}
