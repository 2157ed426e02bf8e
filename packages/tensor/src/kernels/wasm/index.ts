/**
 * The WebAssembly SIMD (f64x2) implementations of the hot kernels, with the same contracts as the
 * TypeScript ones in `kernels/` (what {@link wasmKernels} holds is installed into the kernel table
 * by `kernels/index.ts` when the engine supports WASM SIMD).
 *
 * The module (compiled at build time from `wasm/kernels.ts`, AssemblyScript) is embedded as base64
 * and instantiated synchronously (it is ~2 KB, under every engine's limit for synchronous
 * compilation). Operands live in JavaScript `Float64Array`s, so each kernel copies (or packs) its
 * inputs into the module's one growable memory and copies its result out; measured on [64,256,1024]
 * rows of 1024, copying a row into wasm memory and taking its two moment passes there with f64x2
 * is 2× faster than the scalar TypeScript loop, but a kernel that must also copy a row out loses
 * (see {@link wasmKernels} and bench/kernels.bench.ts). Strided rows, float32 storage and rows
 * shorter than {@link MIN_ROW} fall back to the TypeScript kernels.
 *
 * Not re-entrant (one scratch region), which single-threaded JavaScript never needs.
 */
import { WASM_KERNELS_BASE64, WASM_KERNELS_RELAXED_BASE64 } from "./module.generated";
import type { svdGolubKahan as svdGolubKahanJs, symmetricEigenTridiagonal as symmetricEigenTridiagonalJs } from "../tridiagonal";
import { luFactor as luFactorJs } from "../lu";
import { GRAM_BLOCK, choleskyFactor as choleskyFactorJs, gram as gramJs, mirrorUpper } from "../cholesky";
import { KC, MC, MR, NC, NR, SMALL, gemm as gemmJs } from "../gemm";
import {
  rowMax as rowMaxJs,
  rowShiftedMoments as rowShiftedMomentsJs,
  rowShiftedMomentsRows as rowShiftedMomentsRowsJs,
  rowSum as rowSumJs,
  rowSumSquaredDeviations as rowSumSqDevJs,
} from "../reduce";
import {
  normalizeAffine as normalizeAffineJs,
  normalizeAffineBackward as normalizeAffineBackwardJs,
  normalizeAffineBackwardRows as normalizeAffineBackwardRowsJs,
  normalizeAffineBackwardSums as normalizeAffineBackwardSumsJs,
  normalizeAffineBackwardSumsRows as normalizeAffineBackwardSumsRowsJs,
  normalizeAffineRows as normalizeAffineRowsJs,
} from "../normalize";
import type { DataArray } from "../../tensor";
import {
  maxPlusRecurrence as maxPlusRecurrenceJs,
  maxPlusStep as maxPlusStepJs,
  sigmoidRecurrence as sigmoidRecurrenceJs,
  sigmoidRecurrenceBackward as sigmoidRecurrenceBackwardJs,
  type IndexArray,
} from "../recurrence";

/** The parts of the WebAssembly JS API used here (the project's `lib` has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface Exports {
  readonly memory: WasmMemory;
  gemm(m: number, n: number, k: number, alpha: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, ldc: number, scratch: number): void;
  rowSum(x: number, n: number): number;
  rowSumSquaredDeviations(x: number, n: number, c: number): number;
  rowMax(x: number, n: number): number;
  rowShiftedMoments(x: number, n: number, out: number): void;
  normalizeAffine(x: number, n: number, m: number, a: number, b: number, out: number): void;
  rowSumsBackward(dy: number, x: number, n: number, m: number, out: number): void;
  normalizeAffineBackward(dy: number, x: number, n: number, m: number, c1: number, c2: number, c0: number, out: number): void;
  normalizeAffineRows(x: number, n: number, rows: number, params: number, out: number): void;
  rowShiftedMomentsRows(x: number, n: number, rows: number, out: number): void;
  rowSumsBackwardRows(dy: number, x: number, n: number, rows: number, means: number, out: number): void;
  normalizeAffineBackwardRows(dy: number, x: number, n: number, rows: number, params: number, out: number): void;
  symmetricEigenTridiagonal(n: number, a: number, d: number, e: number, zt: number, p: number, tau: number, maxSweeps: number): number;
  svdGolubKahan(m: number, n: number, a: number, s: number, e: number, ut: number, vt: number, work: number, tauL: number, tauR: number, v: number, maxSweeps: number): number;
  luFactor(n: number, a: number, pivots: number, scratch: number): number;
  choleskyFactor(n: number, a: number, relTol: number): number;
  sigmoidRecurrence(steps: number, batch: number, hidden: number, ut: number, h0: number, h: number, stepBytes: number): void;
  sigmoidRecurrenceBackward(steps: number, batch: number, hidden: number, u: number, h: number, dh: number, delta: number, stepBytes: number): void;
  maxPlusRecurrence(n: number, steps: number, a: number, delta: number, scratch: number, e: number, hasE: number, arg: number, trellis: number, hasTrellis: number): void;
}

/** Rows shorter than this stay in TypeScript (the copy and the call cost more than they save). */
export const MIN_ROW = 16;

