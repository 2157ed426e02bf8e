/**
 * General matrix multiply kernel (part of `@hw/tensor/kernels`): `C += alpha · A · B` in float64, for strided `A` (m×k) and
 * `B` (k×n) and a row-major `C` (m×n, row stride `ldc`, column stride 1).
 *
 * Large products use the classic GotoBLAS/BLIS structure in plain TypeScript:
 * - the k axis is cut into blocks of `KC`, the rows of A into blocks of `MC`, the columns of B into
 *   blocks of `NC`, so that the packed panels stay in the L1/L2 caches;
 * - each block of B is packed into contiguous panels of `NR` columns (p-major), each block of A
 *   into panels of `MR` rows (p-major), both zero-padded at the edges — this is also where any
 *   stride (transposed or sliced views) is absorbed;
 * - a 4×4 micro-kernel keeps the 16 accumulators of a C tile in local variables (V8 keeps most
 *   of them in registers) and reads 8 packed values per 16 multiply-adds.
 * Small products use a direct strided i-p-j loop (no packing overhead).
 *
 * Kernels follow the stdlib convention: no validation; the caller guarantees the extents.
 * Scratch panels are module-level buffers that grow on demand (the kernel is not re-entrant,
 * which is fine in single-threaded JavaScript).
 */
/** The register tile (MR × NR) and cache blocks (KC, MC, NC) of the blocked gemm; the WASM gemm's loader uses the same. */
export const MR = 4;
export const NR = 4;
export const KC = 256;
export const MC = 64;
export const NC = 512;
/** Below this many multiply-adds the direct loop beats packing. */
export const SMALL = 32 * 32 * 32;

let packA = new Float64Array(MC * KC);
let packB = new Float64Array(NC * KC);
const edge = new Float64Array(MR * NR);

/**
 * `C[cOff + i·ldc + j] += alpha · Σ_p A[i,p] · B[p,j]` for `0 ≤ i < m`, `0 ≤ j < n`, `0 ≤ p < k`,
 * where `A[i,p] = a[aOff + i·aRow + p·aCol]` and `B[p,j] = b[bOff + p·bRow + j·bCol]`.
 *
 * `cIsZero` (optional) is the caller's promise that C holds zeros on entry (a fresh output): an
 * implementation that copies C elsewhere (the WebAssembly one) may then skip reading it, which on a
 * newly allocated array also saves touching its pages twice. The TypeScript kernel ignores it.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOff: number,
  bRow: number,
  bCol: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- part of the kernel contract (see above)
  cIsZero?: boolean,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (m * n * k <= SMALL || m < MR || n < NR) {
    gemmSmall(m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc);
    return;
  }
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, Math.ceil(n / NR) * NR);
  if (packB.length < kcMax * ncMax) packB = new Float64Array(kcMax * ncMax);
  if (packA.length < kcMax * MC) packA = new Float64Array(kcMax * MC);
  const pA = packA;
  const pB = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanelsB(kc, nc, b, bOff + pc * bRow + jc * bCol, bRow, bCol, pB);
      const bPanels = panelViews(pB, nPanels, NR * kc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mPanels = Math.ceil(mc / MR);
        packPanelsA(mc, kc, alpha, a, aOff + ic * aRow + pc * aCol, aRow, aCol, pA);
        const aPanels = panelViews(pA, mPanels, MR * kc);
        for (let jp = 0; jp < nPanels; jp++) {
          const j0 = jp * NR;
          const nr = Math.min(NR, nc - j0);
          const bp = bPanels[jp]!;
          for (let ip = 0; ip < mPanels; ip++) {
            const i0 = ip * MR;
            const mr = Math.min(MR, mc - i0);
            const cIndex = cOff + (ic + i0) * ldc + jc + j0;
            if (mr === MR && nr === NR) {
              microKernel(kc, aPanels[ip]!, bp, c, cIndex, ldc);
            } else {
              edge.fill(0);
              microKernel(kc, aPanels[ip]!, bp, edge, 0, NR);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) c[cIndex + i * ldc + j]! += edge[i * NR + j]!;
              }
            }
          }
        }
      }
    }
  }
}

/** Pack `kc × nc` of B into `ceil(nc/NR)` panels of `kc × NR` (p-major), zero-padded. */
function packPanelsB(
  kc: number,
  nc: number,
  b: Float64Array,
  off: number,
  bRow: number,
  bCol: number,
  out: Float64Array,
): void {
  let dst = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    let src = off + j0 * bCol;
    if (nr === NR) {
      for (let p = 0; p < kc; p++) {
        out[dst] = b[src]!;
        out[dst + 1] = b[src + bCol]!;
        out[dst + 2] = b[src + 2 * bCol]!;
        out[dst + 3] = b[src + 3 * bCol]!;
        dst += NR;
        src += bRow;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) out[dst + j] = j < nr ? b[src + j * bCol]! : 0;
        dst += NR;
        src += bRow;
      }
    }
  }
}

