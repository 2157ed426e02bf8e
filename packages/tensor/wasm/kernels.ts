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

import { FUSED, madd } from "./madd";

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
// rounds once per step instead of twice, and uses the broadcast form below instead (with FMAs
// the lane swaps cost more than the splats: whole gemm n = 256, 23.0 against 20.8 GFLOP/s).
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

// The relaxed-SIMD build's micro-kernel: A's four values of step p broadcast (one load each, no
// shuffle) times B's two column pairs, into eight accumulators C[i, 0:2], C[i, 2:4]. Each C element
// is the same sequential sum over p as in microKernel4x4. With fused multiply-adds this form is the
// faster one (the lane swaps of microKernel4x4 compete with the FMAs for the FP pipes); unfused, it
// is the slower (see wasm/madd.ts, FUSED).
// @ts-ignore: decorator
@inline
function microKernel4x4Broadcast(kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  const end = pa + (<usize>kc << 5);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load64_splat(pa);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load64_splat(pa, 8);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load64_splat(pa, 16);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load64_splat(pa, 24);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    pa += 32;
    pb += 32;
  }
  const r1 = c + ldcBytes;
  const r2 = r1 + ldcBytes;
  const r3 = r2 + ldcBytes;
  v128.store(c, f64x2.add(v128.load(c), c00));
  v128.store(c, f64x2.add(v128.load(c, 16), c01), 16);
  v128.store(r1, f64x2.add(v128.load(r1), c10));
  v128.store(r1, f64x2.add(v128.load(r1, 16), c11), 16);
  v128.store(r2, f64x2.add(v128.load(r2), c20));
  v128.store(r2, f64x2.add(v128.load(r2, 16), c21), 16);
  v128.store(r3, f64x2.add(v128.load(r3), c30));
  v128.store(r3, f64x2.add(v128.load(r3, 16), c31), 16);
}

