import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import { add, make, mul, same, scale, sin, sum, transposeView, valuesOf } from "../../test/helpers/mini-ops";
import { Tensor } from "../tensor";
import { grad, valueAndGrad, type ValueAndGrad } from "./grad";
import { stopGradient } from "./stop-gradient";
import { recordOp } from "./tape";

const close = (actual: readonly number[], expected: readonly number[], tol = 1e-12): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  });
};

describe("grad", () => {
  it("d/dx sum(x*x) = 2x", () => {
    const x = make([1, -2, 3.5]);
    const g = grad((x: Tensor) => sum(mul(x, x)))(x);
    expect(g.shape).toEqual([3]);
    expect(g.dtype).toBe("float64");
    expect(valuesOf(g)).toEqual([2, -4, 7]);
  });

  it("broadcasting add of [3,1] and [1,4] sums the gradient back to each shape", () => {
    const a = make([1, 2, 3], [3, 1]);
    const b = make([10, 20, 30, 40], [1, 4]);
    const w = make([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [3, 4]);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(add(a, b), w)))(a, b);
    expect(ga.shape).toEqual([3, 1]);
    expect(gb.shape).toEqual([1, 4]);
    expect(valuesOf(ga)).toEqual([1 + 2 + 3 + 4, 5 + 6 + 7 + 8, 9 + 10 + 11 + 12]);
    expect(valuesOf(gb)).toEqual([1 + 5 + 9, 2 + 6 + 10, 3 + 7 + 11, 4 + 8 + 12]);
  });

  it("a node reused: y = x*x + x gives 2x + 1", () => {
    const x = make([0.5, -3, 2]);
    const g = grad((x: Tensor) => sum(add(mul(x, x), x)))(x);
    expect(valuesOf(g)).toEqual([2, -5, 5]);
  });

  it("a node reused many times accumulates: sum of y + y + … (50 times) with y = sin(x)", () => {
    const x = make([0.1, 0.7, -1.2]);
    const g = grad((x: Tensor) => {
      const y = sin(x);
      let acc = y;
      for (let i = 1; i < 50; i++) acc = add(acc, y);
      return sum(acc);
    })(x);
    close(valuesOf(g), valuesOf(x).map((v) => 50 * Math.cos(v)));
  });

  it("a chain of 100,000 ops does not overflow the stack", () => {
    const x = make([1, 2]);
    const n = 100_000;
    const g = grad((x: Tensor) => {
      let y = x;
      for (let i = 0; i < n; i++) y = scale(y, 1 + 1e-6);
      return sum(y);
    })(x);
    const expected = Math.pow(1 + 1e-6, n);
    close(valuesOf(g), [expected, expected], 1e-9);
  });

  it("calling the returned function twice gives the same answer", () => {
    const df = grad((x: Tensor) => sum(mul(sin(x), x)));
    const x = make([0.3, 1.1, -2]);
    const first = valuesOf(df(x));
    const second = valuesOf(df(x));
    expect(second).toEqual(first);
    close(first, valuesOf(x).map((v) => Math.cos(v) * v + Math.sin(v)));
  });

  it("the same tensor passed twice gets its two partial derivatives", () => {
    const x = make([2, 3]);
    const y = make([5, 7]);
    const [g1, g2] = grad((a: Tensor, b: Tensor) => sum(mul(mul(a, a), b)))(x, x);
    expect(valuesOf(g1)).toEqual([2 * 2 * 2, 2 * 3 * 3]); // 2ab at a = b = x
    expect(valuesOf(g2)).toEqual([4, 9]); // a²
    const [h1, h2] = grad((a: Tensor, b: Tensor) => sum(mul(mul(a, a), b)))(x, y);
    expect(valuesOf(h1)).toEqual([20, 42]);
    expect(valuesOf(h2)).toEqual([4, 9]);
  });

  it("a tensor captured by f as a constant is not differentiated, even if it is also the argument", () => {
    const x = make([2, 3]);
    // f uses the argument once and the very same tensor object as a captured constant once
    const g = grad((a: Tensor) => sum(mul(a, x)))(x);
    expect(valuesOf(g)).toEqual([2, 3]);
  });

  it("an argument f does not use gets zeros of its shape; an untracked output gives zeros", () => {
    const a = make([1, 2]);
    const b = make([1, 2, 3, 4, 5, 6], [2, 3]);
    const [ga, gb] = grad((...args: [Tensor, Tensor]) => sum(args[0]))(a, b);
    expect(valuesOf(ga)).toEqual([1, 1]);
    expect(gb.shape).toEqual([2, 3]);
    expect(valuesOf(gb)).toEqual([0, 0, 0, 0, 0, 0]);
    const c = make([4]);
    const g = grad((x: Tensor) => (x.size >= 0 ? sum(c) : x))(a);
    expect(valuesOf(g)).toEqual([0, 0]);
    const h = grad((x: Tensor) => (x.size >= 0 ? c : x))(a);
    expect(valuesOf(h)).toEqual([0, 0]);
  });

  it("f returning its (scalar) argument itself gives 1", () => {
    expect(valuesOf(grad((x: Tensor) => x)(make([3], [])))).toEqual([1]);
    expect(valuesOf(grad((x: Tensor) => same(same(x)))(make([3], [1, 1])))).toEqual([1]);
  });

  it("an op whose output is its input object passes the gradient through without doubling", () => {
    const g = grad((x: Tensor) => sum(mul(same(x), x)))(make([1, 2]));
    expect(valuesOf(g)).toEqual([2, 4]);
  });

  it("gradients of views and of non-contiguous arguments have the argument's shape", () => {
    const base = make([1, 2, 3, 4, 5, 6], [2, 3]);
    const xt = new Tensor(base.data, [3, 2], [1, 3]); // non-contiguous transpose of base
    const w = make([1, 10, 100, 1000, 10000, 100000], [2, 3]);
    const g = grad((x: Tensor) => sum(mul(transposeView(x), w)))(xt);
    expect(g.shape).toEqual([3, 2]);
    expect(g.isContiguous).toBe(true);
    expect(valuesOf(g)).toEqual([1, 1000, 10, 10000, 100, 100000]);
  });

  it("a record of tensors gives a record of gradients with the same keys", () => {
    const W = make([1, 2, 3, 4], [2, 2]);
    const b = make([0.5, -0.5], [2]);
    const x = make([3, 5], [2, 1]);
    const loss = (p: { W: Tensor; b: Tensor }) => sum(add(mul(p.W, x), p.b));
    const g = grad(loss)({ W, b });
    expect(Object.keys(g)).toEqual(["W", "b"]);
    expect(valuesOf(g.W)).toEqual([3, 3, 5, 5]);
    expect(valuesOf(g.b)).toEqual([2, 2]);
  });

  it("an array of tensors gives an array of gradients", () => {
    const g = grad((ps: readonly Tensor[]) => sum(mul(ps[0]!, ps[1]!)))([make([2]), make([7])]);
    expect(g.map(valuesOf)).toEqual([[7], [2]]);
  });

  it("argnums picks arguments; the others pass through untouched and may be anything", () => {
    const f = (a: Tensor, k: number, b: Tensor) => sum(scale(mul(a, b), k));
    const a = make([1, 2]);
    const b = make([3, 4]);
    const gb = grad(f, { argnums: 2 })(a, 10, b);
    expect(valuesOf(gb)).toEqual([10, 20]);
    const [gb2, ga2] = grad(f, { argnums: [2, 0] })(a, 10, b);
    expect(valuesOf(gb2)).toEqual([10, 20]);
    expect(valuesOf(ga2)).toEqual([30, 40]);
    const [only] = grad(f, { argnums: [0] })(a, 2, b);
    expect(valuesOf(only)).toEqual([6, 8]);
  });

  it("float32 arguments get float32 gradients", () => {
    const x = new Tensor(Float32Array.from([1.5, 2]), [2]);
    const g = grad((x: Tensor) => sum(mul(x, x)))(x);
    expect(g.dtype).toBe("float32");
    expect(valuesOf(g)).toEqual([3, 4]);
  });

  it("size-1 outputs of any rank are accepted; empty arguments get empty gradients", () => {
    const g = grad((x: Tensor) => mul(x, x))(make([3], [1, 1, 1]));
    expect(g.shape).toEqual([1, 1, 1]);
    expect(valuesOf(g)).toEqual([6]);
    const [ge, gs] = grad((e: Tensor, s: Tensor) => add(sum(e), s))(make([], [0, 3]), make([1], []));
    expect(ge.shape).toEqual([0, 3]);
    expect(gs.shape).toEqual([]);
    expect(valuesOf(gs)).toEqual([1]);
  });

  it("NaN and ±Infinity propagate", () => {
    const g = grad((x: Tensor) => sum(mul(x, x)))(make([NaN, Infinity, -Infinity, 1]));
    expect(valuesOf(g)).toEqual([NaN, Infinity, -Infinity, 2]);
  });

  it("stopGradient cuts the graph", () => {
    const g = grad((x: Tensor) => sum(mul(x, stopGradient(x))))(make([3, -1]));
    expect(valuesOf(g)).toEqual([3, -1]);
    const s = stopGradient(make([1, 2]));
    expect(valuesOf(s)).toEqual([1, 2]);
  });

  it("nested grad: the inner call does not disturb the outer tape", () => {
    const outer = grad((x: Tensor) => {
      const inner = grad((y: Tensor) => sum(mul(y, y)))(make([5]));
      expect(valuesOf(inner)).toEqual([10]);
      return sum(mul(x, x));
    });
    expect(valuesOf(outer(make([2])))).toEqual([4]);
  });

  it("errors: non-scalar output (TypeError naming the shape), bad arguments, bad argnums, bad backward", () => {
    const x = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => grad((x: Tensor) => mul(x, x))(x)).toThrow(TypeError);
    expect(() => grad((x: Tensor) => mul(x, x))(x)).toThrow(/^grad: f must return a scalar .*shape \[2,3\]/);
    expect(() => valueAndGrad((x: Tensor) => mul(x, x))(x)).toThrow(/^valueAndGrad: .*\[2,3\]/);
    expect(() => grad((t: Tensor) => t.size as unknown as Tensor)(x)).toThrow(/^grad: f must return a tensor, got number/);
    expect(() => grad((a: Tensor) => sum(a))(5 as unknown as Tensor)).toThrow(/^grad: argument 0 is not a tensor/);
    expect(() => grad((p: { w: Tensor }) => sum(p.w))({ w: 1 as unknown as Tensor })).toThrow(
      /^grad: argument 0\.w is not a tensor/,
    );
    expect(() => grad((a: Tensor) => sum(a), { argnums: 3 })(x)).toThrow(RangeError);
    expect(() => grad((a: Tensor) => sum(a), { argnums: 3 })(x)).toThrow(/^grad: argnums 3 is out of range/);
    const badShape = (t: Tensor): Tensor => {
      const out = make([valuesOf(t).reduce((p, v) => p + v, 0)], []);
      recordOp("badShape", [t], out, () => [make([1])]);
      return out;
    };
    expect(() => grad(badShape)(x)).toThrow(/^grad: backward of "badShape" returned a gradient of shape \[1\] for input 0 of shape \[2,3\]/);
  });
});

