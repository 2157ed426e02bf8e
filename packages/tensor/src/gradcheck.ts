/**
 * `gradcheck`: compare reverse-mode gradients with central finite differences in float64.
 */
import { isTensor, Tensor } from "./tensor";
import { backprop, newTape } from "./autodiff/backprop";
import { contiguousCopy, describeValue, forEachStrided, showShape } from "./autodiff/buffers";
import { withTape } from "./autodiff/tape";
import { differentiate } from "./autodiff/grad";
import { add, mul } from "./elementwise";
import { readOptions } from "./options";
import { sum } from "./reduce";

/** Options of {@link gradcheck}. The defaults are PyTorch's `torch.autograd.gradcheck` defaults. */
export interface GradcheckOptions {
  /**
   * Finite-difference step: each element is moved to $x_i \pm \varepsilon$.
   * @defaultValue 1e-6
   */
  readonly eps?: number;
  /**
   * Absolute tolerance of the NumPy/PyTorch `allclose` rule
   * $|a - n| \le \mathrm{atol} + \mathrm{rtol}\,|n|$ (analytic $a$, numeric $n$).
   * @defaultValue 1e-5
   */
  readonly atol?: number;
  /**
   * Relative tolerance of the same rule.
   * @defaultValue 1e-3
   */
  readonly rtol?: number;
  /**
   * Throw a {@link GradcheckError} when the check fails; with `false`, return the report instead.
   * @defaultValue true
   */
  readonly raise?: boolean;
  /**
   * Seed of the fixed random cotangent $v$ used when `f` returns a non-scalar tensor: the check is
   * then on the vector–Jacobian product $v^\top J$, i.e. on the scalar $\langle v, f(x)\rangle$.
   * @defaultValue 0
   */
  readonly seed?: number;
  /**
   * PyTorch's `fast_mode`: instead of the whole Jacobian, compare one random projection per input,
   * $v^{\mathsf T} J u$ with a fixed pseudo-random direction $u$ (from `seed`): two evaluations of `f`
   * per input instead of two per element. When an input fails, its full numeric gradient is then
   * computed to report the worst entry.
   * @defaultValue false
   */
  readonly fastMode?: boolean;
  /**
   * A sparse check (CS231n's `grad_check_sparse`): compare only this many entries of each input,
   * drawn without replacement from `seed` (all entries when an input has fewer). Unchecked
   * entries are NaN in the report's `numericGrad`.
   * @defaultValue undefined (every entry)
   */
  readonly samples?: number;
}

/** The comparison for one input of {@link gradcheck}. */
export interface GradcheckInputReport {
  /** The record key, or the position as a string for positional inputs. */
  readonly name: string;
  /** Position of the input (in key order for a record). */
  readonly index: number;
  /** The input's shape. */
  readonly shape: readonly number[];
  /** True when every element passes $|a - n| \le \mathrm{atol} + \mathrm{rtol}\,|n|$. */
  readonly ok: boolean;
  /** $\max_i |a_i - n_i|$ (NaN when some difference is NaN). */
  readonly maxAbsError: number;
  /** $\max_i |a_i - n_i| / \max(|a_i|, |n_i|)$, with $0/0 = 0$. */
  readonly maxRelError: number;
  /**
   * Nested index of the worst element: the largest $|a_i - n_i| / (\mathrm{atol} + \mathrm{rtol}\,|n_i|)$
   * (a NaN comparison counts as worst). `[]` for a 0-d input; `null` for an empty one.
   */
  readonly worstIndex: readonly number[] | null;
  /** Analytic (autodiff) derivative at `worstIndex` (NaN for an empty input). */
  readonly analytic: number;
  /** Numeric (central-difference) derivative at `worstIndex` (NaN for an empty input). */
  readonly numeric: number;
  /** The full analytic gradient, float64, the input's shape. */
  readonly analyticGrad: Tensor;
  /**
   * The numeric gradient, float64, the input's shape (NaN at entries a sparse or passing fast check
   * did not difference).
   */
  readonly numericGrad: Tensor;
  /** How many entries were compared (1 projection in fast mode). */
  readonly checked: number;
}

/** What {@link gradcheck} found. */
export interface GradcheckReport {
  /** True when every input passes. */
  readonly ok: boolean;
  /** One report per input, in order. */
  readonly inputs: readonly GradcheckInputReport[];
  /** Remarks, e.g. a float32 input converted to float64. */
  readonly notes: readonly string[];
  /** The finite-difference step used. */
  readonly eps: number;
  /** The absolute tolerance used. */
  readonly atol: number;
  /** The relative tolerance used. */
  readonly rtol: number;
  /** `"full"` (every entry), `"sparse"` (`samples` entries per input) or `"fast"` (random projections). */
  readonly mode: "full" | "sparse" | "fast";
}

