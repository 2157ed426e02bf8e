import { readOptions, type Tensor, type TensorInput } from "@hw/tensor";
import { resolveKeep, type KeepProbability } from "./keep-probability";
import { asVector, refuseGrad, regression, vectorTensor } from "./internal/linear-input";
import { gramDiagonal, normalEquations, solvePenalized } from "./internal/normal-equations";

/** Options of {@link expectedGaussianDropoutLoss}. */
export interface ExpectedGaussianDropoutLossOptions {
  /** The d weights w (required). */
  readonly w: TensorInput;
  /** The KEEP probability p ∈ (0, 1] whose inverted-dropout noise variance $(1-p)/p$ is matched (required). */
  readonly p: KeepProbability;
}

/** The result of {@link gaussianDropoutSolution}. */
export interface GaussianDropoutSolution {
  /** The minimizer $(X^\top X + \sigma^2\Gamma^2)^{-1}X^\top y$ (length d). */
  readonly w: Tensor;
  /** The noise variance $\sigma^2 = (1-p)/p$. */
  readonly variance: number;
  /** The KEEP probability p used. */
  readonly p: number;
  /** Estimate of the 1-norm condition number of $X^\top X + \sigma^2\Gamma^2$. */
  readonly condition: number;
}

/**
 * The expected loss under Gaussian (multiplicative) dropout, $R_{ij} \sim \mathcal N(1, \sigma^2)$ i.i.d.
 * with $\sigma^2 = (1-p)/p$ — the variance of inverted Bernoulli dropout $R/p$ (Srivastava et al. 2014
 * §10; Wager, Wang & Liang 2013):
 *
 * $$\mathbb{E}_R\big[\lVert y - (X\odot R)w\rVert^2\big] = \lVert y - Xw\rVert^2 + \frac{1-p}{p}\,\lVert\Gamma w\rVert^2,\qquad \Gamma = \operatorname{diag}(X^\top X)^{1/2} .$$
 *
 * The same data-dependent penalty as Bernoulli dropout (Question 4.1) on the un-scaled weights.
 *
 * @param X - The n×d design matrix.
 * @param y - The n targets.
 * @param options - `w` and `p` (both required).
 * @returns The expected loss (a number).
 * @throws RangeError as {@link expectedDropoutLoss}; TypeError for an unknown or missing option.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * expectedGaussianDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5 }); // => 0 + 1·5 = 5
 * ```
 */
export function expectedGaussianDropoutLoss(X: TensorInput, y: TensorInput, options: ExpectedGaussianDropoutLossOptions): number {
  const op = "expectedGaussianDropoutLoss";
  const o = readOptions(op, options, ["w", "p"]);
  if ((o.w as unknown) === undefined || (o.p as unknown) === undefined) throw new TypeError(`${op}: options.w and options.p are required`);
  refuseGrad(op, [X, y, o.w]);
  const keep = resolveKeep(op, o.p);
  const r = regression(op, X, y);
  const w = asVector(op, "w", o.w, r.d, "one weight per column of X");
  let fit = 0;
  const g = new Float64Array(r.d);
  for (let i = 0; i < r.n; i++) {
    let pred = 0;
    for (let j = 0; j < r.d; j++) {
      const v = r.x[i * r.d + j]!;
      pred += v * w[j]!;
      g[j] = g[j]! + v * v;
    }
    fit += (r.y[i]! - pred) ** 2;
  }
  let pen = 0;
  for (let j = 0; j < r.d; j++) pen += g[j]! * w[j]! * w[j]!;
  return fit + ((1 - keep) / keep) * pen;
}

/**
 * The minimizer of {@link expectedGaussianDropoutLoss}:
 * $$w = \big(X^\top X + \sigma^2\Gamma^2\big)^{-1}X^\top y,\qquad \sigma^2 = \frac{1-p}{p},$$
 * which is exactly $p\,w_{\text{dropout}}$ of Bernoulli dropout (Question 4.2): matched-variance
 * Gaussian dropout trains the weights that inverted Bernoulli dropout uses at test time.
 *
 * @param X - The n×d design matrix.
 * @param y - The n targets.
 * @param p - The KEEP probability p ∈ (0, 1] (or `{ drop: q }`).
 * @returns `{ w, variance, p, condition }`.
 * @throws RangeError as {@link dropoutSolution}.
 * @throws NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * gaussianDropoutSolution([[1, 0], [0, 1], [1, 1]], [1, 2, 3], 0.5).w.toArray(); // => [0.7333…, 1.0667…]
 * ```
 */
export function gaussianDropoutSolution(X: TensorInput, y: TensorInput, p: KeepProbability): GaussianDropoutSolution {
  const op = "gaussianDropoutSolution";
  refuseGrad(op, [X, y]);
  const keep = resolveKeep(op, p);
  const ne = normalEquations(regression(op, X, y));
  const variance = (1 - keep) / keep;
  const { w, condition } = solvePenalized(op, ne, gramDiagonal(ne).map((g) => variance * g), `XᵀX + σ²Γ² (σ² = ${variance})`);
  return { w: vectorTensor(w), variance, p: keep, condition };
}