describe("valueAndGrad", () => {
  it("returns the value and the gradient from one forward pass", () => {
    let calls = 0;
    const f = (x: Tensor) => {
      calls++;
      return sum(mul(x, x));
    };
    const { value, grad: g } = valueAndGrad(f)(make([1, 2]));
    expect(calls).toBe(1);
    expect(value.shape).toEqual([]);
    expect(valuesOf(value)).toEqual([5]);
    expect(valuesOf(g)).toEqual([2, 4]);
    const r = valueAndGrad((p: { a: Tensor }, q: Tensor) => sum(mul(p.a, q)))({ a: make([2]) }, make([3]));
    expect(valuesOf(r.grad[0].a)).toEqual([3]);
    expect(valuesOf(r.grad[1])).toEqual([2]);
  });
});

describe("grad properties", () => {
  it("d/dx sum(sin(x)·x) matches cos(x)·x + sin(x) for random vectors and matrices", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 0, maxLength: 12 }),
        fc.boolean(),
        (values, asMatrix) => {
          const shape = asMatrix && values.length % 2 === 0 ? [2, values.length / 2] : [values.length];
          const x = make(values, shape);
          const g = grad((x: Tensor) => sum(mul(sin(x), x)))(x);
          expect(g.shape).toEqual(shape);
          close(valuesOf(g), values.map((v) => Math.cos(v) * v + Math.sin(v)));
        },
      ),
    );
  });

  it("linearity: grad of sum(a·x + b·y) is (a, b) for any broadcastable shapes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (m, n) => {
        const x = make(Array.from({ length: m }, (_, i) => i), [m, 1]);
        const y = make(Array.from({ length: n }, (_, i) => -i), [1, n]);
        const [gx, gy] = grad((x: Tensor, y: Tensor) => sum(add(scale(x, 2), scale(y, 3))))(x, y);
        expect(valuesOf(gx)).toEqual(Array.from({ length: m }, () => 2 * n));
        expect(valuesOf(gy)).toEqual(Array.from({ length: n }, () => 3 * m));
      }),
    );
  });
});