/**
 * The error thrown by a failing {@link gradcheck}; carries the full report (as a non-enumerable
 * property, so that test runners print the message rather than every gradient).
 */
export class GradcheckError extends Error {
  /** The report of the failing check. */
  declare readonly report: GradcheckReport;

  /**
   * @param message - the failure message (input, nested index, analytic vs numeric)
   * @param report - the full report
   */
  constructor(message: string, report: GradcheckReport) {
    super(message);
    this.name = "GradcheckError";
    Object.defineProperty(this, "report", { value: report, enumerable: false, writable: false });
  }
}

type Inputs = readonly Tensor[] | { readonly [key: string]: Tensor };

/** splitmix32-style integer hash → uniform in [0.5, 1.5) with a random sign, for the cotangent. */
function cotangentValue(seed: number, k: number): number {
  let h = (seed ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  const u = (h >>> 1) / 0x80000000; // [0, 1)
  return (h & 1) === 1 ? -(0.5 + u) : 0.5 + u;
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}

/** `count` distinct indices in [0, n), drawn from `seed` (partial Fisher–Yates), sorted. */
function sampleIndices(n: number, count: number, seed: number): number[] {
  const pool = Array.from({ length: n }, (_, k) => k);
  for (let j = 0; j < count; j++) {
    const u = (cotangentValue(seed, j) + 1.5) / 3; // map ±[0.5,1.5) to [0, 1)
    const r = j + Math.min(n - j - 1, Math.floor(Math.abs(u) * (n - j)));
    const t = pool[j]!;
    pool[j] = pool[r]!;
    pool[r] = t;
  }
  return pool.slice(0, count).sort((p, q) => p - q);
}

function unravel(k: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax]!;
    index[ax] = k % d;
    k = Math.floor(k / d);
  }
  return index;
}

