/** Question 3.2 by Monte Carlo: batch-normalizing y = uᵀx on whitened, centred data is weight norm. */
import { assertNotDifferentiated, createRng, readOptions, Tensor, toTensor, type TensorInput } from "@hw/tensor";
import { batchNorm } from "./batch-norm";
import { withDeprecatedField } from "./internal/deprecated";

/** Options of {@link whitenedBatchNormEqualsWeightNorm}. */
export interface WhitenedDemoOptions {
  /** The direction u (a vector of length d). */
  readonly u: TensorInput;
  /** γ of the batch norm (and of w = γu/‖u‖). @defaultValue 1 */
  readonly gamma?: number;
  /** β of the batch norm. @defaultValue 0 */
  readonly beta?: number;
  /** Sample sizes to try, each an independent draw. @defaultValue [10, 100, 1000, 10000, 100000] */
  readonly sizes?: readonly number[];
  /** Seed of the generator (`createRng` of `@hw/tensor`). @defaultValue 0 */
  readonly seed?: number;
  /** The batch norm's eps. @defaultValue 0 (the identity is exact only without it) */
  readonly eps?: number;
}

/** One sample size of {@link whitenedBatchNormEqualsWeightNorm}. */
export interface WhitenedDemoRow {
  /** Sample size. */
  readonly n: number;
  /** $\max_i |\hat y_i - (w^\top x_i + \beta)|$. */
  readonly maxAbsError: number;
  /** Root mean square of the same differences. */
  readonly rmsError: number;
  /** Sample mean of y = uᵀx (population value 0). */
  readonly meanY: number;
  /** Biased sample variance of y (population value ‖u‖²). */
  readonly varianceY: number;
  /** @deprecated Renamed to `varianceY`; removed in 0.2.0. */
  readonly varY: number;
}

const DEMO_KEYS: readonly (keyof WhitenedDemoOptions)[] = ["u", "gamma", "beta", "sizes", "seed", "eps"];

/** The result of {@link whitenedBatchNormEqualsWeightNorm}. */
export interface WhitenedDemo {
  /** The seed used (pass it again to reproduce the numbers). */
  readonly seed: number;
  /** $w = \gamma u/\lVert u\rVert$. */
  readonly w: Tensor;
  /** ‖u‖² — the population variance of y under whitened data. */
  readonly normUSquared: number;
  /** One row per sample size. */
  readonly rows: readonly WhitenedDemoRow[];
}

/**
 * A Monte-Carlo demonstration of Question 3.2. For centred, whitened $x$ ($E x = 0$,
 * $\operatorname{Var} x = I$), $y = u^\top x$ has mean 0 and variance $\lVert u\rVert^2$, so
 *
 * $$\hat y = \gamma\frac{y-\mu_y}{\sigma_y}+\beta = \gamma\frac{u^\top x}{\lVert u\rVert}+\beta = w^\top x + \beta,
 * \qquad w = \gamma\frac{u}{\lVert u\rVert}.$$
 *
 * For each sample size n, draws n standard normal samples x (seeded), batch-normalizes y = uᵀx with
 * the sample's statistics ({@link batchNorm}, training mode) and compares with wᵀx + β. The
 * sample mean and variance only approach 0 and ‖u‖², so the error shrinks like $1/\sqrt n$.
 *
 * @param options - `u`, `gamma`, `beta`, `sizes`, `seed`, `eps`.
 * @returns `{ seed, w, normUSquared, rows }`.
 * @throws RangeError for an empty or zero u, or sample sizes that are not integers ≥ 2; TypeError
 *   for an unknown option.
 * @throws NotDifferentiableError inside `grad` (a Monte-Carlo demonstration, not a differentiable op).
 * @example
 * ```ts
 * const demo = whitenedBatchNormEqualsWeightNorm({ u: [1, -2, 0.5], gamma: 1.5, sizes: [100, 10000] });
 * demo.rows.map((r) => r.maxAbsError); // => two numbers, the second about 10× smaller
 * ```
 */
export function whitenedBatchNormEqualsWeightNorm(optionsIn: WhitenedDemoOptions): WhitenedDemo {
  const op = "whitenedBatchNormEqualsWeightNorm";
  const options = readOptions(op, optionsIn, DEMO_KEYS);
  if ((options.u as unknown) === undefined) throw new TypeError(`${op}: options.u is required (the direction u)`);
  const ut = toTensor(options.u, `${op}: u`);
  assertNotDifferentiated(op, [ut], "a seeded Monte-Carlo demonstration");
  const c = ut.contiguous();
  const u = Float64Array.from(c.data.subarray(c.offset, c.offset + c.size));
  const d = u.length;
  let nu2 = 0;
  for (const v of u) nu2 += v * v;
  if (d === 0 || !(nu2 > 0) || !Number.isFinite(nu2)) throw new RangeError(`${op}: u must be a non-zero finite vector, got length ${d}, ‖u‖² = ${nu2}`);
  const gamma = options.gamma ?? 1;
  const beta = options.beta ?? 0;
  const seed = options.seed ?? 0;
  const sizes = options.sizes ?? [10, 100, 1000, 10000, 100000];
  for (const n of sizes) {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`${op}: sample sizes must be integers ≥ 2, got ${String(n)}`);
  }
  const normU = Math.sqrt(nu2);
  const w = new Float64Array(d);
  for (let i = 0; i < d; i++) w[i] = (gamma * u[i]!) / normU;
  const rng = createRng(seed);
  const rows: WhitenedDemoRow[] = [];
  for (const n of sizes) {
    const xs = rng.normal([n, d]).data;
    const y = new Float64Array(n);
    const lin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < d; k++) {
        a += u[k]! * xs[i * d + k]!;
        b += w[k]! * xs[i * d + k]!;
      }
      y[i] = a;
      lin[i] = b + beta;
    }
    const bn = batchNorm(new Tensor(y, [n, 1]), { gamma: [gamma], beta: [beta], eps: options.eps ?? 0 });
    let maxAbs = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.abs(bn.y.data[i]! - lin[i]!);
      maxAbs = Math.max(maxAbs, e);
      sq += e * e;
    }
    const row = { n, maxAbsError: maxAbs, rmsError: Math.sqrt(sq / n), meanY: bn.mean.data[0]!, varianceY: bn.variance.data[0]! };
    rows.push(withDeprecatedField(op, row, "varY", "varianceY"));
  }
  return { seed, w: new Tensor(w, [d]), normUSquared: nu2, rows };
}
