import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expectClose } from "@hw/tensor/testing";
import { dropoutLoss, expectedDropoutLoss } from "./dropout-loss";
import { enumeratedExpectedLoss, fixtureCases } from "../test/reference";

const small = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
  .chain(([n, d]) =>
    fc.record({
      X: fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      y: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      w: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d, maxLength: d }),
      p: fc.double({ min: 0.01, max: 1, noNaN: true }),
    }),
  );

describe("expectedDropoutLoss (4.1)", () => {
  it.each(fixtureCases.map((c, i) => [i, c] as const))("matches fixture case %i to rtol 1e-9", (_i, c) => {
    const { X, y, w, p } = c.input;
    expectClose(expectedDropoutLoss(X, y, { w, p }), c.expected.expectedLoss, { rtol: 1e-9 });
    expectClose(expectedDropoutLoss(X, y, { w, p: { drop: 1 - p } }), c.expected.expectedLoss, { rtol: 1e-9 });
  });

  it("equals the exact expectation over all 2^(n·d) masks (property)", () => {
    fc.assert(
      fc.property(small, ({ X, y, w, p }) => {
        expectClose(expectedDropoutLoss(X, y, { w, p }), enumeratedExpectedLoss(X, y, w, p), { rtol: 1e-10, atol: 1e-12 });
      }),
      { numRuns: 300 },
    );
  });

  it("is the plain squared error at p = 1", () => {
    expect(expectedDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 1 })).toBe(0);
    expect(expectedDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 0.5 })).toBe(3.5);
  });

  it("rejects bad p, mismatched w and non-finite inputs", () => {
    expect(() => expectedDropoutLoss([[1, 2]], [3], { w: [1, 1], p: 1.2 })).toThrow(/^expectedDropoutLoss: the keep probability p must be in \(0, 1\]/);
    expect(() => expectedDropoutLoss([[1, 2]], [3], { w: [1], p: 0.5 })).toThrow("expectedDropoutLoss: w has length 1, expected 2 (one weight per column of X)");
    expect(() => expectedDropoutLoss([[1, 2]], [3], { w: [1, -Infinity], p: 0.5 })).toThrow("expectedDropoutLoss: w[1] is -Infinity");
    expect(() => expectedDropoutLoss([1, 2] as never, [3], { w: [1, 1], p: 0.5 })).toThrow("expectedDropoutLoss: X must be a matrix (rank 2), got shape [2]");
  });
});

describe("dropoutLoss", () => {
  it("is ‖y − (X ⊙ R)w‖² for one mask", () => {
    expect(dropoutLoss([[1, 2]], [3], { w: [1, 1], mask: [[1, 0]] })).toBe(4);
    expect(dropoutLoss([[1, 2]], [3], { w: [1, 1], mask: [[1, 1]] })).toBe(0);
    expect(dropoutLoss([[1, 2], [3, 4]], [0, 0], { w: [1, 1], mask: [[0, 0], [0, 1]] })).toBe(16);
  });

  it("averaged over all masks with their probabilities gives expectedDropoutLoss", () => {
    const X = [[1, -2], [0.5, 3]];
    const y = [1, 2];
    const w = [0.3, -0.7];
    const p = 0.7;
    let total = 0;
    for (let bits = 0; bits < 16; bits++) {
      const R = [[bits & 1, (bits >> 1) & 1], [(bits >> 2) & 1, (bits >> 3) & 1]];
      const k = R.flat().reduce((a, b) => a + b, 0);
      total += p ** k * (1 - p) ** (4 - k) * dropoutLoss(X, y, { w, mask: R });
    }
    expectClose(total, expectedDropoutLoss(X, y, { w, p }), { rtol: 1e-13 });
  });

  it("checks the mask's shape", () => {
    expect(() => dropoutLoss([[1, 2]], [3], { w: [1, 1], mask: [[1, 0, 1]] })).toThrow("dropoutLoss: the mask R must have the shape of X: X is [1,2], R is [1,3]");
  });
});