/**
 * Check `f`'s autodiff gradients against central finite differences, in float64.
 *
 * For every element $x_i$ of every input, the numeric derivative is
 * $$n_i = \frac{\phi(x + \varepsilon e_i) - \phi(x - \varepsilon e_i)}{2\varepsilon},$$
 * where $\phi = f$ when `f` returns a scalar, and $\phi(x) = \langle v, f(x)\rangle$ with a fixed
 * pseudo-random $v$ (entries $\pm[0.5, 1.5)$, from `seed`) when it returns a larger tensor. The
 * analytic $a_i$ comes from reverse mode with the same $v$. Element $i$ passes when
 * $|a_i - n_i| \le \mathrm{atol} + \mathrm{rtol}\,|n_i|$ (PyTorch's rule and defaults:
 * `eps = 1e-6`, `atol = 1e-5`, `rtol = 1e-3`, meant for float64).
 *
 * Inputs are copied to contiguous float64 tensors first (a float32 input is converted, and the
 * report's `notes` say so), so `f` always sees float64. `f` is called $2\sum_j |x_j| + 1$ times;
 * keep the inputs small. Pick points away from kinks (`relu` at 0, `abs` at 0, ties of `max`),
 * where finite differences are meaningless.
 *
 * @param f - positional inputs: `f(...inputs)`; a record: `f(inputs)`. Must return a tensor.
 * @param inputs - an array or a record of tensors to differentiate with respect to
 * @param options - {@link GradcheckOptions}
 * @returns the {@link GradcheckReport} (when it passes, or always with `raise: false`)
 * @throws GradcheckError when an element fails and `raise` is true; the message names the input
 *   and the index: `gradcheck: input "W" [1,2]: analytic 0.123 vs numeric 0.456 (abs err 0.333 > …)`
 * @throws TypeError when `inputs` holds a non-tensor or `f` does not return a tensor
 * @throws RangeError when `eps`, `atol` or `rtol` is not a positive / non-negative finite number,
 *   or `f`'s output changes shape under perturbation
 * @example
 * ```ts
 * const report = gradcheck((x: Tensor) => sum(exp(x)), [tensor([0.1, -0.4])]);
 * report.ok; // => true
 * report.inputs[0].maxAbsError; // => ~1e-10
 * ```
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options?: GradcheckOptions,
): GradcheckReport;
export function gradcheck<R extends { readonly [key: string]: Tensor }>(
  f: (inputs: R) => Tensor,
  inputs: R,
  options?: GradcheckOptions,
): GradcheckReport;
export function gradcheck(
  f: (...args: never[]) => Tensor,
  inputs: Inputs,
  options: GradcheckOptions = {},
): GradcheckReport {
  return check("gradcheck", f, inputs, options);
}

function check(
  name: string,
  f: (...args: never[]) => Tensor,
  inputs: Inputs,
  options: GradcheckOptions,
): GradcheckReport {
  const opts = readOptions("gradcheck", options, ["eps", "atol", "rtol", "raise", "seed", "fastMode", "samples"]);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true, seed = 0, fastMode = false, samples } = opts;
  if (typeof f !== "function") throw new TypeError(`gradcheck: f must be a function, got ${describeValue(f)}`);
  if (!(Number.isFinite(eps) && eps > 0)) throw new RangeError(`gradcheck: eps must be a positive number, got ${eps}`);
  if (!(Number.isFinite(atol) && atol >= 0)) throw new RangeError(`gradcheck: atol must be >= 0, got ${atol}`);
  if (!(Number.isFinite(rtol) && rtol >= 0)) throw new RangeError(`gradcheck: rtol must be >= 0, got ${rtol}`);
  if (samples !== undefined && !(Number.isInteger(samples) && samples > 0)) {
    throw new RangeError(`gradcheck: samples must be a positive integer, got ${String(samples)}`);
  }
  if (samples !== undefined && fastMode) {
    throw new RangeError("gradcheck: fastMode and samples are two different checks; pass one of them");
  }
  if (!Array.isArray(inputs) && (typeof inputs !== "object" || (inputs as unknown) === null)) {
    throw new TypeError(`gradcheck: inputs must be an array or a record of tensors, got ${describeValue(inputs)}`);
  }
  const mode: GradcheckReport["mode"] = fastMode ? "fast" : samples !== undefined ? "sparse" : "full";

  const positional = Array.isArray(inputs);
  const names = positional ? inputs.map((_, i) => String(i)) : Object.keys(inputs);
  const originals = positional
    ? (inputs as readonly unknown[])
    : names.map((k) => (inputs as Record<string, unknown>)[k]);
  const notes: string[] = [];
  const bases = originals.map((t, i) => {
    if (!isTensor(t)) {
      const label = positional ? `${i}` : `"${names[i]!}"`;
      throw new TypeError(`gradcheck: input ${label} is not a tensor (got ${describeValue(t)})`);
    }
    if (t.dtype !== "float64") notes.push(`input ${names[i]!} converted from ${t.dtype} to float64`);
    return contiguousCopy(t, "float64");
  });
  const call = (args: readonly Tensor[]): unknown => {
    const fn = f as (...a: unknown[]) => unknown;
    if (positional) return fn(...args);
    return fn(Object.fromEntries(names.map((k, i) => [k, args[i]])));
  };

  // Analytic: one forward pass on tracked views, one backward pass with the cotangent.
  const tape = newTape();
  const leaves = bases.map((b) => new Tensor(b.data, b.shape));
  for (const leaf of leaves) tape.tracked.add(leaf);
  const out = withTape(tape, () => call(leaves));
  if (!isTensor(out)) throw new TypeError(`gradcheck: f must return a tensor, got ${describeValue(out)}`);
  const outShape = out.shape;
  const scalar = out.size === 1;
  const v = new Float64Array(out.size);
  for (let k = 0; k < v.length; k++) v[k] = scalar ? 1 : cotangentValue(seed, k);
  const analytic = backprop("gradcheck", tape, out, new Tensor(v, outShape), leaves);

  // Numeric: central differences, perturbing the float64 copies in place.
  const phi = (): number => {
    const y = withTape(null, () => call(bases));
    if (!isTensor(y)) throw new TypeError(`gradcheck: f must return a tensor, got ${describeValue(y)}`);
    if (y.size !== out.size || y.shape.length !== outShape.length || y.shape.some((d, i) => d !== outShape[i])) {
      throw new RangeError(
        `gradcheck: f's output changed shape under perturbation: ${showShape(outShape)} vs ${showShape(y.shape)}`,
      );
    }
    let s = 0;
    forEachStrided(y, (value, k) => {
      s += v[k]! * value;
    });
    return s;
  };
  /** Central difference of φ along element k of `data`. */
  const differenceAt = (data: Float64Array, k: number): number => {
    const x = data[k]!;
    data[k] = x + eps;
    const plus = phi();
    data[k] = x - eps;
    const minus = phi();
    data[k] = x;
    return (plus - minus) / (2 * eps);
  };
  const passes = (a: number, n: number): boolean => Math.abs(a - n) <= atol + rtol * Math.abs(n);

  const reports: GradcheckInputReport[] = [];
  bases.forEach((base, i) => {
    const data = base.data as Float64Array;
    const a = analytic[i]!.data;
    const numeric = new Float64Array(base.size);
    let entries: number[];
    if (mode === "fast") {
      // One projection: compare vᵀJu (numeric, along u) with ⟨analytic, u⟩.
      const u = new Float64Array(base.size);
      for (let k = 0; k < u.length; k++) u[k] = cotangentValue(seed + 7919 * (i + 1), k);
      const x0 = Float64Array.from(data);
      for (let k = 0; k < data.length; k++) data[k] = x0[k]! + eps * u[k]!;
      const plus = phi();
      for (let k = 0; k < data.length; k++) data[k] = x0[k]! - eps * u[k]!;
      const minus = phi();
      data.set(x0);
      const projected = (plus - minus) / (2 * eps);
      let analyticProjected = 0;
      for (let k = 0; k < u.length; k++) analyticProjected += a[k]! * u[k]!;
      if (base.size === 0 || passes(analyticProjected, projected)) {
        numeric.fill(NaN);
        const diff = Math.abs(analyticProjected - projected);
        reports.push({
          name: names[i]!,
          index: i,
          shape: base.shape,
          ok: true,
          maxAbsError: base.size === 0 ? 0 : diff,
          maxRelError: diff === 0 ? 0 : diff / Math.max(Math.abs(analyticProjected), Math.abs(projected)),
          worstIndex: null,
          analytic: base.size === 0 ? NaN : analyticProjected,
          numeric: base.size === 0 ? NaN : projected,
          analyticGrad: analytic[i]!,
          numericGrad: new Tensor(numeric, base.shape),
          checked: base.size === 0 ? 0 : 1,
        });
        return;
      }
      // The projection failed: difference every entry to name the worst one.
      entries = Array.from({ length: base.size }, (_, k) => k);
    } else if (samples !== undefined && samples < base.size) {
      entries = sampleIndices(base.size, samples, seed + 104729 * (i + 1));
      numeric.fill(NaN);
    } else {
      entries = Array.from({ length: base.size }, (_, k) => k);
    }
    for (const k of entries) numeric[k] = differenceAt(data, k);
    let maxAbs = 0;
    let maxRel = 0;
    let worst = -1;
    let worstRatio = -1;
    let ok = mode !== "fast"; // reaching here in fast mode means the projection failed
    for (const k of entries) {
      const ak = a[k]!;
      const nk = numeric[k]!;
      const diff = Math.abs(ak - nk);
      if (!passes(ak, nk)) ok = false;
      maxAbs = Number.isNaN(diff) || Number.isNaN(maxAbs) ? NaN : Math.max(maxAbs, diff);
      const scale = Math.max(Math.abs(ak), Math.abs(nk));
      const rel = diff === 0 ? 0 : diff / scale;
      maxRel = Number.isNaN(rel) || Number.isNaN(maxRel) ? NaN : Math.max(maxRel, rel);
      const allowed = atol + rtol * Math.abs(nk);
      const ratio = Number.isNaN(diff) ? Infinity : allowed === 0 ? (diff === 0 ? 0 : Infinity) : diff / allowed;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = k;
      }
    }
    reports.push({
      name: names[i]!,
      index: i,
      shape: base.shape,
      ok,
      maxAbsError: maxAbs,
      maxRelError: maxRel,
      worstIndex: worst < 0 ? null : unravel(worst, base.shape),
      analytic: worst < 0 ? NaN : a[worst]!,
      numeric: worst < 0 ? NaN : numeric[worst]!,
      analyticGrad: analytic[i]!,
      numericGrad: new Tensor(numeric, base.shape),
      checked: entries.length,
    });
  });

  const report: GradcheckReport = { ok: reports.every((r) => r.ok), inputs: reports, notes, eps, atol, rtol, mode };
  if (!report.ok && raise) {
    const bad = reports.find((r) => !r.ok)!;
    const label = positional ? `${bad.index}` : `"${bad.name}"`;
    const allowed = atol + rtol * Math.abs(bad.numeric);
    const how = mode === "fast" ? " (fast mode: the random projection failed; worst entry of the full check)" : "";
    throw new GradcheckError(
      `${name}: input ${label} ${showShape(bad.worstIndex ?? [])}: analytic ${formatNumber(bad.analytic)} ` +
        `vs numeric ${formatNumber(bad.numeric)} (abs err ${formatNumber(Math.abs(bad.analytic - bad.numeric))} > ` +
        `atol + rtol·|numeric| = ${formatNumber(allowed)}; input shape ${showShape(bad.shape)}, max abs err ` +
        `${formatNumber(bad.maxAbsError)})${how}`,
      report,
    );
  }
  return report;
}

