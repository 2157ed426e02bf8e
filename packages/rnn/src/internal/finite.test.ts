import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstNonFinite } from "./finite";

/** The definition: the first index whose value is NaN or ±Infinity. */
const naive = (a: ArrayLike<number>): number => Array.from(a).findIndex((v) => !Number.isFinite(v));

describe("firstNonFinite (four values per test on float64 arrays)", () => {
  it("equals the element-wise definition on float64 arrays and plain arrays, any length and position", () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, -0) },
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 41 }), (values) => {
        expect(firstNonFinite(Float64Array.from(values))).toBe(naive(values));
        expect(firstNonFinite(values)).toBe(naive(values));
      }),
      { numRuns: 500, seed: 15 },
    );
  });
  it("finds a single NaN or infinity at every position of a long array, and −1 when there is none", () => {
    const a = new Float64Array(1031).fill(1e308);
    expect(firstNonFinite(a)).toBe(-1);
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      for (const at of [0, 1, 2, 3, 4, 511, 1027, 1028, 1030]) {
        a[at] = bad;
        expect(firstNonFinite(a)).toBe(at);
        a[at] = -1e308;
      }
    }
  });
});
