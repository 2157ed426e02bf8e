import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { gradcheck } from "../gradcheck";
import { Tensor } from "../tensor";
import { transpose } from "../views";
import { det, slogdet } from "./det";
import { inv } from "./inv";

function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
const rand = (shape: number[], seed: number): Tensor => tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);

/** Slow obvious reference: the Leibniz permutation expansion. */
function leibniz(a: number[][]): number {
  const n = a.length;
  let total = 0;
  const perm = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) {
      let inversions = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (prefix[i]! > prefix[j]!) inversions++;
      let p = inversions % 2 === 0 ? 1 : -1;
      for (let i = 0; i < n; i++) p *= a[i]![prefix[i]!]!;
      total += p;
      return;
    }
    rest.forEach((r, idx) => {
      perm([...prefix, r], rest.filter((_, j) => j !== idx));
    });
  };
  perm([], Array.from({ length: n }, (_, i) => i));
  return total;
}

describe("det and slogdet", () => {
  it("worked examples: 2×2, 3×3 by the permutation expansion, 0×0 and 1×1", () => {
    expect(det(tensor([[1, 2], [3, 4]])).item()).toBeCloseTo(-2, 14);
    const a = [[2, -1, 0], [1, 3, 2], [0, 5, -4]];
    expect(leibniz(a)).toBe(-48); // 2·(−12 − 10) + (−4 − 0)
    expect(det(tensor(a)).item()).toBeCloseTo(-48, 12);
    expect(det(tensor([], [0, 0])).item()).toBe(1);
    expect(det(tensor([[-7]])).item()).toBe(-7);
  });

  it("matches the Leibniz formula for random matrices up to 5×5, views included (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(1000), fc.boolean(), (n, seed, t) => {
        const base = rand([n, n], seed);
        const a = t ? transpose(base) : base;
        const ref = leibniz(a.toArray() as number[][]);
        expect(Math.abs(det(a).item() - ref)).toBeLessThanOrEqual(1e-13 * 10 ** n);
        const { sign, logAbsDet } = slogdet(a);
        expect(sign.item()).toBe(Math.sign(ref));
        expect(Math.abs(logAbsDet.item() - Math.log(Math.abs(ref)))).toBeLessThan(1e-10);
      }),
      { numRuns: 80 },
    );
  });

  it("singular → 0 (sign 0, logAbsDet −Infinity); NaN input → NaN; batches", () => {
    expect(det(tensor([[1, 2], [2, 4]])).item()).toBe(0);
    const s = slogdet(tensor([[1, 2], [2, 4]]));
    expect(s.sign.item()).toBe(0);
    expect(s.logAbsDet.item()).toBe(-Infinity);
    expect(det(tensor([[NaN, 0], [0, 1]])).item()).toBeNaN();
    expect(slogdet(tensor([[Infinity, 0], [0, 1]])).logAbsDet.item()).toBeNaN();
    const d = det(tensor([[[2, 0], [0, 3]], [[0, 1], [1, 0]]]));
    expect(d.toArray()).toEqual([6, -1]);
  });

  it("slogdet does not overflow where det does", () => {
    const n = 200;
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1e3 : 0)));
    expect(det(tensor(m)).item()).toBe(Infinity);
    const { sign, logAbsDet } = slogdet(tensor(m));
    expect(sign.item()).toBe(1);
    expect(logAbsDet.item()).toBeCloseTo(n * Math.log(1e3), 9);
  });

  it("reports bad shapes", () => {
    expect(() => det(rand([2, 3], 1))).toThrow(new RangeError("det: a must be square, got [2,3]"));
    expect(() => slogdet(rand([3], 1))).toThrow("slogdet: a must have at least 2 axes [..., n, n], got [3]");
  });

  it("has Jacobi-formula gradients (gradcheck)", () => {
    gradcheck((a) => det(a), [rand([3, 3], 2)]);
    gradcheck((a) => det(a), [rand([2, 2, 2], 3)]);
    gradcheck((a) => slogdet(a).logAbsDet, [rand([4, 4], 4)]);
  });
});

describe("inv", () => {
  it("worked example and A · inv(A) = I for random sizes, including blocked n > 32", () => {
    const x = inv(tensor([[4, 7], [2, 6]])).toArray() as number[][];
    [[0.6, -0.7], [-0.2, 0.4]].forEach((r, i) => { r.forEach((v, j) => { expect(x[i]![j]).toBeCloseTo(v, 14); }); });
    for (const n of [1, 5, 40]) {
      const a = rand([n, n], n);
      const y = inv(a).toArray() as number[][];
      const am = a.toArray() as number[][];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < n; p++) s += am[i]![p]! * y[p]![j]!;
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        }
      }
    }
    expect(inv(tensor([], [0, 0])).shape).toEqual([0, 0]);
    expect(inv(tensor([[[2]], [[4]]])).toArray()).toEqual([[[0.5]], [[0.25]]]);
  });

  it("throws for singular and non-finite matrices", () => {
    expect(() => inv(tensor([[1, 2], [2, 4]]))).toThrow(new RangeError("inv: matrix is singular (zero pivot at column 1)"));
    expect(() => inv(tensor([[1, NaN], [2, 4]]))).toThrow("inv: matrix has a non-finite entry NaN at [0,1]");
  });

  it("has gradient −Yᵀ G Yᵀ (gradcheck)", () => {
    gradcheck((a) => inv(a), [tensor([[2, 0.5, 0], [0.1, 3, 1], [0, 1, 4]])]);
    gradcheck((a) => inv(a), [rand([2, 3, 3], 5)]);
  });
});
