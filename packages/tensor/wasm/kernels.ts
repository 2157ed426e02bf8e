// AssemblyScript source of the WebAssembly SIMD (f64x2) kernels of @hw/tensor.
// Compiled at build time by scripts/build-wasm.js into src/kernels/wasm/module.generated.ts
// (base64), and loaded by src/kernels/wasm/index.ts. Every kernel works on contiguous float64
// data at byte addresses in the module's own memory (the JavaScript side copies or packs operands
// in and results out); no allocation, no validation.
//
// Summation orders are chosen to match the TypeScript kernels where possible: the row sums use
// eight lanes (four f64x2 accumulators) folded as a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7)),
// exactly the eight scalar accumulators of kernels/reduce.ts, so rowSum and the centred sum of
// squares are bitwise equal to the JavaScript ones.

import { madd } from "./madd";

// ---------------------------------------------------------------------------------------------
// gemm: C += alpha·A·B on operands copied into this module's memory
// ---------------------------------------------------------------------------------------------

// A panel: kc steps of 4 row values (p-major); B panel: kc steps of 4 column values.
// The 4×4 tile of C is held in eight f64x2 accumulators without any broadcast: with the row pairs
// a0 = A[0:2, p], a1 = A[2:4, p], the column pairs b0 = B[p, 0:2], b1 = B[p, 2:4] and their lane
// swaps w0 = (B[p,1], B[p,0]), w1 = (B[p,3], B[p,2]),
//   dRQ += aR·bQ  accumulates (C[2R, 2Q],   C[2R+1, 2Q+1])   (the "diagonal" pairs)
//   sRQ += aR·wQ  accumulates (C[2R, 2Q+1], C[2R+1, 2Q])     (the "anti-diagonal" pairs)
// and the tile is unscrambled once at the end. Per step that is 4 loads (V8 folds their offsets),
// 2 lane swaps and 8 multiply-adds, against 6 loads (4 of them splats with an address computation
// each) for the broadcast form: measured 17.0 against 15.7 GFLOP/s for the micro-kernel alone
// (Node 20, Zen 3, kc = 256). Each C element is still one sequential sum over p, added to C once:
// the order of the TypeScript micro-kernel, so the products are bitwise equal to it whenever
// `madd` is an unfused multiply then add (wasm/madd.ts). The relaxed-SIMD build replaces madd by
// f64x2.relaxed_madd (wasm/madd-relaxed.ts: a fused multiply-add where the CPU has FMA), which
// is faster (24 GFLOP/s) but rounds once per step instead of twice.
// @ts-ignore: decorator
@inline
function microKernel4x4(kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize): void {
  let d00 = f64x2.splat(0), d01 = f64x2.splat(0), d10 = f64x2.splat(0), d11 = f64x2.splat(0);
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const a0 = v128.load(pa);
    const a1 = v128.load(pa, 16);
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const w0 = i64x2.shuffle(b0, b0, 1, 0);
    const w1 = i64x2.shuffle(b1, b1, 1, 0);
    d00 = madd(a0, b0, d00);
    d01 = madd(a0, b1, d01);
    d10 = madd(a1, b0, d10);
    d11 = madd(a1, b1, d11);
    s00 = madd(a0, w0, s00);
    s01 = madd(a0, w1, s01);
    s10 = madd(a1, w0, s10);
    s11 = madd(a1, w1, s11);
    pa += 32;
    pb += 32;
  }
  // Row 2R is (dRQ lane 0, sRQ lane 0); row 2R+1 is (sRQ lane 1, dRQ lane 1).
  const r1 = c + ldcBytes;
  const r2 = r1 + ldcBytes;
  const r3 = r2 + ldcBytes;
  v128.store(c, f64x2.add(v128.load(c), i64x2.shuffle(d00, s00, 0, 2)));
  v128.store(c, f64x2.add(v128.load(c, 16), i64x2.shuffle(d01, s01, 0, 2)), 16);
  v128.store(r1, f64x2.add(v128.load(r1), i64x2.shuffle(s00, d00, 1, 3)));
  v128.store(r1, f64x2.add(v128.load(r1, 16), i64x2.shuffle(s01, d01, 1, 3)), 16);
  v128.store(r2, f64x2.add(v128.load(r2), i64x2.shuffle(d10, s10, 0, 2)));
  v128.store(r2, f64x2.add(v128.load(r2, 16), i64x2.shuffle(d11, s11, 0, 2)), 16);
  v128.store(r3, f64x2.add(v128.load(r3), i64x2.shuffle(s10, d10, 1, 3)));
  v128.store(r3, f64x2.add(v128.load(r3, 16), i64x2.shuffle(s11, d11, 1, 3)), 16);
}

