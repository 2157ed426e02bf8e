/**
 * What both batch-norm benchmarks share: the [64, 256, 1024] (N, C, L) batch (statistics per channel
 * over axes [0, 2], per-channel γ/β, a fixed upstream gradient) and the timed steps — hw's allocating
 * and training-loop forms and the plain copies that are the memory-speed yardstick.
 */
import { Tensor } from "@hw/tensor";
import { batchNorm, batchNormBackward } from "../src/index";

export const SHAPE = [64, 256, 1024] as const;
export const C = SHAPE[1];
export const N = SHAPE[0] * SHAPE[1] * SHAPE[2];

/** Deterministic pseudo-random fill (an LCG; benchmarks need no statistical quality). */
export function filled(n: number, f32: boolean, seed: number): Float64Array | Float32Array {
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

export const gammaValues = Array.from({ length: C }, (_, c) => 1 + 0.01 * c);
export const betaValues = Array.from({ length: C }, (_, c) => 0.001 * c);
const made: Partial<Record<"float64" | "float32", { x: Tensor; up: Tensor }>> = {};
/** The benchmark's x and upstream gradient in one dtype (made on first use: 134 MB each in float64). */
export function inputs(dtype: "float64" | "float32"): { x: Tensor; up: Tensor } {
  return (made[dtype] ??= { x: new Tensor(filled(N, dtype === "float32", 1), SHAPE), up: new Tensor(filled(N, dtype === "float32", 2), SHAPE) });
}

export function hwStep(dtype: "float64" | "float32", backwardToo: boolean): () => number {
  const { x, up } = inputs(dtype);
  const options = { gamma: gammaValues, beta: betaValues };
  return () => {
    const { y } = batchNorm(x, options);
    if (!backwardToo) return y.data[0]!;
    const g = batchNormBackward(x, up, options);
    return y.data[0]! + g.gradX.data[0]! + g.gradGamma.data[0]!;
  };
}

/**
 * The training-loop forms: the backward reading the forward's statistics (`saved`) instead of
 * recomputing them, and with `reuseBuffers` `y` and `∂L/∂x` written into buffers kept across steps (`out`).
 */
export function hwTrainingStep(backwardToo: boolean, reuseBuffers: boolean): () => number {
  const { x, up } = inputs("float64");
  const yBuffer = new Tensor(new Float64Array(N), SHAPE);
  const gradXBuffer = new Tensor(new Float64Array(N), SHAPE);
  const options = { gamma: gammaValues, beta: betaValues };
  return () => {
    const f = batchNorm(x, reuseBuffers ? { ...options, out: yBuffer } : options);
    if (!backwardToo) return f.y.data[0]!;
    const g = batchNormBackward(x, up, reuseBuffers ? { ...options, saved: f, out: { gradX: gradXBuffer } } : { ...options, saved: f });
    return f.y.data[0]! + g.gradX.data[0]! + g.gradGamma.data[0]!;
  };
}

/** A copy into a fresh array, as an op returning a new tensor must do (it pays the page faults). */
export function freshCopyStep(): () => number {
  const src = inputs("float64").x.data;
  return () => src.slice()[N - 1]!;
}

export function copyStep(dtype: "float64" | "float32"): () => number {
  const src = inputs(dtype).x.data;
  const dst = dtype === "float64" ? new Float64Array(N) : new Float32Array(N);
  return () => {
    dst.set(src);
    return dst[N - 1]!;
  };
}

