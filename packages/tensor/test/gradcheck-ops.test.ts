/**
 * Every differentiable op of @hw/tensor, checked by `gradcheck` (central differences in float64)
 * on random shapes (fast-check) and seeded random values. Ops with kinks (abs, relu, maximum,
 * max …) are checked on points kept away from the kink; ops with restricted domains (log, sqrt,
 * div, pow, cholesky …) on points inside the domain.
 *
 * Non-scalar outputs are checked by gradcheck through a fixed random cotangent (a vector–Jacobian
 * product), so the ops are passed to it directly. Inputs reach `f` as contiguous float64 copies;
 * the non-contiguous paths are exercised by composing with transpose/slice views inside `f`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abs,
  add,
  broadcastTo,
  clip,
  div,
  exp,
  expandDims,
  flatten,
  gradcheck,
  greater,
  log,
  maximum,
  minimum,
  mul,
  neg,
  permute,
  pow,
  reciprocal,
  relu,
  reshape,
  select,
  sigmoid,
  slice,
  softplus,
  sqrt,
  square,
  squeeze,
  sub,
  swapAxes,
  tanh,
  transpose,
  where,
  Tensor,
  concat,
  split,
  stack,
  logSumExp,
  max,
  mean,
  min,
  std,
  sum,
  variance,
  logSoftmax,
  softmax,
  sumTo,
  topk,
  eye,
  moments,
  matmul,
  dot,
  outer,
  cholesky,
  det,
  slogdet,
  inv,
  solve,
  solveTriangular,
} from "../src/index";
import { testRng } from "./helpers/seeded";

/**
 * Property runs per test: each run is a few gradchecks (2·size + 1 forward passes on ≤ 64 elements).
 * Set HW_GRADCHECK_RUNS=500 for a thorough sweep.
 */
const RUNS = Number(process.env.HW_GRADCHECK_RUNS ?? 25);

/** A dimension: mostly 1–3, sometimes 0 (empty axes must work too). */
const dim = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(0) });
const shape = (maxRank = 3, minRank = 0) => fc.array(dim, { minLength: minRank, maxLength: maxRank });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/**
 * Two shapes that broadcast together: both derived from a common full shape by dropping leading
 * axes and setting some axes to 1.
 */
const broadcastPair = fc
  .tuple(shape(3), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.nat(3), fc.nat(3))
  .map(([full, ones, dropA, dropB]) => {
    const derive = (drop: number, offset: number) =>
      full.slice(Math.min(drop, full.length)).map((d, i) => (ones[(i + offset) % 6] === true ? 1 : d));
    return [derive(dropA, 0), derive(dropB, 3)] as const;
  });

function check(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]): void {
  const report = gradcheck(f, inputs); // throws a GradcheckError naming input and index on failure
  expect(report.ok).toBe(true);
}

function property<T>(arb: fc.Arbitrary<T>, body: (value: T, rng: ReturnType<typeof testRng>) => void): void {
  fc.assert(
    fc.property(arb, seed, (value, s) => {
      body(value, testRng(s));
    }),
    { numRuns: RUNS },
  );
}

