/**
 * Seeded random numbers: xoshiro256** (Blackman & Vigna, 2018) seeded by splitmix64, with the
 * distributions deep learning needs. The only source of randomness in hw: no `Math.random()`.
 *
 * The 64-bit state words are kept as pairs of 32-bit halves, so the hot path is plain 32-bit
 * integer arithmetic (BigInt is used only to seed) and the stream is the same on every platform.
 */
import { readOptions } from "./options";
import { formatShape, checkShape } from "./internal/shape";
import { Tensor, allocate, shapeSize, type DataArray, type DType } from "./tensor";
import { requireTensor } from "./matmul";

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
const TWO_PI = 2 * Math.PI;
const MASK64 = (1n << 64n) - 1n;

/** xoshiro256** jump polynomial (advances the state by 2^128 steps), as 32-bit halves hi, lo. */
const JUMP = [
  0x180ec6d3, 0x3cfd0aba, 0xd5a61266, 0xf0c9392c, 0xa9582618, 0xe03fc9aa, 0x39abdc45, 0x29b1661c,
] as const;

/** Options of {@link Rng.uniform}. */
export interface UniformOptions {
  /** Lower bound (inclusive). @defaultValue 0 */
  readonly low?: number;
  /** Upper bound (exclusive). @defaultValue 1 */
  readonly high?: number;
  /** Element type of the result. @defaultValue "float64" */
  readonly dtype?: DType;
}

/** Options of {@link Rng.normal}. */
export interface NormalOptions {
  /** Mean μ. @defaultValue 0 */
  readonly mean?: number;
  /** Standard deviation σ ≥ 0. @defaultValue 1 */
  readonly std?: number;
  /** Element type of the result. @defaultValue "float64" */
  readonly dtype?: DType;
}

/** Options of {@link Rng.categorical}. */
export interface CategoricalOptions {
  /**
   * Number of draws per distribution; when omitted one draw is made and the sample axis is
   * dropped.
   */
  readonly n?: number;
  /** Treat the input as unnormalised log-probabilities (logits) instead of probabilities. @defaultValue false */
  readonly logits?: boolean;
}

/**
 * A seeded generator (xoshiro256**, period 2^256 − 1). Create one with {@link createRng}. Every
 * method advances the stream; the same seed and the same calls always give the same numbers.
 */
export interface Rng {
  /** The seed the generator was created with (echo it in results to make runs reproducible). */
  readonly seed: number | bigint;
  /** A uniform 32-bit unsigned integer: the upper half of the next 64-bit output. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 53 random bits: `(x >> 11) · 2^-53` of the next 64-bit output. */
  nextFloat64(): number;
  /**
   * Uniform floats in [low, high): `low + (high − low)·u`.
   * @throws RangeError for non-finite bounds or `low > high`.
   */
  uniform(shape: readonly number[], options?: UniformOptions): Tensor;
  /**
   * Normal samples $\mu + \sigma z$, with $z$ from the Box–Muller transform
   * $z_0 = \sqrt{-2\ln(1-u_1)}\cos 2\pi u_2$, $z_1 = \sqrt{-2\ln(1-u_1)}\sin 2\pi u_2$ (both used).
   * @throws RangeError for a negative or non-finite `std` or a non-finite `mean`.
   */
  normal(shape: readonly number[], options?: NormalOptions): Tensor;
  /**
   * Bernoulli samples: 1 with probability `p`, else 0 (float64 zeros and ones).
   * @throws RangeError when `p` is not in [0, 1].
   */
  bernoulli(shape: readonly number[], p: number): Tensor;
  /**
   * Category indices drawn from the distributions along the last axis of `weights`
   * (probabilities, normalised here, or logits with `{ logits: true }`). Shape: the batch axes of
   * `weights`, plus `[n]` when `n` is given. Indices are returned as a float64 tensor.
   * @throws RangeError for negative or non-finite probabilities, an all-zero row, an empty last
   *   axis, or a bad `n`.
   */
  categorical(weights: Tensor, options?: CategoricalOptions): Tensor;
  /**
   * A uniformly random permutation of `0 … n−1` (Fisher–Yates with unbiased integer draws).
   * @throws RangeError when `n` is not a non-negative safe integer.
   */
  permutation(n: number): number[];
  /**
   * Uniform integers in `[low, high)` (unbiased: rejection sampling), as a float64 tensor.
   * @throws RangeError when the bounds are not safe integers with `low < high`.
   */
  integers(low: number, high: number, shape: readonly number[]): Tensor;
  /**
   * Split off an independent stream: the child continues from the current state, and this
   * generator jumps ahead by 2^128 steps (the xoshiro jump function), so the streams cannot
   * overlap for fewer than 2^128 draws.
   */
  split(): Rng;
}

