// Question 3 end to end: the six tensors of 3.1, the Monte-Carlo check of 3.2 and the projected
// gradient of 3.3. Run: `pnpm exec vite-node examples/question-3.ts` or through test/examples.test.ts.
import {
  batchNorm,
  batchNormBackward,
  initRunningStats,
  instanceNorm,
  layerNorm,
  problemTensor,
  weightNormGrad,
  whitenedBatchNormEqualsWeightNorm,
} from "../src/index";

/** Everything the example prints, returned for the test that runs it. */
export function main(log: (line: string) => void = console.log): { batchMean: number[]; layerVar: number[]; orthogonality: number } {
  const x = problemTensor(); // [4, 2, 3]: batch × channels × features

  // 3.1 — biased statistics of the three normalizations.
  const bn = batchNorm(x);
  const ln = layerNorm(x, [2, 3]);
  const inorm = instanceNorm(x);
  log(`μ_batch = ${bn.mean.toString()}`); // => tensor([2.5000, 2.5833])
  log(`σ²_batch = ${bn.variance.toString()}`); // => tensor([0.5833, 1.0764])
  log(`μ_layer = ${ln.mean.toString()}`); // => tensor([2.0000, 3.0000, 2.5000, 2.6667])
  log(`σ²_layer = ${ln.variance.toString()}`); // => tensor([0.6667, 0.6667, 1.2500, 0.2222])
  log(`μ_instance = ${inorm.mean.toString()}`); // => [[2, 2], [2.6667, 3.3333], [2.6667, 2.3333], [2.6667, 2.6667]]

  // Training step with running statistics (PyTorch's conventions), then the analytic backward.
  const { runningStats } = batchNorm(x, { runningStats: initRunningStats(2), momentum: 0.1 });
  log(`running variance = ${runningStats!.variance.toString()}`); // => tensor([0.9636, 1.0174]): 0.9 + 0.1·(12/11)·σ²
  const { gradGamma } = batchNormBackward(x, x, { gamma: [1, 1] });
  log(`∂L/∂γ for L = Σ y ⊙ x: ${gradGamma.toString()}`);

  // 3.2 — batch norm of uᵀx on whitened data ≈ weight norm, error shrinking with n.
  const demo = whitenedBatchNormEqualsWeightNorm({ u: [1, -2, 0.5], gamma: 1.5, beta: 0.25, sizes: [100, 10_000], seed: 3 });
  for (const r of demo.rows) log(`n = ${r.n}: rms error ${r.rmsError.toExponential(1)}`); // => 2.3e-1, 7.8e-3

  // 3.3 — ∇_u L = s W⊥ ∇_w L is orthogonal to u.
  const u = [1, 2, -2];
  const g = weightNormGrad(u, 2, [0.3, -0.7, 1.9]);
  const orthogonality = u.reduce((a, v, i) => a + v * g.gradU.get(i), 0);
  log(`∇_u L = ${g.gradU.toString()}, uᵀ∇_u L = ${orthogonality.toExponential(1)}`); // => [0.5630, 0.2593, 0.5407], ~1e-16
  return { batchMean: Array.from(bn.mean.data), layerVar: Array.from(ln.variance.data), orthogonality };
}