/**
 * Check second derivatives (PyTorch's `gradgradcheck`): the gradient of the gradient, from nested
 * reverse mode, against central differences of the first-order gradient, in float64.
 *
 * It runs {@link gradcheck} on
 * $$h(x_1, \dots) = \sum_i \big\langle u_i,\; \nabla_{x_i} \langle v, f(x_1, \dots)\rangle \big\rangle$$
 * with fixed pseudo-random $v$ (shaped as $f$'s output) and $u_i$ (shaped as the inputs), from
 * `seed`; so $\partial h/\partial x_j = \sum_i H_{ji}\, u_i$ (second derivatives of $\langle v, f\rangle$)
 * is checked entry by entry. Every option of {@link gradcheck} applies (`fastMode`, `samples` …).
 * An op whose backward pass is not differentiable makes it throw `NotDifferentiableError`.
 *
 * @param f - as for {@link gradcheck}
 * @param inputs - an array or a record of tensors
 * @param options - {@link GradcheckOptions}
 * @returns the report of the check of $h$ (worst entry of $\nabla h$ per input)
 * @throws GradcheckError when a second derivative disagrees (and `raise` is true)
 * @example
 * ```ts
 * gradgradcheck((x: Tensor) => sum(pow(x, 3)), [tensor([0.5, -1])]).ok; // => true
 * ```
 */