// @ts-ignore: decorator
@inline
function tile4x4(kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize): void {
  if (FUSED) microKernel4x4Broadcast(kc, pa, pb, c, ldcBytes);
  else microKernel4x4(kc, pa, pb, c, ldcBytes);
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
  const scale = f64x2.splat(alpha);
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const mr = min(4, mc - i0);
    let src = a + <usize>i0 * rowBytes;
    if (mr == 4 && aCol == 1) {
      // Row-major A: two steps at a time, one f64x2 load per row, transposed by lane shuffles into
      // the p-major pairs (A[0,p], A[1,p]), (A[2,p], A[3,p]), (A[0,p+1], A[1,p+1]), (A[2,p+1], A[3,p+1]).
      // The same products alpha·A[i,p] as the scalar loop (and none when alpha is 1).
      const r1 = src + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      const one = alpha == 1;
      let p = 0;
      for (; p + 1 < kc; p += 2) {
        const q = <usize>p << 3;
        let x0 = v128.load(src + q);
        let x1 = v128.load(r1 + q);
        let x2 = v128.load(r2 + q);
        let x3 = v128.load(r3 + q);
        if (!one) {
          x0 = f64x2.mul(x0, scale);
          x1 = f64x2.mul(x1, scale);
          x2 = f64x2.mul(x2, scale);
          x3 = f64x2.mul(x3, scale);
        }
        v128.store(dst, i64x2.shuffle(x0, x1, 0, 2));
        v128.store(dst, i64x2.shuffle(x2, x3, 0, 2), 16);
        v128.store(dst, i64x2.shuffle(x0, x1, 1, 3), 32);
        v128.store(dst, i64x2.shuffle(x2, x3, 1, 3), 48);
        dst += 64;
      }
      if (p < kc) {
        const q = <usize>p << 3;
        store<f64>(dst, alpha * load<f64>(src + q));
        store<f64>(dst, alpha * load<f64>(r1 + q), 8);
        store<f64>(dst, alpha * load<f64>(r2 + q), 16);
        store<f64>(dst, alpha * load<f64>(r3 + q), 24);
        dst += 32;
      }
    } else if (mr == 4) {
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
              tile4x4(kc, ap, bp, ct, ldcBytes);
            } else {
              memory.fill(edge, 0, 128);
              tile4x4(kc, ap, bp, edge, 32);
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
// Recurrence steps (helper `steps`): the BiRNN's sigmoid recurrence and the Viterbi max-plus
// recursion, each over a whole chain so that U / log A stay in this memory across the steps.
// No static data (lookup tables): the JavaScript side copies operands to address 0.
// ---------------------------------------------------------------------------------------------

// exp without AssemblyScript's Math.exp: its lookup table lives in this module's static data at
// the bottom of memory, where the kernels' operands are copied. fdlibm's algorithm (the one V8's
// Math.exp ports), two lanes at a time: k = round(x/ln2), r = x − k·ln2 (in two parts),
// exp(r) = 1 − ((lo − r·c/(2 − c)) − hi) with c = r − r²·P(r²), then ×2^k.
const INV_LN2: f64 = 1.44269504088896338700e+00;
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

/** e^x for lanes x ≤ 0 (or NaN); 0 below −746. */
// @ts-ignore: decorator
@inline
function expNonPositive(x: v128): v128 {
  const t = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const hi = f64x2.sub(x, f64x2.mul(t, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(t, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  const p = f64x2.add(f64x2.splat(P1), f64x2.mul(rr, f64x2.add(f64x2.splat(P2), f64x2.mul(rr, f64x2.add(f64x2.splat(P3), f64x2.mul(rr, f64x2.add(f64x2.splat(P4), f64x2.mul(rr, f64x2.splat(P5)))))))));
  const c = f64x2.sub(r, f64x2.mul(rr, p));
  const y = f64x2.sub(f64x2.splat(1), f64x2.sub(f64x2.sub(lo, f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2), c))), hi));
  // 2^k in two normal factors (k ≥ −1100 after the clamp; each half ≥ −550), so that a subnormal
  // result is rounded once, as in fdlibm.
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(f64x2.max(t, f64x2.splat(-1100))));
  const k1 = i64x2.shr_s(k, 1);
  const k2 = i64x2.sub(k, k1);
  const bias = i64x2.splat(1023);
  const s1 = i64x2.shl(i64x2.add(k1, bias), 52);
  const s2 = i64x2.shl(i64x2.add(k2, bias), 52);
  const e = f64x2.mul(f64x2.mul(y, s1), s2);
  return v128.bitselect(f64x2.splat(0), e, f64x2.lt(x, f64x2.splat(-746)));
}

/**
 * The stable logistic function of kernels/sigmoid.ts on two lanes: 1/(1 + e^{−v}) for v ≥ 0,
 * e^{v}/(1 + e^{v}) otherwise (the same operations; NaN propagates, ±Infinity give 1 / 0).
 */
// @ts-ignore: decorator
@inline
function sigmoid2(v: v128): v128 {
  const e = expNonPositive(f64x2.neg(f64x2.abs(v)));
  const d = f64x2.add(f64x2.splat(1), e);
  return v128.bitselect(f64x2.div(f64x2.splat(1), d), f64x2.div(e, d), f64x2.ge(v, f64x2.splat(0)));
}

/**
 * The two-row block of the recurrences: for rows r = 0, 1 of the hidden × hidden product,
 * out[r, j] ← f(out[r, j] + Σ_k src[r, k]·m[k, j]) with f = σ (`squash`, the forward chain) or
 * the identity (the backward chain's accumulation into dh). `src` holds two consecutive rows and
 * `out` two consecutive rows (row stride `rowBytes`); `m` is row-major over j. Each loaded row of m
 * serves both rows (16 multiply-adds per 6 loads instead of 8 per 5), and each sum runs over k from
 * 0 in order: the values of the one-row loop.
 */
// @ts-ignore: decorator
@inline
function twoRowsTimesMatrix(src: usize, m: usize, hidden: i32, rowBytes: usize, out: usize, squash: bool): void {
  const src1 = src + rowBytes;
  const out1 = out + rowBytes;
  let j = 0;
  for (; j + 7 < hidden; j += 8) {
    let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
    let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
    let q = m + (<usize>j << 3);
    for (let k = 0; k < hidden; k++) {
      const kb = <usize>k << 3;
      const a0 = v128.load64_splat(src + kb);
      const a1 = v128.load64_splat(src1 + kb);
      const u0 = v128.load(q);
      const u1 = v128.load(q, 16);
      const u2 = v128.load(q, 32);
      const u3 = v128.load(q, 48);
      c00 = f64x2.add(c00, f64x2.mul(a0, u0));
      c01 = f64x2.add(c01, f64x2.mul(a0, u1));
      c02 = f64x2.add(c02, f64x2.mul(a0, u2));
      c03 = f64x2.add(c03, f64x2.mul(a0, u3));
      c10 = f64x2.add(c10, f64x2.mul(a1, u0));
      c11 = f64x2.add(c11, f64x2.mul(a1, u1));
      c12 = f64x2.add(c12, f64x2.mul(a1, u2));
      c13 = f64x2.add(c13, f64x2.mul(a1, u3));
      q += rowBytes;
    }
    const o0 = out + (<usize>j << 3);
    const o1 = out1 + (<usize>j << 3);
    const s00 = f64x2.add(v128.load(o0), c00);
    const s01 = f64x2.add(v128.load(o0, 16), c01);
    const s02 = f64x2.add(v128.load(o0, 32), c02);
    const s03 = f64x2.add(v128.load(o0, 48), c03);
    const s10 = f64x2.add(v128.load(o1), c10);
    const s11 = f64x2.add(v128.load(o1, 16), c11);
    const s12 = f64x2.add(v128.load(o1, 32), c12);
    const s13 = f64x2.add(v128.load(o1, 48), c13);
    v128.store(o0, squash ? sigmoid2(s00) : s00);
    v128.store(o0, squash ? sigmoid2(s01) : s01, 16);
    v128.store(o0, squash ? sigmoid2(s02) : s02, 32);
    v128.store(o0, squash ? sigmoid2(s03) : s03, 48);
    v128.store(o1, squash ? sigmoid2(s10) : s10);
    v128.store(o1, squash ? sigmoid2(s11) : s11, 16);
    v128.store(o1, squash ? sigmoid2(s12) : s12, 32);
    v128.store(o1, squash ? sigmoid2(s13) : s13, 48);
  }
  for (; j < hidden; j++) {
    let acc0: f64 = 0;
    let acc1: f64 = 0;
    let q = m + (<usize>j << 3);
    for (let k = 0; k < hidden; k++) {
      const kb = <usize>k << 3;
      const uq = load<f64>(q);
      acc0 += load<f64>(src + kb) * uq;
      acc1 += load<f64>(src1 + kb) * uq;
      q += rowBytes;
    }
    const o0 = out + (<usize>j << 3);
    const o1 = out1 + (<usize>j << 3);
    const t0 = load<f64>(o0) + acc0;
    const t1 = load<f64>(o1) + acc1;
    store<f64>(o0, squash ? f64x2.extract_lane(sigmoid2(f64x2.splat(t0)), 0) : t0);
    store<f64>(o1, squash ? f64x2.extract_lane(sigmoid2(f64x2.splat(t1)), 0) : t1);
  }
}

/**
 * h_s = σ(p_s + h_{s−1}·Uᵀ) for s < steps, in place on batch × hidden blocks (row-major): block s at
 * byte address h + s·stepBytes (stepBytes may be negative) holds p_s on entry; h_{−1} at h0; `ut` is
 * Uᵀ (hidden × hidden, row k = column k of U, so that the product runs along contiguous j). Each
 * dot product is one sequential sum over k from 0, then added to p_s — the order of the gemm
 * micro-kernel.
 */
export function sigmoidRecurrence(steps: i32, batch: i32, hidden: i32, ut: usize, h0: usize, h: usize, stepBytes: i32): void {
  const rowBytes = <usize>hidden << 3;
  let prev = h0;
  for (let s = 0; s < steps; s++) {
    const cur = <usize>(<i32>h + s * stepBytes);
    let b = 0;
    // Two batch rows at a time: each loaded row of Uᵀ serves both (16 multiply-adds per 6 loads
    // instead of 8 per 5); every output is still one sequential sum over k, as below.
    for (; b + 1 < batch; b += 2) {
      const ho = cur + <usize>b * rowBytes;
      twoRowsTimesMatrix(prev + <usize>b * rowBytes, ut, hidden, rowBytes, ho, true);
    }
    for (; b < batch; b++) {
      const hp = prev + <usize>b * rowBytes;
      const ho = cur + <usize>b * rowBytes;
      let j = 0;
      for (; j + 7 < hidden; j += 8) {
        let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
        let q = ut + (<usize>j << 3);
        for (let k = 0; k < hidden; k++) {
          const a = v128.load64_splat(hp + (<usize>k << 3));
          c0 = f64x2.add(c0, f64x2.mul(a, v128.load(q)));
          c1 = f64x2.add(c1, f64x2.mul(a, v128.load(q, 16)));
          c2 = f64x2.add(c2, f64x2.mul(a, v128.load(q, 32)));
          c3 = f64x2.add(c3, f64x2.mul(a, v128.load(q, 48)));
          q += rowBytes;
        }
        const o = ho + (<usize>j << 3);
        v128.store(o, sigmoid2(f64x2.add(v128.load(o), c0)));
        v128.store(o, sigmoid2(f64x2.add(v128.load(o, 16), c1)), 16);
        v128.store(o, sigmoid2(f64x2.add(v128.load(o, 32), c2)), 32);
        v128.store(o, sigmoid2(f64x2.add(v128.load(o, 48), c3)), 48);
      }
      for (; j < hidden; j++) {
        let acc: f64 = 0;
        let q = ut + (<usize>j << 3);
        for (let k = 0; k < hidden; k++) {
          acc += load<f64>(hp + (<usize>k << 3)) * load<f64>(q);
          q += rowBytes;
        }
        const o = ho + (<usize>j << 3);
        store<f64>(o, f64x2.extract_lane(sigmoid2(f64x2.splat(load<f64>(o) + acc)), 0));
      }
    }
    prev = cur;
  }
}

/**
 * BPTT through a sigmoid chain, in place: for s < steps, dh_s += δ_{s−1}·U (s > 0), then
 * δ_s = dh_s ⊙ (h_s ⊙ (1 − h_s)); block s of h, dh and δ at its address + s·stepBytes. U is
 * hidden × hidden row-major (row k contiguous over j). Each dot product is one sequential sum over k
 * from 0, then added to dh_s (the order of the gemm micro-kernel); the products are the
 * TypeScript loop's.
 */
export function sigmoidRecurrenceBackward(steps: i32, batch: i32, hidden: i32, u: usize, h: usize, dh: usize, delta: usize, stepBytes: i32): void {
  const rowBytes = <usize>hidden << 3;
  const one = f64x2.splat(1);
  for (let s = 0; s < steps; s++) {
    const step = s * stepBytes;
    const hs = <usize>(<i32>h + step);
    const gs = <usize>(<i32>dh + step);
    const ds = <usize>(<i32>delta + step);
    const dp = <usize>(<i32>ds - stepBytes);
    for (let b = 0; b < batch; b++) {
      const row = <usize>b * rowBytes;
      if (s > 0 && (b & 1) == 0 && b + 1 < batch) {
        // Two batch rows at a time (this row and the next), as in sigmoidRecurrence.
        twoRowsTimesMatrix(dp + row, u, hidden, rowBytes, gs + row, false);
      } else if (s > 0 && (b & 1) == 0) {
        // The last row of an odd batch (odd rows were done with the row before them).
        const src = dp + row;
        let j = 0;
        for (; j + 7 < hidden; j += 8) {
          let c0 = f64x2.splat(0), c1 = f64x2.splat(0), c2 = f64x2.splat(0), c3 = f64x2.splat(0);
          let q = u + (<usize>j << 3);
          for (let k = 0; k < hidden; k++) {
            const a = v128.load64_splat(src + (<usize>k << 3));
            c0 = f64x2.add(c0, f64x2.mul(a, v128.load(q)));
            c1 = f64x2.add(c1, f64x2.mul(a, v128.load(q, 16)));
            c2 = f64x2.add(c2, f64x2.mul(a, v128.load(q, 32)));
            c3 = f64x2.add(c3, f64x2.mul(a, v128.load(q, 48)));
            q += rowBytes;
          }
          const o = gs + row + (<usize>j << 3);
          v128.store(o, f64x2.add(v128.load(o), c0));
          v128.store(o, f64x2.add(v128.load(o, 16), c1), 16);
          v128.store(o, f64x2.add(v128.load(o, 32), c2), 32);
          v128.store(o, f64x2.add(v128.load(o, 48), c3), 48);
        }
        for (; j < hidden; j++) {
          let acc: f64 = 0;
          let q = u + (<usize>j << 3);
          for (let k = 0; k < hidden; k++) {
            acc += load<f64>(src + (<usize>k << 3)) * load<f64>(q);
            q += rowBytes;
          }
          const o = gs + row + (<usize>j << 3);
          store<f64>(o, load<f64>(o) + acc);
        }
      }
      let j = 0;
      for (; j + 1 < hidden; j += 2) {
        const o = row + (<usize>j << 3);
        const v = v128.load(hs + o);
        v128.store(ds + o, f64x2.mul(v128.load(gs + o), f64x2.mul(v, f64x2.sub(one, v))));
      }
      for (; j < hidden; j++) {
        const o = row + (<usize>j << 3);
        const v = load<f64>(hs + o);
        store<f64>(ds + o, load<f64>(gs + o) * (v * (1 - v)));
      }
    }
  }
}

/**
 * The Viterbi recursion over `steps` steps: next[j] = max_i (δ[i] + A[i, j]) (+ e_s[j]), argmax[j]
 * = the smallest maximising i (strict > from −∞ in increasing i: NaN never wins; 0 when nothing
 * beats −∞). A is n × n row-major at `a` (row i = from-state i, contiguous over j, so that two
 * columns j share each f64x2 compare-and-select); δ₀ at `delta` (n), replaced by the last δ; the
 * other n doubles at `scratch`; emissions (steps × n) at `e` when hasE; argmax rows (i32, steps × n)
 * at `arg`; every δ into the rows (steps × n) at `trellis` when hasTrellis.
 */
export function maxPlusRecurrence(n: i32, steps: i32, a: usize, delta: usize, scratch: usize, e: usize, hasE: bool, arg: usize, trellis: usize, hasTrellis: bool): void {
  const rowBytes = <usize>n << 3;
  let cur = delta;
  let nxt = scratch;
  const minusInf = f64x2.splat(-Infinity);
  const zero = f64x2.splat(0);
  for (let s = 0; s < steps; s++) {
    const argRow = arg + ((<usize>s * <usize>n) << 2);
    let j = 0;
    for (; j + 7 < n; j += 8) {
      let m0 = minusInf, m1 = minusInf, m2 = minusInf, m3 = minusInf;
      let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
      let q = a + (<usize>j << 3);
      for (let i = 0; i < n; i++) {
        const d = v128.load64_splat(cur + (<usize>i << 3));
        const iv = f64x2.splat(<f64>i);
        const v0 = f64x2.add(d, v128.load(q));
        const v1 = f64x2.add(d, v128.load(q, 16));
        const v2 = f64x2.add(d, v128.load(q, 32));
        const v3 = f64x2.add(d, v128.load(q, 48));
        const g0 = f64x2.gt(v0, m0);
        const g1 = f64x2.gt(v1, m1);
        const g2 = f64x2.gt(v2, m2);
        const g3 = f64x2.gt(v3, m3);
        m0 = v128.bitselect(v0, m0, g0);
        m1 = v128.bitselect(v1, m1, g1);
        m2 = v128.bitselect(v2, m2, g2);
        m3 = v128.bitselect(v3, m3, g3);
        a0 = v128.bitselect(iv, a0, g0);
        a1 = v128.bitselect(iv, a1, g1);
        a2 = v128.bitselect(iv, a2, g2);
        a3 = v128.bitselect(iv, a3, g3);
        q += rowBytes;
      }
      const o = nxt + (<usize>j << 3);
      v128.store(o, m0);
      v128.store(o, m1, 16);
      v128.store(o, m2, 32);
      v128.store(o, m3, 48);
      const p = argRow + (<usize>j << 2);
      store<i32>(p, <i32>f64x2.extract_lane(a0, 0));
      store<i32>(p, <i32>f64x2.extract_lane(a0, 1), 4);
      store<i32>(p, <i32>f64x2.extract_lane(a1, 0), 8);
      store<i32>(p, <i32>f64x2.extract_lane(a1, 1), 12);
      store<i32>(p, <i32>f64x2.extract_lane(a2, 0), 16);
      store<i32>(p, <i32>f64x2.extract_lane(a2, 1), 20);
      store<i32>(p, <i32>f64x2.extract_lane(a3, 0), 24);
      store<i32>(p, <i32>f64x2.extract_lane(a3, 1), 28);
    }
    for (; j < n; j++) {
      let best: f64 = -Infinity;
      let at: i32 = 0;
      let q = a + (<usize>j << 3);
      for (let i = 0; i < n; i++) {
        const v = load<f64>(cur + (<usize>i << 3)) + load<f64>(q);
        if (v > best) {
          best = v;
          at = i;
        }
        q += rowBytes;
      }
      store<f64>(nxt + (<usize>j << 3), best);
      store<i32>(argRow + (<usize>j << 2), at);
    }
    if (hasE) {
      const er = e + <usize>s * rowBytes;
      let k = 0;
      for (; k + 1 < n; k += 2) {
        const o = <usize>k << 3;
        v128.store(nxt + o, f64x2.add(v128.load(nxt + o), v128.load(er + o)));
      }
      for (; k < n; k++) {
        const o = <usize>k << 3;
        store<f64>(nxt + o, load<f64>(nxt + o) + load<f64>(er + o));
      }
    }
    if (hasTrellis) memory.copy(trellis + <usize>s * rowBytes, nxt, rowBytes);
    const t = cur;
    cur = nxt;
    nxt = t;
  }
  if (cur != delta) memory.copy(delta, cur, rowBytes);
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
  for (; j + 3 < n; j += 4) {
    const o = <usize>j << 3;
    v128.store(out + o, f64x2.add(f64x2.add(f64x2.mul(c1v, v128.load(dy + o)), f64x2.mul(c2v, f64x2.sub(v128.load(x + o), mv))), c0v));
    v128.store(out + o, f64x2.add(f64x2.add(f64x2.mul(c1v, v128.load(dy + o, 16)), f64x2.mul(c2v, f64x2.sub(v128.load(x + o, 16), mv))), c0v), 16);
  }
  for (; j + 1 < n; j += 2) {
    const o = <usize>j << 3;
    v128.store(out + o, f64x2.add(f64x2.add(f64x2.mul(c1v, v128.load(dy + o)), f64x2.mul(c2v, f64x2.sub(v128.load(x + o), mv))), c0v));
  }
  for (; j < n; j++) {
    const o = <usize>j << 3;
    store<f64>(out + o, c1 * load<f64>(dy + o) + c2 * (load<f64>(x + o) - m) + c0);
  }
}

// The same three kernels and rowShiftedMoments over a block of consecutive rows of n (row i at
// base + i·n·8), each row's constants read from a parameter block: one call per block instead of
// one per row. Every row runs exactly the one-row kernel above (results bitwise equal to it).

/** normalizeAffine per row, with (mean, scale, shift) of row i at params + 24i. */
export function normalizeAffineRows(x: usize, n: i32, rows: i32, params: usize, out: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < rows; i++) {
    const p = params + <usize>i * 24;
    const o = <usize>i * rowBytes;
    normalizeAffine(x + o, n, load<f64>(p), load<f64>(p, 8), load<f64>(p, 16), out + o);
  }
}

