// The recurrence kernels (sigmoidRecurrence, sigmoidRecurrenceBackward, maxPlusStep, maxPlusRecurrence) on both backends and
// the same cases: against slow references written from the definitions, and the two backends
// against each other — the max-plus results (values and argmax, ties and NaN included) and the backward chain exactly,
// the sigmoid recurrence to 1e-12 relative (same summation order in the product above gemm's small
// size; the WASM exp is AssemblyScript's, which may differ from V8's Math.exp in the last bit).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsKernels, wasmSimdAvailable, type IndexArray, type KernelBackend } from "../kernels";
import { wasmKernelsAll } from "./wasm/index";

function values(n: number, seed: number, scale = 1): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = scale * (s / 2 ** 31 - 1);
  }
  return out;
}

/** Small integers (many ties), some −∞ and, when `nan`, some NaN. */
function tied(n: number, seed: number, nan: boolean): Float64Array {
  const u = values(n, seed);
  return u.map((v, i) => (nan && i % 11 === 3 ? NaN : v > 0.8 ? -Infinity : Math.round(v * 3)));
}

const BACKENDS: KernelBackend[] = wasmSimdAvailable() ? ["wasm-simd", "js"] : ["js"];

function every(b: KernelBackend): typeof jsKernels {
  const all = b === "wasm-simd" ? wasmKernelsAll() : null;
  return all === null ? jsKernels : { ...jsKernels, ...all };
}

/** h_s = σ(p_s + h_{s−1}Uᵀ) written from the definition (1/(1 + e^{−v})). */
function sigmoidChainReference(steps: number, B: number, H: number, U: Float64Array, h0: Float64Array, pre: Float64Array): Float64Array {
  const out = new Float64Array(steps * B * H);
  for (let s = 0; s < steps; s++) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        let acc = 0;
        for (let k = 0; k < H; k++) acc += (s === 0 ? h0[b * H + k]! : out[((s - 1) * B + b) * H + k]!) * U[j * H + k]!;
        out[(s * B + b) * H + j] = 1 / (1 + Math.exp(-(pre[(s * B + b) * H + j]! + acc)));
      }
    }
  }
  return out;
}

/** max/argmax over i of δ_i + A(i, j) in increasing i with strict >, from −∞ and 0. */
function maxPlusReference(n: number, delta: ArrayLike<number>, A: (i: number, j: number) => number): { out: number[]; arg: number[] } {
  const out: number[] = [];
  const arg: number[] = [];
  for (let j = 0; j < n; j++) {
    let best = -Infinity;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const v = delta[i]! + A(i, j);
      if (v > best) {
        best = v;
        at = i;
      }
    }
    out.push(best);
    arg.push(at);
  }
  return { out, arg };
}

