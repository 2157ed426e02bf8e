/**
 * The three products BPTT needs, on row-major blocks, through `@hw/tensor/kernels`' swappable
 * `kernels.gemm` (so an installed faster gemm, e.g. WASM, serves @hw/rnn too). Each accumulates:
 * `C += …`; operands are (array, offset) with leading dimension equal to the row length.
 */
import { kernels } from "@hw/tensor/kernels";

/** C += A·Bᵀ (A is M×K, B is N×K, C is M×N). */
export function mmABt(M: number, N: number, K: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  kernels.gemm(M, N, K, 1, A, ao, K, 1, B, bo, 1, K, C, co, N);
}

/** C += A·B (A is M×K, B is K×N, C is M×N). */
export function mmAB(M: number, N: number, K: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  kernels.gemm(M, N, K, 1, A, ao, K, 1, B, bo, N, 1, C, co, N);
}

/** C += Aᵀ·B (A is R×M, B is R×N, C is M×N). */
export function mmAtB(M: number, N: number, R: number, A: Float64Array, ao: number, B: Float64Array, bo: number, C: Float64Array, co: number): void {
  kernels.gemm(M, N, R, 1, A, ao, 1, M, B, bo, N, 1, C, co, N);
}