/** rowShiftedMoments per row, the three values of row i to out + 24i. */
export function rowShiftedMomentsRows(x: usize, n: i32, rows: i32, out: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < rows; i++) rowShiftedMoments(x + <usize>i * rowBytes, n, out + <usize>i * 24);
}

/** rowSumsBackward per row, centred on the mean of row i at means + 8i, its two sums to out + 16i. */
export function rowSumsBackwardRows(dy: usize, x: usize, n: i32, rows: i32, means: usize, out: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < rows; i++) {
    const o = <usize>i * rowBytes;
    rowSumsBackward(dy + o, x + o, n, load<f64>(means + (<usize>i << 3)), out + (<usize>i << 4));
  }
}

/** normalizeAffineBackward per row, with (mean, c1, c2, c0) of row i at params + 32i. */
export function normalizeAffineBackwardRows(dy: usize, x: usize, n: i32, rows: i32, params: usize, out: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < rows; i++) {
    const p = params + (<usize>i << 5);
    const o = <usize>i * rowBytes;
    normalizeAffineBackward(dy + o, x + o, n, load<f64>(p), load<f64>(p, 8), load<f64>(p, 16), load<f64>(p, 24), out + o);
  }
}

// =============================================================================================
// linalg: the rotation phases of eigh (tridiagonal QL) and svd (Golub–Kahan bidiagonal QR),
// ports of tridiagonalQl / bidiagonalQr in src/kernels/tridiagonal.ts with the same arithmetic
// (no FMA: c·x − s·y rounds as in JavaScript, so both paths give bitwise equal results). The
// vectors stay in this module's memory for the whole iteration; each rotation combines two
// contiguous rows with f64x2.
// =============================================================================================