class Xoshiro256 implements Rng {
  readonly seed: number | bigint;
  /** State words s0..s3 as [hi0, lo0, hi1, lo1, hi2, lo2, hi3, lo3] (unsigned 32-bit). */
  private readonly s: Uint32Array;
  /** Low half of the last 64-bit output (set by `step`). */
  private lo = 0;

  constructor(seed: number | bigint, state: Uint32Array) {
    this.seed = seed;
    this.s = state;
  }

  /** Advance once; returns the high 32 bits of the output and leaves the low 32 bits in `this.lo`. */
  private step(): number {
    const s = this.s;
    const s1h = s[2]!;
    const s1l = s[3]!;
    // r = s1 * 5 (mod 2^64)
    let lo = ((s1l << 2) >>> 0) + s1l;
    let hi = (((s1h << 2) | (s1l >>> 30)) + s1h + (lo >= TWO32 ? 1 : 0)) >>> 0;
    lo >>>= 0;
    // r = rotl(r, 7)
    const rh = ((hi << 7) | (lo >>> 25)) >>> 0;
    const rl = ((lo << 7) | (hi >>> 25)) >>> 0;
    // r = r * 9 (mod 2^64)
    lo = ((rl << 3) >>> 0) + rl;
    hi = (((rh << 3) | (rl >>> 29)) + rh + (lo >= TWO32 ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    // t = s1 << 17
    const th = (s1h << 17) | (s1l >>> 15);
    const tl = s1l << 17;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    s[4] = s[4]! ^ s[0]!;
    s[5] = s[5]! ^ s[1]!;
    s[6] = s[6]! ^ s1h;
    s[7] = s[7]! ^ s1l;
    s[2] = s1h ^ s[4];
    s[3] = s1l ^ s[5];
    s[0] = s[0]! ^ s[6];
    s[1] = s[1]! ^ s[7];
    s[4] = s[4] ^ th;
    s[5] = s[5] ^ tl;
    const h3 = s[6];
    const l3 = s[7];
    // rotl by 45 = swap halves, then rotl by 13
    s[6] = (l3 << 13) | (h3 >>> 19);
    s[7] = (h3 << 13) | (l3 >>> 19);
    return hi;
  }

  nextUint32(): number {
    return this.step();
  }

  nextFloat64(): number {
    const hi = this.step();
    return (hi * 2097152 + (this.lo >>> 11)) / TWO53;
  }

  /** Unbiased integer in [0, range) for 1 ≤ range ≤ 2^53. */
  private below(range: number): number {
    if (range <= TWO32) {
      const limit = TWO32 - (TWO32 % range);
      for (;;) {
        const x = this.step();
        if (x < limit) return x % range;
      }
    }
    const limit = TWO53 - (TWO53 % range);
    for (;;) {
      const x = this.step() * 2097152 + (this.lo >>> 11);
      if (x < limit) return x % range;
    }
  }

  uniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
    const { low = 0, high = 1, dtype = "float64" } = readOptions("uniform", options, ["low", "high", "dtype"]);
    const sh = checkShape("uniform", shape);
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
      throw new RangeError(`uniform: need finite low <= high, got low=${low}, high=${high}`);
    }
    const data = allocate(checkDType("uniform", dtype), shapeSize(sh));
    const width = high - low;
    // Rounding (to float32, or of low + width·u) can land on `high`: clamp to the largest
    // representable value below it so that the interval stays half-open.
    const top = low < high ? largestBelow(high, data) : high;
    for (let i = 0; i < data.length; i++) {
      data[i] = low + width * this.nextFloat64();
      if (data[i]! > top) data[i] = top;
    }
    return new Tensor(data, sh);
  }

