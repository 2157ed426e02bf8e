import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradcheck } from "./gradcheck";
import { dot, matmul, outer } from "./matmul";
import { Tensor } from "./tensor";
import { tensor } from "./creation";
import { broadcastTo, swapAxes, transpose } from "./views";

/** Deterministic test data: a small LCG (tests only), values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(s / 2 ** 31 - 1);
  }
  return out;
}

function rand(shape: number[], seed: number): Tensor {
  return tensor(values(shape.reduce((p, d) => p * d, 1), seed), shape);
}

/** Flat row-major values of any tensor (reads through strides). */
function flat(t: Tensor): number[] {
  const a = t.toArray();
  return Array.isArray(a) ? (a.flat(Infinity) as number[]) : [a as number];
}

/** Slow obvious reference: triple loop on nested arrays, 2-D only. */
function refMatmul2d(a: number[][], b: number[][], n = b[0]?.length ?? 0): number[][] {
  const m = a.length;
  const k = b.length;
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i]![p]! * b[p]![j]!;
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

function expectAllClose(actual: number[], expected: number[], rtol = 1e-12, atol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(a, `index ${i}`).toBeNaN();
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`index ${i}: ${a} vs ${e}`);
    }
  }
}

describe("matmul", () => {
  it("multiplies 2-D matrices (worked example)", () => {
    const c = matmul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([[7, 8], [9, 10], [11, 12]]));
    expect(c.shape).toEqual([2, 2]);
    expect(c.toArray()).toEqual([[58, 64], [139, 154]]);
    expect(c.dtype).toBe("float64");
  });

  it("matches the triple loop for random 2-D shapes, including k = 0 and 1×1 (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: 1000 }),
        (m, k, n, seed) => {
          const a = rand([m, k], seed);
          const b = rand([k, n], seed + 1);
          const c = matmul(a, b);
          expect(c.shape).toEqual([m, n]);
          const ref = refMatmul2d(a.toArray() as number[][], b.toArray() as number[][], n);
          expectAllClose(flat(c), ref.flat());
        },
      ),
      { numRuns: 150 },
    );
  });

  it("matches the triple loop on the packed (blocked) path, with edge tiles and k > KC", () => {
    // 70×300 @ 300×37: several MC blocks, two KC blocks, partial 4×4 tiles on both edges.
    for (const [m, k, n] of [[70, 300, 37], [33, 65, 129], [128, 128, 128]] as const) {
      const a = rand([m, k], m);
      const b = rand([k, n], n);
      const ref = refMatmul2d(a.toArray() as number[][], b.toArray() as number[][]);
      // The blocked kernel sums in a different order than the reference: allow k·eps·Σ|a||b|.
      expectAllClose(flat(matmul(a, b)), ref.flat(), 1e-12, 1e-12 * k);
    }
  });

  it("accepts non-contiguous operands (transposed and sliced views) on both paths", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        (m, k, n) => {
          const at = rand([k, m], m + k);
          const bt = rand([n, k], n + 7);
          const a = transpose(at); // [m, k], strides [1, m]
          const b = transpose(bt); // [k, n]
          const ref = refMatmul2d(a.toArray() as number[][], b.toArray() as number[][]);
          expectAllClose(flat(matmul(a, b)), ref.flat(), 1e-12, 1e-12 * k);
          // A strided view with gaps: every other column of a wider matrix.
          const wide = rand([m, 2 * k], 3);
          const gapped = new Tensor(wide.data, [m, k], [2 * k, 2], 1);
          const ref2 = refMatmul2d(gapped.toArray() as number[][], b.toArray() as number[][]);
          expectAllClose(flat(matmul(gapped, b)), ref2.flat(), 1e-12, 1e-12 * k);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("promotes vectors like NumPy: matrix @ vector, vector @ matrix, vector @ vector", () => {
    const A = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(matmul(A, tensor([1, -1])).toArray()).toEqual([-1, -1, -1]);
    expect(matmul(tensor([1, 0, -1]), A).toArray()).toEqual([-4, -4]);
    const s = matmul(tensor([1, 2, 3]), tensor([4, 5, 6]));
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(32);
    expect(matmul(tensor([] as number[]), tensor([] as number[])).item()).toBe(0);
    // batched matrix @ vector: [2,3,2] @ [2] → [2,3]
    const batch = rand([2, 3, 2], 5);
    const v = tensor([0.5, -2]);
    const out = matmul(batch, v);
    expect(out.shape).toEqual([2, 3]);
    const nested = batch.toArray() as number[][][];
    expectAllClose(flat(out), nested.flatMap((m) => m.map((r) => r[0]! * 0.5 - 2 * r[1]!)));
  });

  it("broadcasts batch dimensions like np.matmul (fast-check)", () => {
    const dim = fc.integer({ min: 1, max: 3 });
    fc.assert(
      fc.property(
        fc.tuple(dim, dim, fc.boolean(), fc.boolean(), fc.boolean()),
        fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })),
        ([b0, b1, oneA, oneB, dropA], [m, k, n]) => {
          const batchA = dropA ? [b1] : [oneA ? 1 : b0, b1];
          const batchB = [oneB ? 1 : b0, oneB ? b1 : 1];
          const a = rand([...batchA, m, k], m * 31 + k);
          const b = rand([...batchB, k, n], n * 17 + k);
          const c = matmul(a, b);
          const batch = [Math.max(dropA ? 1 : batchA[0]!, batchB[0]!), b1];
          expect(c.shape).toEqual([...batch, m, n]);
          const an = a.toArray() as number[][][] | number[][][][];
          const bn = b.toArray() as number[][][][];
          const expected: number[] = [];
          for (let i = 0; i < batch[0]!; i++) {
            for (let j = 0; j < batch[1]!; j++) {
              const am = dropA
                ? (an as number[][][])[j]!
                : (an as number[][][][])[batchA[0] === 1 ? 0 : i]![j]!;
              const bm = bn[batchB[0] === 1 ? 0 : i]![batchB[1] === 1 ? 0 : j]!;
              expected.push(...refMatmul2d(am, bm, n).flat());
            }
          }
          expectAllClose(flat(c), expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("accepts broadcast (stride-0) operands and swapped batch axes", () => {
    const base = rand([3, 4], 9);
    const a = broadcastTo(base, [2, 3, 4]);
    const b = swapAxes(rand([2, 5, 4], 10), -1, -2); // [2, 4, 5]
    const c = matmul(a, b);
    const bn = b.toArray() as number[][][];
    const expected = [0, 1].flatMap((i) => refMatmul2d(base.toArray() as number[][], bn[i]!).flat());
    expectAllClose(flat(c), expected);
  });

  it("gives zeros for an inner dimension of 0 and empty results for empty outer dimensions", () => {
    const c = matmul(tensor([], [3, 0]), tensor([], [0, 2]));
    expect(c.toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
    expect(matmul(tensor([], [0, 4]), rand([4, 2], 1)).shape).toEqual([0, 2]);
    expect(matmul(tensor([], [2, 0, 3]), rand([3, 5], 1)).shape).toEqual([2, 0, 5]);
  });

  it("propagates NaN and ±Infinity (0 · Inf = NaN, never skipped)", () => {
    const c = matmul(tensor([[0, 1], [1, 0]]), tensor([[Infinity, 1], [NaN, 2]]));
    const v = flat(c);
    expect(v[0]).toBeNaN(); // 0·Inf + 1·NaN
    expect(v[1]).toBe(2);
    expect(v[2]).toBeNaN(); // 1·Inf + 0·NaN
    expect(v[3]).toBe(1);
    expect(flat(matmul(tensor([[1, 2]]), tensor([[Infinity], [1]])))).toEqual([Infinity]);
    // The same on the packed path.
    const big = rand([40, 40], 2);
    const data = Float64Array.from(big.data);
    data[5] = NaN;
    const out = flat(matmul(new Tensor(data, [40, 40]), rand([40, 40], 3)));
    expect(out.slice(0, 40).every((x) => Number.isNaN(x))).toBe(true);
    expect(out.slice(40).every((x) => Number.isFinite(x))).toBe(true);
  });

  it("returns float32 only when both operands are float32", () => {
    const a32 = tensor([[1, 2], [3, 4]], undefined, { dtype: "float32" });
    const b64 = tensor([[1, 0], [0, 1]]);
    expect(matmul(a32, a32).dtype).toBe("float32");
    expect(matmul(a32, a32).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(matmul(a32, b64).dtype).toBe("float64");
  });

  it("reports bad input with the op name and the shapes", () => {
    expect(() => matmul(rand([2, 3], 1), rand([4, 5], 1))).toThrow(
      new RangeError("matmul: inner dimensions differ: [2,3] @ [4,5]"),
    );
    expect(() => matmul(rand([3], 1), rand([4], 1))).toThrow("matmul: inner dimensions differ: [3] @ [4]");
    expect(() => matmul(tensor(1), rand([2], 1))).toThrow(/^matmul: operands must have at least 1 axis, got \[\] @ \[2\]/);
    expect(() => matmul(rand([2, 2, 3], 1), rand([3, 3, 4], 1))).toThrow(
      "matmul: batch dimensions do not broadcast: [2,2,3] @ [3,3,4]",
    );
    expect(() => matmul([[1]] as unknown as Tensor, rand([1], 1))).toThrow(TypeError);
  });

  it("has gradients that pass gradcheck, including broadcast batch dims summed back", () => {
    gradcheck((a, b) => matmul(a, b), [rand([3, 4], 1), rand([4, 2], 2)]);
    gradcheck((a, b) => matmul(a, b), [rand([2, 1, 3, 4], 3), rand([5, 4, 2], 4)]);
    gradcheck((a, b) => matmul(a, b), [rand([4], 5), rand([2, 4, 3], 6)]);
    gradcheck((a, b) => matmul(a, b), [rand([2, 3, 4], 7), rand([4], 8)]);
    gradcheck((a, b) => matmul(a, b), [rand([4], 9), rand([4], 10)]);
    gradcheck((a, b) => matmul(a, b), [transpose(rand([4, 3], 11)), rand([4, 2], 12)]);
  });
});

describe("dot and outer", () => {
  it("dot is the inner product and checks its inputs", () => {
    expect(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(dot(tensor([] as number[]), tensor([] as number[])).item()).toBe(0);
    expect(() => dot(rand([2, 2], 1), rand([2], 1))).toThrow("dot: expected 1-D tensors, got [2,2] and [2]");
    expect(() => dot(rand([2], 1), rand([3], 1))).toThrow("dot: lengths differ: [2] and [3]");
    gradcheck((a, b) => dot(a, b), [rand([5], 1), rand([5], 2)]);
  });

  it("outer is a_i b_j and checks its inputs", () => {
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(outer(tensor([] as number[]), tensor([1, 2])).shape).toEqual([0, 2]);
    expect(() => outer(rand([2, 1], 1), rand([2], 1))).toThrow("outer: expected 1-D tensors, got [2,1] and [2]");
    gradcheck((a, b) => outer(a, b), [rand([3], 1), rand([4], 2)]);
  });
});