// @ts-ignore: decorator
@inline
function ldf(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

// @ts-ignore: decorator
@inline
function stf(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}

/** Rows p and q (length n, row stride n) of z: (x, y) ← (c x − s y, s x + c y). */
function rotateRowPair(z: usize, n: i32, p: i32, q: i32, c: f64, s: f64): void {
  let rp = z + ((<usize>p * <usize>n) << 3);
  let rq = z + ((<usize>q * <usize>n) << 3);
  const cv = f64x2.splat(c);
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const x = v128.load(rp);
    const y = v128.load(rq);
    v128.store(rp, f64x2.sub(f64x2.mul(cv, x), f64x2.mul(sv, y)));
    v128.store(rq, f64x2.add(f64x2.mul(sv, x), f64x2.mul(cv, y)));
    rp += 16;
    rq += 16;
  }
  if (k < n) {
    const x = load<f64>(rp);
    const y = load<f64>(rq);
    store<f64>(rp, c * x - s * y);
    store<f64>(rq, s * x + c * y);
  }
}

const LA_EPS: f64 = 2.220446049250313e-16;
const LA_TINY: f64 = 1.0020841800044864e-291; // 2^-966

function tridiagonalQl(n: i32, d: usize, e: usize, zt: usize, maxSweeps: i32): i32 {
  let sweeps = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    while (true) {
      let m = l;
      for (; m < n - 1; m++) {
        const em = Math.abs(ldf(e, m));
        if (em <= LA_EPS * (Math.abs(ldf(d, m)) + Math.abs(ldf(d, m + 1))) || em < LA_TINY) break;
      }
      if (m == l) break;
      if (++iter > maxSweeps) return -1;
      sweeps++;
      let g = (ldf(d, l + 1) - ldf(d, l)) / (2 * ldf(e, l));
      let r = Math.hypot(g, 1);
      g = ldf(d, m) - ldf(d, l) + ldf(e, l) / (g + (g >= 0 ? r : -r));
      let s: f64 = 1;
      let c: f64 = 1;
      let pp: f64 = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * ldf(e, i);
        const b = c * ldf(e, i);
        r = Math.hypot(f, g);
        stf(e, i + 1, r);
        if (r == 0) {
          stf(d, i + 1, ldf(d, i + 1) - pp);
          stf(e, m, 0);
          break;
        }
        s = f / r;
        c = g / r;
        g = ldf(d, i + 1) - pp;
        r = (ldf(d, i) - g) * s + 2 * c * b;
        pp = s * r;
        stf(d, i + 1, g + pp);
        g = c * r - b;
        rotateRowPair(zt, n, i + 1, i, c, -s);
      }
      if (r == 0 && i >= l) continue;
      stf(d, l, ldf(d, l) - pp);
      stf(e, l, g);
      stf(e, m, 0);
    }
  }
  return sweeps;
}