const KC = 256;
const MC = 64;
const NC = 512;

/** Pack kc × nc of B (element strides bRow, bCol) into panels of kc × 4 (p-major), zero-padded. */
function packB(kc: i32, nc: i32, b: usize, bRow: i32, bCol: i32, out: usize): void {
  const rowBytes = <usize>bRow << 3;
  const colBytes = <usize>bCol << 3;
  let dst = out;
  for (let j0 = 0; j0 < nc; j0 += 4) {
    const nr = min(4, nc - j0);
    let src = b + <usize>j0 * colBytes;
    if (nr == 4 && bCol == 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
        src += rowBytes;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < 4; j++) store<f64>(dst + (<usize>j << 3), j < nr ? load<f64>(src + <usize>j * colBytes) : 0);
        dst += 32;
        src += rowBytes;
      }
    }
  }
}

/** Pack mc × kc of alpha·A (element strides aRow, aCol) into panels of kc × 4 (p-major), zero-padded. */
function packA(mc: i32, kc: i32, alpha: f64, a: usize, aRow: i32, aCol: i32, out: usize): void {
  const rowBytes = <usize>aRow << 3;
  const colBytes = <usize>aCol << 3;
  let dst = out;
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const mr = min(4, mc - i0);
    let src = a + <usize>i0 * rowBytes;
    if (mr == 4) {
      for (let p = 0; p < kc; p++) {
        store<f64>(dst, alpha * load<f64>(src));
        store<f64>(dst, alpha * load<f64>(src + rowBytes), 8);
        store<f64>(dst, alpha * load<f64>(src + 2 * rowBytes), 16);
        store<f64>(dst, alpha * load<f64>(src + 3 * rowBytes), 24);
        dst += 32;
        src += colBytes;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < 4; i++) store<f64>(dst + (<usize>i << 3), i < mr ? alpha * load<f64>(src + <usize>i * rowBytes) : 0);
        dst += 32;
        src += colBytes;
      }
    }
  }
}

/**
 * C += alpha·A·B, everything in this module's memory: A (m × k) at `a` with element strides
 * (aRow, aCol), B (k × n) at `b` with (bRow, bCol), C (m × n) at `c` with row stride ldc and unit
 * column stride. The GotoBLAS blocking of kernels/gemm.ts (KC = 256, MC = 64, NC = 512) with the
 * panels packed here at `scratch` (needs (MC + NC)·KC + 16 doubles).
 */
