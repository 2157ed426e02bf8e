/**
 * Slow, obvious references and fast-check arbitraries for the core op tests. The references read
 * elements straight from `data` with explicit index arithmetic and nested loops, sharing no code
 * with the library kernels.
 */
import fc from "fast-check";
import { Tensor } from "../../src/tensor";

/** Every multi-index of `shape`, in row-major order. */
export function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < d; i++) next.push([...prefix, i]);
    out = next;
  }
  return out;
}

/** Element of `x` at a multi-index, read directly through strides. */
export function at(x: Tensor, idx: readonly number[]): number {
  let off = x.offset;
  for (let i = 0; i < idx.length; i++) off += idx[i]! * x.strides[i]!;
  return x.data[off]!;
}

/** All elements of `x` in row-major order. */
export function values(x: Tensor): number[] {
  return indices(x.shape).map((i) => at(x, i));
}

/** Build a float64 tensor of `shape` from a function of the multi-index. */
export function build(shape: readonly number[], f: (idx: number[]) => number): Tensor {
  return new Tensor(Float64Array.from(indices(shape).map(f)), shape);
}

/** NumPy broadcast shape, written independently (for references). */
export function refBroadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Index into an operand of `shape` for an output multi-index (broadcast: clamp size-1 axes). */
export function project(idx: readonly number[], shape: readonly number[]): number[] {
  const lead = idx.length - shape.length;
  return shape.map((d, i) => (d === 1 ? 0 : idx[lead + i]!));
}

/** Reference elementwise binary op with broadcasting. */
export function refBinary(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const shape = refBroadcastShape(a.shape, b.shape);
  if (shape === null) throw new Error("not broadcastable");
  return { shape, values: indices(shape).map((i) => f(at(a, project(i, a.shape)), at(b, project(i, b.shape)))) };
}

/** Reference reduction: fold each output slot's elements (listed in row-major order). */
export function refReduce(
  x: Tensor,
  axes: readonly number[],
  f: (elements: number[]) => number,
  keepDims = false,
): { shape: number[]; values: number[] } {
  const red = new Set(axes.map((a) => (a < 0 ? a + x.ndim : a)));
  const outShape = x.shape.map((d, i) => (red.has(i) ? 1 : d));
  const groups = new Map<string, number[]>();
  for (const o of indices(outShape)) groups.set(o.join(","), []);
  for (const i of indices(x.shape)) {
    const key = i.map((v, k) => (red.has(k) ? 0 : v)).join(",");
    groups.get(key)!.push(at(x, i));
  }
  const vals = indices(outShape).map((o) => f(groups.get(o.join(","))!));
  return { shape: keepDims ? outShape : x.shape.filter((_, i) => !red.has(i)), values: vals };
}

/** A seeded float64 tensor of `shape` with values in [-scale, scale) (mulberry32). */
export function seededTensor(shape: readonly number[], seed: number, scale = 2): Tensor {
  let a = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    data[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1) * scale;
  }
  return new Tensor(data, shape);
}

/** Shapes with 0–4 axes of size 0–4 (so size-0 and size-1 axes occur). */
export const shapeArb = (maxRank = 4, maxDim = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: 0, maxLength: maxRank });

/** Non-empty shapes (every axis ≥ 1). */
export const nonEmptyShapeArb = (maxRank = 4, maxDim = 4): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 0, maxLength: maxRank });

/**
 * A tensor of the given shape, possibly a non-contiguous view: built as the transpose of a
 * contiguous tensor of the reversed shape (`layout` 1), as a strided slice of a larger buffer
 * (`layout` 2, every other element and an offset), or contiguous (`layout` 0).
 */
export function makeLayout(shape: readonly number[], seed: number, layout: number): Tensor {
  if (layout === 1) {
    const base = seededTensor([...shape].reverse(), seed);
    return new Tensor(base.data, shape, [...base.strides].reverse(), 0);
  }
  if (layout === 2) {
    const big = seededTensor(shape.map((d) => 2 * d + 1), seed);
    const strides = big.strides.map((s) => 2 * s);
    const offset = big.strides.reduce((p, s) => p + s, 0);
    return new Tensor(big.data, shape, strides, offset);
  }
  return seededTensor(shape, seed);
}

/** Arbitrary tensor: shape, seed and layout (contiguous, transposed or strided slice). */
export const tensorArb = (shape: fc.Arbitrary<number[]> = shapeArb()): fc.Arbitrary<Tensor> =>
  fc
    .tuple(shape, fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 }))
    .map(([s, seed, layout]) => makeLayout(s, seed, layout));

/** Two shapes that broadcast together (each axis of one may be 1 or dropped). */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(shapeArb(4, 3), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 4 }))
  .map(([out, choices, drop]) => {
    const a = out.map((d, i) => (choices[i] === 1 ? 1 : d));
    const b = out.map((d, i) => (choices[i] === 2 ? 1 : d));
    return [a, b.slice(Math.min(drop, b.length))];
  });
