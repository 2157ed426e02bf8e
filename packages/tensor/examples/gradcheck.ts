/**
 * gradcheck: verify an analytic backward against central finite differences in float64, and see
 * what a failure looks like.
 *
 * In your own code import from "@hw/tensor" (see examples/autodiff.ts for why the sources here).
 */
import { exp, gradcheck, GradcheckError, log, matmul, mul, recordOp, sub, sum, tanh, tensor, type Tensor } from "../src/index";

/**
 * A composite op with its own analytic backward: softplus(x) = log(1 + eˣ), d/dx = σ(x).
 * `wrong` makes the backward forget a factor, to show a failing check.
 */
export function mySoftplus(x: Tensor, wrong = false): Tensor {
  const out = log(sub(exp(x), -1)); // log(eˣ + 1); fine for the small inputs of this example
  recordOp("mySoftplus", [x], out, (g) => {
    const s = sub(1, exp(mul(out, -1))); // σ(x) = 1 − e^{−softplus(x)}
    return [wrong ? s : mul(g, s)];
  });
  return out;
}

/** Passes: returns the largest absolute error found. */
export function passingCheck(): number {
  const x = tensor([-1.5, 0.25, 2]);
  const report = gradcheck((x: Tensor) => sum(mul(mySoftplus(x), mySoftplus(x))), [x]);
  return report.inputs[0]!.maxAbsError; // => about 1e-10
}

/** Fails: returns gradcheck's message. */
export function failingCheck(): string {
  const x = tensor([-1.5, 0.25, 2]);
  try {
    gradcheck((x: Tensor) => sum(mul(mySoftplus(x, true), 3)), [x]);
    return "no error";
  } catch (error) {
    if (error instanceof GradcheckError) return error.message;
    throw error;
  }
  // => 'gradcheck: input 0 [2]: analytic 0.880797 vs numeric 2.64239 (abs err 1.76159 > atol + rtol·|numeric|
  //     = 0.00265239; input shape [3], max abs err 1.76159)'   (σ(2) instead of 3·σ(2): the factor g = 3 is lost)
}

/** A layer tanh(W x) checked w.r.t. both inputs (positional inputs are named "0", "1"). */
export function layerCheck(): { ok: boolean; names: string[]; small: boolean[] } {
  const W = tensor([
    [0.5, -1.2],
    [0.3, 0.8],
    [-0.7, 0.1],
  ]);
  const x = tensor([
    [1.0, -0.5, 0.2, 2.0],
    [0.4, 0.9, -1.1, 0.3],
  ]);
  const report = gradcheck((W: Tensor, x: Tensor) => sum(tanh(matmul(W, x))), [W, x]);
  return { ok: report.ok, names: report.inputs.map((r) => r.name), small: report.inputs.map((r) => r.maxAbsError < 1e-8) };
  // => { ok: true, names: ["0", "1"], small: [true, true] }
}
