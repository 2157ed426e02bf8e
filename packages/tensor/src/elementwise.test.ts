import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ones, scalar, tensor, zeros } from "./creation";
import {
  abs,
  add,
  clip,
  div,
  exp,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  sigmoid,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
} from "./elementwise";
import type { Tensor } from "./tensor";
import { transpose } from "./views";
import { expectClose } from "./testing/expect-close";
import { broadcastPairArb, makeLayout, refBinary, tensorArb, values } from "../test/helpers/core-reference";

const binaries: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ["add", add, (x, y) => x + y],
  ["sub", sub, (x, y) => x - y],
  ["mul", mul, (x, y) => x * y],
  ["div", div, (x, y) => x / y],
  ["pow", pow, (x, y) => Math.pow(x, y)],
  ["maximum", maximum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x > y ? x : y)],
  ["minimum", minimum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x < y ? x : y)],
];

const refSigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
const unaries: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
  ["neg", neg, (v) => -v],
  ["exp", exp, Math.exp],
  ["log", log, Math.log],
  ["sqrt", sqrt, Math.sqrt],
  ["abs", abs, Math.abs],
  ["square", square, (v) => v * v],
  ["reciprocal", reciprocal, (v) => 1 / v],
  ["tanh", tanh, Math.tanh],
  ["relu", relu, (v) => (Number.isNaN(v) ? NaN : Math.max(v, 0))],
  ["sigmoid", sigmoid, refSigmoid],
  ["softplus", softplus, (v) => (v > 30 ? v : Math.log(1 + Math.exp(v)))],
];