  normal(shape: readonly number[], options: NormalOptions = {}): Tensor {
    const { mean = 0, std = 1, dtype = "float64" } = readOptions("normal", options, ["mean", "std", "dtype"]);
    const sh = checkShape("normal", shape);
    if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
      throw new RangeError(`normal: need a finite mean and std >= 0, got mean=${mean}, std=${std}`);
    }
    const data = allocate(checkDType("normal", dtype), shapeSize(sh));
    const n = data.length;
    for (let i = 0; i < n; i += 2) {
      const u1 = 1 - this.nextFloat64(); // (0, 1]: the log is finite
      const u2 = this.nextFloat64();
      const r = Math.sqrt(-2 * Math.log(u1));
      data[i] = mean + std * r * Math.cos(TWO_PI * u2);
      if (i + 1 < n) data[i + 1] = mean + std * r * Math.sin(TWO_PI * u2);
    }
    return new Tensor(data, sh);
  }

  bernoulli(shape: readonly number[], p: number): Tensor {
    const sh = checkShape("bernoulli", shape);
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new RangeError(`bernoulli: p must be in [0, 1], got ${String(p)}`);
    }
    const data = new Float64Array(shapeSize(sh));
    for (let i = 0; i < data.length; i++) data[i] = this.nextFloat64() < p ? 1 : 0;
    return new Tensor(data, sh);
  }

  categorical(weights: Tensor, options: CategoricalOptions = {}): Tensor {
    requireTensor("categorical", "weights", weights);
    const { n, logits = false } = readOptions("categorical", options, ["n", "logits"]);
    if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) {
      throw new RangeError(`categorical: n must be a non-negative integer, got ${String(n)}`);
    }
    if (weights.ndim === 0 || weights.shape[weights.ndim - 1] === 0) {
      throw new RangeError(`categorical: weights need a non-empty last axis, got shape ${formatShape(weights.shape)}`);
    }
    const k = weights.shape[weights.ndim - 1]!;
    const batchShape = weights.shape.slice(0, -1);
    const rows = shapeSize(batchShape);
    const draws = n ?? 1;
    const out = new Float64Array(rows * draws);
    const cdf = new Float64Array(k);
    const kStride = weights.strides[weights.ndim - 1]!;
    const index = new Array<number>(batchShape.length).fill(0);
    for (let r = 0; r < rows; r++) {
      let base = weights.offset;
      for (let ax = 0; ax < batchShape.length; ax++) base += index[ax]! * weights.strides[ax]!;
      let shift = 0;
      if (logits) {
        shift = -Infinity;
        for (let j = 0; j < k; j++) {
          const v = weights.data[base + j * kStride]!;
          if (Number.isNaN(v) || v === Infinity) {
            throw new RangeError(`categorical: logits must be < Infinity and not NaN, got ${v} in row ${r}`);
          }
          if (v > shift) shift = v;
        }
      }
      let total = 0;
      for (let j = 0; j < k; j++) {
        const v = weights.data[base + j * kStride]!;
        let w: number;
        if (logits) w = v === -Infinity ? 0 : Math.exp(v - shift);
        else {
          if (!(v >= 0 && v < Infinity)) {
            throw new RangeError(`categorical: probabilities must be finite and >= 0, got ${v} in row ${r}`);
          }
          w = v;
        }
        total += w;
        cdf[j] = total;
      }
      if (!(total > 0)) throw new RangeError(`categorical: row ${r} has no positive weight`);
      for (let d = 0; d < draws; d++) {
        const u = this.nextFloat64() * total;
        // First j with cdf[j] > u (binary search); zero-weight categories are never chosen.
        let lo = 0;
        let hi = k - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cdf[mid]! > u) hi = mid;
          else lo = mid + 1;
        }
        out[r * draws + d] = lo;
      }
      for (let ax = batchShape.length - 1; ax >= 0; ax--) {
        index[ax]!++;
        if (index[ax]! < batchShape[ax]!) break;
        index[ax] = 0;
      }
    }
    return new Tensor(out, n === undefined ? batchShape : [...batchShape, n]);
  }

  permutation(n: number): number[] {
    if (!(Number.isSafeInteger(n) && n >= 0)) {
      throw new RangeError(`permutation: n must be a non-negative integer, got ${String(n)}`);
    }
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  integers(low: number, high: number, shape: readonly number[]): Tensor {
    const sh = checkShape("integers", shape);
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || low >= high || high - low > TWO53) {
      throw new RangeError(`integers: need safe integers low < high, got low=${low}, high=${high}`);
    }
    const range = high - low;
    const data = new Float64Array(shapeSize(sh));
    for (let i = 0; i < data.length; i++) data[i] = low + this.below(range);
    return new Tensor(data, sh);
  }

  split(): Rng {
    const child = new Xoshiro256(this.seed, Uint32Array.from(this.s));
    this.jump();
    return child;
  }

  /** Advance by 2^128 steps (Blackman & Vigna's jump polynomial). */
  private jump(): void {
    const acc = new Uint32Array(8);
    for (let w = 0; w < 4; w++) {
      for (let half = 0; half < 2; half++) {
        const word = JUMP[2 * w + 1 - half]!; // low half first: bits 0..31, then 32..63
        for (let b = 0; b < 32; b++) {
          if ((word >>> b) & 1) for (let i = 0; i < 8; i++) acc[i] = acc[i]! ^ this.s[i]!;
          this.step();
        }
      }
    }
    this.s.set(acc);
  }
}

