// The multiply-add of the gemm micro-kernel in the relaxed-SIMD build (see wasm/madd.ts):
// f64x2.relaxed_madd, which the engine lowers to a fused multiply-add where the CPU has one
// (x86 FMA3, ARM64) — one rounding instead of two, and twice the arithmetic per instruction.

/** acc + a·b, lane-wise; fused (one rounding) where the CPU has FMA, unfused elsewhere. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, acc: v128): v128 {
  return f64x2.relaxed_madd(a, b, acc);
}

/**
 * Which 4×4 micro-kernel the gemm uses: with fused multiply-adds, the broadcast form (measured 23.0
 * against 20.8 GFLOP/s for the lane-swap form at n = 256: no shuffles competing with the FMA pipes).
 */
export const FUSED: bool = true;