export function gemm(m: i32, n: i32, k: i32, alpha: f64, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize, ldc: i32, scratch: usize): void {
  const pA = scratch;
  const pB = scratch + ((<usize>MC * KC) << 3);
  const edge = pB + ((<usize>NC * KC) << 3);
  const ldcBytes = <usize>ldc << 3;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const panelBytes = <usize>kc << 5;
      packB(kc, nc, b + ((<usize>pc * bRow + <usize>jc * bCol) << 3), bRow, bCol, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, alpha, a + ((<usize>ic * aRow + <usize>pc * aCol) << 3), aRow, aCol, pA);
        for (let j0 = 0; j0 < nc; j0 += 4) {
          const nr = min(4, nc - j0);
          const bp = pB + (<usize>(j0 >> 2)) * panelBytes;
          for (let i0 = 0; i0 < mc; i0 += 4) {
            const mr = min(4, mc - i0);
            const ap = pA + (<usize>(i0 >> 2)) * panelBytes;
            const ct = c + <usize>(ic + i0) * ldcBytes + ((<usize>(jc + j0)) << 3);
            if (mr == 4 && nr == 4) {
              microKernel4x4(kc, ap, bp, ct, ldcBytes);
            } else {
              memory.fill(edge, 0, 128);
              microKernel4x4(kc, ap, bp, edge, 32);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const q = ct + <usize>i * ldcBytes + (<usize>j << 3);
                  store<f64>(q, load<f64>(q) + load<f64>(edge + (<usize>(i * 4 + j) << 3)));
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Row reductions on contiguous rows
// ---------------------------------------------------------------------------------------------

/** Σ x[0:n] with the eight-lane order of kernels/reduce.ts (bitwise equal). */
export function rowSum(x: usize, n: i32): f64 {
  let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
  let j = 0;
  for (; j + 7 < n; j += 8) {
    const q = x + (<usize>j << 3);
    v0 = f64x2.add(v0, v128.load(q));
    v1 = f64x2.add(v1, v128.load(q, 16));
    v2 = f64x2.add(v2, v128.load(q, 32));
    v3 = f64x2.add(v3, v128.load(q, 48));
  }
  let a0 = f64x2.extract_lane(v0, 0);
  for (; j < n; j++) a0 += load<f64>(x + (<usize>j << 3));
  return a0 + f64x2.extract_lane(v0, 1) + (f64x2.extract_lane(v1, 0) + f64x2.extract_lane(v1, 1)) +
    (f64x2.extract_lane(v2, 0) + f64x2.extract_lane(v2, 1) + (f64x2.extract_lane(v3, 0) + f64x2.extract_lane(v3, 1)));
}

/** Σ (x[j] − c)² over x[0:n], eight lanes as rowSum (bitwise equal to kernels/reduce.ts). */
export function rowSumSquaredDeviations(x: usize, n: i32, c: f64): f64 {
  const cv = f64x2.splat(c);
  let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
  let j = 0;
  for (; j + 7 < n; j += 8) {
    const q = x + (<usize>j << 3);
    const d0 = f64x2.sub(v128.load(q), cv);
    const d1 = f64x2.sub(v128.load(q, 16), cv);
    const d2 = f64x2.sub(v128.load(q, 32), cv);
    const d3 = f64x2.sub(v128.load(q, 48), cv);
    v0 = f64x2.add(v0, f64x2.mul(d0, d0));
    v1 = f64x2.add(v1, f64x2.mul(d1, d1));
    v2 = f64x2.add(v2, f64x2.mul(d2, d2));
    v3 = f64x2.add(v3, f64x2.mul(d3, d3));
  }
  let a0 = f64x2.extract_lane(v0, 0);
  for (; j < n; j++) {
    const d = load<f64>(x + (<usize>j << 3)) - c;
    a0 += d * d;
  }
  return a0 + f64x2.extract_lane(v0, 1) + (f64x2.extract_lane(v1, 0) + f64x2.extract_lane(v1, 1)) +
    (f64x2.extract_lane(v2, 0) + f64x2.extract_lane(v2, 1) + (f64x2.extract_lane(v3, 0) + f64x2.extract_lane(v3, 1)));
}

/** max x[0:n]; NaN if any element is NaN; −Infinity for n = 0. */
export function rowMax(x: usize, n: i32): f64 {
  let v0 = f64x2.splat(-Infinity), v1 = f64x2.splat(-Infinity);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const q = x + (<usize>j << 3);
    // f64x2.max propagates NaN (IEEE 754-2019 maximum), like NumPy's max.
    v0 = f64x2.max(v0, v128.load(q));
    v1 = f64x2.max(v1, v128.load(q, 16));
  }
  const v = f64x2.max(v0, v1);
  let m = max<f64>(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
  for (; j < n; j++) m = max<f64>(m, load<f64>(x + (<usize>j << 3)));
  return m;
}

/**
 * Shifted moments of one contiguous row, for exact pooling of many rows: out[0] = c = Σx/n (the
 * row mean as computed), out[1] = Σ (x − c) (the residual sum, ~0), out[2] = Σ (x − c)², with the
 * sums in the eight-lane order of rowSum. Two passes over the row while it is in cache.
 */
export function rowShiftedMoments(x: usize, n: i32, out: usize): void {
  const c = rowSum(x, n) / <f64>n;
  const cv = f64x2.splat(c);
  let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let j = 0;
  for (; j + 7 < n; j += 8) {
    const q = x + (<usize>j << 3);
    const d0 = f64x2.sub(v128.load(q), cv);
    const d1 = f64x2.sub(v128.load(q, 16), cv);
    const d2 = f64x2.sub(v128.load(q, 32), cv);
    const d3 = f64x2.sub(v128.load(q, 48), cv);
    s0 = f64x2.add(s0, d0);
    s1 = f64x2.add(s1, d1);
    s2 = f64x2.add(s2, d2);
    s3 = f64x2.add(s3, d3);
    v0 = f64x2.add(v0, f64x2.mul(d0, d0));
    v1 = f64x2.add(v1, f64x2.mul(d1, d1));
    v2 = f64x2.add(v2, f64x2.mul(d2, d2));
    v3 = f64x2.add(v3, f64x2.mul(d3, d3));
  }
  let a0 = f64x2.extract_lane(v0, 0);
  let b0 = f64x2.extract_lane(s0, 0);
  for (; j < n; j++) {
    const d = load<f64>(x + (<usize>j << 3)) - c;
    b0 += d;
    a0 += d * d;
  }
  store<f64>(out, c, 0);
  store<f64>(out, b0 + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1)) +
    (f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1) + (f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1))), 8);
  store<f64>(out, a0 + f64x2.extract_lane(v0, 1) + (f64x2.extract_lane(v1, 0) + f64x2.extract_lane(v1, 1)) +
    (f64x2.extract_lane(v2, 0) + f64x2.extract_lane(v2, 1) + (f64x2.extract_lane(v3, 0) + f64x2.extract_lane(v3, 1))), 16);
}