function bidiagonalQr(m: i32, n: i32, s: usize, e: usize, ut: usize, vt: usize, maxSweeps: i32): i32 {
  let p = n;
  let sweeps = 0;
  let budget = maxSweeps * n;
  while (p > 0) {
    let k = p - 2;
    for (; k >= 0; k--) {
      if (Math.abs(ldf(e, k)) <= LA_TINY + LA_EPS * (Math.abs(ldf(s, k)) + Math.abs(ldf(s, k + 1)))) {
        stf(e, k, 0);
        break;
      }
    }
    let kase: i32;
    if (k == p - 2) {
      kase = 4;
    } else {
      let ks = p - 1;
      for (; ks > k; ks--) {
        const t = (ks != p - 1 ? Math.abs(ldf(e, ks)) : 0) + (ks != k + 1 ? Math.abs(ldf(e, ks - 1)) : 0);
        if (Math.abs(ldf(s, ks)) <= LA_TINY + LA_EPS * t) {
          stf(s, ks, 0);
          break;
        }
      }
      if (ks == k) kase = 3;
      else if (ks == p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase == 1) {
      let f = ldf(e, p - 2);
      stf(e, p - 2, 0);
      for (let j = p - 2; j >= k; j--) {
        const t = Math.hypot(ldf(s, j), f);
        const cs = ldf(s, j) / t;
        const sn = f / t;
        stf(s, j, t);
        if (j != k) {
          f = -sn * ldf(e, j - 1);
          stf(e, j - 1, cs * ldf(e, j - 1));
        }
        rotateRowPair(vt, n, j, p - 1, cs, -sn);
      }
    } else if (kase == 2) {
      let f = ldf(e, k - 1);
      stf(e, k - 1, 0);
      for (let j = k; j < p; j++) {
        const t = Math.hypot(ldf(s, j), f);
        const cs = ldf(s, j) / t;
        const sn = f / t;
        stf(s, j, t);
        f = -sn * ldf(e, j);
        stf(e, j, cs * ldf(e, j));
        rotateRowPair(ut, m, j, k - 1, cs, -sn);
      }
    } else if (kase == 3) {
      if (--budget < 0) return -1;
      sweeps++;
      const scale = Math.max(
        Math.max(Math.max(Math.abs(ldf(s, p - 1)), Math.abs(ldf(s, p - 2))), Math.max(Math.abs(ldf(e, p - 2)), Math.abs(ldf(s, k)))),
        Math.abs(ldf(e, k)),
      );
      const sp = ldf(s, p - 1) / scale;
      const spm1 = ldf(s, p - 2) / scale;
      const epm1 = ldf(e, p - 2) / scale;
      const sk = ldf(s, k) / scale;
      const ek = ldf(e, k) / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift: f64 = 0;
      if (b != 0 || c != 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = Math.hypot(f, g);
        let cs = f / t;
        let sn = g / t;
        if (j != k) stf(e, j - 1, t);
        f = cs * ldf(s, j) + sn * ldf(e, j);
        stf(e, j, cs * ldf(e, j) - sn * ldf(s, j));
        g = sn * ldf(s, j + 1);
        stf(s, j + 1, cs * ldf(s, j + 1));
        rotateRowPair(vt, n, j, j + 1, cs, -sn);
        t = Math.hypot(f, g);
        cs = f / t;
        sn = g / t;
        stf(s, j, t);
        f = cs * ldf(e, j) + sn * ldf(s, j + 1);
        stf(s, j + 1, -sn * ldf(e, j) + cs * ldf(s, j + 1));
        g = sn * ldf(e, j + 1);
        stf(e, j + 1, cs * ldf(e, j + 1));
        rotateRowPair(ut, m, j, j + 1, cs, -sn);
      }
      stf(e, p - 2, f);
    } else {
      if (ldf(s, k) < 0) {
        stf(s, k, -ldf(s, k));
        const rk = k * n;
        for (let j = 0; j < n; j++) stf(vt, rk + j, -ldf(vt, rk + j));
      }
      p--;
    }
  }
  return sweeps;
}

// ---- Householder reductions (ports of householderTridiagonal / householderBidiagonal) ----------
// The f64x2 dot products sum in two lanes, so these differ from the TypeScript kernels in the
// last bits (the results agree to rounding, not bitwise).

let laBeta: f64 = 0;

/** Reflector for x = [alpha, x[0..len)]: scales x to v[1:], returns τ, leaves β in laBeta. */
function reflectorAt(alpha: f64, x: usize, len: i32): f64 {
  let scale: f64 = 0;
  for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(ldf(x, i)));
  if (scale == 0) {
    laBeta = alpha;
    return 0;
  }
  let ss: f64 = 0;
  for (let i = 0; i < len; i++) {
    const t = ldf(x, i) / scale;
    ss += t * t;
  }
  const norm = Math.hypot(alpha, scale * Math.sqrt(ss));
  const beta = alpha >= 0 ? -norm : norm;
  const inv = 1 / (alpha - beta);
  for (let i = 0; i < len; i++) stf(x, i, ldf(x, i) * inv);
  laBeta = beta;
  return (beta - alpha) / beta;
}

