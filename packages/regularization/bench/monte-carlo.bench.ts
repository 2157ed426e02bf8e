/**
 * Monte Carlo expected dropout loss, d = 20: monteCarloDropoutLoss (exact 4-bit Bernoulli sampler over
 * the xoshiro stream, fused with the masked products) vs the obvious way (a `rng.bernoulli` mask tensor
 * per sample + `dropoutLoss`). Each call masks n·samples = 1,000 × 100 = 100,000 rows, so
 * rows per second = 100,000 × hz.
 */
import { bench, describe } from "vitest";
import { createRng } from "@hw/tensor";
import { dropoutLoss, monteCarloDropoutLoss } from "../src/index";

const n = 1000;
const d = 20;
const samples = 100;
const p = 0.8;
const rng = createRng(7);
const X = rng.normal([n, d]);
const y = rng.normal([n]);
const w = rng.normal([d]);

describe(`Monte Carlo dropout loss, d = ${d}, ${n * samples} masked rows per call`, () => {
  bench("@hw/regularization monteCarloDropoutLoss", () => {
    monteCarloDropoutLoss(X, y, { w, p, numSamples: samples, seed: 1 });
  }, { time: 3000 });

  bench("naive: rng.bernoulli mask + dropoutLoss per sample", () => {
    const r = createRng(1);
    let total = 0;
    for (let s = 0; s < samples; s++) total += dropoutLoss(X, y, { w, mask: r.bernoulli([n, d], p) });
    if (!Number.isFinite(total)) throw new Error("non-finite");
  }, { time: 3000 });
});
