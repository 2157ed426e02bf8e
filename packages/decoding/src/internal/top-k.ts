/**
 * Partial top-K selection of (score, beam, token) candidates, best first; candidates must be pushed
 * in increasing (beam, token) order so that ties keep the earlier one (lower beam, then lower token).
 * O(K) per accepted candidate, O(1) per rejected one: no full sort of the B·N candidates.
 */
export class TopK {
  readonly capacity: number;
  size = 0;
  readonly scores: Float64Array;
  readonly beams: Int32Array;
  readonly tokens: Int32Array;
  /** A candidate must score strictly above this to enter (−∞ until full, so −∞ never enters). */
  threshold = -Infinity;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.beams = new Int32Array(capacity);
    this.tokens = new Int32Array(capacity);
  }

  reset(): void {
    this.size = 0;
    this.threshold = -Infinity;
  }

  /** Insert a candidate known to satisfy `score > threshold`. */
  push(score: number, beam: number, token: number): void {
    const { scores, beams, tokens } = this;
    let pos = this.size < this.capacity ? this.size++ : this.capacity - 1;
    while (pos > 0 && scores[pos - 1]! < score) {
      scores[pos] = scores[pos - 1]!;
      beams[pos] = beams[pos - 1]!;
      tokens[pos] = tokens[pos - 1]!;
      pos--;
    }
    scores[pos] = score;
    beams[pos] = beam;
    tokens[pos] = token;
    if (this.size === this.capacity) this.threshold = scores[this.capacity - 1]!;
  }
}

/**
 * A cut-off on the row values equivalent to `base + row[j] > threshold`, loosened by a margin far
 * above rounding error so that no candidate is missed; survivors are re-checked exactly.
 */
function cutoff(threshold: number, base: number): number {
  const cut = threshold - base - 1e-9 * (Math.abs(threshold) + Math.abs(base) + 1);
  return Number.isNaN(cut) ? -Infinity : cut;
}

/** Scan one beam's row: candidates base + row[j] (j = 0 … N−1) into `top`. No allocation. */
export function scanRow(top: TopK, base: number, row: Float64Array, beam: number): void {
  const n = row.length;
  let thr = top.threshold;
  let cut = cutoff(thr, base);
  for (let j = 0; j < n; j++) {
    const v = row[j]!;
    if (v > cut) {
      const s = base + v;
      if (s > thr) {
        top.push(s, beam, j);
        thr = top.threshold;
        cut = cutoff(thr, base);
      }
    }
  }
}
