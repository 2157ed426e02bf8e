// The direct eigen/SVD kernels (Householder + QL / Golub–Kahan QR) on both backends: the TypeScript
// kernels and the WebAssembly SIMD ports (which run the whole decomposition in wasm memory) each
// reconstruct their input with orthonormal vectors, and agree with each other to 1e-12 relative
// (the WASM dot products sum in two lanes, so they are not bitwise equal).
import { describe, expect, it } from "vitest";
import { jsKernels, wasmSimdAvailable } from "../kernels";
import { wasmKernelsAll } from "./wasm/index";
import { lcgValues } from "../../test/helpers/seeded";

const values = lcgValues;

/** max |(Σ_k w_k x_k y_kᵀ) − A| / max |A| for rows x_k (length r) of xt and y_k (length c) of yt. */
function reconstructionError(r: number, c: number, k: number, a: Float64Array, xt: Float64Array, w: Float64Array, yt: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += xt[q * r + i]! * w[q]! * yt[q * c + j]!;
      err = Math.max(err, Math.abs(s - a[i * c + j]!));
      scale = Math.max(scale, Math.abs(a[i * c + j]!));
    }
  }
  return scale === 0 ? err : err / scale;
}

/** max |X Xᵀ − I| over the k rows (length r) of xt. */
function orthogonalityError(k: number, r: number, xt: Float64Array): number {
  let err = 0;
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += xt[p * r + i]! * xt[q * r + i]!;
      err = Math.max(err, Math.abs(s - (p === q ? 1 : 0)));
    }
  }
  return err;
}

function sortedCopy(x: Float64Array): number[] {
  return Array.from(x).sort((p, q) => p - q);
}

const wasm = wasmKernelsAll();
// The relaxed-SIMD module (only where the engine runs it, e.g. Node 20 with --experimental-wasm-relaxed-simd).
const relaxed = wasmKernelsAll("relaxed-simd");
const backends = [
  ["js", jsKernels],
  ...(wasm === null ? [] : [["wasm-simd", wasm]] as const),
  ...(relaxed === null ? [] : [["wasm-relaxed-simd", relaxed]] as const),
] as const;