/**
 * A tiny module, `(func (result v128) (f64x2.add (f64x2.splat (f64.const 0)) (f64x2.splat (f64.const 0))))`:
 * it validates exactly when the engine has WASM SIMD.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 29, 1, 27, 0, 68, 0, 0, 0, 0, 0, 0, 0, 0, 253, 20,
  68, 0, 0, 0, 0, 0, 0, 0, 0, 253, 20, 253, 240, 1, 11,
]);

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** True when the engine validates a WebAssembly module with f64x2 SIMD instructions. */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi !== undefined && wasmApi.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * The two builds of the module: `"simd"` (WebAssembly SIMD: every kernel bitwise equal to its
 * TypeScript twin) and `"relaxed-simd"` (the same, with the gemm multiply-add as
 * `f64x2.relaxed_madd`, a fused multiply-add where the CPU has one; needs an engine with relaxed
 * SIMD: current browsers, Node ≥ 22, or Node 20 started with `--experimental-wasm-relaxed-simd`).
 */
export type WasmVariant = "simd" | "relaxed-simd";

const exportsCache: Partial<Record<WasmVariant, Exports | null>> = {};
const moduleBytes: Partial<Record<WasmVariant, Uint8Array>> = {};

function bytesOf(variant: WasmVariant): Uint8Array {
  return (moduleBytes[variant] ??= decodeBase64(variant === "simd" ? WASM_KERNELS_BASE64 : WASM_KERNELS_RELAXED_BASE64));
}

/** True when the engine validates the given build of the kernels module (no instantiation). */
export function wasmVariantSupported(variant: WasmVariant): boolean {
  if (variant === "simd") return wasmSimdSupported();
  try {
    return wasmApi !== undefined && wasmSimdSupported() && wasmApi.validate(bytesOf(variant));
  } catch {
    return false;
  }
}

/** The instantiated module, or null when the engine cannot run that build (or instantiation failed). */
export function loadWasm(variant: WasmVariant = "simd"): Exports | null {
  const cached = exportsCache[variant];
  if (cached !== undefined) return cached;
  exportsCache[variant] = null;
  if (wasmApi === undefined || !wasmVariantSupported(variant)) return null;
  try {
    const module = new wasmApi.Module(bytesOf(variant));
    exportsCache[variant] = new wasmApi.Instance(module, {}).exports as Exports;
  } catch {
    exportsCache[variant] = null;
  }
  return exportsCache[variant];
}

// ---- memory: one growable WebAssembly.Memory, a Float64Array view recreated after each grow ----

let f64: Float64Array = new Float64Array(0);

/** Make the module's memory hold at least `doubles` float64 values; returns the current view. */
function reserve(w: Exports, doubles: number): Float64Array {
  const bytes = doubles * 8;
  const mem = w.memory;
  if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  if (f64.buffer !== mem.buffer) f64 = new Float64Array(mem.buffer);
  return f64;
}

/**
 * The first double index ≥ `from` whose address lies `gap` bytes past (modulo 4 KB) that of
 * `target[offset]`, to place a staging area in wasm memory.
 *
 * Why: a copy whose destination sits a few bytes past its source modulo 4096 runs into "4K
 * aliasing" (the CPU takes each load for one that depends on a store just issued with the same low
 * 12 address bits, and stalls). Copying a 1024-value row out of wasm memory staged at a page
 * boundary into a large array measured 53 ms per 134 MB against 14 ms with the staging moved by
 * 16 bytes (Node 20, Zen 3): large typed arrays come from mmap with a 16-byte allocator header, so
 * their rows sit 16 bytes past a page-aligned staging area. The address of a typed array is not
 * visible from JavaScript; this assumes that 16-byte header (right for the large arrays, where the
 * copy is long enough to matter, and harmless elsewhere: a random gap is rarely small).
 */
function apart(from: number, target: DataArray, offset: number, gap: number): number {
  const targetByte = (target.byteOffset + offset * target.BYTES_PER_ELEMENT + 16) & 4095;
  const want = (targetByte + gap) & 4095;
  return from + ((((want - from * 8) & 4095) >> 3));
}

// ---- gemm: copy the spans of A, B and C in, run the blocked gemm of wasm/kernels.ts, copy C out ----

/** Doubles of packing scratch at the start of memory: (MC + NC)·KC for the panels, 16 for an edge tile. */
const SCRATCH = (MC + NC) * KC + 16;

/** Elements from the first to the last element of a strided matrix (strides ≥ 0). */
function span(rows: number, cols: number, rowStride: number, colStride: number): number {
  return (rows - 1) * rowStride + (cols - 1) * colStride + 1;
}

/**
 * True when a rows × cols matrix with these element strides is dense enough for the WASM gemm to
 * copy its span into wasm memory: strides ≥ 0 and a span at most 4× its elements (plus 4096). A
 * sparser view stays in the TypeScript gemm (the copy would cost more than it saves). Shared with
 * the threaded gemm (kernels/threads.ts), whose row blocks must fall on the same side.
 */
export function denseEnoughToCopy(rows: number, cols: number, rowStride: number, colStride: number): boolean {
  return rowStride >= 0 && colStride >= 0 && span(rows, cols, rowStride, colStride) <= 4 * rows * cols + 4096;
}

