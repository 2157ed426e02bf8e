// pooledRowMoments: per-slot mean and M2 in one pass, for contiguous rows (gathered into runs for
// rowShiftedMomentsRows), rows with gaps between them (runs broken), strided rows, and the layouts
// it refuses (returning false without writing), on every kernel backend.
import { describe, expect, it } from "vitest";
import { POOLED_MIN_ROW, pooledRowMoments, wasmSimdAvailable, withKernelBackend, type KernelBackend } from "./index";
import { lcgValues } from "../../test/helpers/seeded";

/** Mean and M2 per slot of [A, B, L] viewed through (strides, offset), pooled over axes 0 and 2. */
function direct(data: Float64Array, shape: readonly number[], strides: readonly number[], offset: number): { mean: number[]; m2: number[] } {
  const [A, B, L] = shape as [number, number, number];
  const mean: number[] = [];
  const m2: number[] = [];
  for (let b = 0; b < B; b++) {
    const v: number[] = [];
    for (let a = 0; a < A; a++) for (let l = 0; l < L; l++) v.push(data[offset + a * strides[0]! + b * strides[1]! + l * strides[2]!]!);
    const m = v.reduce((s, t) => s + t, 0) / v.length;
    mean.push(m);
    m2.push(v.reduce((s, t) => s + (t - m) ** 2, 0));
  }
  return { mean, m2 };
}

const BACKENDS: KernelBackend[] = [...(wasmSimdAvailable() ? (["wasm-simd"] as const) : []), "js"];

describe.each(BACKENDS)("pooledRowMoments on %s", (backend) => {
  const [A, B, L] = [5, 7, 40];
  const data = lcgValues(3 * A * B * L + 50, 17).map((v) => 1e3 + v);
  const cases: [string, number[], number][] = [
    ["contiguous rows (one run)", [B * L, L, 1], 3],
    ["rows with gaps (each a run of one)", [B * (L + 3), L + 3, 1], 2],
    ["strided rows (innermost stride 2)", [2 * B * L, 2 * L, 2], 1],
  ];
  it.each(cases)("%s: equals the definition", (_name, strides, offset) => {
    const mean = new Float64Array(B);
    const m2 = new Float64Array(B);
    const fits = withKernelBackend(backend, () => pooledRowMoments([A, B, L], strides, [0, 1, 0], offset, data, mean, m2));
    expect(fits).toBe(true);
    const want = direct(data, [A, B, L], strides, offset);
    for (let b = 0; b < B; b++) {
      expect(Math.abs(mean[b]! - want.mean[b]!)).toBeLessThan(1e-12 * 1e3);
      expect(Math.abs(m2[b]! - want.m2[b]!) / want.m2[b]!).toBeLessThan(1e-12);
    }
  });

  it(`refuses rows shorter than ${POOLED_MIN_ROW} and rows whose slot varies along them, writing nothing`, () => {
    const mean = new Float64Array(B).fill(-1);
    const m2 = new Float64Array(B).fill(-1);
    withKernelBackend(backend, () => {
      expect(pooledRowMoments([A, B, POOLED_MIN_ROW - 1], [B * 15, 15, 1], [0, 1, 0], 0, data, mean, m2)).toBe(false);
      // Slots along the innermost axis (a reduction over axis 0 only).
      expect(pooledRowMoments([A, L], [L, 1], [0, 1], 0, data, mean, m2)).toBe(false);
    });
    expect(Array.from(mean)).toEqual(new Array(B).fill(-1));
    expect(Array.from(m2)).toEqual(new Array(B).fill(-1));
  });
});
