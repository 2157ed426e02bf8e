/**
 * A Bernoulli(p) sampler that spends about 4.3 random bits per draw instead of 64.
 *
 * A uniform U = 0.u₁u₂u₃… (hexadecimal digits taken 4 bits at a time from the generator's 32-bit
 * words) is compared with the hexadecimal expansion p = 0.d₁d₂d₃… one digit at a time: the first digit
 * where they differ decides U < p (keep) or U > p (drop). The first digit decides 15 draws out of 16;
 * a tie reads more digits (16/15 digits per draw on average, so about 7.5 draws per `nextUint32()`).
 * The expansion of p is kept to 16 digits (64 bits; exact for every p that is a multiple of 2⁻⁶⁴, which
 * includes every double ≥ 2⁻¹¹); a U that equals those digits is ≥ p and drops.
 *
 * {@link BernoulliBits} is the readable form; the Monte Carlo kernel inlines the same steps in the
 * same order, so both give the same draws from the same generator state.
 */
import type { Rng } from "@hw/tensor";

/** The first 16 hexadecimal digits of p ∈ [0, 1) (fewer when the expansion ends); `[16]` for p ≥ 1. */
export function hexDigits(p: number): Uint8Array {
  if (p >= 1) return Uint8Array.of(16);
  const out: number[] = [];
  let r = p;
  while (out.length < 16 && (r > 0 || out.length === 0)) {
    r *= 16;
    const d = Math.floor(r);
    out.push(d);
    r -= d;
  }
  return Uint8Array.from(out);
}

export class BernoulliBits {
  private readonly rng: Rng;
  private readonly digits: Uint8Array;
  private word = 0;
  private left = 0;

  constructor(rng: Rng, p: number) {
    this.rng = rng;
    this.digits = hexDigits(p);
  }

  private nibble(): number {
    if (this.left === 0) {
      this.word = this.rng.nextUint32();
      this.left = 8;
    }
    const u = this.word & 15;
    this.word >>>= 4;
    this.left--;
    return u;
  }

  /** One draw: 1 with probability p, else 0. */
  next(): number {
    for (const d of this.digits) {
      const u = this.nibble();
      if (u !== d) return u < d ? 1 : 0;
    }
    return 0;
  }
}