describe("gradcheck: elementwise binary ops with broadcasting", () => {
  it("add, sub, mul", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      const a = rng.randn(sa);
      const b = rng.randn(sb);
      check(add, [a, b]);
      check(sub, [a, b]);
      check(mul, [a, b]);
    });
  });

  it("div (denominator away from 0)", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      check(div, [rng.randn(sa), rng.awayFromZero(sb, 0.5)]);
    });
  });

  it("pow (positive base, any exponent)", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      check(pow, [rng.rand(sa, 0.3, 2), rng.randn(sb)]);
    });
  });

  it("maximum, minimum (away from ties)", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      const a = rng.randn(sa);
      // b = a broadcast-compatible tensor kept ≥ 0.1 away from every a it meets: shift by ±(0.1 … 1)
      const b0 = rng.randn(sb);
      const f = (x: Tensor, y: Tensor) => maximum(x, y);
      const g = (x: Tensor, y: Tensor) => minimum(x, y);
      // skip draws with a near-tie (|a − b| < 1e-3 somewhere): there the derivative jumps
      const diff = sub(a, b0).contiguous();
      const tooClose = Array.from({ length: diff.size }, (_, i) => diff.data[diff.offset + i]!).some(
        (v) => Math.abs(v) < 1e-3,
      );
      if (tooClose) return;
      check(f, [a, b0]);
      check(g, [a, b0]);
    });
  });

  it("scalar operands on either side", () => {
    property(shape(3), (s, rng) => {
      const x = rng.rand(s, 0.3, 2);
      check((x: Tensor) => add(x, 2.5), [x]);
      check((x: Tensor) => sub(1.5, x), [x]);
      check((x: Tensor) => mul(-3, x), [x]);
      check((x: Tensor) => div(2, x), [x]);
      check((x: Tensor) => div(x, 4), [x]);
      check((x: Tensor) => pow(x, 2.5), [x]);
      check((x: Tensor) => pow(1.7, x), [x]);
    });
  });

  it("a tensor used twice in one op: mul(x, x), sub(x, x), div(x, x)", () => {
    property(shape(3), (s, rng) => {
      const x = rng.awayFromZero(s);
      check((x: Tensor) => mul(x, x), [x]);
      check((x: Tensor) => sub(x, x), [x]);
      check((x: Tensor) => div(x, x), [x]);
    });
  });
});

describe("gradcheck: elementwise unary ops", () => {
  it("neg, exp, sigmoid, tanh, softplus, square (anywhere)", () => {
    property(shape(3), (s, rng) => {
      const x = rng.randn(s);
      for (const op of [neg, exp, sigmoid, tanh, softplus, square]) check(op, [x]);
    });
  });

  it("log, sqrt, reciprocal (inside their domains)", () => {
    property(shape(3), (s, rng) => {
      const x = rng.rand(s, 0.2, 3);
      for (const op of [log, sqrt, reciprocal]) check(op, [x]);
      check(reciprocal, [neg(x)]);
    });
  });

  it("abs, relu (away from the kink at 0)", () => {
    property(shape(3), (s, rng) => {
      const x = rng.awayFromZero(s);
      check(abs, [x]);
      check(relu, [x]);
    });
  });

  it("clip (away from the bounds)", () => {
    property(shape(3), (s, rng) => {
      const x = rng.awayFromZero(s, 0.2, 2);
      // move points off the bounds ±1 and 0.5: anything within 0.05 of them is scaled by 1.2
      const data = Float64Array.from(x.data, (v) =>
        Math.abs(Math.abs(v) - 1) < 0.05 || Math.abs(v - 0.5) < 0.05 ? v * 1.2 : v,
      );
      const safe = new Tensor(data, x.shape);
      check((x: Tensor) => clip(x, -1, 1), [safe]);
      check((x: Tensor) => clip(x, undefined, 0.5), [safe]);
    });
  });

  it("sigmoid and softplus at ±30 (saturated but finite derivatives)", () => {
    const rng = testRng(7);
    const x = add(mul(rng.randn([5]), 0.1), 30);
    check(sigmoid, [x]);
    check(softplus, [x]);
    check(sigmoid, [neg(x)]);
    check(softplus, [neg(x)]);
  });
});

describe("gradcheck: where", () => {
  it("where(cond, a, b) with broadcasting, tensor and scalar branches", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      const a = rng.randn(sa);
      const b = rng.randn(sb);
      const cond = greater(rng.randn(add(a, b).shape), 0);
      check((a: Tensor, b: Tensor) => where(cond, a, b), [a, b]);
      check((a: Tensor) => where(cond, a, 0), [a]);
      check((b: Tensor) => where(cond, -1, b), [b]);
    });
  });
});

