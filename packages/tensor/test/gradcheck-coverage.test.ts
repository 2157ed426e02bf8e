/**
 * A guard: every function exported by @hw/tensor is either gradchecked in
 * test/gradcheck-ops.test.ts or listed here as not differentiable (with the reason), so a new
 * op cannot be exported without a decision about its gradient.
 */
import { describe, expect, it } from "vitest";
import * as api from "../src/index";

/** Differentiable ops whose gradients test/gradcheck-ops.test.ts checks. */
const GRADCHECKED = [
  // elementwise
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "neg", "exp", "log", "sqrt", "abs", "square",
  "reciprocal", "sigmoid", "tanh", "relu", "softplus", "clip", "where",
  // views
  "reshape", "flatten", "transpose", "permute", "swapAxes", "slice", "select", "expandDims", "squeeze",
  "broadcastTo", "sumTo",
  // join
  "stack", "concat", "split",
  // reductions
  "sum", "mean", "variance", "var", "moments", "std", "max", "min", "logSumExp", "softmax", "logSoftmax", "topk",
  // sorting (sort is gradchecked in src/topk.test.ts)
  "sort",
  // linear algebra
  "matmul", "dot", "outer", "solve", "cholesky", "solveTriangular", "inv", "det", "slogdet",
];

/** Exported functions with no gradient to check, and why. */
const NOT_DIFFERENTIABLE: Record<string, string> = {
  tensor: "creation", scalar: "creation", zeros: "creation", ones: "creation", full: "creation",
  eye: "creation", arange: "creation", linspace: "creation", zerosLike: "creation", onesLike: "creation",
  fullLike: "creation",
  equal: "0/1 output", notEqual: "0/1 output", less: "0/1 output", lessEqual: "0/1 output",
  greater: "0/1 output", greaterEqual: "0/1 output", isNaN: "0/1 output", isFinite: "0/1 output",
  argmax: "integer output", argmin: "integer output", argsort: "integer output",
  broadcastShapes: "shapes only", formatTensor: "formatting", isTensor: "predicate",
  lu: "factorisation with integer pivots; not recorded (use solve/det/inv)",
  lstsq: "not recorded by autodiff yet (no backward)",
  createRng: "random sampling",
  grad: "autodiff itself", valueAndGrad: "autodiff itself", stopGradient: "cuts the graph by design",
  recordOp: "autodiff itself", gradcheck: "the checker", GradcheckError: "error class",
  Tensor: "class",
  NotDifferentiableError: "error class", assertNotDifferentiated: "the guard itself", isTracked: "predicate",
  readOptions: "options validation", closestName: "strings", warnDeprecated: "warning", toTensor: "conversion (returns tensors unchanged, tracking kept)",
};

describe("gradcheck coverage of the public API", () => {
  it("every exported function is gradchecked or declared not differentiable", () => {
    const functions = Object.entries(api)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k);
    const unclassified = functions.filter((k) => !GRADCHECKED.includes(k) && !(k in NOT_DIFFERENTIABLE));
    expect(unclassified, "classify these exports in test/gradcheck-coverage.test.ts").toEqual([]);
    for (const k of GRADCHECKED) expect(k in NOT_DIFFERENTIABLE, k).toBe(false);
  });
});
