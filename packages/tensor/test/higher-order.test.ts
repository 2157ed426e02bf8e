/**
 * Higher-order autodiff: grad of grad (regression: it used to give zeros), gradgradcheck of every op
 * declared differentiable to any order, refusal (never zeros) through a backward that is not
 * differentiable, and the function transforms against torch.autograd.functional (float64 fixtures).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abs,
  add,
  broadcastTo,
  cholesky,
  clip,
  concat,
  det,
  div,
  dot,
  exp,
  expandDims,
  eye,
  flatten,
  grad,
  gradgradcheck,
  hessian,
  hvp,
  inv,
  jacobian,
  jvp,
  log,
  logSoftmax,
  logSumExp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  moments,
  mul,
  neg,
  NotDifferentiableError,
  outer,
  permute,
  pow,
  reciprocal,
  recordOp,
  relu,
  reshape,
  select,
  sigmoid,
  slice,
  slogdet,
  softmax,
  softplus,
  solve,
  solveTriangular,
  split,
  sqrt,
  square,
  squeeze,
  stack,
  std,
  sub,
  sum,
  sumTo,
  swapAxes,
  tanh,
  tensor,
  topk,
  transpose,
  valueAndGrad,
  variance,
  vjp,
  where,
  greater,
  Tensor,
} from "../src/index";
import { expectClose } from "../src/testing";
import fixture from "./fixtures/functional.json";
import { testRng } from "./helpers/seeded";

function gg(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]): void {
  const report = gradgradcheck(f, inputs);
  expect(report.ok).toBe(true);
}

describe("grad of grad", () => {
  it("the second derivative of Σy² is [2, 2] (hw gave [0, 0] before backward passes were recorded)", () => {
    const f = (y: Tensor) => sum(mul(y, y));
    const second = grad((x: Tensor) => sum(grad(f)(x)))(tensor([3, -1]));
    expect(second.toArray()).toEqual([2, 2]);
    expect(grad((x: Tensor) => sum(grad((y: Tensor) => sum(square(y)))(x)))(tensor([0.5, 4])).toArray()).toEqual([2, 2]);
  });

  it("third and fourth derivatives of x⁴: 24x and 24", () => {
    const d1 = (x: Tensor) => grad((y: Tensor) => sum(pow(y, 4)))(x);
    const d2 = (x: Tensor) => grad((y: Tensor) => sum(d1(y)))(x);
    const d3 = (x: Tensor) => grad((y: Tensor) => sum(d2(y)))(x);
    const d4 = (x: Tensor) => grad((y: Tensor) => sum(d3(y)))(x);
    const x = tensor([1.5, -2]);
    expect(d2(x).toArray()).toEqual([27, 48]); // 12x²
    expect(d3(x).toArray()).toEqual([36, -48]); // 24x
    expect(d4(x).toArray()).toEqual([24, 24]);
  });

  it("mixed partials through a captured outer variable: ∂/∂a ∂/∂b Σ a²b³ = 6ab²", () => {
    const a0 = tensor([1.5, -0.5]);
    const b0 = tensor([2, 3]);
    const mixed = grad((a: Tensor) => sum(grad((b: Tensor) => sum(mul(square(a), pow(b, 3))))(b0)))(a0);
    expectClose(mixed, [6 * 1.5 * 4, 6 * -0.5 * 9], { rtol: 1e-15 });
  });

  it("valueAndGrad inside grad keeps its value differentiable too", () => {
    const g = grad((x: Tensor) => {
      const { value, grad: gx } = valueAndGrad((y: Tensor) => sum(exp(y)))(x);
      return add(value, sum(gx));
    })(tensor([0, 1]));
    expectClose(g, [2, 2 * Math.E], { rtol: 1e-15 });
  });
});

describe("gradgradcheck of every op differentiable to any order", () => {
  const rng = testRng(42);
  const away = (shape: number[]) => rng.awayFromZero(shape, 0.3, 1);
  const pos = (shape: number[]) => rng.rand(shape, 0.5, 2);

  it("elementwise ops with broadcasting", () => {
    const [a, b] = [rng.randn([2, 3]), rng.randn([3])];
    for (const op of [add, sub, mul]) gg(op, [a, b]);
    gg(div, [a, pos([3])]);
    gg(pow, [pos([2, 3]), rng.randn([3])]);
    gg(maximum, [a, add(b, 3)]);
    gg(minimum, [a, add(b, 3)]);
    for (const op of [neg, exp, sigmoid, tanh, softplus, square]) gg(op, [rng.randn([2, 2])]);
    for (const op of [log, sqrt, reciprocal]) gg(op, [pos([3])]);
    for (const op of [abs, relu]) gg(op, [away([4])]);
    gg((x) => clip(x, -0.2, 0.2), [away([4])]);
    gg((x, y) => where(greater(x, 0), mul(x, y), square(y)), [away([3]), rng.randn([3])]);
    gg((x) => pow(x, 3), [rng.randn([3])]);
    gg((x) => pow(2, x), [rng.randn([3])]);
  });

  it("views and joins", () => {
    const x = rng.randn([2, 3]);
    const f = (v: Tensor) => mul(v, v); // a non-linear consumer so second derivatives are not all 0
    gg((v) => f(reshape(v, [3, 2])), [x]);
    gg((v) => f(flatten(transpose(v))), [x]);
    gg((v) => f(permute(v, [1, 0])), [x]);
    gg((v) => f(swapAxes(v, 0, 1)), [x]);
    gg((v) => f(slice(v, [null, [0, 3, 2]])), [x]);
    gg((v) => f(select(v, 1, -1)), [x]);
    gg((v) => f(squeeze(expandDims(v, 0))), [x]);
    gg((v) => f(broadcastTo(v, [2, 2, 3])), [x]);
    gg((v) => f(sumTo(v, [1, 3])), [x]);
    gg((v) => f(v.contiguous()), [x]);
    gg((v, w) => f(concat([v, w], 0)), [x, rng.randn([1, 3])]);
    gg((v, w) => f(stack([v, w], 1)), [x, rng.randn([2, 3])]);
    gg((v) => f(split(v, 3, 1)[1]!), [x]);
  });

  it("reductions and softmax", () => {
    const x = rng.distinct([2, 3]);
    gg((v) => square(sum(v, 1)), [x]);
    gg((v) => square(mean(v, 0)), [x]);
    gg((v) => variance(v, 1), [x]);
    gg((v) => variance(v, undefined, { correction: 1 }), [x]);
    gg((v) => std(v, 0), [x]);
    gg((v) => mul(moments(v, 1).mean, moments(v, 1).variance), [x]);
    gg((v) => square(max(v, 1)), [x]);
    gg((v) => square(min(v, 0)), [x]);
    gg((v) => logSumExp(v, 1), [x]);
    gg((v) => softmax(v, 0), [x]);
    gg((v) => logSoftmax(v, 1), [x]);
  });

  it("matrix products and linear algebra", () => {
    const a = rng.randn([3, 3]);
    const b = rng.randn([3, 2]);
    gg((p, q) => square(matmul(p, q)), [a, b]);
    gg((p, q) => square(dot(p, q)), [rng.randn([3]), rng.randn([3])]);
    gg((p, q) => square(outer(p, q)), [rng.randn([2]), rng.randn([3])]);
    const wellConditioned = add(a, mul(eye(3), 4));
    gg(solve, [wellConditioned, b]);
    gg(inv, [wellConditioned]);
    gg(det, [wellConditioned]);
    gg((m) => slogdet(m).logAbsDet, [wellConditioned]);
    const lower = add(mul(rng.randn([3, 3]), 0.3), mul(eye(3), 2));
    gg((l, r) => solveTriangular(l, r), [lower, b]);
    gg((l, r) => solveTriangular(l, r, { lower: false, transpose: true }), [lower, b]);
    const sym = (m: Tensor) => add(matmul(m, transpose(m)), mul(eye(3), 3));
    gg((m) => cholesky(sym(m)), [a]);
    gg((m) => cholesky(sym(m), { upper: true }), [a]);
  });

  it("random composite functions of random shapes (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(1000), (m, n, s) => {
        const r = testRng(s);
        gg((x, w) => sum(mul(tanh(matmul(x, w)), softmax(matmul(x, w), -1))), [r.randn([m, n]), r.randn([n, 2])]);
      }),
      { numRuns: 8 },
    );
  });
});

describe("refusal instead of zeros", () => {
  it("an op whose backward is computed on raw arrays (topk) throws NotDifferentiableError at second order", () => {
    const f = (y: Tensor) => sum(square(topk(y, 2).values));
    expectClose(grad(f)(tensor([3, 1, 2])), [6, 0, 4]);
    const second = (): unknown => grad((x: Tensor) => sum(grad(f)(x)))(tensor([3, 1, 2]));
    expect(second).toThrow(NotDifferentiableError);
    expect(second).toThrow(/^topk: not differentiable \(its backward pass is computed on raw arrays/);
    expect(() => hessian(f)(tensor([3, 1, 2]))).toThrow(NotDifferentiableError);
  });

  it("a user op recorded without `differentiable: true` refuses; with it, second derivatives flow", () => {
    const cubeRaw = (x: Tensor): Tensor => {
      const out = mul(mul(x, x), x);
      const y = new Tensor(Float64Array.from(out.data), out.shape);
      recordOp("cubeRaw", [x], y, (g) => [mul(g, mul(3, mul(x, x)))]);
      return y;
    };
    const cube = (x: Tensor): Tensor => {
      const out = mul(mul(x, x), x);
      const y = new Tensor(Float64Array.from(out.data), out.shape);
      recordOp("cube", [x], y, (g) => [mul(g, mul(3, mul(x, x)))], { differentiable: true });
      return y;
    };
    const x = tensor([2, -1]);
    expect(grad((v: Tensor) => sum(cubeRaw(v)))(x).toArray()).toEqual([12, 3]);
    expect(() => hessian((v: Tensor) => sum(cubeRaw(v)))(x)).toThrow(/^cubeRaw: not differentiable/);
    expectClose(hessian((v: Tensor) => sum(cube(v)))(x), [[12, 0], [0, -6]], { rtol: 0, atol: 0 });
  });

  it("when the second-order path does not reach the refusing op, nothing throws", () => {
    // The outer function computes an inner gradient through topk but does not use it.
    const v = grad((x: Tensor) => {
      grad((y: Tensor) => sum(topk(y, 1).values))(x);
      return sum(square(x));
    })(tensor([1, 2]));
    expect(v.toArray()).toEqual([2, 4]);
  });
});

type Nested = number | Nested[];
interface ScalarCase {
  name: string;
  kind: "scalar";
  x: Nested;
  v: Nested;
  value: number;
  grad: Nested;
  hessian: Nested;
  hvp: Nested;
}
interface VectorCase {
  name: string;
  kind: "vector";
  x: Nested;
  u: Nested;
  v: Nested;
  value: Nested;
  jacobian: Nested;
  vjp: Nested;
  jvp: Nested;
}

describe("function transforms against torch.autograd.functional (float64, rtol 1e-9)", () => {
  const W = tensor(fixture.W);
  const B = tensor(fixture.B);
  const scalarFns: Record<string, (x: Tensor) => Tensor> = {
    "tanh-cubed-plus-swish": (x) => sum(add(pow(tanh(x), 3), mul(x, sigmoid(x)))),
    "logsumexp-of-linear-plus-damped-square": (x) =>
      add(logSumExp(matmul(W, x), 0), mul(0.5, sum(mul(pow(x, 2), exp(neg(x)))))),
    "softmax-entropy": (x) => neg(sum(mul(softmax(x, -1), logSoftmax(x, -1)))),
    "matrix-sigmoid-energy-plus-variance": (X) => add(sum(pow(sigmoid(matmul(X, B)), 2)), variance(X)),
    "rational-with-sqrt-and-reciprocal": (x) =>
      add(sum(div(sqrt(add(mul(x, x), 1)), add(1, pow(abs(x), 2)))), sum(reciprocal(add(3, mul(x, x))))),
  };
  const vectorFns: Record<string, (x: Tensor) => Tensor> = {
    "tanh-linear-times-exp-sum": (x) => mul(tanh(matmul(W, x)), exp(neg(sum(x)))),
    "softmax-of-gram": (X) => softmax(matmul(X, transpose(X)), -1),
    normalize: (x) => div(x, sqrt(add(sum(pow(x, 2)), 1))),
    "mean-and-std-rows": (X) => stack([mean(X, 1), std(X, 1, { correction: 1 }), max(X, 1)], 0),
  };
  const opts = { rtol: 1e-9, atol: 1e-12 };

  for (const c of fixture.cases as (ScalarCase | VectorCase)[]) {
    it(`${c.kind} case ${c.name}`, () => {
      if (c.kind === "scalar") {
        const f = scalarFns[c.name]!;
        const x = tensor(c.x);
        expectClose(f(x), c.value, opts);
        expectClose(grad(f)(x), c.grad, opts);
        expectClose(hessian(f)(x), c.hessian, opts);
        const h = hvp(f, x, tensor(c.v));
        expectClose(h.value, c.value, opts);
        expectClose(h.hvp, c.hvp, opts);
        // grad of grad agrees with the Hessian's row sums
        const inputAxes = x.shape.map((_, i) => x.ndim + i);
        expectClose(grad((y: Tensor) => sum(grad(f)(y)))(x), sum(tensor(c.hessian), inputAxes), opts);
      } else {
        const f = vectorFns[c.name]!;
        const x = tensor(c.x);
        expectClose(jacobian(f)(x), c.jacobian, opts);
        const r = vjp(f, x, tensor(c.u));
        expectClose(r.value, c.value, opts);
        expectClose(r.vjp, c.vjp, opts);
        const j = jvp(f, x, tensor(c.v));
        expectClose(j.value, c.value, opts);
        expectClose(j.jvp, c.jvp, opts);
      }
    });
  }

  it("jacobian nests: the jacobian of the jacobian of a vector function is its second derivative tensor", () => {
    const f = (x: Tensor) => mul(x, sum(square(x)));
    const x = tensor([1, 2]);
    const j2 = jacobian((y: Tensor) => jacobian(f)(y))(x);
    expect(j2.shape).toEqual([2, 2, 2]);
    // f_i = x_i s, s = Σx²: ∂²f_i/∂x_j∂x_k = 2(δ_ij x_k + δ_ik x_j + δ_jk x_i)
    const expected = [0, 1].map((i) =>
      [0, 1].map((j) => [0, 1].map((k) => 2 * ((i === j ? x.get(k) : 0) + (i === k ? x.get(j) : 0) + (j === k ? x.get(i) : 0)))),
    );
    expect(j2.toArray()).toEqual(expected);
  });

  it("errors name the function and the argument", () => {
    expect(() => jacobian(3 as never)).toThrow(/^jacobian: f must be a function, got number/);
    expect(() => hessian(null as never)).toThrow(/^hessian: f must be a function, got null/);
    expect(() => grad("f" as never)).toThrow(/^grad: f must be a function, got string/);
    expect(() => vjp((x) => x, tensor([1, 2]), tensor([1]))).toThrow(/^vjp: v has shape \[1\] but f\(x\) has shape \[2\]/);
    expect(() => jvp((x) => x, tensor([1, 2]), tensor([1]))).toThrow(/^jvp: v has shape \[1\] but x has shape \[2\]/);
    expect(() => hvp((x) => sum(x), tensor([1, 2]), [1, 2, 3])).toThrow(/^hvp: v has shape \[3\] but x has shape \[2\]/);
    expect(() => hessian((x: Tensor) => x)(tensor([1, 2]))).toThrow(/^hessian: f must return a scalar/);
    expect(() => vjp((x) => x, "a" as never, tensor([1]))).toThrow(/^vjp: x: expected a tensor/);
  });
});
