// The multiply-add of the gemm micro-kernel in the default (WebAssembly SIMD) build: an unfused
// multiply, then an add — two roundings, exactly the TypeScript kernel's `acc += a * b`.
// scripts/build-wasm.js compiles the relaxed-SIMD build with wasm/madd-relaxed.ts in its place.

/** acc + a·b, lane-wise, rounded after the product and after the sum. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, acc: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * Which 4×4 micro-kernel the gemm uses (a constant per build, folded by the compiler): unfused, the
 * lane-swap form (measured 16.8 against 16.0 GFLOP/s for broadcasts at n = 256).
 */
export const FUSED: bool = false;