describe("gradcheck: views", () => {
  it("reshape, flatten, transpose, contiguous", () => {
    property(shape(3), (s, rng) => {
      const x = rng.randn(s);
      check((x: Tensor) => reshape(x, [-1]), [x]);
      check((x: Tensor) => reshape(x, [...s].reverse()), [x]);
      check(flatten, [x]);
      check((x: Tensor) => mul(x.contiguous(), 2), [x]);
    });
    property(shape(2, 2), (s, rng) => {
      const x = rng.randn(s);
      check(transpose, [x]);
      // reshape of a non-contiguous view (a copy) and exp of a strided view
      check((x: Tensor) => reshape(transpose(x), [-1]), [x]);
      check((x: Tensor) => exp(transpose(x)), [x]);
      check((x: Tensor) => transpose(x).contiguous(), [x]);
    });
  });

  it("permute and swapAxes", () => {
    const perm = fc.constantFrom([0, 1, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1], [2, 1, 0], [1, 0, 2]);
    property(fc.tuple(shape(3, 3), perm), ([s, p], rng) => {
      const x = rng.randn(s);
      check((x: Tensor) => permute(x, p), [x]);
      check((x: Tensor) => swapAxes(x, 0, -1), [x]);
      check((x: Tensor) => mul(permute(x, p), permute(x, p)), [x]);
    });
  });

  it("slice (steps ±1, ±2, negative bounds) and select", () => {
    const spec = fc.constantFrom<[number | null, number | null, number | null] | null>(
      null,
      [1, null, null],
      [null, -1, null],
      [null, null, 2],
      [null, null, -1],
      [-1, 0, -2],
      [0, 1, null],
    );
    property(fc.tuple(shape(3, 1), fc.array(spec, { minLength: 1, maxLength: 3 })), ([s, specs], rng) => {
      const x = rng.randn(s);
      const used = specs.slice(0, s.length);
      check((x: Tensor) => slice(x, used), [x]);
      check((x: Tensor) => square(slice(x, used)), [x]);
      const axis = s.findIndex((d) => d > 0);
      if (axis >= 0) {
        check((x: Tensor) => select(x, axis, s[axis]! - 1), [x]);
        check((x: Tensor) => select(x, axis - s.length, 0), [x]);
      }
    });
  });

  it("expandDims, squeeze, broadcastTo", () => {
    property(shape(3), (s, rng) => {
      const x = rng.randn(s);
      check((x: Tensor) => expandDims(x, 0), [x]);
      check((x: Tensor) => expandDims(x, -1), [x]);
      check((x: Tensor) => squeeze(expandDims(x, 1 > s.length ? 0 : 1)), [x]);
      check((x: Tensor) => broadcastTo(x, [2, ...s]), [x]);
    });
    property(broadcastPair, ([sa, sb], rng) => {
      const a = rng.randn(sa);
      const target = add(a, rng.randn(sb)).shape;
      check((a: Tensor) => broadcastTo(a, target), [a]);
      check((a: Tensor) => mul(broadcastTo(a, target), broadcastTo(a, target)), [a]);
    });
  });
});

