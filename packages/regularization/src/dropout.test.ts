import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng, grad, sum, tensor, transpose, type Tensor } from "@hw/tensor";
import { dropout } from "./dropout";
import { dropoutMask } from "./dropout-mask";

describe("dropoutMask", () => {
  it("is 0/1 with keep frequency p (p is the KEEP probability)", () => {
    const m = dropoutMask([200, 50], 0.8, createRng(1));
    expect(m.shape).toEqual([200, 50]);
    const vals = Array.from(m.data);
    expect(vals.every((v) => v === 0 || v === 1)).toBe(true);
    const k = vals.reduce((a, b) => a + b, 0);
    const N = 10000;
    expect(Math.abs(k - 0.8 * N)).toBeLessThanOrEqual(5 * Math.sqrt(N * 0.8 * 0.2));
  });

  it("{ drop: q } is the same mask as p = 1 − q", () => {
    expect(Array.from(dropoutMask([3, 4], { drop: 0.25 }, createRng(2)).data)).toEqual(Array.from(dropoutMask([3, 4], 0.75, createRng(2)).data));
  });

  it("handles p = 0, p = 1, empty and size-1 shapes", () => {
    expect(Array.from(dropoutMask([5], 0, createRng(0)).data)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(dropoutMask([5], 1, createRng(0)).data)).toEqual([1, 1, 1, 1, 1]);
    expect(dropoutMask([0, 3], 0.5, createRng(0)).size).toBe(0);
    expect(dropoutMask([1], 0.5, createRng(0)).shape).toEqual([1]);
  });

  it("rejects a probability outside [0, 1]", () => {
    expect(() => dropoutMask([2], 1.5, createRng(0))).toThrow("dropoutMask: the keep probability p must be in [0, 1]");
    expect(() => dropoutMask([2], { drop: -1 }, createRng(0))).toThrow(RangeError);
  });
});

describe("dropout", () => {
  it("is x ⊙ R (default) or x ⊙ R / p (inverted) with the mask of the same generator", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.integer({ min: 0, max: 99 }), (xs, p, seed) => {
        const mask = dropoutMask([xs.length], p, createRng(seed)).data;
        const plain = dropout(xs, p, { seed }).toArray() as number[];
        const inv = dropout(tensor(xs), p, { rng: createRng(seed), inverted: true }).toArray() as number[];
        xs.forEach((x, i) => {
          expect(plain[i]).toBe(x * mask[i]!);
          expect(inv[i]).toBe(x * (mask[i]! / p));
        });
      }),
      { numRuns: 100 },
    );
  });

  it("inverted dropout preserves the mean, E[dropout(x)] = x", () => {
    const x = tensor(new Array<number>(20000).fill(3));
    const out = dropout(x, { drop: 0.3 }, { seed: 4, inverted: true });
    const mean = Array.from(out.data).reduce((a, b) => a + b, 0) / 20000;
    expect(Math.abs(mean - 3)).toBeLessThan(5 * 3 * Math.sqrt(0.3 / 0.7 / 20000));
  });

  it("works on non-contiguous views, keeps NaN/±Infinity where kept and drops everything at p = 0", () => {
    const view = transpose(tensor([[1, 2, 3], [4, 5, 6]]));
    expect(dropout(view, 1, { seed: 0 }).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(dropout([Number.NaN, Infinity, -Infinity], 1, { seed: 0 }).toArray()).toEqual([Number.NaN, Infinity, -Infinity]);
    expect(dropout([1, 2, 3], 0, { seed: 0, inverted: true }).toArray()).toEqual([0, 0, 0]);
  });

  it("is differentiable: the gradient of sum(dropout(x)) is the mask", () => {
    const g = grad((x: Tensor) => sum(dropout(x, 0.5, { seed: 8 })))(tensor([1, 2, 3, 4, 5, 6]));
    expect(Array.from(g.data)).toEqual(Array.from(dropoutMask([6], 0.5, createRng(8)).data));
  });

  it("demands explicit randomness", () => {
    expect(() => dropout([1, 2], 0.5)).toThrow("dropout: pass { rng } or { seed }: hw has no hidden global random state");
  });
});