/** y[0..n) += alpha·x[0..n). */
function laAxpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const av = f64x2.splat(alpha);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
  }
  if (k < n) stf(y, k, ldf(y, k) + alpha * ldf(x, k));
}

/** Σ x[i]·y[i], i < n. */
function laDot(n: i32, x: usize, y: usize): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = (<usize>k) << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
  }
  a0 = f64x2.add(a0, a1);
  let sum = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  for (; k < n; k++) sum += ldf(x, k) * ldf(y, k);
  return sum;
}

/** Returns Σ a[j]·v[j] and does p[j] += a[j]·vi, j < n (the two halves of a symmetric matvec row). */
function laDotAxpy(n: i32, a: usize, v: usize, p: usize, vi: f64): f64 {
  const viv = f64x2.splat(vi);
  let acc = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 3;
    const av = v128.load(a + o);
    acc = f64x2.add(acc, f64x2.mul(av, v128.load(v + o)));
    v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.mul(av, viv)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (k < n) {
    const aj = ldf(a, k);
    sum += aj * ldf(v, k);
    stf(p, k, ldf(p, k) + aj * vi);
  }
  return sum;
}

/** row[j] −= vi·p[j] + qi·v[j], j < n. */
function laRank2(n: i32, row: usize, vi: f64, p: usize, qi: f64, v: usize): void {
  const viv = f64x2.splat(vi);
  const qiv = f64x2.splat(qi);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 3;
    v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.add(f64x2.mul(viv, v128.load(p + o)), f64x2.mul(qiv, v128.load(v + o)))));
  }
  if (k < n) stf(row, k, ldf(row, k) - (vi * ldf(p, k) + qi * ldf(v, k)));
}

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/** M ← H_k ⋯ applied backwards: the product of the reflectors stored in rows of `a` (v at a[k, k+1:]), into the n×n `z`, then transposed. */
function accumulateTransposed(n: i32, a: usize, tau: usize, z: usize, p: usize, last: i32): void {
  memory.fill(z, 0, (<usize>n * <usize>n) << 3);
  for (let i = 0; i < n; i++) stf(z, i * n + i, 1);
  for (let k = last; k >= 0; k--) {
    const t = ldf(tau, k);
    if (t == 0) continue;
    const o = k + 1;
    const m = n - o;
    const v = at(a, k * n + o);
    const pp = at(p, o);
    memory.fill(pp, 0, (<usize>m) << 3);
    for (let i = 0; i < m; i++) {
      const vi = ldf(v, i);
      if (vi != 0) laAxpy(m, vi, at(z, (o + i) * n + o), pp);
    }
    for (let i = 0; i < m; i++) {
      const f = t * ldf(v, i);
      if (f != 0) laAxpy(m, -f, pp, at(z, (o + i) * n + o));
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = ldf(z, i * n + j);
      stf(z, i * n + j, ldf(z, j * n + i));
      stf(z, j * n + i, x);
    }
  }
}