describe("binary elementwise ops", () => {
  it("broadcast like NumPy on known cases", () => {
    expect(add(tensor([[1], [2]]), tensor([10, 20])).toArray()).toEqual([[11, 21], [12, 22]]);
    expect(sub(tensor([5, 6]), 1).toArray()).toEqual([4, 5]);
    expect(sub(1, tensor([5, 6])).toArray()).toEqual([-4, -5]);
    expect(mul(tensor([1, 2]), scalar(3)).toArray()).toEqual([3, 6]);
    expect(div(tensor([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
    expect(pow(tensor([2, 3]), 2).toArray()).toEqual([4, 9]);
    expect(pow(-8, tensor([1 / 3])).toArray()).toEqual([NaN]);
    expect(add(2, 3).item()).toBe(5);
    expect(add(zeros([0, 3]), ones([3])).shape).toEqual([0, 3]);
  });
  for (const [name, op, ref] of binaries) {
    it(`${name} matches a nested-loop reference on random broadcasting pairs and layouts (property)`, () => {
      fc.assert(
        fc.property(
          broadcastPairArb,
          fc.integer({ min: 1, max: 1e6 }),
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 0, max: 2 }),
          fc.boolean(),
          ([sa, sb], seed, la, lb, swap) => {
            const a = makeLayout(swap ? sb : sa, seed, la);
            const b = makeLayout(swap ? sa : sb, seed + 1, lb);
            const got = op(a, b);
            const want = refBinary(a, b, ref);
            expect(got.shape).toEqual(want.shape);
            expect(got.isContiguous).toBe(true);
            expectClose(got, tensor(want.values, want.shape), { rtol: 0, atol: 0 });
          },
        ),
        { numRuns: 60 },
      );
    });
  }
  it("propagate NaN and follow IEEE for ±Infinity", () => {
    expect(add(tensor([NaN, Infinity, Infinity]), tensor([1, -Infinity, 1])).toArray()).toEqual([NaN, NaN, Infinity]);
    expect(maximum(tensor([NaN, 1]), tensor([1, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(minimum(tensor([-Infinity]), 0).toArray()).toEqual([-Infinity]);
    expect(mul(tensor([0]), Infinity).toArray()).toEqual([NaN]);
  });
  it("promote dtypes: float32 only when every tensor operand is float32", () => {
    const f32 = tensor([1.5, 2], undefined, { dtype: "float32" });
    const f64 = tensor([1, 2]);
    expect(add(f32, f32).dtype).toBe("float32");
    expect(add(f32, 1).dtype).toBe("float32");
    expect(add(1, f32).dtype).toBe("float32");
    expect(add(f32, f64).dtype).toBe("float64");
    expect(add(f64, f32).dtype).toBe("float64");
    expect(exp(f32).dtype).toBe("float32");
    expect(mul(f32, 0.1).get(0)).toBe(Math.fround(1.5 * Math.fround(0.1)));
  });
  it("return a new tensor object even for trivial cases", () => {
    const x = tensor([1, 2]);
    expect(add(x, 0)).not.toBe(x);
    expect(mul(x, 1)).not.toBe(x);
  });
  it("reject bad operands with the op name", () => {
    expect(() => add(ones([2, 3]), ones([4]))).toThrow(new RangeError("add: shapes [2,3] and [4] cannot broadcast"));
    expect(() => mul(ones([2]), "3" as never)).toThrow(new TypeError("mul: expected a tensor or a number, got string"));
    expect(() => div(null as never, 1)).toThrow(/^div: expected a tensor or a number, got null/);
  });
});

describe("unary elementwise ops", () => {
  for (const [name, op, ref] of unaries) {
    it(`${name} matches Math on any layout (property)`, () => {
      fc.assert(
        fc.property(tensorArb(), (x) => {
          const got = op(x);
          expect(got.shape).toEqual(x.shape);
          expectClose(got, tensor(values(x).map(ref), x.shape), { rtol: 1e-15, atol: 0 });
        }),
        { numRuns: 40 },
      );
    });
    it(`${name} propagates NaN`, () => {
      expect(Number.isNaN(op(tensor([NaN])).item())).toBe(true);
    });
  }
  it("sigmoid is exact and finite at ±1000 and ±Infinity", () => {
    expect(sigmoid(tensor([1000, -1000, Infinity, -Infinity, 0])).toArray()).toEqual([1, 0, 1, 0, 0.5]);
    expect(sigmoid(tensor([-745])).item()).toBeGreaterThan(0);
  });
  it("softplus is stable for huge and very negative inputs", () => {
    expect(softplus(tensor([1000])).item()).toBe(1000);
    expect(softplus(tensor([-1000])).item()).toBe(0);
    expect(softplus(tensor([Infinity, -Infinity])).toArray()).toEqual([Infinity, 0]);
    // log(1 + e^-40) ≈ e^-40 must not underflow to 0 (the naive log(1 + exp(x)) gives exactly 0).
    expectClose(softplus(tensor([-40])), [Math.exp(-40)], { rtol: 1e-15 });
    expectClose(softplus(tensor([0])), [Math.LN2]);
  });
  it("handle the domain edges", () => {
    expect(log(tensor([0, -1])).toArray()).toEqual([-Infinity, NaN]);
    expect(sqrt(tensor([-1, Infinity])).toArray()).toEqual([NaN, Infinity]);
    expect(reciprocal(tensor([0, -0])).toArray()).toEqual([Infinity, -Infinity]);
    expect(tanh(tensor([1000, -1000])).toArray()).toEqual([1, -1]);
    expect(exp(tensor([-Infinity, 1000])).toArray()).toEqual([0, Infinity]);
  });
  it("work on views (transpose) and empty tensors", () => {
    expect(square(transpose(tensor([[1, 2], [3, 4]]))).toArray()).toEqual([[1, 9], [4, 16]]);
    expect(exp(zeros([2, 0])).shape).toEqual([2, 0]);
  });
  it("reject non-tensors", () => {
    expect(() => exp(3 as never)).toThrow(new TypeError("exp: expected a tensor, got number"));
  });
});

describe("clip", () => {
  it("clamps into [min, max] and keeps NaN", () => {
    expect(clip(tensor([-2, 0.5, 3, NaN]), 0, 1).toArray()).toEqual([0, 0.5, 1, NaN]);
    expect(clip(tensor([-2, 5]), undefined, 1).toArray()).toEqual([-2, 1]);
    expect(clip(tensor([-2, 5]), 0).toArray()).toEqual([0, 5]);
    expect(clip(tensor([-Infinity, Infinity]), -1, 1).toArray()).toEqual([-1, 1]);
  });
  it("rejects non-number bounds", () => {
    expect(() => clip(tensor([1]), "0" as never, 1)).toThrow(/^clip: bounds must be numbers/);
  });
});
