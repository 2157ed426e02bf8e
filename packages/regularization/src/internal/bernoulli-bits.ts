/**
 * An exact Bernoulli(p) sampler that spends about 4 random bits per draw instead of 32 or 64.
 *
 * A uniform U = 0.u₁u₂u₃…₁₆ (hexadecimal digits from the generator's 32-bit words) is compared with
 * the hexadecimal expansion p = 0.d₁d₂…₁₆ of the double p one digit at a time; the first digit where
 * they differ decides U < p (keep) or U > p (drop). This is exactly P(keep) = p for every double p
 * (the expansion of a double in (0, 1) ends after at most 14 hex digits; a U equal to that prefix is
 * ≥ p, so drop). On average 16/15 digits are read, i.e. eight draws per generator call.
 */
import type { Rng } from "@hw/tensor";

export class BernoulliBits {
  private readonly rng: Rng;
  private readonly digits: Uint8Array;
  private readonly first: number;
  private readonly always: boolean;
  private word = 0;
  private left = 0;

  constructor(rng: Rng, p: number) {
    this.rng = rng;
    this.always = p >= 1;
    const ds: number[] = [];
    let r = p;
    while (r > 0 && ds.length < 16) {
      r *= 16;
      const d = Math.floor(r);
      ds.push(d);
      r -= d;
    }
    this.digits = Uint8Array.from(ds.length === 0 ? [0] : ds);
    this.first = this.digits[0]!;
  }

  /** One draw: 1 with probability p, else 0. */
  next(): number {
    if (this.always) return 1;
    if (this.left === 0) {
      this.word = this.rng.nextUint32();
      this.left = 8;
    }
    const u = this.word & 15;
    this.word >>>= 4;
    this.left--;
    if (u !== this.first) return u < this.first ? 1 : 0;
    return this.tail();
  }

  /** The rare case (1/16) where the first digit ties: compare the following digits. */
  private tail(): number {
    const digits = this.digits;
    for (let k = 1; k < digits.length; k++) {
      if (this.left === 0) {
        this.word = this.rng.nextUint32();
        this.left = 8;
      }
      const u = this.word & 15;
      this.word >>>= 4;
      this.left--;
      const d = digits[k]!;
      if (u !== d) return u < d ? 1 : 0;
    }
    return 0;
  }
}
