/**
 * Helpers of the Viterbi kernels: the max-plus recursion itself is `maxPlusRecurrence` of
 * `@hw/tensor/kernels` (WASM SIMD or TypeScript), which reads log P transposed when run in
 * TypeScript (row j = column j of log P, so the max over i reads contiguous memory).
 */
/** Transpose an n×n row-major matrix into `out`. */
export function transposeSquare(n: number, a: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[j * n + i] = a[row + j]!;
  }
}
