/**
 * Question 4 end to end on a small data set: the expected dropout loss in closed form and by Monte
 * Carlo, the dropout and ridge minimizers, and their comparison. In your own code import from
 * "@hw/regularization"; the example imports the sources so that the tests type-check and run it. The test suite
 * (test/examples.test.ts) imports it and checks the numbers in the comments.
 */
import {
  compareDropoutRidge,
  dropoutSolution,
  expectedDropoutLoss,
  monteCarloDropoutLoss,
  ridgeSolution,
} from "../src/index";

// p is the probability of KEEPING an input (use { drop: q } for PyTorch's convention).
const X = [
  [1, 0],
  [0, 3],
  [1, 1],
];
const y = [1, 2, 3];
const w = [1, 1];
const p = 0.5;

export const expected = expectedDropoutLoss(X, y, { w, p }); // ‖y − pXw‖² + p(1−p)‖Γw‖²
export const mc = monteCarloDropoutLoss(X, y, { w, p, numSamples: 100_000, seed: 1 });
export const drop = dropoutSolution(X, y, p); // p·w = (XᵀX + λΓ²)⁻¹Xᵀy, λ = (1 − p)/p
export const ridge = ridgeSolution(X, y, 1); // (XᵀX + λI)⁻¹Xᵀy
export const table = compareDropoutRidge(X, y, { p, lambda: 1 });

console.log(expected); // => 7.5
console.log(mc.mean, mc.stderr); // ≈ 7.5 ± 0.02 (seed 1)
console.log(drop.lambda, drop.pw.toArray(), drop.w.toArray()); // => 1, [0.8987…, 0.4051…], [1.7975…, 0.8101…]
console.log(ridge.w.toArray()); // => [1.09375, 0.71875]  (results are Tensors)
console.log(table.dropoutPenalty.toArray()); // => [2, 10]: the large-norm feature 1 is penalized 5× more