/** symmetricEigenTridiagonal of src/kernels/tridiagonal.ts; p and tau: n scratch entries each. */
export function symmetricEigenTridiagonal(n: i32, a: usize, d: usize, e: usize, zt: usize, p: usize, tau: usize, maxSweeps: i32): i32 {
  if (n == 0) return 0;
  for (let k = 0; k < n - 1; k++) {
    const rk = at(a, k * n);
    stf(d, k, ldf(rk, k));
    const len = n - k - 2;
    let t: f64 = 0;
    if (len > 0) {
      t = reflectorAt(ldf(rk, k + 1), at(rk, k + 2), len);
      stf(e, k, laBeta);
    } else {
      stf(e, k, ldf(rk, k + 1));
    }
    stf(tau, k, t);
    stf(rk, k + 1, 1);
    if (t == 0) continue;
    const o = k + 1;
    const m = n - o;
    const v = at(rk, o);
    const pp = at(p, o);
    memory.fill(pp, 0, (<usize>m) << 3);
    for (let i = 0; i < m; i++) {
      const row = at(a, (o + i) * n + o + i);
      const vi = ldf(v, i);
      const sum = ldf(row, 0) * vi + laDotAxpy(m - i - 1, row + 8, at(v, i + 1), at(pp, i + 1), vi);
      stf(pp, i, ldf(pp, i) + sum);
    }
    let pv: f64 = 0;
    for (let i = 0; i < m; i++) {
      const q = ldf(pp, i) * t;
      stf(pp, i, q);
      pv += q * ldf(v, i);
    }
    const half = 0.5 * t * pv;
    for (let i = 0; i < m; i++) stf(pp, i, ldf(pp, i) - half * ldf(v, i));
    for (let i = 0; i < m; i++) {
      laRank2(m - i, at(a, (o + i) * n + o + i), ldf(v, i), at(pp, i), ldf(pp, i), at(v, i));
    }
  }
  stf(d, n - 1, ldf(a, (n - 1) * n + n - 1));
  stf(e, n - 1, 0);
  accumulateTransposed(n, a, tau, zt, p, n - 2);
  return tridiagonalQl(n, d, e, zt, maxSweeps);
}

/**
 * svdGolubKahan of src/kernels/tridiagonal.ts (m ≥ n). Scratch: work max(m, n), tauL n, tauR n,
 * v m entries.
 */
export function svdGolubKahan(
  m: i32,
  n: i32,
  a: usize,
  s: usize,
  e: usize,
  ut: usize,
  vt: usize,
  work: usize,
  tauL: usize,
  tauR: usize,
  v: usize,
  maxSweeps: i32,
): i32 {
  if (n == 0) return 0;
  memory.fill(e, 0, (<usize>n) << 3);
  for (let k = 0; k < n; k++) {
    const hk = at(ut, k * m);
    for (let i = k; i < m; i++) stf(hk, i, ldf(a, i * n + k));
    const len = m - k - 1;
    let tl: f64 = 0;
    if (len > 0) {
      tl = reflectorAt(ldf(hk, k), at(hk, k + 1), len);
      stf(s, k, laBeta);
    } else {
      stf(s, k, ldf(a, k * n + k));
    }
    stf(hk, k, 1);
    stf(tauL, k, tl);
    const w = n - k - 1;
    if (tl != 0 && w > 0) {
      const wk = at(work, k + 1);
      memory.fill(wk, 0, (<usize>w) << 3);
      for (let i = k; i < m; i++) {
        const vi = ldf(hk, i);
        if (vi != 0) laAxpy(w, vi, at(a, i * n + k + 1), wk);
      }
      for (let i = k; i < m; i++) {
        const f = tl * ldf(hk, i);
        if (f != 0) laAxpy(w, -f, wk, at(a, i * n + k + 1));
      }
    }
    if (k + 1 >= n) continue;
    const rk = at(a, k * n);
    const lenR = n - k - 2;
    let tr: f64 = 0;
    if (lenR > 0) {
      tr = reflectorAt(ldf(rk, k + 1), at(rk, k + 2), lenR);
      stf(e, k, laBeta);
    } else {
      stf(e, k, ldf(rk, k + 1));
    }
    stf(rk, k + 1, 1);
    stf(tauR, k, tr);
    if (tr != 0) {
      const u = at(rk, k + 1);
      for (let i = k + 1; i < m; i++) {
        const ri = at(a, i * n + k + 1);
        const f = tr * laDot(w, ri, u);
        if (f != 0) laAxpy(w, -f, u, ri);
      }
    }
  }
  accumulateTransposed(n, a, tauR, vt, work, n - 3);
  for (let k = n - 1; k >= 0; k--) {
    const hk = at(ut, k * m);
    const t = ldf(tauL, k);
    for (let i = k; i < m; i++) stf(v, i, ldf(hk, i));
    memory.fill(hk, 0, (<usize>m) << 3);
    stf(hk, k, 1);
    if (t == 0) continue;
    const len = m - k;
    const vk = at(v, k);
    for (let r = k; r < n; r++) {
      const rr = at(ut, r * m + k);
      const f = t * laDot(len, rr, vk);
      if (f != 0) laAxpy(len, -f, vk, rr);
    }
  }
  return bidiagonalQr(m, n, s, e, ut, vt, maxSweeps);
}