function makeGemm(w: Exports): typeof gemmJs {
  return function gemm(m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc, cIsZero) {
    if (m === 0 || n === 0 || k === 0) return;
    const aSpan = span(m, k, aRow, aCol);
    const bSpan = span(k, n, bRow, bCol);
    const cSpan = span(m, n, ldc, 1);
    if (
      m * n * k <= SMALL || m < MR || n < NR || ldc < n ||
      !denseEnoughToCopy(m, k, aRow, aCol) || !denseEnoughToCopy(k, n, bRow, bCol) || !denseEnoughToCopy(m, n, ldc, 1)
    ) {
      gemmJs(m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, ldc);
      return;
    }
    const A0 = SCRATCH;
    const B0 = A0 + aSpan + (aSpan & 1);
    // C staged 2 KB past its destination modulo 4 KB (see apart): the copy out runs at full speed.
    const C0 = apart(B0 + bSpan, c, cOff, 2048);
    const mem = reserve(w, C0 + cSpan);
    copyIn(mem, A0, a, aOff, aSpan);
    copyIn(mem, B0, b, bOff, bSpan);
    if (cIsZero === true) mem.fill(0, C0, C0 + cSpan);
    else copyIn(mem, C0, c, cOff, cSpan);
    w.gemm(m, n, k, alpha, A0 * 8, aRow, aCol, B0 * 8, bRow, bCol, C0 * 8, ldc, 0);
    c.set(mem.subarray(C0, C0 + cSpan), cOff);
  };
}

/**
 * The Gram product XᵀX with X copied into wasm memory once: the upper block triangle by the WASM
 * gemm (block rows of GRAM_BLOCK, as the TypeScript `gram` does), then copied out and mirrored.
 * n = 2000, d = 500: 157 ms in TypeScript (whose gemm it calls directly), 30 ms here.
 */
function makeGram(w: Exports): typeof gramJs {
  return function gram(n, d, x, strideRow, strideCol, offsetX, out, offsetOut) {
    if (n * d * d <= SMALL || strideRow < 0 || strideCol < 0 || !denseEnoughToCopy(n, d, strideRow, strideCol)) {
      gramJs(n, d, x, strideRow, strideCol, offsetX, out, offsetOut);
      return;
    }
    const xSpan = span(n, d, strideRow, strideCol);
    const X0 = SCRATCH;
    const C0 = apart(X0 + xSpan, out, offsetOut, 2048);
    const mem = reserve(w, C0 + d * d);
    copyIn(mem, X0, x, offsetX, xSpan);
    mem.fill(0, C0, C0 + d * d);
    for (let i0 = 0; i0 < d; i0 += GRAM_BLOCK) {
      const ib = Math.min(GRAM_BLOCK, d - i0);
      const col = (X0 + i0 * strideCol) * 8;
      w.gemm(ib, d - i0, n, 1, col, strideCol, strideRow, col, strideRow, strideCol, (C0 + i0 * d + i0) * 8, d, 0);
    }
    out.set(mem.subarray(C0, C0 + d * d), offsetOut);
    mirrorUpper(d, out, offsetOut);
  };
}

// ---- row kernels: copy the row(s) in, run, copy the result out ----

/**
 * Copy `n` contiguous values of `x` from `offset` into wasm memory at double index `at`.
 * Through a view that starts at the destination: on V8 (Node 20) `view.set(src, at)` with a
 * non-zero `at` into wasm memory takes a slow element-wise path (measured ~4× slower than a view
 * starting at `at`).
 */
function copyIn(mem: Float64Array, at: number, x: Float64Array, offset: number, n: number): void {
  const src = x.subarray(offset, offset + n);
  if (at === 0) mem.set(src);
  else new Float64Array(mem.buffer, at * 8, n).set(src);
}

