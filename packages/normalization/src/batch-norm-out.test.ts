/**
 * `batchNorm(x, { out })`, `batchNormBackward(x, gradY, { saved, out: { gradX } })`: the reusable-buffer
 * and saved-statistics forms give the same values as the allocating forms (bitwise: the same
 * kernels run, only the destination differs) and PyTorch's (the shared fixture), in float64 and
 * float32, in place, and refuse what would be silently wrong.
 */
import { readFileSync } from "node:fs";
import { Tensor, createRng, grad, permute, sum, tensor } from "@hw/tensor";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { batchNorm, batchNormBackward, initRunningStats } from "./index";

type N3 = number[][][];
interface NormCase {
  input: { x: N3; gamma: number[]; beta: number[]; eps: number };
  expected: { batch: { y: N3; grad: { upstream: N3; x: N3; gamma: number[]; beta: number[] } } };
}
const cases = (JSON.parse(readFileSync(new URL("../test/fixtures/normalization.json", import.meta.url), "utf8")) as { cases: NormCase[] }).cases;
const tol = { rtol: 1e-9, atol: 1e-12 };

/** A seeded [N, C, L] tensor of the given dtype. */
function random(shape: readonly [number, number, number], seed: number, dtype: "float64" | "float32" = "float64"): Tensor {
  const rng = createRng(seed);
  const n = shape[0] * shape[1] * shape[2];
  const data = dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = 3 * rng.nextFloat64() - 1;
  return new Tensor(data, shape);
}

function sameBits(a: Tensor, b: Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const values = (t: Tensor): number[] => {
    const c = t.contiguous();
    return Array.from(c.data.subarray(c.offset, c.offset + c.size));
  };
  expect(values(a)).toEqual(values(b));
}

describe.each(cases.map((c, i) => [i, c] as const))("PyTorch fixture case %i through the buffer forms", (_i, c) => {
  const { gamma, beta, eps } = c.input;
  const x = tensor(c.input.x);
  const e = c.expected.batch;
  it("forward into out, then backward with the saved statistics into out.gradX", () => {
    const yBuffer = new Tensor(new Float64Array(x.size).fill(Number.NaN), x.shape);
    const f = batchNorm(x, { gamma, beta, eps, out: yBuffer });
    expect(f.y).toBe(yBuffer);
    expectClose(yBuffer, e.y, tol);
    const gradXBuffer = new Tensor(new Float64Array(x.size).fill(Number.NaN), x.shape);
    const g = batchNormBackward(x, e.grad.upstream, { gamma, beta, eps, saved: f, out: { gradX: gradXBuffer } });
    expect(g.gradX).toBe(gradXBuffer);
    expectClose(gradXBuffer, e.grad.x, tol);
    expectClose(g.gradGamma, e.grad.gamma, tol);
    expectClose(g.gradBeta, e.grad.beta, tol);
  });
});

describe.each([
  ["float64", [4, 3, 40]],
  ["float32", [4, 3, 40]],
  ["float64", [8, 5, 7]],
  ["float64", [2, 4, 1]],
] as const)("%s %j: the buffer forms equal the allocating forms bitwise", (dtype, shape) => {
  const x = random(shape, 11, dtype);
  const up = random(shape, 12, dtype);
  const gamma = Array.from({ length: shape[1] }, (_, c) => 0.5 + 0.25 * c);
  const beta = Array.from({ length: shape[1] }, (_, c) => -0.1 * c);
  const fresh = batchNorm(x, { gamma, beta });
  const freshGrads = batchNormBackward(x, up, { gamma, beta });

  it("forward into out (with an offset: a contiguous slice of a larger buffer)", () => {
    const bigger = dtype === "float64" ? new Float64Array(x.size + 5) : new Float32Array(x.size + 5);
    const out = new Tensor(bigger, shape, undefined, 5);
    const r = batchNorm(x, { gamma, beta, out });
    sameBits(r.y, fresh.y);
    sameBits(r.mean, fresh.mean);
    sameBits(r.variance, fresh.variance);
  });
  it("forward in place (out is x)", () => {
    const copy = new Tensor(x.data.slice(), shape);
    const r = batchNorm(copy, { gamma, beta, out: copy });
    expect(r.y).toBe(copy);
    sameBits(copy, fresh.y);
  });
  it("backward with saved statistics and into out.gradX", () => {
    const out = new Tensor(dtype === "float64" ? new Float64Array(x.size) : new Float32Array(x.size), shape);
    const g = batchNormBackward(x, up, { gamma, beta, saved: fresh, out: { gradX: out } });
    expect(g.gradX).toBe(out);
    sameBits(g.gradBeta, freshGrads.gradBeta);
    if (dtype === "float64") {
      sameBits(out, freshGrads.gradX);
      sameBits(g.gradGamma, freshGrads.gradGamma);
    } else {
      // A float32 forward returns its statistics rounded to float32, and saved ones are used as given.
      expectClose(out, freshGrads.gradX, { rtol: 1e-5, atol: 1e-5 });
      expectClose(g.gradGamma, freshGrads.gradGamma, { rtol: 1e-6, atol: 1e-6 });
    }
  });
  it("backward in place on gradY", () => {
    const upCopy = new Tensor(up.data.slice(), shape);
    const g = batchNormBackward(x, upCopy, { gamma, beta, out: { gradX: upCopy } });
    expect(g.gradX).toBe(upCopy);
    sameBits(upCopy, freshGrads.gradX);
  });
});