describe("gradcheck: matmul, dot, outer", () => {
  const small = fc.integer({ min: 1, max: 4 });
  const maybeEmpty = fc.oneof({ weight: 6, arbitrary: small }, { weight: 1, arbitrary: fc.constant(0) });

  it("matmul 2-D, matrix–vector, vector–matrix, vector–vector", () => {
    property(fc.tuple(maybeEmpty, maybeEmpty, maybeEmpty), ([m, k, n], rng) => {
      const a = rng.randn([m, k]);
      const b = rng.randn([k, n]);
      check(matmul, [a, b]);
      check(matmul, [a, rng.randn([k])]);
      check(matmul, [rng.randn([m]), rng.randn([m, n])]);
      check(matmul, [rng.randn([k]), rng.randn([k])]);
    });
  });

  it("matmul of transposed (non-contiguous) operands and of a matrix with itself", () => {
    property(fc.tuple(small, small), ([m, k], rng) => {
      const a = rng.randn([m, k]);
      check((a: Tensor) => matmul(transpose(a), a), [a]);
      check((a: Tensor, b: Tensor) => matmul(a, transpose(b)), [a, rng.randn([m + 1, k])]);
      check((a: Tensor) => matmul(slice(a, [[null, null, -1]]), transpose(a)), [a]);
    });
  });

  it("batched matmul with broadcast batch dims", () => {
    const batch = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });
    property(fc.tuple(batch, small, small, small, fc.boolean()), ([bs, m, k, n, squash], rng) => {
      // the right operand's batch dims: the left's with some set to 1 (or dropped)
      const bBatch = squash ? bs.map((d, i) => (i % 2 === 0 ? 1 : d)) : bs.slice(1);
      check(matmul, [rng.randn([...bs, m, k]), rng.randn([...bBatch, k, n])]);
      check(matmul, [rng.randn([2, 1, m, k]), rng.randn([3, k, n])]);
      check(matmul, [rng.randn([m, k]), rng.randn([2, k, n])]);
      check(matmul, [rng.randn([2, m, k]), rng.randn([k])]);
    });
  });

  it("dot and outer", () => {
    property(fc.tuple(maybeEmpty, maybeEmpty), ([m, n], rng) => {
      const x = rng.randn([m]);
      check(dot, [x, rng.randn([m])]);
      check((x: Tensor) => dot(x, x), [x]);
      check(outer, [x, rng.randn([n])]);
      check((x: Tensor) => outer(x, x), [x]);
    });
  });
});

describe("gradcheck: reductions and softmax", () => {
  /** A shape, a set of axes of it (some negative, or undefined = all) and keepDims. */
  const reduction = fc
    .tuple(shape(3, 1), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([s, pick, negative, all, keepDims]) => {
      const chosen = s.map((_, i) => i).filter((i) => pick[i] === true);
      const axes = all || chosen.length === 0 ? undefined : chosen.map((i) => (negative ? i - s.length : i));
      const reduced = axes === undefined ? s : axes.map((a) => s.at(a)!);
      // elements per reduced group (max/min of an empty group is an error; var with n ≤ correction is NaN)
      const count = reduced.reduce((p, d) => p * d, 1);
      return { s, axes, keepDims, count };
    });

  it("sum and mean over any axes, with and without keepDims", () => {
    property(reduction, ({ s, axes, keepDims }, rng) => {
      const x = rng.randn(s);
      check((x: Tensor) => sum(x, axes, { keepDims }), [x]);
      check((x: Tensor) => mean(x, axes, { keepDims }), [x]);
      // a reduction of a strided view
      if (s.length >= 2) check((x: Tensor) => sum(swapAxes(x, 0, 1), axes, { keepDims }), [x]);
    });
  });

  it("variance with correction 0 and 1, std", () => {
    property(reduction, ({ s, axes, keepDims, count }, rng) => {
      const x = rng.randn(s);
      if (count >= 1) check((x: Tensor) => variance(x, axes, { keepDims, correction: 0 }), [x]);
      if (count >= 2) {
        check((x: Tensor) => variance(x, axes, { keepDims, correction: 1 }), [x]);
        // std has an infinite slope at variance 0: the random data keep it well away from 0
        check((x: Tensor) => std(x, axes, { keepDims }), [x]);
        check((x: Tensor) => std(x, axes, { keepDims, correction: 1 }), [x]);
      }
    });
  });

  it("moments: mean and variance from one call, each and together", () => {
    property(reduction, ({ s, axes, keepDims, count }, rng) => {
      const x = rng.randn(s);
      if (count < 2) return;
      for (const correction of [0, 1]) {
        check((x: Tensor) => moments(x, axes, { keepDims, correction }).mean, [x]);
        check((x: Tensor) => moments(x, axes, { keepDims, correction }).variance, [x]);
        check((x: Tensor) => {
          const m = moments(x, axes, { keepDims, correction });
          return add(mul(m.mean, 3), m.variance);
        }, [x]);
      }
    });
  });

  it("max and min (away from ties), logSumExp", () => {
    property(reduction, ({ s, axes, keepDims, count }, rng) => {
      const x = rng.distinct(s);
      if (count > 0) {
        check((x: Tensor) => max(x, axes, { keepDims }), [x]);
        check((x: Tensor) => min(x, axes, { keepDims }), [x]);
      }
      const y = rng.randn(s);
      check((x: Tensor) => logSumExp(x, axes, { keepDims }), [y]);
      check((x: Tensor) => logSumExp(mul(x, 100), axes, { keepDims }), [y]);
    });
  });

  it("softmax and logSoftmax along any axis", () => {
    property(fc.tuple(shape(3, 1), fc.nat(5)), ([s, k], rng) => {
      const x = rng.randn(s);
      const axis = (k % s.length) - (k >= 3 ? s.length : 0);
      check((x: Tensor) => softmax(x, axis), [x]);
      check((x: Tensor) => logSoftmax(x, axis), [x]);
      check((x: Tensor) => logSoftmax(mul(x, 50), axis), [x]);
    });
  });
});

