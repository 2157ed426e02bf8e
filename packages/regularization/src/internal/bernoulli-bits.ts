/**
 * A Bernoulli(p) sampler that spends about 4 random bits per draw instead of 64.
 *
 * Write the uniform U = (u + V)/16 with u its first hexadecimal digit (4 bits of a 32-bit word of the
 * generator) and V uniform on [0, 1), and p = (f + r)/16 with f = ⌊16p⌋ and r = 16p − f (exact in
 * floating point). Then U < p ⟺ u < f, or u = f and V < r. So one nibble decides 15 draws out of
 * 16; the tie (1/16) is settled by one `nextFloat64()` (53 bits, the resolution of `rng.bernoulli`).
 * Eight draws per `nextUint32()` on average.
 *
 * {@link BernoulliBits} is the readable form; the Monte Carlo kernel inlines the same steps in the
 * same order, so both give the same draws from the same generator state.
 */
import type { Rng } from "@hw/tensor";

/** The first hex digit f = ⌊16p⌋ and the remainder r = 16p − f of a KEEP probability p ∈ [0, 1]. */
export function hexSplit(p: number): { first: number; rest: number } {
  if (p >= 1) return { first: 16, rest: 0 };
  const first = Math.floor(16 * p);
  return { first, rest: 16 * p - first };
}

export class BernoulliBits {
  private readonly rng: Rng;
  private readonly first: number;
  private readonly rest: number;
  private word = 0;
  private left = 0;

  constructor(rng: Rng, p: number) {
    this.rng = rng;
    const { first, rest } = hexSplit(p);
    this.first = first;
    this.rest = rest;
  }

  /** One draw: 1 with probability p, else 0. */
  next(): number {
    if (this.left === 0) {
      this.word = this.rng.nextUint32();
      this.left = 8;
    }
    const u = this.word & 15;
    this.word >>>= 4;
    this.left--;
    if (u < this.first) return 1;
    if (u > this.first) return 0;
    return this.rng.nextFloat64() < this.rest ? 1 : 0;
  }
}
