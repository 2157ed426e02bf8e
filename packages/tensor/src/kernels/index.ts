/**
 * `@hw/tensor/kernels`: the plain strided kernels every hw op runs on, for packages that need the
 * speed of raw typed arrays (the BiRNN's hand-written BPTT, the normalization passes, ridge's normal
 * equations) without a second copy of the loops.
 *
 * Contract of every kernel (the stdlib convention): arguments are `(n, x, strideX, offsetX, …)` —
 * extents first, then each array with its strides and offset; **no validation** (the caller
 * guarantees extents and bounds) and **no allocation** (outputs and scratch are passed in).
 *
 * The named exports are the portable JavaScript implementations. The ops of `@hw/tensor` call them
 * through the one {@link kernels} table, so a faster implementation (e.g. WASM SIMD) can be swapped
 * in for all of them at once with {@link installKernels}; call `kernels.gemm(…)` rather than the
 * named `gemm` to pick up whatever is installed.
 *
 * **Backends.** When the engine validates WebAssembly SIMD, the kernels where it wins (gemm, the
 * Gram product, the Cholesky and LU factorisations, eigh/svd, the one-pass row moments, the row maximum, the normalize-and-affine kernels and their
 * backward, their block versions over runs of consecutive rows (`…Rows`), the sigmoid and max-plus
 * recurrences) are replaced at load time by f64x2 implementations compiled from AssemblyScript and
 * embedded in the package; otherwise, or when the environment variable `HW_KERNELS=js` is set
 * (Node), the TypeScript kernels stay. {@link kernelBackend} says which is active and
 * {@link setKernelBackend} switches (tests run both on the same cases).
 */
import { gemm, gemmAB, gemmABt, gemmAtB } from "./gemm";
import { luFactor, luSolve, trsmLower, trsmUpper } from "./lu";
import { choleskyFactor, choleskyInverseNorm1Estimate, choleskySolve, gram, norm1 } from "./cholesky";
import { mapBinary, mapTernary, mapUnary } from "./map";
import { rowMax, rowMean, rowMin, poolShiftedMoments, rowMoments, rowShiftedMoments, rowShiftedMomentsRows, rowSum, rowSumSquaredDeviations } from "./reduce";
import { coalesceAxes, forEachRow, type CoalescedSpace } from "./rows";
import { POOLED_MIN_ROW, pooledRowMoments } from "./pooled-moments";
import { sigmoid } from "./sigmoid";
import {
  normalizeAffine,
  normalizeAffineBackward,
  normalizeAffineBackwardRows,
  normalizeAffineBackwardSums,
  normalizeAffineBackwardSumsRows,
  normalizeAffineRows,
} from "./normalize";
import { wasmKernels, wasmSimdSupported, wasmVariantSupported } from "./wasm/index";
import { svdJacobi, symmetricEigenJacobi } from "./jacobi";
import {
  bidiagonalQr,
  householderBidiagonal,
  householderTridiagonal,
  svdGolubKahan,
  symmetricEigenTridiagonal,
  tridiagonalQl,
} from "./tridiagonal";
import { applyReflectors, householderQr } from "./qr";
import { maxPlusRecurrence, maxPlusStep, sigmoidRecurrence, sigmoidRecurrenceBackward, type IndexArray } from "./recurrence";

export {
  gemm,
  gemmAB,
  gemmABt,
  gemmAtB,
  luFactor,
  luSolve,
  trsmLower,
  trsmUpper,
  choleskyFactor,
  choleskySolve,
  choleskyInverseNorm1Estimate,
  gram,
  norm1,
  mapUnary,
  mapBinary,
  mapTernary,
  rowSum,
  rowMean,
  rowSumSquaredDeviations,
  rowMoments,
  rowShiftedMoments,
  rowShiftedMomentsRows,
  poolShiftedMoments,
  pooledRowMoments,
  POOLED_MIN_ROW,
  rowMax,
  rowMin,
  normalizeAffine,
  normalizeAffineBackwardSums,
  normalizeAffineBackward,
  normalizeAffineRows,
  normalizeAffineBackwardSumsRows,
  normalizeAffineBackwardRows,
  forEachRow,
  coalesceAxes,
  sigmoid,
  svdJacobi,
  symmetricEigenJacobi,
  svdGolubKahan,
  symmetricEigenTridiagonal,
  householderTridiagonal,
  tridiagonalQl,
  householderBidiagonal,
  bidiagonalQr,
  householderQr,
  applyReflectors,
  type CoalescedSpace,
  sigmoidRecurrence,
  sigmoidRecurrenceBackward,
  maxPlusStep,
  maxPlusRecurrence,
  type IndexArray,
};

