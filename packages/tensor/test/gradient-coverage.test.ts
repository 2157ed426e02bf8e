/**
 * The differentiability guard of @hw/tensor: every export has a gradient decision. Differentiable
 * ops are gradchecked in test/gradcheck-ops.test.ts (first order) and test/higher-order.test.ts
 * (second order, where `order` says so); each refusing export is shown to throw here.
 */
import { describe, expect, it } from "vitest";
import * as api from "../src/index";
import { gradientCoverage, type GradientDecision } from "../src/testing";
import { grad, lu, NotDifferentiableError, sum, tensor, type Tensor } from "../src/index";

const diff = (order: 1 | 2 | "any" = 1): GradientDecision => ({ kind: "differentiable", order });
const creation: GradientDecision = { kind: "no-tensor-input", reason: "creates tensors from numbers or shapes" };
const mask: GradientDecision = { kind: "constant-output", reason: "0/1 output, used for masks inside differentiated code" };
const indices: GradientDecision = { kind: "constant-output", reason: "integer indices" };
const machinery = (reason: string): GradientDecision => ({ kind: "no-tensor-input", reason });

const DECISIONS: Record<string, GradientDecision> = {
  // elementwise
  add: diff(), sub: diff(), mul: diff(), div: diff(), pow: diff(), maximum: diff(), minimum: diff(),
  neg: diff(), exp: diff(), log: diff(), sqrt: diff(), abs: diff(), square: diff(), reciprocal: diff(),
  sigmoid: diff(), tanh: diff(), relu: diff(), softplus: diff(), clip: diff(), where: diff(),
  // views
  reshape: diff(), flatten: diff(), transpose: diff(), permute: diff(), swapAxes: diff(), slice: diff(),
  select: diff(), expandDims: diff(), squeeze: diff(), broadcastTo: diff(), sumTo: diff(),
  // join
  stack: diff(), concat: diff(), split: diff(),
  // reductions
  sum: diff(), mean: diff(), variance: diff(), var: diff(), moments: diff(), std: diff(), max: diff(),
  min: diff(), logSumExp: diff(), softmax: diff(), logSoftmax: diff(), topk: diff(), sort: diff(),
  // linear algebra
  matmul: diff(), dot: diff(), outer: diff(), solve: diff(), cholesky: diff(), solveTriangular: diff(),
  inv: diff(), det: diff(), slogdet: diff(),
  lu: { kind: "refuses", reason: "packed factors with integer pivots; differentiate solve/det/inv instead" },
  lstsq: { kind: "refuses", reason: "no backward rule yet" },
  // creation
  tensor: creation, scalar: creation, zeros: creation, ones: creation, full: creation, eye: creation,
  arange: creation, linspace: creation, zerosLike: creation, onesLike: creation, fullLike: creation,
  // masks and indices
  equal: mask, notEqual: mask, less: mask, lessEqual: mask, greater: mask, greaterEqual: mask,
  isNaN: mask, isFinite: mask, argmax: indices, argmin: indices, argsort: indices,
  stopGradient: { kind: "constant-output", reason: "cuts the graph by design" },
  // machinery
  broadcastShapes: machinery("shapes only"), formatTensor: machinery("formatting"), isTensor: machinery("predicate"),
  createRng: machinery("random sampling from a seed"), Tensor: machinery("the class"),
  grad: machinery("autodiff itself"), valueAndGrad: machinery("autodiff itself"), recordOp: machinery("autodiff itself"),
  gradcheck: machinery("the checker"), GradcheckError: machinery("error class"),
  NotDifferentiableError: machinery("error class"), assertNotDifferentiated: machinery("the guard itself"),
  isTracked: machinery("predicate"), readOptions: machinery("options validation"), closestName: machinery("strings"),
  warnDeprecated: machinery("warning"),
  toTensor: { kind: "no-tensor-input", reason: "conversion: returns tensors unchanged (tracking kept)" },
};

describe("gradient coverage of the public API", () => {
  it("every export has a gradient decision and every decision names an export", () => {
    const { unclassified, stale } = gradientCoverage(api, DECISIONS);
    expect(unclassified, "classify these exports in test/gradient-coverage.test.ts").toEqual([]);
    expect(stale, "these decisions name no export").toEqual([]);
  });

  it("lu refuses to be differentiated (NotDifferentiableError naming it), and works outside grad", () => {
    const a = tensor([[4, 3], [6, 3]]);
    expect(() => grad((x: Tensor) => sum(lu(x).lu))(a)).toThrow(NotDifferentiableError);
    expect(() => grad((x: Tensor) => sum(lu(x).lu))(a)).toThrow(/^lu: not differentiable/);
    expect(lu(a).pivots).toEqual([1, 1]);
  });

  it("lstsq refuses to be differentiated", () => {
    const a = tensor([[1, 0], [1, 1], [1, 2]]);
    const b = tensor([1, 3, 4]);
    expect(() => grad((x: Tensor) => sum(api.lstsq(x, b).solution))(a)).toThrow(/^lstsq: not differentiable/);
    expect(() => grad((y: Tensor) => sum(api.lstsq(a, y).solution))(b)).toThrow(NotDifferentiableError);
  });
});