/** The first index where two arrays differ (NaN equals NaN), or −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= rtol * Math.abs(expected[i]!))) expect.fail(`entry ${i}: ${actual[i]} vs ${expected[i]} (rel. err ${err / Math.abs(expected[i]!)} > ${rtol})`);
  }
}

describe("recurrence kernels", () => {
  for (const backend of BACKENDS) {
    describe(backend, () => {
      it("sigmoidRecurrence equals the definition to 1e-12 (random shapes, forward and backward in time, offsets)", () => {
        const k = every(backend);
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 6 }),
            fc.integer({ min: 1, max: 9 }),
            fc.integer({ min: 1, max: 40 }),
            fc.boolean(),
            fc.integer({ min: 0, max: 5 }),
            (steps, B, H, reverse, seed) => {
              const n = B * H;
              const U = values(H * H + 3, seed + 1, 0.5);
              const h0 = values(n + 2, seed + 2);
              const pre = values(steps * n, seed + 3, 2);
              const expected = sigmoidChainReference(steps, B, H, U.subarray(3), h0.subarray(2), pre);
              // Stored with 5 leading values; a backward chain stores step s at block steps − 1 − s.
              const h = new Float64Array(5 + steps * n).fill(7);
              for (let s = 0; s < steps; s++) h.set(pre.subarray(s * n, (s + 1) * n), 5 + (reverse ? steps - 1 - s : s) * n);
              k.sigmoidRecurrence(steps, B, H, U, 3, h0, 2, h, 5 + (reverse ? (steps - 1) * n : 0), reverse ? -n : n);
              expect(Array.from(h.subarray(0, 5))).toEqual([7, 7, 7, 7, 7]);
              const got = new Float64Array(steps * n);
              for (let s = 0; s < steps; s++) got.set(h.subarray(5 + (reverse ? steps - 1 - s : s) * n, 5 + (reverse ? steps - s : s + 1) * n), s * n);
              expectRelClose(got, expected, 1e-12);
            },
          ),
          { numRuns: 60, seed: 15 },
        );
      });

      it("sigmoidRecurrenceBackward equals the BPTT recursion to 1e-12 (random shapes, both directions, offsets)", () => {
        const k = every(backend);
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 6 }),
            fc.integer({ min: 1, max: 9 }),
            fc.integer({ min: 1, max: 40 }),
            fc.boolean(),
            fc.integer({ min: 0, max: 5 }),
            (steps, B, H, reverse, seed) => {
              const n = B * H;
              const U = values(H * H + 1, seed + 1, 0.5);
              const hs = values(steps * n, seed + 2).map((v) => 0.5 + 0.45 * v);
              const local = values(steps * n, seed + 3, 2);
              // Reference in gradient order s = 0, 1, …: dh_s = local_s + δ_{s−1}·U, δ_s = dh_s ⊙ h_s(1 − h_s).
              const refDh = new Float64Array(steps * n);
              const refDelta = new Float64Array(steps * n);
              for (let s = 0; s < steps; s++) {
                for (let b = 0; b < B; b++) {
                  for (let j = 0; j < H; j++) {
                    let acc = 0;
                    if (s > 0) for (let q = 0; q < H; q++) acc += refDelta[((s - 1) * B + b) * H + q]! * U[1 + q * H + j]!;
                    const i = (s * B + b) * H + j;
                    refDh[i] = local[i]! + acc;
                    refDelta[i] = refDh[i] * (hs[i]! * (1 - hs[i]!));
                  }
                }
              }
              // Stored with different leading offsets; s = 0 is the last block when `reverse`.
              const at = (s: number): number => (reverse ? steps - 1 - s : s) * n;
              const h = new Float64Array(2 + steps * n);
              const dh = new Float64Array(3 + steps * n);
              const delta = new Float64Array(4 + steps * n).fill(9);
              for (let s = 0; s < steps; s++) {
                h.set(hs.subarray(s * n, (s + 1) * n), 2 + at(s));
                dh.set(local.subarray(s * n, (s + 1) * n), 3 + at(s));
              }
              k.sigmoidRecurrenceBackward(steps, B, H, U, 1, h, 2 + at(0), dh, 3 + at(0), delta, 4 + at(0), reverse ? -n : n);
              expect(Array.from(delta.subarray(0, 4))).toEqual([9, 9, 9, 9]);
              const gotDh = new Float64Array(steps * n);
              const gotDelta = new Float64Array(steps * n);
              for (let s = 0; s < steps; s++) {
                gotDh.set(dh.subarray(3 + at(s), 3 + at(s) + n), s * n);
                gotDelta.set(delta.subarray(4 + at(s), 4 + at(s) + n), s * n);
              }
              expectRelClose(gotDh, refDh, 1e-12);
              expectRelClose(gotDelta, refDelta, 1e-12);
            },
          ),
          { numRuns: 60, seed: 18 },
        );
      });

      it("sigmoidRecurrence saturates on ±Infinity and propagates NaN", () => {
        const k = every(backend);
        const B = 2;
        const H = 64;
        const U = values(H * H, 4, 0.1);
        const h0 = new Float64Array(B * H);
        const h = values(2 * B * H, 5);
        h[0] = Infinity;
        h[1] = -Infinity;
        h[2] = NaN;
        k.sigmoidRecurrence(2, B, H, U, 0, h0, 0, h, 0, B * H);
        expect([h[0], h[1], h[2]]).toEqual([1, 0, NaN]);
        // h[2] is NaN, so every unit of sequence 0 at step 1 is NaN; sequence 1 is not.
        expect(h.subarray(B * H, B * H + H).every((v) => Number.isNaN(v))).toBe(true);
        expect(h.subarray(B * H + H).every((v) => v > 0 && v < 1)).toBe(true);
      });

      it("maxPlusStep equals max/argmax with ties to the smallest i, −∞ and NaN, for every layout of A", () => {
        const k = every(backend);
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.constantFrom("rows", "columns", "strided"), (n, seed, nan, layout) => {
            const A = tied(n * n, seed, nan);
            const delta = tied(n + 1, seed + 7, nan);
            // The same matrix A(i, j) = A[i·n + j] stored three ways.
            let store: Float64Array;
            let strideI: number;
            let strideJ: number;
            let off = 2;
            if (layout === "rows") {
              store = new Float64Array(off + n * n);
              store.set(A, off);
              [strideI, strideJ] = [n, 1];
            } else if (layout === "columns") {
              store = new Float64Array(off + n * n);
              for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) store[off + j * n + i] = A[i * n + j]!;
              [strideI, strideJ] = [1, n];
            } else {
              off = 1;
              store = new Float64Array(off + 2 * n * (n + 1));
              for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) store[off + i * 2 * (n + 1) + 2 * j] = A[i * n + j]!;
              [strideI, strideJ] = [2 * (n + 1), 2];
            }
            const ref = maxPlusReference(n, delta.subarray(1), (i, j) => A[i * n + j]!);
            const out = new Float64Array(n + 3);
            const arg = new Uint16Array(n + 1);
            k.maxPlusStep(n, delta, 1, store, off, strideI, strideJ, out, 3, arg, 1);
            expect(Array.from(out.subarray(3))).toEqual(ref.out);
            expect(Array.from(arg.subarray(1))).toEqual(ref.arg);
            expect([out[0], out[1], out[2], arg[0]]).toEqual([0, 0, 0, 0]);
          }),
          { numRuns: 80, seed: 16 },
        );
      });

      it("maxPlusRecurrence equals the loop of steps (emissions, trellis, any index array)", () => {
        const k = every(backend);
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.boolean(), (n, steps, seed, withE, nan) => {
            const A = tied(n * n, seed, nan);
            const AT = new Float64Array(n * n);
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) AT[j * n + i] = A[i * n + j]!;
            const e = withE ? tied(steps * n + 4, seed + 3, false).map((v) => (v === -Infinity ? -1 : v)) : null;
            const d0 = tied(n, seed + 9, false);
            // Reference: the definition step by step.
            let d = Array.from(d0);
            const refTrellis: number[] = [];
            const refArg: number[] = [];
            for (let s = 0; s < steps; s++) {
              const r = maxPlusReference(n, d, (i, j) => A[i * n + j]!);
              d = r.out.map((v, j) => (e === null ? v : v + e[4 + s * n + j]!));
              refTrellis.push(...d);
              refArg.push(...r.arg);
            }
            for (const [store, si, sj] of [[A, n, 1], [AT, 1, n]] as const) {
              const delta = new Float64Array(n + 1);
              delta.set(d0, 1);
              const arg: IndexArray = new Int32Array(steps * n + 2);
              const trellis = new Float64Array(steps * n + 1);
              k.maxPlusRecurrence(n, steps, store, 0, si, sj, delta, 1, e, 4, arg, 2, trellis, 1, new Float64Array(n));
              expect(Array.from(delta.subarray(1))).toEqual(d);
              expect(Array.from(arg.subarray(2))).toEqual(refArg);
              expect(Array.from(trellis.subarray(1))).toEqual(refTrellis);
              const arg8 = new Uint8Array(steps * n);
              delta.set(d0, 1);
              k.maxPlusRecurrence(n, steps, store, 0, si, sj, delta, 1, e, 4, arg8, 0, null, 0, new Float64Array(n));
              expect(Array.from(arg8)).toEqual(refArg);
              expect(Array.from(delta.subarray(1))).toEqual(d);
            }
          }),
          { numRuns: 60, seed: 17 },
        );
      });
    });
  }

  it.runIf(BACKENDS.length === 2)("the two backends agree: max-plus exactly, the sigmoid recurrence to 1e-12 (BiRNN and HMM sizes)", () => {
    const w = every("wasm-simd");
    const j = jsKernels;
    const [T, B, H] = [12, 32, 64];
    const U = values(H * H, 21, 0.2);
    const h0 = values(B * H, 22);
    const pre = values(T * B * H, 23, 3);
    const hw = Float64Array.from(pre);
    const hj = Float64Array.from(pre);
    w.sigmoidRecurrence(T, B, H, U, 0, h0, 0, hw, (T - 1) * B * H, -B * H);
    j.sigmoidRecurrence(T, B, H, U, 0, h0, 0, hj, (T - 1) * B * H, -B * H);
    expectRelClose(hw, hj, 1e-12);
    // The backward chain has no exp: bitwise equal (the same sums in the same order).
    const gw = values(T * B * H, 29);
    const gj = Float64Array.from(gw);
    const dw = new Float64Array(T * B * H);
    const dj = new Float64Array(T * B * H);
    w.sigmoidRecurrenceBackward(T, B, H, U, 0, hj, (T - 1) * B * H, gw, (T - 1) * B * H, dw, (T - 1) * B * H, -B * H);
    j.sigmoidRecurrenceBackward(T, B, H, U, 0, hj, (T - 1) * B * H, gj, (T - 1) * B * H, dj, (T - 1) * B * H, -B * H);
    expect(firstDifference(gw, gj)).toBe(-1);
    expect(firstDifference(dw, dj)).toBe(-1);
    const n = 203;
    const steps = 9;
    const logA = values(n * n, 24, 5).map((v) => Math.round(v * 4) / 4);
    const e = values(steps * n, 25);
    const vw = values(n, 26);
    const vj = Float64Array.from(vw);
    const aw = new Uint8Array(steps * n);
    const aj = new Uint8Array(steps * n);
    w.maxPlusRecurrence(n, steps, logA, 0, 1, n, vw, 0, e, 0, aw, 0, null, 0, new Float64Array(n));
    j.maxPlusRecurrence(n, steps, logA, 0, 1, n, vj, 0, e, 0, aj, 0, null, 0, new Float64Array(n));
    expect(Array.from(vw)).toEqual(Array.from(vj));
    expect(Array.from(aw)).toEqual(Array.from(aj));
    // A chain longer than the WASM side's chunk of rows (2^18 values): several chunks, one copy of A.
    const m = 64;
    const long = 4200;
    const A2 = values(m * m, 27, 2).map((v) => Math.round(v * 8) / 8);
    const e2 = values(long * m, 28, 0.01);
    const d2w = new Float64Array(m);
    const d2j = new Float64Array(m);
    const b2w = new Uint8Array(long * m);
    const b2j = new Uint8Array(long * m);
    const t2w = new Float64Array(long * m);
    const t2j = new Float64Array(long * m);
    w.maxPlusRecurrence(m, long, A2, 0, m, 1, d2w, 0, e2, 0, b2w, 0, t2w, 0, new Float64Array(m));
    j.maxPlusRecurrence(m, long, A2, 0, m, 1, d2j, 0, e2, 0, b2j, 0, t2j, 0, new Float64Array(m));
    expect(Array.from(d2w)).toEqual(Array.from(d2j));
    expect(firstDifference(b2w, b2j)).toBe(-1);
    expect(firstDifference(t2w, t2j)).toBe(-1);
  });
});
