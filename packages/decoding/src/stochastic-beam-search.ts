import { createRng, readOptions } from "@hw/tensor";
import type { LanguageModel } from "./language-model";
import { decoded, type DecodeResult } from "./sequence";
import { checkLanguageModel, integerArg, resolveToken, seedArg, show, stepsArg } from "./internal/validate";
import { TopK } from "./internal/top-k";

/** Options of {@link stochasticBeamSearch}. */
export interface StochasticBeamSearchOptions {
  /** k = B ≥ 1, the number of sequences sampled without replacement (required). */
  readonly beamWidth: number;
  /** Seed of the generator (`createRng` of `@hw/tensor`), echoed in the result. @defaultValue `0` */
  readonly seed?: number | bigint;
  /** A hypothesis ending with this token is finished (it keeps its slot and is not expanded). @defaultValue the model's `eos`, if any */
  readonly eos?: string | number;
}

/** What {@link stochasticBeamSearch} returns. */
export interface StochasticBeamSearchResult extends DecodeResult {
  /** The seed used. */
  readonly seed: number | bigint;
}

/** log(1 − eˣ) for x ≤ 0, accurate near both ends (Mächler 2012). */
function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/**
 * Stochastic beam search (Kool, van Hoof & Welling 2019, "Stochastic Beams and Where to Find Them:
 * The Gumbel-Top-k Trick for Sampling Sequences Without Replacement"). Every hypothesis carries its
 * log-probability $\phi$ and a perturbed score $G$ (the root: $\phi = G = 0$). Expanding a beam S,
 * each continuation i gets $\phi_i = \phi_S + \log p(i \mid S)$ and a Gumbel perturbation
 * $\tilde G_i = \phi_i + \text{Gumbel}(0, 1)$, which is then conditioned on its siblings' maximum
 * $Z = \max_i \tilde G_i$ being the parent's $G_S$:
 *
 * $$G_i = -\log\big(e^{-G_S} - e^{-Z} + e^{-\tilde G_i}\big)$$
 *
 * (computed stably as in the paper's appendix). The B continuations with the largest $G$ over all
 * beams become the new beams. After T steps the beams are an exact sample of B distinct sequences
 * without replacement from $p(w_{1:T})$, in the order of their perturbed scores (so the first is an
 * exact sample from $p$). With $B \ge N^T$ every sequence of non-zero probability is returned.
 * Randomness comes only from `createRng(seed)`; the seed is echoed.
 *
 * @param lm - Any {@link LanguageModel}.
 * @param steps - T ≥ 1.
 * @param options - `beamWidth` (required), `seed`, `eos`.
 * @returns B sequences (fewer when fewer have non-zero probability), ranked by the perturbed score `score`.
 * @throws RangeError for B < 1, T < 1, a bad seed or an unknown eos; TypeError for an unknown option.
 * @example
 * ```ts
 * stochasticBeamSearch(exampleTree, 3, { beamWidth: 2, seed: 1 }).sequences.map((s) => s.tokens.join(" "));
 * ```
 */
export function stochasticBeamSearch(lm: LanguageModel, steps: number, options: StochasticBeamSearchOptions): StochasticBeamSearchResult {
  checkLanguageModel("stochasticBeamSearch", lm);
  const T = stepsArg("stochasticBeamSearch", steps);
  if (typeof options !== "object" || (options as unknown) === null) {
    throw new TypeError(`stochasticBeamSearch: options with beamWidth are required, e.g. stochasticBeamSearch(lm, steps, { beamWidth: 2, seed: 1 }); got ${show(options)}`);
  }
  const o = readOptions("stochasticBeamSearch", options, ["beamWidth", "seed", "eos"]);
  const B = integerArg("stochasticBeamSearch", "beamWidth B", o.beamWidth, 1);
  const seed = seedArg("stochasticBeamSearch", o.seed);
  const eos = o.eos === undefined ? lm.eos : resolveToken(lm.vocabulary, o.eos, "stochasticBeamSearch", "eos");
  const rng = createRng(seed);
  const n = lm.vocabulary.length;
  const gumbel = (): number => {
    let u = rng.nextFloat64();
    while (u === 0) u = rng.nextFloat64();
    return -Math.log(-Math.log(u));
  };

  interface Beam {
    readonly ids: number[];
    readonly terms: number[];
    readonly phi: number;
    readonly g: number;
    readonly done: boolean;
  }
  let beams: Beam[] = [{ ids: [], terms: [], phi: 0, g: 0, done: false }];
  const top = new TopK(B);
  const gs = new Float64Array(n);
  for (let t = 1; t <= T; t++) {
    if (beams.every((b) => b.done)) break;
    top.reset();
    const perBeam: Float64Array[] = [];
    const rows: Float64Array[] = [];
    for (let b = 0; b < beams.length; b++) {
      const beam = beams[b]!;
      if (beam.done) {
        // A finished hypothesis competes with its own G and is carried over unchanged.
        perBeam.push(new Float64Array(0));
        rows.push(new Float64Array(0));
        if (beam.g > top.threshold) top.push(beam.g, b, -1);
        continue;
      }
      const row: unknown = lm.logProbs([lm.bos, ...beam.ids]);
      if (!(row instanceof Float64Array) || row.length !== n) {
        throw new RangeError(`stochasticBeamSearch: lm.logProbs returned ${show(row)}, expected a Float64Array of N = ${n} values`);
      }
      let z = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = row[j]!;
        const phi = v > -Infinity ? beam.phi + v : -Infinity;
        gs[j] = phi > -Infinity ? phi + gumbel() : -Infinity;
        if (gs[j]! > z) z = gs[j]!;
      }
      const out = new Float64Array(n).fill(-Infinity);
      for (let j = 0; j < n; j++) {
        if (gs[j] === -Infinity) continue;
        // G_j = G_S − max(0, v) − log1p(exp(−|v|)), v = G_S − G̃_j + log(1 − exp(G̃_j − Z)).
        const v = beam.g - gs[j]! + log1mexp(gs[j]! - z);
        const g = gs[j] === z ? beam.g : beam.g - Math.max(0, v) - Math.log1p(Math.exp(-Math.abs(v)));
        out[j] = g;
        if (g > top.threshold) top.push(g, b, j);
      }
      perBeam.push(out);
      rows.push(row);
    }
    const next: Beam[] = [];
    for (let r = 0; r < top.size; r++) {
      const b = top.beams[r]!;
      const j = top.tokens[r]!;
      const parent = beams[b]!;
      if (j < 0) {
        next.push(parent);
        continue;
      }
      const v = rows[b]![j]!;
      next.push({ ids: [...parent.ids, j], terms: [...parent.terms, v], phi: parent.phi + v, g: perBeam[b]![j]!, done: j === eos });
    }
    beams = next;
  }
  return { sequences: beams.map((b) => decoded(lm, b.ids, b.terms, b.g)), seed };
}
