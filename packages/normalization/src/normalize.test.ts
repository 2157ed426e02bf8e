import { add, div, grad, gradcheck, mean, mul, sqrt, sub, sum, tensor, transpose, variance, type Tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { moments, normalize, normalizeBackward } from "./index";

/** The slow obvious reference, written with @hw/tensor's public (differentiable) ops. */
function reference(x: Tensor, axes: number[], eps: number, gamma?: Tensor, beta?: Tensor): Tensor {
  const mu = mean(x, axes, { keepDims: true });
  const v = variance(x, axes, { keepDims: true });
  let y = div(sub(x, mu), sqrt(add(v, eps)));
  if (gamma) y = mul(y, gamma);
  if (beta) y = add(y, beta);
  return y;
}

/** A random float64 tensor of `shape` from a fast-check seed, values in [-5, 5]. */
function filled(shape: number[], values: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => values[i % values.length]! + i * 0.37), shape);
}

const caseArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      axes: fc.subarray(shape.map((_, i) => i), { minLength: 1 }),
      values: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 8 }),
      affine: fc.boolean(),
    }),
  );

describe("normalize", () => {
  it("matches the reference on random shapes, axes and affine parameters", () => {
    fc.assert(
      fc.property(caseArb, ({ shape, axes, values, affine }) => {
        const x = filled(shape, values);
        const pShape = shape.map((d, i) => (axes.includes(i) ? d : 1));
        const gamma = affine ? filled(pShape, [0.5, 1.5, -0.7]) : undefined;
        const beta = affine ? filled(pShape, [0.1, -0.2]) : undefined;
        const r = normalize(x, { axes, eps: 1e-3, ...(gamma ? { gamma, beta } : {}) });
        expectClose(r.y, reference(x, axes, 1e-3, gamma, beta), { rtol: 1e-10, atol: 1e-12 });
        expectClose(r.mean, mean(x, axes), { rtol: 1e-12, atol: 1e-12 });
        expectClose(r.variance, variance(x, axes), { rtol: 1e-10, atol: 1e-12 });
      }),
      { numRuns: 150, seed: 6 },
    );
  });

  it("backward matches autodiff through the reference on random cases", () => {
    fc.assert(
      fc.property(caseArb, ({ shape, axes, values }) => {
        const x = filled(shape, values);
        const pShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const gamma = filled(pShape, [0.5, 1.5, -0.7]);
        const beta = filled(pShape, [0.1, -0.2]);
        const up = filled(shape, [1, -2, 0.5, 3]);
        const ours = normalizeBackward(x, up, { axes, eps: 1e-3, gamma, beta });
        const [gx, gg, gb] = grad((a: Tensor, g: Tensor, b: Tensor) => sum(mul(reference(a, axes, 1e-3, g, b), up)))(x, gamma, beta);
        expectClose(ours.gradX, gx, { rtol: 1e-8, atol: 1e-10 });
        expectClose(ours.gradGamma, gg, { rtol: 1e-8, atol: 1e-10 });
        expectClose(ours.gradBeta, gb, { rtol: 1e-8, atol: 1e-10 });
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("its recorded backward passes gradcheck (finite differences)", () => {
    const x = filled([3, 2, 4], [0.3, -1.2, 2.2, 0.9, -0.4]);
    const gamma = tensor([[[1.3], [0.6]]]);
    const beta = tensor([[[0.2], [-0.1]]]);
    const report = gradcheck((a: Tensor, g: Tensor, b: Tensor) => normalize(a, { axes: [0, 2], gamma: g, beta: b }).y, [x, gamma, beta], {
      seed: 3,
    });
    expect(report.ok).toBe(true);
  });

  it("reads non-contiguous views as their values", () => {
    const base = filled([4, 3], [1, 5, 2, -3]);
    const t = transpose(base); // [3, 4], non-contiguous
    expect(t.isContiguous).toBe(false);
    const copy = t.contiguous();
    const a = normalize(t, { axes: 1, gamma: [[2], [1], [0.5]] });
    const b = normalize(tensor(copy.toArray()), { axes: 1, gamma: [[2], [1], [0.5]] });
    expectClose(a.y, b.y, { rtol: 0, atol: 0 });
    const up = filled([3, 4], [1, -1, 2]);
    expectClose(normalizeBackward(t, transpose(transpose(up)), { axes: [0] }).gradX, normalizeBackward(copy, up, { axes: [0] }).gradX, {
      rtol: 1e-14,
      atol: 1e-15,
    });
  });

  it("normalizes huge offsets stably (two passes, not E[x²] − E[x]²)", () => {
    const r = normalize([1e9 + 1, 1e9 + 2, 1e9 + 3], { axes: 0, eps: 0 });
    expectClose(r.variance, 2 / 3, { rtol: 1e-12 });
    expectClose(r.y, [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], { rtol: 1e-9 });
    const tiny = normalize([1e-150, 2e-150, 3e-150], { axes: 0, eps: 0 });
    expectClose(tiny.y, [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], { rtol: 1e-12 });
  });

  it("keeps NaN inside its own pool and turns an infinite pool into NaN", () => {
    const r = normalize(
      [
        [1, Number.NaN, 3],
        [1, 2, 3],
        [1, Number.POSITIVE_INFINITY, 0],
      ],
      { axes: 1 },
    );
    const y = r.y.toArray() as number[][];
    expect(y[0]!.every(Number.isNaN)).toBe(true);
    expect(y[1]!.every(Number.isFinite)).toBe(true);
    expect(y[2]!.every(Number.isNaN)).toBe(true);
  });

  it("handles size-1 pools (var 0, y = β) and empty axes", () => {
    const one = normalize([[5], [7]], { axes: 1, beta: [0.25] });
    expect(one.variance.toArray()).toEqual([0, 0]);
    expect(one.y.toArray()).toEqual([[0.25], [0.25]]);
    const empty = normalize(tensor([], [0, 3]), { axes: 0 });
    expect(empty.y.shape).toEqual([0, 3]);
    expect((empty.mean.toArray() as number[]).every(Number.isNaN)).toBe(true);
    const noRows = normalize(tensor([], [2, 0]), { axes: 1 });
    expect(noRows.y.size).toBe(0);
  });

  it("keeps float32 as float32, close to float64", () => {
    const x64 = filled([2, 3, 5], [1.1, -0.3, 2.7]);
    const x32 = tensor(x64.toArray(), undefined, { dtype: "float32" });
    const r = normalize(x32, { axes: [0, 2] });
    expect(r.y.dtype).toBe("float32");
    expect(r.mean.dtype).toBe("float32");
    expectClose(r.y, normalize(x64, { axes: [0, 2] }).y, { rtol: 1e-5, atol: 1e-5 }); // float32 rounding
  });

  it("rejects bad axes, eps and parameters with the op name and the shapes", () => {
    expect(() => normalize([[1, 2]], { axes: 2 })).toThrow(/^normalize: axis 2 is out of range for a tensor of rank 2$/);
    expect(() => normalize([[1, 2]], { axes: [1, -1] })).toThrow(/^normalize: axis -1 is repeated/);
    expect(() => normalize([[1, 2]], { axes: 1, eps: -1 })).toThrow(/^normalize: eps must be a finite number ≥ 0, got -1$/);
    expect(() => normalize([[1, 2]], { axes: 1, gamma: [1, 2, 3] })).toThrow(
      "normalize: gamma/beta of shape [3] do not broadcast to the input shape [1,2]",
    );
    expect(() => normalize([[1, 2]], { axes: 1, gamma: [1, 2], beta: [1] })).toThrow("normalize: gamma has shape [2] but beta has shape [1]");
    expect(() => normalize([[1, 2], [3]], { axes: 1 })).toThrow(TypeError);
    expect(() => normalize([[1, 2]], { axes: 1 }).y).not.toThrow();
    expect(() => normalizeBackward([[1, 2]], [[1, 2, 3]], { axes: 1 })).toThrow(
      "normalizeBackward: gradY has shape [1,3], expected the input shape [1,2]",
    );
  });
});

describe("moments", () => {
  it("matches @hw/tensor's mean and variance (biased and unbiased) on random cases", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(0, 1), ({ shape, axes, values }, correction) => {
        const x = filled(shape, values);
        const m = moments(x, axes, { correction, keepDims: true });
        expectClose(m.mean, mean(x, axes, { keepDims: true }), { rtol: 1e-12, atol: 1e-12 });
        expectClose(m.variance, variance(x, axes, { correction, keepDims: true }), { rtol: 1e-10, atol: 1e-12 });
      }),
      { numRuns: 100, seed: 8 },
    );
  });

  it("gives NaN when the count does not exceed the correction, and rejects bad corrections", () => {
    expect(Number.isNaN(moments([3], 0, { correction: 1 }).variance.item())).toBe(true);
    expect(() => moments([1, 2], 0, { correction: -1 })).toThrow(/^moments: correction must be/);
  });
});