export function gradgradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options?: GradcheckOptions,
): GradcheckReport;
export function gradgradcheck<R extends { readonly [key: string]: Tensor }>(
  f: (inputs: R) => Tensor,
  inputs: R,
  options?: GradcheckOptions,
): GradcheckReport;
export function gradgradcheck(
  f: (...args: never[]) => Tensor,
  inputs: Inputs,
  options: GradcheckOptions = {},
): GradcheckReport {
  const opts = readOptions("gradgradcheck", options, ["eps", "atol", "rtol", "raise", "seed", "fastMode", "samples"]);
  if (typeof f !== "function") throw new TypeError(`gradgradcheck: f must be a function, got ${describeValue(f)}`);
  const seed = opts.seed ?? 0;
  const positional = Array.isArray(inputs);
  const names = positional ? (inputs as readonly unknown[]).map((_, i) => String(i)) : Object.keys(inputs);
  const values = positional ? (inputs as readonly unknown[]) : names.map((k) => (inputs as Record<string, unknown>)[k]);
  values.forEach((t, i) => {
    if (!isTensor(t)) throw new TypeError(`gradgradcheck: input ${names[i]!} is not a tensor (got ${describeValue(t)})`);
  });
  const tensors = values as Tensor[];
  const fn = f as (...a: unknown[]) => unknown;
  const call = (args: readonly unknown[]): unknown =>
    positional ? fn(...args) : fn(Object.fromEntries(names.map((k, i) => [k, args[i]])));
  const y0 = withTape(null, () => call(tensors.map((t) => contiguousCopy(t, "float64"))));
  if (!isTensor(y0)) throw new TypeError(`gradgradcheck: f must return a tensor, got ${describeValue(y0)}`);
  const fill = (shape: readonly number[], s: number): Tensor => {
    const n = shape.reduce((p, d) => p * d, 1);
    const d = new Float64Array(n);
    for (let k = 0; k < n; k++) d[k] = cotangentValue(s, k);
    return new Tensor(d, shape);
  };
  const v = fill(y0.shape, seed + 1);
  const us = tensors.map((t, i) => fill(t.shape, seed + 2 + i));
  const h = (...xs: Tensor[]): Tensor => {
    const inner = differentiate(
      "gradgradcheck",
      (...ys: unknown[]) => {
        const y = call(ys);
        if (!isTensor(y)) throw new TypeError(`gradgradcheck: f must return a tensor, got ${describeValue(y)}`);
        return sum(mul(y, v));
      },
      xs,
      { argnums: xs.map((_, i) => i) },
    ).grad as Tensor[];
    let total: Tensor = new Tensor(new Float64Array(1), []);
    inner.forEach((g, i) => {
      total = add(total, sum(mul(g, us[i]!)));
    });
    return total;
  };
  return check("gradgradcheck", h, tensors, { ...opts, seed });
}