function makeRows(w: Exports) {
  const rowSum = (n: number, x: DataArray, strideX: number, offsetX: number): number => {
    if (strideX !== 1 || n < MIN_ROW || !(x instanceof Float64Array)) return rowSumJs(n, x, strideX, offsetX);
    const mem = reserve(w, n);
    copyIn(mem, 0, x, offsetX, n);
    return w.rowSum(0, n);
  };
  const rowSumSquaredDeviations = (n: number, x: DataArray, strideX: number, offsetX: number, centre: number): number => {
    if (strideX !== 1 || n < MIN_ROW || !(x instanceof Float64Array)) return rowSumSqDevJs(n, x, strideX, offsetX, centre);
    const mem = reserve(w, n);
    copyIn(mem, 0, x, offsetX, n);
    return w.rowSumSquaredDeviations(0, n, centre);
  };
  const rowMax = (n: number, x: DataArray, strideX: number, offsetX: number): number => {
    if (strideX !== 1 || n < MIN_ROW || !(x instanceof Float64Array)) return rowMaxJs(n, x, strideX, offsetX);
    const mem = reserve(w, n);
    copyIn(mem, 0, x, offsetX, n);
    return w.rowMax(0, n);
  };
  const rowShiftedMoments: typeof rowShiftedMomentsJs = (n, x, strideX, offsetX, out, outOffset) => {
    if (strideX !== 1 || n < MIN_ROW || !(x instanceof Float64Array)) {
      rowShiftedMomentsJs(n, x, strideX, offsetX, out, outOffset);
      return;
    }
    const mem = reserve(w, n + 4);
    copyIn(mem, 0, x, offsetX, n);
    w.rowShiftedMoments(0, n, n * 8);
    out[outOffset] = mem[n]!;
    out[outOffset + 1] = mem[n + 1]!;
    out[outOffset + 2] = mem[n + 2]!;
  };
  const normalizeAffine: typeof normalizeAffineJs = (n, x, strideX, offsetX, mean, scale, shift, out, strideOut, offsetOut) => {
    if (strideX !== 1 || strideOut !== 1 || n < MIN_ROW) {
      normalizeAffineJs(n, x, strideX, offsetX, mean, scale, shift, out, strideOut, offsetOut);
      return;
    }
    // x staged at the destination's address modulo 4 KB and the result 2 KB past it (see apart).
    const X = apart(0, out, offsetOut, 0);
    const O = apart(X + n, out, offsetOut, 2048);
    const mem = reserve(w, O + n);
    copyIn(mem, X, x, offsetX, n);
    w.normalizeAffine(X * 8, n, mean, scale, shift, O * 8);
    out.set(mem.subarray(O, O + n), offsetOut);
  };
  const normalizeAffineBackwardSums: typeof normalizeAffineBackwardSumsJs = (n, dy, strideDy, offsetDy, x, strideX, offsetX, mean, out, outOffset) => {
    if (strideX !== 1 || strideDy !== 1 || n < MIN_ROW) {
      normalizeAffineBackwardSumsJs(n, dy, strideDy, offsetDy, x, strideX, offsetX, mean, out, outOffset);
      return;
    }
    const mem = reserve(w, 2 * n + 2);
    copyIn(mem, 0, dy, offsetDy, n);
    copyIn(mem, n, x, offsetX, n);
    w.rowSumsBackward(0, n * 8, n, mean, 2 * n * 8);
    out[outOffset] = mem[2 * n]!;
    out[outOffset + 1] = mem[2 * n + 1]!;
  };
  const normalizeAffineBackward: typeof normalizeAffineBackwardJs = (n, dy, strideDy, offsetDy, x, strideX, offsetX, mean, c1, c2, c0, out, strideOut, offsetOut) => {
    if (strideX !== 1 || strideDy !== 1 || strideOut !== 1 || n < MIN_ROW) {
      normalizeAffineBackwardJs(n, dy, strideDy, offsetDy, x, strideX, offsetX, mean, c1, c2, c0, out, strideOut, offsetOut);
      return;
    }
    const D = apart(0, out, offsetOut, 0);
    const X = apart(D + n, out, offsetOut, 1024);
    const O = apart(X + n, out, offsetOut, 2048);
    const mem = reserve(w, O + n);
    copyIn(mem, D, dy, offsetDy, n);
    copyIn(mem, X, x, offsetX, n);
    w.normalizeAffineBackward(D * 8, X * 8, n, mean, c1, c2, c0, O * 8);
    out.set(mem.subarray(O, O + n), offsetOut);
  };
  return { rowSum, rowSumSquaredDeviations, rowShiftedMoments, rowMax, normalizeAffine, normalizeAffineBackwardSums, normalizeAffineBackward };
}

/**
 * Values per stream staged per call by the block kernels (64 KB: a few rows of 1024, each stream's
 * block and the result in L2). Measured on batch norm's [64,256,1024]: blocks of 8, 32 and 128 rows
 * of 1024 ran alike (forward 24 ms against 33 ms one row per call; moments 15 against 18 ms).
 */
const BLOCK = 8192;

/**
 * Call `block(r0, count, per)` for `rows` rows of length n cut into consecutive blocks of
 * `per` = max(1, ⌊BLOCK / n⌋) rows (the last may be shorter): rows r0 … r0 + count − 1.
 */
function forEachBlock(rows: number, n: number, block: (r0: number, count: number, per: number) => void): void {
  const per = Math.max(1, Math.floor(BLOCK / n));
  for (let r0 = 0; r0 < rows; r0 += per) block(r0, Math.min(per, rows - r0), per);
}

/**
 * The block kernels: a block of consecutive rows (and its per-row constants) copied in with one
 * `set` per stream, one call into the module for the whole block, the result copied out with one
 * `set`; staged clear of 4K aliasing with the destination as the one-row kernels are (see apart).
 */