describe("grad types", () => {
  it("the return type follows the arguments", () => {
    interface Params {
      W: Tensor;
      b: Tensor;
    }
    expectTypeOf(grad((x: Tensor) => sum(x))).returns.toEqualTypeOf<Tensor>();
    expectTypeOf(grad((a: Tensor, b: Tensor) => sum(mul(a, b)))).returns.toEqualTypeOf<[Tensor, Tensor]>();
    expectTypeOf(grad((p: Params) => sum(p.W))).returns.toEqualTypeOf<{ W: Tensor; b: Tensor }>();
    expectTypeOf(grad((p: { w: Tensor }, q: Tensor) => sum(mul(p.w, q)))).returns.toEqualTypeOf<
      [{ w: Tensor }, Tensor]
    >();
    expectTypeOf(grad((ps: Tensor[]) => sum(ps[0]!))).returns.toEqualTypeOf<Tensor[]>();
    const f = (a: Tensor, k: number, b: Params) => sum(scale(mul(a, b.W), k));
    expectTypeOf(grad(f, { argnums: 0 })).returns.toEqualTypeOf<Tensor>();
    expectTypeOf(grad(f, { argnums: 2 })).returns.toEqualTypeOf<{ W: Tensor; b: Tensor }>();
    expectTypeOf(grad(f, { argnums: [2, 0] })).returns.toEqualTypeOf<[{ W: Tensor; b: Tensor }, Tensor]>();
    expectTypeOf(valueAndGrad((x: Tensor) => sum(x))).returns.toEqualTypeOf<ValueAndGrad<Tensor>>();
    // @ts-expect-error a number argument is not differentiable (pick the tensors with argnums)
    grad((a: Tensor, k: number) => scale(a, k));
    // @ts-expect-error a record with a non-tensor field is not differentiable
    grad((p: { w: Tensor; lr: number }) => scale(p.w, p.lr));
  });
});
