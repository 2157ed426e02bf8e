/**
 * A tiny seeded generator for the tests (mulberry32 + Box–Muller): the tests must not depend on
 * the package's own RNG being right, and lint forbids Math.random.
 */
import { Tensor } from "../../src/tensor";

/** A seeded stream of uniforms in [0, 1) with helpers for test data. */
export interface TestRng {
  uniform(): number;
  normal(): number;
  /** A float64 tensor of standard normals. */
  randn(shape: readonly number[]): Tensor;
  /** A float64 tensor of uniforms in [lo, hi). */
  rand(shape: readonly number[], lo: number, hi: number): Tensor;
  /** Values with |v| in [margin, margin + spread) and a random sign (away from kinks at 0). */
  awayFromZero(shape: readonly number[], margin?: number, spread?: number): Tensor;
  /** A random permutation of well-separated values (no ties; gaps of at least 0.1). */
  distinct(shape: readonly number[]): Tensor;
}

export function testRng(seed: number): TestRng {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
  const fill = (shape: readonly number[], gen: () => number): Tensor => {
    const data = new Float64Array(sizeOf(shape));
    for (let i = 0; i < data.length; i++) data[i] = gen();
    return new Tensor(data, shape);
  };
  return {
    uniform,
    normal,
    randn: (shape) => fill(shape, normal),
    rand: (shape, lo, hi) => fill(shape, () => lo + (hi - lo) * uniform()),
    awayFromZero: (shape, margin = 0.2, spread = 1.5) =>
      fill(shape, () => (uniform() < 0.5 ? -1 : 1) * (margin + spread * uniform())),
    distinct: (shape) => {
      const n = sizeOf(shape);
      const values = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.37 + 0.05 * uniform());
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        [values[i], values[j]] = [values[j]!, values[i]!];
      }
      return new Tensor(Float64Array.from(values), shape);
    },
  };
}

/**
 * `n` values in [−1, 1) from a 32-bit linear congruential stream (Numerical Recipes' constants),
 * the kernel tests' raw test data: cheap, exactly reproducible, independent of the package's RNG.
 */
export function lcgValues(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