describe("saved statistics are used as given", () => {
  it("different saved statistics change the gradient as the formula says (not silently recomputed)", () => {
    const x = random([3, 2, 5], 21);
    const up = random([3, 2, 5], 22);
    const f = batchNorm(x);
    const shifted = { mean: f.mean.toArray() as number[], variance: (f.variance.toArray() as number[]).map((v) => 4 * v) };
    const a = batchNormBackward(x, up, { saved: shifted });
    const b = batchNormBackward(x, up);
    // gradBeta = Σ ȳ does not depend on the statistics; gradGamma = Σ ȳ·x̂ scales with 1/σ.
    sameBits(a.gradBeta, b.gradBeta);
    const ratio = (a.gradGamma.toArray() as number[]).map((v, c) => v / (b.gradGamma.toArray() as number[])[c]!);
    const eps = 1e-5;
    (f.variance.toArray() as number[]).forEach((v, c) => { expect(ratio[c]).toBeCloseTo(Math.sqrt((v + eps) / (4 * v + eps)), 12); });
  });
});

describe("refusals", () => {
  const x = random([2, 3, 4], 31);
  const up = random([2, 3, 4], 32);
  it("out of another shape, dtype, not a tensor, or not contiguous", () => {
    expect(() => batchNorm(x, { out: new Tensor(new Float64Array(24), [2, 4, 3]) })).toThrow(
      "batchNorm: options.out has shape [2,4,3], expected the input shape [2,3,4]",
    );
    expect(() => batchNorm(x, { out: new Tensor(new Float32Array(24), [2, 3, 4]) })).toThrow(
      "batchNorm: options.out has dtype float32, expected the input's float64",
    );
    expect(() => batchNorm(x, { out: [[1]] as unknown as Tensor })).toThrow("batchNorm: options.out must be a Tensor to write into, got an array");
    const strided = permute(new Tensor(new Float64Array(24), [4, 3, 2]), [2, 1, 0]);
    expect(() => batchNorm(x, { out: strided })).toThrow("batchNorm: options.out must be contiguous (row-major), got strides [1,2,6] for shape [2,3,4]");
  });
  it("an out that overlaps the input without being it", () => {
    const storage = new Float64Array(30);
    const input = new Tensor(storage, [2, 3, 4]);
    const shifted = new Tensor(storage, [2, 3, 4], undefined, 3);
    expect(() => batchNorm(input, { out: shifted })).toThrow("batchNorm: options.out overlaps x without being the same elements");
    expect(() => batchNormBackward(input, up, { out: { gradX: shifted } })).toThrow("batchNormBackward: options.out.gradX overlaps x");
    const disjoint = new Tensor(storage.subarray(24), [2, 3, 1]);
    expect(() => batchNorm(new Tensor(storage.subarray(0, 6), [2, 3, 1]), { out: disjoint })).not.toThrow();
  });
  it("the forward's out (a Tensor) passed to the backward is a TypeError naming the right form", () => {
    const y = new Tensor(new Float64Array(24), [2, 3, 4]);
    expect(() => batchNormBackward(x, up, { out: y } as never)).toThrow(
      "batchNormBackward: options.out must be { gradX: Tensor }, got a Tensor (the forward's out option? here it is { gradX })",
    );
    expect(() => batchNormBackward(x, up, { out: { gradx: y } } as never)).toThrow(/batchNormBackward: options.out: unknown option `gradx`/);
  });
  it("saved statistics of the wrong length, negative variance, missing, or in inference mode", () => {
    expect(() => batchNormBackward(x, up, { saved: { mean: [0, 0], variance: [1, 1] } })).toThrow(/batchNormBackward: saved\.mean/);
    expect(() => batchNormBackward(x, up, { saved: { mean: [0, 0, 0], variance: [1, -1, 1] } })).toThrow(
      "batchNormBackward: saved.variance[1] must be finite and ≥ 0, got -1",
    );
    expect(() => batchNormBackward(x, up, { saved: { mean: [0, 0, 0] } } as never)).toThrow("batchNormBackward: options.saved must have both mean and variance");
    const runningStats = initRunningStats(3);
    expect(() => batchNormBackward(x, up, { training: false, runningStats, saved: batchNorm(x) })).toThrow(
      "batchNormBackward: options.saved holds batch statistics, but training is false",
    );
  });
  it("out inside grad", () => {
    const out = new Tensor(new Float64Array(24), [2, 3, 4]);
    expect(() => grad((t: Tensor) => sum(batchNorm(t, { out }).y))(x)).toThrow(/batchNorm.*options\.out writes into an existing tensor/);
  });
  it("nothing is written when the checks fail", () => {
    const out = new Tensor(new Float64Array(24).fill(7), [2, 3, 4]);
    expect(() => batchNormBackward(x, random([2, 3, 5], 1), { out: { gradX: out } })).toThrow("gradY has shape [2,3,5]");
    expect(Array.from(out.data).every((v) => v === 7)).toBe(true);
  });
});
