/**
 * Autodiff in the functional style: `grad`, `valueAndGrad` and a few steps of gradient descent on
 * a least-squares loss with a record of parameters.
 *
 * In your own code import from "@hw/tensor"; the examples import the sources so that they are
 * type-checked and run by the package's tests (test/examples.test.ts) without a build.
 */
import { add, grad, matmul, mean, mul, sub, sum, tensor, valueAndGrad, type Tensor } from "../src/index";

/** d/dx Σ x² = 2x. */
export function squareExample(): number[] {
  const f = (x: Tensor) => sum(mul(x, x));
  const g = grad(f)(tensor([1, -2, 3]));
  return g.toArray() as number[]; // => [2, -4, 6]
}

/** Several arguments give a tuple; broadcasting is summed back to each argument's shape. */
export function broadcastExample(): [number[][], number[][]] {
  const a = tensor([[1], [2], [3]]); // [3, 1]
  const b = tensor([[10, 20, 30, 40]]); // [1, 4]
  const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(a, b)))(a, b);
  // ∂/∂a_i Σ_ij a_i b_j = Σ_j b_j = 100; ∂/∂b_j = Σ_i a_i = 6
  return [ga.toArray() as number[][], gb.toArray() as number[][]]; // => [[[100], [100], [100]], [[6, 6, 6, 6]]]
}

/** Parameters of a linear model y = x·w + b. */
export interface LinearParams {
  readonly w: Tensor;
  readonly b: Tensor;
}

/** Mean squared error of a linear model on (x, y). */
export function mseLoss(p: LinearParams, x: Tensor, y: Tensor): Tensor {
  const prediction = add(mul(x, p.w), p.b);
  const r = sub(prediction, y);
  return mul(sum(mul(r, r)), 1 / y.size);
}

/** Fit y = 2x + 1 by gradient descent; returns the loss every 100 steps and the final parameters. */
export function fitLine(steps = 500, learningRate = 0.1): { losses: number[]; w: number; b: number } {
  const x = tensor([0, 0.25, 0.5, 0.75, 1]);
  const y = add(mul(x, 2), 1);
  let params: LinearParams = { w: tensor(0), b: tensor(0) };
  const step = valueAndGrad((p: LinearParams) => mseLoss(p, x, y));
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { value, grad: g } = step(params);
    if (i % 100 === 0) losses.push(value.item());
    params = { w: sub(params.w, mul(g.w, learningRate)), b: sub(params.b, mul(g.b, learningRate)) };
  }
  return { losses, w: params.w.item(), b: params.b.item() }; // => w ≈ 2, b ≈ 1
}

/** Parameters of a linear layer, as an interface: `grad` returns the same keys. */
export interface Params {
  W: Tensor;
  b: Tensor;
}

/** A record of parameters with `argnums`: only the first argument is differentiated. */
export function recordExample(): { value: number; W: unknown; b: unknown } {
  const x = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]); // 3 samples, 2 features
  const y = tensor([[1], [0], [1]]);
  const loss = (p: Params, x: Tensor, y: Tensor) => {
    const r = sub(add(matmul(x, p.W), p.b), y);
    return mean(mul(r, r));
  };
  const params: Params = { W: tensor([[0.1], [-0.2]]), b: tensor([0.5]) };
  const { value, grad: g } = valueAndGrad(loss, { argnums: 0 })(params, x, y); // g: { W: Tensor; b: Tensor }
  return { value: value.item(), W: g.W.toArray(), b: g.b.toArray() };
  // => { value: 0.6933…, W: [[-4.5333…], [-5.8666…]], b: [-1.3333…] }
}
