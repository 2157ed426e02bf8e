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
 */
import { gemm, gemmAB, gemmABt, gemmAtB } from "./gemm";
import { luFactor, luSolve, trsmLower, trsmUpper } from "./lu";
import { choleskyFactor, choleskyInverseNorm1Estimate, choleskySolve, gram, norm1 } from "./cholesky";
import { mapBinary, mapTernary, mapUnary } from "./map";
import { rowMax, rowMean, rowMin, rowMoments, rowSum, rowSumSquaredDeviations } from "./reduce";
import { coalesceAxes, forEachRow, type CoalescedSpace } from "./rows";
import { sigmoid } from "./sigmoid";

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
  rowMax,
  rowMin,
  forEachRow,
  coalesceAxes,
  sigmoid,
  type CoalescedSpace,
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
  readonly rowMax: typeof rowMax;
  readonly rowMin: typeof rowMin;
  readonly sigmoid: typeof sigmoid;
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
  rowMax,
  rowMin,
  sigmoid,
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