function makeRowBlocks(w: Exports) {
  const rowShiftedMomentsRows: typeof rowShiftedMomentsRowsJs = (rows, n, x, offsetX, out, outOffset) => {
    if (n < MIN_ROW || !(x instanceof Float64Array)) {
      rowShiftedMomentsRowsJs(rows, n, x, offsetX, out, outOffset);
      return;
    }
    forEachBlock(rows, n, (r0, count, per) => {
      const R = 3 * per;
      const mem = reserve(w, R + count * n);
      copyIn(mem, R, x, offsetX + r0 * n, count * n);
      w.rowShiftedMomentsRows(R * 8, n, count, 0);
      out.set(mem.subarray(0, 3 * count), outOffset + 3 * r0);
    });
  };
  const normalizeAffineRows: typeof normalizeAffineRowsJs = (rows, n, x, offsetX, params, paramsOffset, out, offsetOut) => {
    if (n < MIN_ROW) {
      normalizeAffineRowsJs(rows, n, x, offsetX, params, paramsOffset, out, offsetOut);
      return;
    }
    forEachBlock(rows, n, (r0, count, per) => {
      const len = count * n;
      const oo = offsetOut + r0 * n;
      // Constants at 0; x staged at the destination's address modulo 4 KB, the result 2 KB past it.
      const X = apart(3 * per, out, oo, 0);
      const O = apart(X + len, out, oo, 2048);
      const mem = reserve(w, O + len);
      copyIn(mem, 0, params, paramsOffset + 3 * r0, 3 * count);
      copyIn(mem, X, x, offsetX + r0 * n, len);
      w.normalizeAffineRows(X * 8, n, count, 0, O * 8);
      out.set(mem.subarray(O, O + len), oo);
    });
  };
  const normalizeAffineBackwardSumsRows: typeof normalizeAffineBackwardSumsRowsJs = (rows, n, dy, offsetDy, x, offsetX, mean, meanOffset, out, outOffset) => {
    if (n < MIN_ROW) {
      normalizeAffineBackwardSumsRowsJs(rows, n, dy, offsetDy, x, offsetX, mean, meanOffset, out, outOffset);
      return;
    }
    forEachBlock(rows, n, (r0, count, per) => {
      // Layout (doubles): sums (2 per row) | means (1 per row) | dy block | x block.
      const M = 2 * per;
      const D = 3 * per;
      const X = D + per * n;
      const len = count * n;
      const mem = reserve(w, X + per * n);
      copyIn(mem, M, mean, meanOffset + r0, count);
      copyIn(mem, D, dy, offsetDy + r0 * n, len);
      copyIn(mem, X, x, offsetX + r0 * n, len);
      w.rowSumsBackwardRows(D * 8, X * 8, n, count, M * 8, 0);
      out.set(mem.subarray(0, 2 * count), outOffset + 2 * r0);
    });
  };
  const normalizeAffineBackwardRows: typeof normalizeAffineBackwardRowsJs = (rows, n, dy, offsetDy, x, offsetX, params, paramsOffset, out, offsetOut) => {
    if (n < MIN_ROW) {
      normalizeAffineBackwardRowsJs(rows, n, dy, offsetDy, x, offsetX, params, paramsOffset, out, offsetOut);
      return;
    }
    forEachBlock(rows, n, (r0, count, per) => {
      const len = count * n;
      const oo = offsetOut + r0 * n;
      const D = apart(4 * per, out, oo, 0);
      const X = apart(D + len, out, oo, 1024);
      const O = apart(X + len, out, oo, 2048);
      const mem = reserve(w, O + len);
      copyIn(mem, 0, params, paramsOffset + 4 * r0, 4 * count);
      copyIn(mem, D, dy, offsetDy + r0 * n, len);
      copyIn(mem, X, x, offsetX + r0 * n, len);
      w.normalizeAffineBackwardRows(D * 8, X * 8, n, count, 0, O * 8);
      out.set(mem.subarray(O, O + len), oo);
    });
  };
  return { rowShiftedMomentsRows, normalizeAffineRows, normalizeAffineBackwardSumsRows, normalizeAffineBackwardRows };
}

// ---- recurrences (helper `steps`): the shared matrix (U, log A) is copied in once per chain ----

/** Chains whose product has fewer multiply-adds (or max-plus cells) than this stay in TypeScript. */
const SMALL_CHAIN = 4096;
/** Emission, argmax and trellis rows pass through wasm memory in chunks of about this many values. */
const CHUNK = 1 << 18;
/** Transition matrices above this many entries (32 MB) stay in TypeScript rather than in wasm memory. */
const MAX_RESIDENT = 1 << 22;