/** The swappable kernel table: one entry per kernel, each with the contract of its named export. */
export interface Kernels {
  readonly gemm: typeof gemm;
  readonly luFactor: typeof luFactor;
  readonly luSolve: typeof luSolve;
  readonly trsmLower: typeof trsmLower;
  readonly trsmUpper: typeof trsmUpper;
  readonly choleskyFactor: typeof choleskyFactor;
  readonly choleskySolve: typeof choleskySolve;
  readonly gram: typeof gram;
  readonly mapUnary: typeof mapUnary;
  readonly mapBinary: typeof mapBinary;
  readonly mapTernary: typeof mapTernary;
  readonly rowSum: typeof rowSum;
  readonly rowSumSquaredDeviations: typeof rowSumSquaredDeviations;
  readonly rowShiftedMoments: typeof rowShiftedMoments;
  readonly rowShiftedMomentsRows: typeof rowShiftedMomentsRows;
  readonly rowMax: typeof rowMax;
  readonly rowMin: typeof rowMin;
  readonly normalizeAffine: typeof normalizeAffine;
  readonly normalizeAffineBackwardSums: typeof normalizeAffineBackwardSums;
  readonly normalizeAffineBackward: typeof normalizeAffineBackward;
  readonly normalizeAffineRows: typeof normalizeAffineRows;
  readonly normalizeAffineBackwardSumsRows: typeof normalizeAffineBackwardSumsRows;
  readonly normalizeAffineBackwardRows: typeof normalizeAffineBackwardRows;
  readonly sigmoid: typeof sigmoid;
  readonly symmetricEigenTridiagonal: typeof symmetricEigenTridiagonal;
  readonly svdGolubKahan: typeof svdGolubKahan;
  readonly sigmoidRecurrence: typeof sigmoidRecurrence;
  readonly sigmoidRecurrenceBackward: typeof sigmoidRecurrenceBackward;
  readonly maxPlusStep: typeof maxPlusStep;
  readonly maxPlusRecurrence: typeof maxPlusRecurrence;
}

/** The portable JavaScript implementations (what {@link kernels} holds until something is installed). */
export const jsKernels: Kernels = Object.freeze({
  gemm,
  luFactor,
  luSolve,
  trsmLower,
  trsmUpper,
  choleskyFactor,
  choleskySolve,
  gram,
  mapUnary,
  mapBinary,
  mapTernary,
  rowSum,
  rowSumSquaredDeviations,
  rowShiftedMoments,
  rowShiftedMomentsRows,
  rowMax,
  rowMin,
  normalizeAffine,
  normalizeAffineBackwardSums,
  normalizeAffineBackward,
  normalizeAffineRows,
  normalizeAffineBackwardSumsRows,
  normalizeAffineBackwardRows,
  sigmoid,
  symmetricEigenTridiagonal,
  svdGolubKahan,
  sigmoidRecurrence,
  sigmoidRecurrenceBackward,
  maxPlusStep,
  maxPlusRecurrence,
});

const table: { -readonly [K in keyof Kernels]: Kernels[K] } = { ...jsKernels };

/**
 * The kernels in use: every op of `@hw/tensor` calls through this table (read-only; change it with
 * {@link installKernels}).
 */
export const kernels: Kernels = table;

/**
 * Replace some kernels (e.g. by WASM SIMD implementations with the same contracts) for every op of
 * `@hw/tensor` and every package that calls through {@link kernels}.
 *
 * @param overrides - the kernels to replace; each must keep its contract exactly
 * @returns a function that restores the kernels that were installed before
 * @throws TypeError when an override names no kernel or is not a function
 * @example
 * ```ts
 * const restore = installKernels({ gemm: wasmGemm });
 * try { matmul(a, b); } finally { restore(); }
 * ```
 */
export function installKernels(overrides: Partial<Kernels>): () => void {
  const previous: Partial<Record<keyof Kernels, unknown>> = {};
  for (const [name, fn] of Object.entries(overrides)) {
    if (!(name in jsKernels)) {
      throw new TypeError(`installKernels: unknown kernel \`${name}\` (known: ${Object.keys(jsKernels).join(", ")})`);
    }
    if (typeof fn !== "function") {
      throw new TypeError(`installKernels: kernel \`${name}\` must be a function, got ${typeof fn}`);
    }
  }
  for (const [name, fn] of Object.entries(overrides)) {
    const key = name as keyof Kernels;
    previous[key] = table[key];
    (table as Record<string, unknown>)[key] = fn;
  }
  return () => {
    for (const [name, fn] of Object.entries(previous)) (table as Record<string, unknown>)[name] = fn;
  };
}

/**
 * The kernel implementations that can be active: WebAssembly relaxed SIMD (the gemm with fused
 * multiply-adds), WebAssembly SIMD (every kernel bitwise equal to TypeScript) or portable TypeScript.
 */
export type KernelBackend = "wasm-relaxed-simd" | "wasm-simd" | "js";

const BACKENDS: readonly (KernelBackend | "auto")[] = ["wasm-relaxed-simd", "wasm-simd", "js", "auto"];

let backend: KernelBackend = "js";

/** True when this engine can run the WebAssembly SIMD kernels (it validates an f64x2 module). */
export function wasmSimdAvailable(): boolean {
  return wasmKernels() !== null;
}