// ---------------------------------------------------------------------------------------------
// Fused normalize-and-affine (batch / layer norm), forward and backward, on contiguous rows
// ---------------------------------------------------------------------------------------------

/** out[j] = (x[j] − m)·a + b (the same operations and order as the TypeScript loop: bitwise equal). */
export function normalizeAffine(x: usize, n: i32, m: f64, a: f64, b: f64, out: usize): void {
  const mv = f64x2.splat(m), av = f64x2.splat(a), bv = f64x2.splat(b);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o = <usize>j << 3;
    v128.store(out + o, f64x2.add(f64x2.mul(f64x2.sub(v128.load(x + o), mv), av), bv));
    v128.store(out + o, f64x2.add(f64x2.mul(f64x2.sub(v128.load(x + o, 16), mv), av), bv), 16);
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(out + o, (load<f64>(x + o) - m) * a + b);
  }
}

/**
 * The two sums of the normalization backward over one row: out[0] = Σ dy, out[1] = Σ dy·(x − m)
 * (four lanes each, folded (l0 + l1) + (l2 + l3); the TypeScript loop sums left to right).
 */
export function rowSumsBackward(dy: usize, x: usize, n: i32, m: f64, out: usize): void {
  const mv = f64x2.splat(m);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), t0 = f64x2.splat(0), t1 = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const o = <usize>j << 3;
    const g0 = v128.load(dy + o);
    const g1 = v128.load(dy + o, 16);
    s0 = f64x2.add(s0, g0);
    s1 = f64x2.add(s1, g1);
    t0 = f64x2.add(t0, f64x2.mul(g0, f64x2.sub(v128.load(x + o), mv)));
    t1 = f64x2.add(t1, f64x2.mul(g1, f64x2.sub(v128.load(x + o, 16), mv)));
  }
  let sdy = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  let sdx = f64x2.extract_lane(t0, 0) + f64x2.extract_lane(t0, 1) + (f64x2.extract_lane(t1, 0) + f64x2.extract_lane(t1, 1));
  for (; j < n; j++) {
    const o = <usize>j << 3;
    const g = load<f64>(dy + o);
    sdy += g;
    sdx += g * (load<f64>(x + o) - m);
  }
  store<f64>(out, sdy, 0);
  store<f64>(out, sdx, 8);
}

/** out[j] = c1·dy[j] + c2·(x[j] − m) + c0 (same operations as the TypeScript loop: bitwise equal). */
export function normalizeAffineBackward(dy: usize, x: usize, n: i32, m: f64, c1: f64, c2: f64, c0: f64, out: usize): void {
  const mv = f64x2.splat(m), c1v = f64x2.splat(c1), c2v = f64x2.splat(c2), c0v = f64x2.splat(c0);
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const o = <usize>j << 3;
    v128.store(out + o, f64x2.add(f64x2.add(f64x2.mul(c1v, v128.load(dy + o)), f64x2.mul(c2v, f64x2.sub(v128.load(x + o), mv))), c0v));
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(out + o, c1 * load<f64>(dy + o) + c2 * (load<f64>(x + o) - m) + c0);
  }
}