/** Pack `mc × kc` of alpha·A into `ceil(mc/MR)` panels of `kc × MR` (p-major), zero-padded. */
function packPanelsA(
  mc: number,
  kc: number,
  alpha: number,
  a: Float64Array,
  off: number,
  aRow: number,
  aCol: number,
  out: Float64Array,
): void {
  let dst = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = Math.min(MR, mc - i0);
    let src = off + i0 * aRow;
    if (mr === MR) {
      for (let p = 0; p < kc; p++) {
        out[dst] = alpha * a[src]!;
        out[dst + 1] = alpha * a[src + aRow]!;
        out[dst + 2] = alpha * a[src + 2 * aRow]!;
        out[dst + 3] = alpha * a[src + 3 * aRow]!;
        dst += MR;
        src += aCol;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) out[dst + i] = i < mr ? alpha * a[src + i * aRow]! : 0;
        dst += MR;
        src += aCol;
      }
    }
  }
}

/** Zero-offset views of `count` consecutive panels of `size` elements. */
function panelViews(buffer: Float64Array, count: number, size: number): Float64Array[] {
  const out = new Array<Float64Array>(count);
  for (let i = 0; i < count; i++) out[i] = buffer.subarray(i * size, (i + 1) * size);
  return out;
}

/**
 * The 4×4 register-blocked micro-kernel: `C[0:4, 0:4] += Apanel · Bpanel` over `kc` steps.
 * Both panels are zero-offset views with the same layout (4 values per step), so one index
 * serves both arrays: V8 then computes each index (and its overflow check) once for two loads.
 */
function microKernel(kc: number, pa: Float64Array, pb: Float64Array, c: Float64Array, ci: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = kc * 4;
  // `(q + c) | 0` lets V8 use a plain int32 add with no overflow check, and share each index
  // between the two arrays (the asm.js idiom); q < 2^31 always holds here.
  for (let q = 0; q < end; q = (q + 4) | 0) {
    const q1 = (q + 1) | 0;
    const q2 = (q + 2) | 0;
    const q3 = (q + 3) | 0;
    const a0 = pa[q]!;
    const a1 = pa[q1]!;
    const a2 = pa[q2]!;
    const a3 = pa[q3]!;
    let bv = pb[q]!;
    c00 += a0 * bv;
    c10 += a1 * bv;
    c20 += a2 * bv;
    c30 += a3 * bv;
    bv = pb[q1]!;
    c01 += a0 * bv;
    c11 += a1 * bv;
    c21 += a2 * bv;
    c31 += a3 * bv;
    bv = pb[q2]!;
    c02 += a0 * bv;
    c12 += a1 * bv;
    c22 += a2 * bv;
    c32 += a3 * bv;
    bv = pb[q3]!;
    c03 += a0 * bv;
    c13 += a1 * bv;
    c23 += a2 * bv;
    c33 += a3 * bv;
  }
  let r = ci;
  c[r]! += c00;
  c[r + 1]! += c01;
  c[r + 2]! += c02;
  c[r + 3]! += c03;
  r += ldc;
  c[r]! += c10;
  c[r + 1]! += c11;
  c[r + 2]! += c12;
  c[r + 3]! += c13;
  r += ldc;
  c[r]! += c20;
  c[r + 1]! += c21;
  c[r + 2]! += c22;
  c[r + 3]! += c23;
  r += ldc;
  c[r]! += c30;
  c[r + 1]! += c31;
  c[r + 2]! += c32;
  c[r + 3]! += c33;
}

/** Direct strided loop for small products (and thin ones). */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOff: number,
  bRow: number,
  bCol: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (n === 1) {
    // matrix @ vector: one dot product per row (better accumulation order and no write traffic).
    for (let i = 0; i < m; i++) {
      let s = 0;
      let ai = aOff + i * aRow;
      let bp = bOff;
      for (let p = 0; p < k; p++) {
        s += a[ai]! * b[bp]!;
        ai += aCol;
        bp += bRow;
      }
      c[cOff + i * ldc]! += alpha * s;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    for (let p = 0; p < k; p++) {
      // No skipping of zero entries: 0 · Inf must give NaN as IEEE arithmetic says.
      const aip = alpha * a[aOff + i * aRow + p * aCol]!;
      let bj = bOff + p * bRow;
      for (let j = 0; j < n; j++) {
        c[ci + j]! += aip * b[bj]!;
        bj += bCol;
      }
    }
  }
}

/**
 * `C += A · B` for row-major blocks: A is m×k (row stride k), B is k×n (row stride n), C is m×n
 * (row stride n), each from its offset. No validation, no allocation.
 */
export function gemmAB(m: number, n: number, k: number, a: Float64Array, aOff: number, b: Float64Array, bOff: number, c: Float64Array, cOff: number): void {
  gemm(m, n, k, 1, a, aOff, k, 1, b, bOff, n, 1, c, cOff, n);
}

/**
 * `C += A · Bᵀ` for row-major blocks: A is m×k, B is n×k, C is m×n. No validation, no allocation.
 */
export function gemmABt(m: number, n: number, k: number, a: Float64Array, aOff: number, b: Float64Array, bOff: number, c: Float64Array, cOff: number): void {
  gemm(m, n, k, 1, a, aOff, k, 1, b, bOff, 1, k, c, cOff, n);
}

/**
 * `C += Aᵀ · B` for row-major blocks: A is k×m, B is k×n, C is m×n. No validation, no allocation.
 */
export function gemmAtB(m: number, n: number, k: number, a: Float64Array, aOff: number, b: Float64Array, bOff: number, c: Float64Array, cOff: number): void {
  gemm(m, n, k, 1, a, aOff, 1, m, b, bOff, n, 1, c, cOff, n);
}