function makeRecurrences(w: Exports) {
  const sigmoidRecurrence: typeof sigmoidRecurrenceJs = (steps, batch, hidden, U, offsetU, h0, offsetH0, h, offsetH, stepStride) => {
    const block = batch * hidden;
    if (steps === 0 || block === 0) return;
    if ((steps > 1 && Math.abs(stepStride) !== block) || steps * block * hidden < SMALL_CHAIN) {
      sigmoidRecurrenceJs(steps, batch, hidden, U, offsetU, h0, offsetH0, h, offsetH, stepStride);
      return;
    }
    // Memory: Uᵀ (hidden²), h0 (block), then the chain's span of h (steps blocks, lowest address first).
    const UT = 0;
    const H0 = hidden * hidden;
    const lo = stepStride >= 0 ? offsetH : offsetH + (steps - 1) * stepStride;
    const HS = apart(H0 + block, h, lo, 2048);
    const mem = reserve(w, HS + steps * block);
    for (let k = 0; k < hidden; k++) {
      const row = UT + k * hidden;
      for (let j = 0; j < hidden; j++) mem[row + j] = U[offsetU + j * hidden + k]!;
    }
    copyIn(mem, H0, h0, offsetH0, block);
    copyIn(mem, HS, h, lo, steps * block);
    w.sigmoidRecurrence(steps, batch, hidden, UT * 8, H0 * 8, (HS + offsetH - lo) * 8, (steps > 1 ? stepStride : block) * 8);
    h.set(mem.subarray(HS, HS + steps * block), lo);
  };

  const sigmoidRecurrenceBackward: typeof sigmoidRecurrenceBackwardJs = (steps, batch, hidden, U, offsetU, h, offsetH, dh, offsetDh, delta, offsetDelta, stepStride) => {
    const block = batch * hidden;
    if (steps === 0 || block === 0) return;
    if ((steps > 1 && Math.abs(stepStride) !== block) || steps * block * hidden < SMALL_CHAIN) {
      sigmoidRecurrenceBackwardJs(steps, batch, hidden, U, offsetU, h, offsetH, dh, offsetDh, delta, offsetDelta, stepStride);
      return;
    }
    // Memory: U (hidden²), then the chain's spans of h, dh and δ (lowest address first).
    const span = steps * block;
    const back = stepStride < 0 ? (steps - 1) * stepStride : 0;
    const HS = hidden * hidden;
    const GS = apart(HS + span, dh, offsetDh + back, 2048);
    const DS = apart(GS + span, delta, offsetDelta + back, 2048);
    const mem = reserve(w, DS + span);
    copyIn(mem, 0, U, offsetU, hidden * hidden);
    copyIn(mem, HS, h, offsetH + back, span);
    copyIn(mem, GS, dh, offsetDh + back, span);
    w.sigmoidRecurrenceBackward(steps, batch, hidden, 0, (HS - back) * 8, (GS - back) * 8, (DS - back) * 8, (steps > 1 ? stepStride : block) * 8);
    dh.set(mem.subarray(GS, GS + span), offsetDh + back);
    delta.set(mem.subarray(DS, DS + span), offsetDelta + back);
  };

  let i32: Int32Array = new Int32Array(0);
  /** Copy A (n × n, strides strideI/strideJ) into memory at `at` as row-major rows i, contiguous over j. */
  const copyMatrix = (mem: Float64Array, at: number, n: number, logA: Float64Array, offsetA: number, strideI: number, strideJ: number): void => {
    if (strideJ === 1 && strideI === n) copyIn(mem, at, logA, offsetA, n * n);
    else if (strideJ === 1) for (let i = 0; i < n; i++) copyIn(mem, at + i * n, logA, offsetA + i * strideI, n);
    else {
      // In 64 × 64 tiles, so that a transposed source (strideI = 1) is read and written cache-friendly.
      for (let i0 = 0; i0 < n; i0 += 64) {
        const i1 = Math.min(n, i0 + 64);
        for (let j0 = 0; j0 < n; j0 += 64) {
          const j1 = Math.min(n, j0 + 64);
          for (let j = j0; j < j1; j++) {
            const src = offsetA + j * strideJ;
            for (let i = i0; i < i1; i++) mem[at + i * n + j] = logA[src + i * strideI]!;
          }
        }
      }
    }
  };
  /**
   * Runs the recursion with A resident in memory; emissions, argmax rows and trellis rows pass
   * through in chunks of at most CHUNK values, so memory stays n² + O(CHUNK) doubles for any length.
   */
  const run = (
    n: number, steps: number, logA: Float64Array, offsetA: number, strideI: number, strideJ: number,
    delta: Float64Array, offsetDelta: number, emissions: Float64Array | null, offsetE: number,
    argmax: IndexArray, offsetArgmax: number, trellis: Float64Array | null, offsetTrellis: number,
  ): void => {
    const chunk = Math.max(1, Math.floor(CHUNK / n));
    const rows = Math.min(steps, chunk);
    // Memory: A (n²), δ (n), scratch (n), emissions (rows·n), argmax (rows·n int32), trellis (rows·n).
    const A = 0;
    const D = n * n;
    const SC = D + n;
    const E = SC + n;
    const ARG = E + (emissions === null ? 0 : rows * n);
    const TR = ARG + Math.ceil((rows * n) / 2);
    const mem = reserve(w, TR + (trellis === null ? 0 : rows * n));
    if (i32.buffer !== mem.buffer) i32 = new Int32Array(mem.buffer);
    copyMatrix(mem, A, n, logA, offsetA, strideI, strideJ);
    copyIn(mem, D, delta, offsetDelta, n);
    for (let s0 = 0; s0 < steps; s0 += chunk) {
      const c = Math.min(chunk, steps - s0);
      if (emissions !== null) copyIn(mem, E, emissions, offsetE + s0 * n, c * n);
      w.maxPlusRecurrence(n, c, A * 8, D * 8, SC * 8, E * 8, emissions === null ? 0 : 1, ARG * 8, TR * 8, trellis === null ? 0 : 1);
      argmax.set(i32.subarray(2 * ARG, 2 * ARG + c * n), offsetArgmax + s0 * n);
      if (trellis !== null) trellis.set(mem.subarray(TR, TR + c * n), offsetTrellis + s0 * n);
    }
    delta.set(mem.subarray(D, D + n), offsetDelta);
  };
  const maxPlusStep: typeof maxPlusStepJs = (n, delta, offsetDelta, logA, offsetA, strideI, strideJ, out, offsetOut, argmax, offsetArgmax) => {
    // A transposed A (strideI = 1) is the TypeScript kernel's fast layout, and re-transposing it into
    // wasm memory costs more than one step saves (n = 500: 1.05 ms against 0.39 ms in TypeScript).
    if (n * n < SMALL_CHAIN || n * n > MAX_RESIDENT || strideI === 1) {
      maxPlusStepJs(n, delta, offsetDelta, logA, offsetA, strideI, strideJ, out, offsetOut, argmax, offsetArgmax);
      return;
    }
    // One step of the recursion, its δ (n values) landing in `out`.
    out.set(delta.subarray(offsetDelta, offsetDelta + n), offsetOut);
    run(n, 1, logA, offsetA, strideI, strideJ, out, offsetOut, null, 0, argmax, offsetArgmax, null, 0);
  };
  const maxPlusRecurrence: typeof maxPlusRecurrenceJs = (n, steps, logA, offsetA, strideI, strideJ, delta, offsetDelta, emissions, offsetE, argmax, offsetArgmax, trellis, offsetTrellis, scratch) => {
    if (steps === 0 || n === 0) return;
    // Re-transposing a transposed A costs about three TypeScript steps: worth it from 4 steps on.
    if (steps * n * n < SMALL_CHAIN || n * n > MAX_RESIDENT || (strideI === 1 && steps < 4)) {
      maxPlusRecurrenceJs(n, steps, logA, offsetA, strideI, strideJ, delta, offsetDelta, emissions, offsetE, argmax, offsetArgmax, trellis, offsetTrellis, scratch);
      return;
    }
    run(n, steps, logA, offsetA, strideI, strideJ, delta, offsetDelta, emissions, offsetE, argmax, offsetArgmax, trellis, offsetTrellis);
  };
  return { sigmoidRecurrence, sigmoidRecurrenceBackward, maxPlusStep, maxPlusRecurrence };
}