describe("gradcheck: stack, concat, split", () => {
  it("stack and concat along any axis (tensors of different sizes along the concat axis)", () => {
    property(fc.tuple(shape(3, 1), fc.nat(7), fc.integer({ min: 1, max: 3 })), ([s, k, count], rng) => {
      const axis = k % (s.length + 1); // stack: a new axis at 0..ndim
      const xs = Array.from({ length: count }, () => rng.randn(s));
      check((...xs: Tensor[]) => stack(xs, axis), xs);
      check((...xs: Tensor[]) => stack(xs, axis - s.length - 1), xs);
      const cAxis = k % s.length;
      const ys = xs.map((_, i) => rng.randn(s.map((d, ax) => (ax === cAxis ? i + 1 : d))));
      check((...ys: Tensor[]) => concat(ys, cAxis), ys);
      check((...ys: Tensor[]) => concat(ys, cAxis - s.length), ys);
      // the same tensor several times
      check((y: Tensor) => concat([y, y, ys[0]!], cAxis), [ys[0]!]);
      check((y: Tensor) => stack([y, mul(y, 2)], 0), [xs[0]!]);
    });
  });

  it("split into equal sections or given sizes; every piece and a reassembly", () => {
    property(fc.tuple(shape(2, 0), fc.integer({ min: 1, max: 3 }), fc.nat(3)), ([rest, sections, k], rng) => {
      const s = [sections * 2, ...rest];
      const x = rng.randn(s);
      for (let i = 0; i < sections; i++) check((x: Tensor) => split(x, sections, 0)[i]!, [x]);
      const sizes = [1, s[0]! - 1 - (k % 2), k % 2];
      sizes.forEach((_, i) => {
        check((x: Tensor) => split(x, sizes, 0)[i]!, [x]);
      });
      check((x: Tensor) => concat(split(x, sections, 0).reverse(), 0), [x]);
      const moved = permute(x, [...s.keys()].reverse());
      check((x: Tensor) => split(permute(x, [...s.keys()].reverse()), sections, -1)[0]!, [x]);
      expect(moved.shape.at(-1)).toBe(s[0]);
    });
  });
});

describe("gradcheck: sumTo and topk values", () => {
  it("sumTo back to a broadcast-compatible shape", () => {
    property(broadcastPair, ([sa, sb], rng) => {
      const big = add(rng.randn(sa), rng.randn(sb)).shape;
      check((x: Tensor) => sumTo(x, sa), [rng.randn(big)]);
      check((x: Tensor) => sumTo(x, sb), [rng.randn(big)]);
    });
  });

  it("topk values (largest and smallest, any axis; distinct values, so no ties)", () => {
    property(fc.tuple(shape(3, 1), fc.nat(5), fc.boolean()), ([s, k, largest], rng) => {
      const axis = k % s.length;
      const n = s[axis]!;
      const x = rng.distinct(s);
      for (const kk of new Set([0, Math.min(1, n), n])) {
        check((x: Tensor) => topk(x, kk, { axis, largest }).values, [x]);
      }
    });
  });
});