/**
 * True when this engine can run the relaxed-SIMD build of the kernels (current browsers, Node ≥ 22,
 * Node 20 started with `--experimental-wasm-relaxed-simd`).
 */
export function wasmRelaxedSimdAvailable(): boolean {
  return wasmVariantSupported("relaxed-simd") && wasmKernels("relaxed-simd") !== null;
}

/**
 * Which kernels the ops of `@hw/tensor` run on: `"wasm-relaxed-simd"` or `"wasm-simd"` (f64x2
 * WebAssembly for gemm, `rowShiftedMoments`, `rowMax`, the normalize-and-affine kernels and their backward,
 * `sigmoidRecurrence`, `sigmoidRecurrenceBackward`, `maxPlusStep` and `maxPlusRecurrence`;
 * TypeScript for the rest; the relaxed build fuses the gemm's multiply-adds) or `"js"`.
 */
export function kernelBackend(): KernelBackend {
  return backend;
}

/**
 * Switch every op to the WebAssembly kernels or to the TypeScript ones (resets the kernels that
 * {@link installKernels} replaced). `"auto"` picks the fastest the engine runs: relaxed SIMD, then
 * SIMD, then TypeScript.
 *
 * The backends agree to rounding: `"wasm-simd"` gives results bitwise equal to `"js"`;
 * `"wasm-relaxed-simd"` differs only in matmul (and what is built on it), whose products are
 * rounded once per multiply-add instead of twice where the CPU has FMA (relative differences of a
 * few ulp times the inner dimension; the tests hold it to 1e-12 relative).
 *
 * @param which - `"wasm-relaxed-simd"`, `"wasm-simd"`, `"js"` or `"auto"`
 * @returns the backend now active
 * @throws RangeError for an unknown name, or a WebAssembly backend the engine cannot run
 * @example
 * ```ts
 * setKernelBackend("js"); // e.g. to compare both paths on the same inputs
 * ```
 */
export function setKernelBackend(which: KernelBackend | "auto"): KernelBackend {
  if (!BACKENDS.includes(which)) {
    throw new RangeError(`setKernelBackend: unknown backend ${JSON.stringify(which)} (expected ${BACKENDS.map((b) => `"${b}"`).join(", ")})`);
  }
  Object.assign(table, jsKernels);
  backend = "js";
  if (which === "js") return backend;
  const candidates: readonly ("wasm-relaxed-simd" | "wasm-simd")[] = which === "auto" ? ["wasm-relaxed-simd", "wasm-simd"] : [which];
  for (const candidate of candidates) {
    const wasm = wasmKernels(candidate === "wasm-simd" ? "simd" : "relaxed-simd");
    if (wasm === null) continue;
    Object.assign(table, wasm);
    backend = candidate;
    return backend;
  }
  if (which === "auto") return backend;
  throw new RangeError(
    `setKernelBackend: ${JSON.stringify(which)} is not available on this engine (WebAssembly SIMD: ${String(wasmSimdSupported())}, relaxed SIMD: ${String(wasmVariantSupported("relaxed-simd"))}${
      which === "wasm-relaxed-simd" ? "; on Node 20 start node with --experimental-wasm-relaxed-simd" : ""
    })`,
  );
}

/**
 * Run `f` on one kernel backend, then restore the one that was active (also when `f` throws): the
 * way to compare the paths on the same inputs without leaving the process switched.
 *
 * @param which - the backend to run `f` on (as {@link setKernelBackend})
 * @param f - the computation
 * @returns what `f` returns
 * @throws RangeError as {@link setKernelBackend}, before `f` runs
 * @example
 * ```ts
 * const viaJs = withKernelBackend("js", () => matmul(a, b));
 * ```
 */
export function withKernelBackend<T>(which: KernelBackend | "auto", f: () => T): T {
  const before = backend;
  setKernelBackend(which);
  try {
    return f();
  } finally {
    setKernelBackend(before);
  }
}

/** `HW_KERNELS` from the environment in Node (undefined in browsers, without touching `process`). */
function kernelsFromEnvironment(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = typeof proc === "object" && typeof proc.env === "object" ? proc.env.HW_KERNELS : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The backend at load time: `HW_KERNELS` (`js`, `wasm-simd`, `wasm-relaxed-simd` or `auto`) when
 * set and runnable, else `"auto"`. An unknown or unrunnable value falls back to `"auto"` with one
 * process warning (importing the package never throws).
 */
function initialBackend(): void {
  const requested = kernelsFromEnvironment();
  if (requested === undefined) {
    setKernelBackend("auto");
    return;
  }
  try {
    setKernelBackend(requested as KernelBackend);
  } catch (error) {
    setKernelBackend("auto");
    const proc = (globalThis as { process?: { emitWarning?: (message: string) => void } }).process;
    proc?.emitWarning?.(`@hw/tensor: HW_KERNELS=${requested} ignored (${(error as Error).message}); using "${backend}"`);
  }
}

initialBackend();