/** Every WASM SIMD kernel (null when the engine has no WASM SIMD), for tests and bench/kernels.bench.ts. */
export function wasmKernelsAll(variant: WasmVariant = "simd") {
  const w = loadWasm(variant);
  if (w === null) return null;
  return { gemm: makeGemm(w), gram: makeGram(w), ...makeRows(w), ...makeRowBlocks(w), ...makeRecurrences(w), ...makeLinalg(w) };
}

/**
 * The WASM SIMD kernels that `setKernelBackend("wasm-simd")` installs (null without WASM SIMD):
 * those that beat the TypeScript loop despite copying their operands into wasm memory, measured by
 * bench/kernels.bench.ts on rows of 1024 (Node 20, shared 2-core machine, medians): gemm (3–4×),
 * `rowShiftedMoments` (2.0×: one copy, then both passes from L1), `normalizeAffineBackwardSums`
 * (2.1×), `rowMax` (1.2×), and the kernels whose result is a row, `normalizeAffine` (1.7×) and
 * `normalizeAffineBackward` (1.3×; 16.7 M values in rows of 1024 into a separate array,
 * interleaved: 33 against 57 ms and 56 against 75 ms) — those lost to TypeScript (0.55×, 0.9×)
 * until their results were staged clear of 4K aliasing with the destination (see `apart`). The
 * plain `rowSum` / `rowSumSquaredDeviations` run at memory speed either way (0.9×), so those stay
 * in TypeScript until tensors can live in wasm memory. The recurrences run a whole chain per call with the shared
 * matrix copied in once (T 50, B 32, H 64: `sigmoidRecurrence` 2.3 ms against 6.6 ms for a WASM
 * gemm per step plus σ in TypeScript; `maxPlusRecurrence` n = 500: 0.6 ns per cell against 2.1 in
 * TypeScript); `maxPlusStep` and short `maxPlusRecurrence` chains hand a transposed A (strideI = 1)
 * to TypeScript, whose fast layout it is. `gram` copies X in once and runs its upper block
 * triangle through the WASM gemm (n = 2000, d = 500: 30 ms against 157 ms, where the TypeScript
 * `gram` calls the TypeScript gemm), and `choleskyFactor` runs the left-looking loop with f64x2
 * dot products (n = 500: 9 against 44 ms). The block kernels (`rowShiftedMomentsRows`,
 * `normalizeAffineRows`, `normalizeAffineBackwardSumsRows`, `normalizeAffineBackwardRows`) stage a
 * block of consecutive rows per call: on 16 384 rows of 1024, the forward 24 ms against 33 ms one
 * row per call, the moments 15 against 18 ms.
 */
export function wasmKernels(variant: WasmVariant = "simd") {
  // One set of wrappers per build: switching backends back and forth (setKernelBackend) then keeps
  // the same, already optimized functions instead of fresh closures with no type feedback.
  const cached = installedCache[variant];
  if (cached !== undefined) return cached;
  const all = wasmKernelsAll(variant);
  return (installedCache[variant] = all === null ? null : installable(all));
}

const installedCache: Partial<Record<WasmVariant, ReturnType<typeof installable> | null>> = {};

