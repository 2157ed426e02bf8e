/**
 * The README's usage example, runnable: test/examples.test.ts checks every `// =>` below.
 *
 * In your own code import from "@hw/tensor"; the examples import the sources so that they are
 * type-checked and run by the package's tests without a build.
 */
import { add, grad, matmul, mean, mul, sub, tensor, variance, type Tensor } from "../src/index";

/** Returns what the README shows, in order. */
export function quickstart(): { printed: string; means: unknown; biased: unknown; unbiased: unknown; gradient: unknown } {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]); // float64, shape [2, 3]
  const printed = add(x, tensor([10, 20, 30])).toString();
  // => tensor([[11, 22, 33],
  //            [14, 25, 36]])

  const means = mean(x, 0).toArray(); // => [2.5, 3.5, 4.5]
  const biased = variance(x, 1).toArray(); // => [0.6666666666666666, 0.6666666666666666]
  const unbiased = variance(x, 1, { correction: 1 }).toArray(); // => [1, 1]

  // Least squares: L(W) = mean((x W − y)²); its gradient by reverse-mode autodiff.
  const y = tensor([[1], [2]]);
  const loss = (W: Tensor) => {
    const r = sub(matmul(x, W), y);
    return mean(mul(r, r));
  };
  const gradient = grad(loss)(tensor([[0.1], [0.2], [0.3]])).toArray();
  // => [[5.2], [6.8], [8.4]] (up to rounding: ∇ = (2/2)·xᵀ(xW − y), xW − y = [0.4, 1.2])
  return { printed, means, biased, unbiased, gradient };
}