/** The largest value of the array's element type that is strictly below `x` (x finite). */
function largestBelow(x: number, like: DataArray): number {
  const cell = like instanceof Float32Array ? new Float32Array(1) : new Float64Array(1);
  cell[0] = x;
  if (cell[0] < x) return cell[0];
  // Step one ulp down through the integer view of the bits.
  if (cell instanceof Float32Array) {
    const bits = new Int32Array(cell.buffer);
    if (x > 0) bits[0]!--;
    else if (x < 0) bits[0]!++;
    else cell[0] = -1.401298464324817e-45;
  } else {
    const bits = new BigInt64Array(cell.buffer);
    if (x > 0) bits[0]! -= 1n;
    else if (x < 0) bits[0]! += 1n;
    else cell[0] = -Number.MIN_VALUE;
  }
  return cell[0];
}

function checkDType(op: string, dtype: unknown): DType {
  if (dtype !== "float64" && dtype !== "float32") {
    throw new TypeError(`${op}: dtype must be "float64" or "float32", got ${String(dtype)}`);
  }
  return dtype;
}

/**
 * Create a seeded xoshiro256** generator. The seed is expanded to the 256-bit state by four
 * outputs of splitmix64 (the seeding the algorithm's authors recommend), so nearby seeds give
 * unrelated streams. The same seed gives the same stream on every platform; the normal sampler
 * also depends on `Math.log`/`Math.cos`/`Math.sin`, which V8 computes identically everywhere.
 *
 * $$x_{\text{out}} = \mathrm{rotl}(5 s_1, 7) \cdot 9 \pmod{2^{64}}$$
 *
 * @param seed - A non-negative safe integer, or a bigint in `[0, 2^64)`.
 * @returns The generator; `rng.seed` echoes `seed`.
 * @throws TypeError when `seed` is not a number or bigint.
 * @throws RangeError when `seed` is negative, not an integer, or too large.
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.normal([2, 3]).shape;  // [2, 3]
 * createRng(42).permutation(4); // [1, 0, 3, 2] — on every run and platform
 * ```
 */
export function createRng(seed: number | bigint): Rng {
  let s: bigint;
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`createRng: seed must be a non-negative safe integer, got ${seed}`);
    }
    s = BigInt(seed);
  } else if (typeof seed === "bigint") {
    if (seed < 0n || seed > MASK64) throw new RangeError(`createRng: bigint seed must be in [0, 2^64), got ${seed}`);
    s = seed;
  } else {
    throw new TypeError(`createRng: seed must be a number or bigint, got ${typeof seed}`);
  }
  const state = new Uint32Array(8);
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b97f4a7c15n) & MASK64;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    z = z ^ (z >> 31n);
    state[2 * i] = Number(z >> 32n);
    state[2 * i + 1] = Number(z & 0xffffffffn);
  }
  return new Xoshiro256(seed, state);
}