/** The kernels of one build that {@link wasmKernels} installs (those that beat TypeScript, above). */
function installable(all: NonNullable<ReturnType<typeof wasmKernelsAll>>) {
  return {
    gemm: all.gemm,
    gram: all.gram,
    rowShiftedMoments: all.rowShiftedMoments,
    rowMax: all.rowMax,
    normalizeAffine: all.normalizeAffine,
    normalizeAffineBackwardSums: all.normalizeAffineBackwardSums,
    normalizeAffineBackward: all.normalizeAffineBackward,
    rowShiftedMomentsRows: all.rowShiftedMomentsRows,
    normalizeAffineRows: all.normalizeAffineRows,
    normalizeAffineBackwardSumsRows: all.normalizeAffineBackwardSumsRows,
    normalizeAffineBackwardRows: all.normalizeAffineBackwardRows,
    symmetricEigenTridiagonal: all.symmetricEigenTridiagonal,
    svdGolubKahan: all.svdGolubKahan,
    luFactor: all.luFactor,
    choleskyFactor: all.choleskyFactor,
    sigmoidRecurrence: all.sigmoidRecurrence,
    sigmoidRecurrenceBackward: all.sigmoidRecurrenceBackward,
    maxPlusStep: all.maxPlusStep,
    maxPlusRecurrence: all.maxPlusRecurrence,
  };
}

// ---- linalg (helper `linalg`): eigh's and svd's direct decompositions wholly in wasm memory ----

/**
 * `symmetricEigenTridiagonal` and `svdGolubKahan` of `kernels/tridiagonal.ts` run wholly in the
 * module: the matrix is copied in once, the Householder reduction (f64x2 dot products, axpys and
 * rank-2 updates), the accumulation of the vectors and every plane rotation of the QL / QR
 * iteration (two contiguous rows, f64x2) run there, and the results are copied out once (O(n²)
 * copies against O(n³) work). Same arithmetic as the TypeScript kernels except the two-lane
 * summation of the dot products (results agree to rounding, not bitwise).
 */
function makeLinalg(w: Exports) {
  const symmetricEigenTridiagonal: typeof symmetricEigenTridiagonalJs = (n, a, d, zt, e, maxSweeps) => {
    if (n === 0) return 0;
    const nn = n * n;
    // Layout (doubles): a | zt | d | e | p | tau.
    const mem = reserve(w, 2 * nn + 4 * n);
    copyIn(mem, 0, a, 0, nn);
    const b = 8;
    const r = w.symmetricEigenTridiagonal(n, 0, 2 * nn * b, (2 * nn + n) * b, nn * b, (2 * nn + 2 * n) * b, (2 * nn + 3 * n) * b, maxSweeps ?? 60);
    zt.set(mem.subarray(nn, 2 * nn));
    d.set(mem.subarray(2 * nn, 2 * nn + n));
    e.set(mem.subarray(2 * nn + n, 2 * nn + 2 * n));
    return r;
  };
  const svdGolubKahan: typeof svdGolubKahanJs = (m, n, a, s, ut, vt, e, work, maxSweeps) => {
    if (n === 0) return 0;
    const mn = m * n;
    const nn = n * n;
    const mx = Math.max(m, n);
    // Layout (doubles): a | ut | vt | s | e | work | tauL | tauR | v.
    const oUt = mn;
    const oVt = 2 * mn;
    const oS = oVt + nn;
    const oE = oS + n;
    const oWork = oE + n;
    const oTauL = oWork + mx;
    const oTauR = oTauL + n;
    const oV = oTauR + n;
    const mem = reserve(w, oV + m);
    copyIn(mem, 0, a, 0, mn);
    const b = 8;
    const r = w.svdGolubKahan(m, n, 0, oS * b, oE * b, oUt * b, oVt * b, oWork * b, oTauL * b, oTauR * b, oV * b, maxSweeps ?? 75);
    ut.set(mem.subarray(oUt, oUt + mn));
    vt.set(mem.subarray(oVt, oVt + nn));
    s.set(mem.subarray(oS, oS + n));
    e.set(mem.subarray(oE, oE + n));
    return r;
  };
  /**
   * The blocked LU of `kernels/lu.ts` wholly in wasm memory: the matrix is copied in once and every
   * trailing update runs on the module's gemm in place (through the TypeScript path each update
   * would copy its operands' spans in and out, or fall back to the TypeScript gemm for the strided
   * L21 panel). Agrees with the TypeScript kernel to rounding. Below n = 64 the
   * TypeScript kernel runs (the copies cost more than they save).
   */
  const luFactor: typeof luFactorJs = (n, a, pivots) => {
    if (n < 64) return luFactorJs(n, a, pivots);
    const nn = n * n;
    const mem = reserve(w, SCRATCH + nn + n);
    copyIn(mem, SCRATCH, a, 0, nn);
    const r = w.luFactor(n, SCRATCH * 8, (SCRATCH + nn) * 8, 0);
    a.set(new Float64Array(mem.buffer, SCRATCH * 8, nn));
    pivots.set(new Int32Array(mem.buffer, (SCRATCH + nn) * 8, n));
    return r;
  };
  // The left-looking Cholesky with f64x2 dot products (n = 500: 44 ms in TypeScript, 9 here); the
  // copy in and out is O(n²) against O(n³/6) work, so below n = 32 TypeScript keeps it.
  const choleskyFactor: typeof choleskyFactorJs = (n, a, offsetA, relativeTolerance) => {
    if (n < 32) return choleskyFactorJs(n, a, offsetA, relativeTolerance);
    const nn = n * n;
    const mem = reserve(w, nn);
    copyIn(mem, 0, a, offsetA, nn);
    const r = w.choleskyFactor(n, 0, relativeTolerance);
    a.set(mem.subarray(0, nn), offsetA);
    return r;
  };
  return { symmetricEigenTridiagonal, svdGolubKahan, luFactor, choleskyFactor };
}
