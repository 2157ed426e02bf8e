/**
 * ridgeSolution (XᵀX by the Gram kernel of @hw/tensor/kernels + Cholesky) vs ml-matrix's `solve` on the
 * normal equations (Xᵀ·X by `mmul`, + λI, then LU), n = 2,000, d = 500. Vitest prints the ratio.
 */
import { Matrix, solve } from "ml-matrix";
import { bench, describe } from "vitest";
import { createRng } from "@hw/tensor";
import { ridgeSolution } from "../src/index";

const n = 2000;
const d = 500;
const lambda = 0.5;
const rng = createRng(2024);
const X = rng.normal([n, d]);
const y = rng.normal([n]);
const rows = X.toArray() as number[][];
const ys = y.toArray() as number[];
const mX = new Matrix(rows);
const mY = Matrix.columnVector(ys);

describe(`ridgeSolution n = ${n}, d = ${d}`, () => {
  bench("@hw/regularization ridgeSolution", () => {
    ridgeSolution(X, y, lambda);
  }, { iterations: 5, time: 3000 });

  bench("ml-matrix solve(XᵀX + λI, Xᵀy)", () => {
    const xt = mX.transpose();
    const a = xt.mmul(mX);
    for (let j = 0; j < d; j++) a.set(j, j, a.get(j, j) + lambda);
    solve(a, xt.mmul(mY));
  }, { iterations: 5, time: 3000 });
});