// ---- LU with partial pivoting (port of luFactor in src/kernels/lu.ts), wholly in wasm memory ----
// Same blocking (NB = 32) and the same panel arithmetic (l·x subtracted as in the TypeScript
// loops); the trailing update is this module's gemm in place. The factors agree with the
// TypeScript kernel to rounding (not bitwise: there the strided L21 panel takes the TypeScript gemm).

const LU_NB = 32;

/** Swap rows r1 and r2 (length n, row stride n) of a. */
function luSwapRows(a: usize, n: i32, r1: i32, r2: i32): void {
  let p = at(a, r1 * n);
  let q = at(a, r2 * n);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const x = v128.load(p);
    v128.store(p, v128.load(q));
    v128.store(q, x);
    p += 16;
    q += 16;
  }
  if (k < n) {
    const x = load<f64>(p);
    store<f64>(p, load<f64>(q));
    store<f64>(q, x);
  }
}

/** y[0..n) −= l·x[0..n) (rounds as the TypeScript `y -= l * x`). */
function luAxmy(n: i32, l: f64, x: usize, y: usize): void {
  const lv = f64x2.splat(l);
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const o = (<usize>k) << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(lv, v128.load(x + o))));
  }
  if (k < n) stf(y, k, ldf(y, k) - l * ldf(x, k));
}

/**
 * P A = L U in place for the n×n row-major `a`; `pivots` (i32) receives the row swapped with row i
 * at step i; `scratch` is gemm's packing scratch. Returns −1, or the first column with a zero pivot.
 */
export function luFactor(n: i32, a: usize, pivots: usize, scratch: usize): i32 {
  for (let j0 = 0; j0 < n; j0 += LU_NB) {
    const jb = min(LU_NB, n - j0);
    const jEnd = j0 + jb;
    for (let j = j0; j < jEnd; j++) {
      let p = j;
      let best = Math.abs(ldf(a, j * n + j));
      for (let i = j + 1; i < n; i++) {
        const v = Math.abs(ldf(a, i * n + j));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      store<i32>(pivots + ((<usize>j) << 2), p);
      if (best == 0) return j;
      if (p != j) luSwapRows(a, n, j, p);
      const rj = at(a, j * n);
      const inv = 1 / ldf(rj, j);
      const w = jEnd - j - 1;
      for (let i = j + 1; i < n; i++) {
        const ri = at(a, i * n);
        const l = ldf(ri, j) * inv;
        stf(ri, j, l);
        if (l != 0 && w > 0) luAxmy(w, l, at(rj, j + 1), at(ri, j + 1));
      }
    }
    if (jEnd >= n) break;
    const rest = n - jEnd;
    for (let i = j0 + 1; i < jEnd; i++) {
      const ri = at(a, i * n + jEnd);
      for (let p = j0; p < i; p++) {
        const l = ldf(a, i * n + p);
        if (l == 0) continue;
        luAxmy(rest, l, at(a, p * n + jEnd), ri);
      }
    }
    gemm(rest, rest, jb, -1, at(a, jEnd * n + j0), n, 1, at(a, j0 * n + jEnd), n, 1, at(a, jEnd * n + jEnd), n, scratch);
  }
  return -1;
}

/**
 * In-place Cholesky of the symmetric n×n row-major `a` (lower triangle read and overwritten by L,
 * strict upper triangle zeroed): the left-looking loop of kernels/cholesky.ts, its dot products in
 * two f64x2 lanes (laDot), so results agree with TypeScript to rounding, not bitwise. The pivot test
 * is the same: pivot j fails when s = a_jj − Σ l_jp² is not finite or not above relTol·a_jj (or 0);
 * then s is left in a[j,j] and j returned. Returns −1 on success.
 */
export function choleskyFactor(n: i32, a: usize, relTol: f64): i32 {
  const rowBytes = <usize>n << 3;
  for (let j = 0; j < n; j++) {
    const rj = a + <usize>j * rowBytes;
    const dj = rj + (<usize>j << 3);
    const ajj = load<f64>(dj);
    const s = ajj - laDot(j, rj, rj);
    if (!(s > relTol * ajj) || !(s > 0) || !isFinite<f64>(s)) {
      store<f64>(dj, s);
      return j;
    }
    const ljj = Math.sqrt(s);
    store<f64>(dj, ljj);
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = a + <usize>i * rowBytes;
      const q = ri + (<usize>j << 3);
      store<f64>(q, (load<f64>(q) - laDot(j, ri, rj)) * inv);
    }
    memory.fill(dj + 8, 0, <usize>(n - j - 1) << 3);
  }
  return -1;
}