describe("gradcheck: linear algebra", () => {
  const n = fc.integer({ min: 1, max: 4 });
  /** A well-conditioned random matrix: N(0,1) entries plus n·I (strongly diagonally dominant on average). */
  const wellConditioned = (rng: ReturnType<typeof testRng>, batch: readonly number[], size: number) =>
    add(rng.randn([...batch, size, size]), mul(eye(size), size + 1));
  /** (A + Aᵀ)/2: gradcheck perturbs one entry at a time, so symmetric-input ops see a symmetrised matrix. */
  const symmetrise = (a: Tensor) => mul(add(a, swapAxes(a, -1, -2)), 0.5);
  /** A random SPD matrix M Mᵀ + I. */
  const spd = (rng: ReturnType<typeof testRng>, batch: readonly number[], size: number) => {
    const m = rng.randn([...batch, size, size]);
    return add(matmul(m, swapAxes(m, -1, -2)), eye(size));
  };
  const batch = fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 2 });

  it("solve: vector and matrix right-hand sides, batched with broadcast batch axes", () => {
    property(fc.tuple(n, fc.integer({ min: 1, max: 3 }), batch), ([size, k, bs], rng) => {
      const a = wellConditioned(rng, [], size);
      check(solve, [a, rng.randn([size])]);
      check(solve, [a, rng.randn([size, k])]);
      check(solve, [wellConditioned(rng, bs, size), rng.randn([...bs, size, k])]);
      check(solve, [a, rng.randn([...bs, size, k])]); // one matrix, batched right-hand sides
      check((a: Tensor, b: Tensor) => solve(transpose(a), b), [a, rng.randn([size, k])]);
    });
  });

  it("cholesky of a symmetrised SPD matrix (lower and upper), batched", () => {
    property(fc.tuple(n, batch), ([size, bs], rng) => {
      check((a: Tensor) => cholesky(symmetrise(a)), [spd(rng, [], size)]);
      check((a: Tensor) => cholesky(symmetrise(a), { upper: true }), [spd(rng, [], size)]);
      check((a: Tensor) => cholesky(symmetrise(a)), [spd(rng, bs, size)]);
      // downstream use: log det A = 2 Σ log diag(L)
      check((a: Tensor) => sum(log(sum(mul(cholesky(symmetrise(a)), eye(size)), -1))), [spd(rng, [], size)]);
    });
  });

  it("solveTriangular: lower/upper, transposed, unit diagonal, batched", () => {
    const flags = fc.record({ lower: fc.boolean(), transpose: fc.boolean(), unitDiagonal: fc.boolean() });
    property(fc.tuple(n, fc.integer({ min: 1, max: 3 }), flags, batch), ([size, k, options, bs], rng) => {
      // the unread triangle (and the diagonal with unitDiagonal) must get zero gradient
      const a = wellConditioned(rng, [], size);
      check((a: Tensor, b: Tensor) => solveTriangular(a, b, options), [a, rng.randn([size, k])]);
      check((a: Tensor, b: Tensor) => solveTriangular(a, b, options), [a, rng.randn([size])]);
      check((a: Tensor, b: Tensor) => solveTriangular(a, b, options), [
        wellConditioned(rng, bs, size),
        rng.randn([...bs, size, k]),
      ]);
    });
  });

  it("inv, det, slogdet (log|det| of either sign), batched", () => {
    property(fc.tuple(n, batch), ([size, bs], rng) => {
      const a = wellConditioned(rng, [], size);
      check(inv, [a]);
      check(det, [a]);
      check((a: Tensor) => slogdet(a).logAbsDet, [a]);
      check((a: Tensor) => slogdet(neg(a)).logAbsDet, [a]); // sign −1 when n is odd
      check(inv, [wellConditioned(rng, bs, size)]);
      check(det, [wellConditioned(rng, bs, size)]);
      check((a: Tensor) => slogdet(a).logAbsDet, [wellConditioned(rng, bs, size)]);
    });
  });
});