describe("direct eigen / SVD kernels on both backends", () => {
  it("WebAssembly SIMD is available in Node 20, so both backends are tested", () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(backends.length).toBeGreaterThanOrEqual(2);
  });

  const eigenCases = [1, 2, 3, 7, 16, 33];
  for (const n of eigenCases) {
    it(`symmetricEigenTridiagonal n = ${n}: A = Zᵀ diag(w) Z on both backends, which agree to 1e-12`, () => {
      const r = values(n * n, 100 + n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r[i * n + j]! + r[j * n + i]!;
      const results = backends.map(([, k]) => {
        const w = new Float64Array(n);
        const zt = new Float64Array(n * n);
        expect(k.symmetricEigenTridiagonal(n, a.slice(), w, zt, new Float64Array(n))).toBeGreaterThanOrEqual(0);
        expect(reconstructionError(n, n, n, a, zt, w, zt)).toBeLessThan(1e-13 * n);
        expect(orthogonalityError(n, n, zt)).toBeLessThan(1e-13 * n);
        return sortedCopy(w);
      });
      const scale = Math.max(...results[0]!.map(Math.abs));
      for (const other of results.slice(1)) {
        other.forEach((v, i) => {
          expect(Math.abs(v - results[0]![i]!) / scale).toBeLessThan(1e-12);
        });
      }
    });
  }

  const svdCases: [number, number][] = [[1, 1], [2, 2], [5, 3], [9, 9], [40, 17], [17, 16]];
  for (const [m, n] of svdCases) {
    it(`svdGolubKahan ${m}×${n}: A = Uᵀᵀ diag(s) Vᵀ, s ≥ 0, on both backends, which agree to 1e-12`, () => {
      const a = values(m * n, 7 * m + n);
      const results = backends.map(([, k]) => {
        const s = new Float64Array(n);
        const ut = new Float64Array(n * m);
        const vt = new Float64Array(n * n);
        expect(k.svdGolubKahan(m, n, a.slice(), s, ut, vt, new Float64Array(n), new Float64Array(Math.max(m, n)))).toBeGreaterThanOrEqual(0);
        for (const v of s) expect(v).toBeGreaterThanOrEqual(0);
        expect(reconstructionError(m, n, n, a, ut, s, vt)).toBeLessThan(1e-13 * m);
        expect(orthogonalityError(n, m, ut)).toBeLessThan(1e-13 * m);
        expect(orthogonalityError(n, n, vt)).toBeLessThan(1e-13 * m);
        return sortedCopy(s);
      });
      const scale = Math.max(...results[0]!);
      for (const other of results.slice(1)) {
        other.forEach((v, i) => {
          expect(Math.abs(v - results[0]![i]!) / scale).toBeLessThan(1e-12);
        });
      }
    });
  }

  it("zero and rank-deficient inputs: no NaN, zero singular values / eigenvalues exactly where due", () => {
    for (const [, k] of backends) {
      const z = new Float64Array(12);
      const s = new Float64Array(3);
      const ut = new Float64Array(12);
      const vt = new Float64Array(9);
      k.svdGolubKahan(4, 3, z, s, ut, vt, new Float64Array(3), new Float64Array(4));
      expect(Array.from(s)).toEqual([0, 0, 0]);
      expect(orthogonalityError(3, 4, ut)).toBeLessThan(1e-15);
      // rank one: the outer product of [1, 2, 3, 4] and [1, -1, 2]
      const u = [1, 2, 3, 4];
      const v = [1, -1, 2];
      const a = Float64Array.from({ length: 12 }, (_, i) => u[Math.floor(i / 3)]! * v[i % 3]!);
      k.svdGolubKahan(4, 3, a.slice(), s, ut, vt, new Float64Array(3), new Float64Array(4));
      const sorted = sortedCopy(s);
      expect(sorted[2]! / (Math.sqrt(30) * Math.sqrt(6)) - 1).toBeLessThan(4e-16);
      expect(sorted[1]!).toBeLessThan(4 * Number.EPSILON * sorted[2]!);
      expect(reconstructionError(4, 3, 3, a, ut, s, vt)).toBeLessThan(4e-15);
      const w = new Float64Array(3);
      const zt = new Float64Array(9);
      k.symmetricEigenTridiagonal(3, new Float64Array(9), w, zt, new Float64Array(3));
      expect(Array.from(w)).toEqual([0, 0, 0]);
      expect(orthogonalityError(3, 3, zt)).toBe(0);
    }
  });

  for (const n of [64, 150]) {
    it(`luFactor n = ${n}: the WASM kernel (whole factorisation in wasm memory) equals the TypeScript one to 1e-13, same pivots, P A = L U`, () => {
      const a = values(n * n, 300 + n);
      const results = backends.map(([, k]) => {
        const lu = a.slice();
        const pivots = new Int32Array(n);
        expect(k.luFactor(n, lu, pivots)).toBe(-1);
        return { lu, pivots };
      });
      const js = results[0]!;
      const other = results[1]!;
      for (const r of results.slice(1)) {
        expect(Array.from(r.pivots)).toEqual(Array.from(js.pivots));
        let scale = 0;
        let diff = 0;
        for (let i = 0; i < n * n; i++) {
          scale = Math.max(scale, Math.abs(js.lu[i]!));
          diff = Math.max(diff, Math.abs(r.lu[i]! - js.lu[i]!));
        }
        expect(diff / scale).toBeLessThan(1e-13);
      }
      // P A = L U for the WASM factors: apply the swaps to A, multiply L U back.
      const pa = a.slice();
      for (let i = 0; i < n; i++) {
        const p = other.pivots[i]!;
        for (let c = 0; c < n; c++) {
          const t = pa[i * n + c]!;
          pa[i * n + c] = pa[p * n + c]!;
          pa[p * n + c] = t;
        }
      }
      let err = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = i <= j ? other.lu[i * n + j]! : 0;
          for (let q = 0; q < Math.min(i, j + 1); q++) s += other.lu[i * n + q]! * other.lu[q * n + j]!;
          err = Math.max(err, Math.abs(s - pa[i * n + j]!));
        }
      }
      expect(err).toBeLessThan(1e-13 * n);
    });
  }

  it("luFactor reports the first zero pivot column on both backends (n = 80, column 70 zero)", () => {
    const n = 80;
    const a = values(n * n, 5);
    for (let i = 0; i < n; i++) a[i * n + 70] = 0;
    for (const [, k] of backends) expect(k.luFactor(n, a.slice(), new Int32Array(n))).toBe(70);
  });
});
