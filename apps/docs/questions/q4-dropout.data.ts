/**
 * The numbers of Question 4's page, computed at build time by @hw/regularization on the first case of
 * its reference fixture (VitePress data loader: the page imports `data`). The browser test
 * (e2e/dropout.e2e.ts) computes them again from the package and compares.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareDropoutRidge, expectedDropoutLoss, monteCarloDropoutLoss } from "@hw/regularization";

const FIXTURE = fileURLToPath(new URL("../../../packages/regularization/test/fixtures/dropout.json", import.meta.url));

/** The Monte Carlo run the page reports (`hw dropout expected-loss --num-samples 20000 --seed 3`). */
export const MONTE_CARLO = { numSamples: 20_000, seed: 3 } as const;

interface FixtureCase {
  readonly input: { X: number[][]; y: number[]; w: number[]; p: number; lambda: number };
  readonly expected: { expectedLoss: number };
}

export interface Q4Numbers {
  readonly n: number;
  readonly d: number;
  readonly p: number;
  readonly lambdaDropout: number;
  readonly lambdaRidge: number;
  readonly scale: number;
  readonly features: readonly {
    readonly feature: number;
    readonly columnNorm: number;
    readonly dropoutPenalty: number;
    readonly ridgePenalty: number;
    readonly pwDropout: number;
    readonly wDropout: number;
    readonly wRidge: number;
  }[];
  /** The features with the largest and the smallest dropout penalty. */
  readonly most: number;
  readonly least: number;
  readonly expectedLoss: number;
  /** |hw − PyTorch| / |PyTorch| for the closed form. */
  readonly expectedLossVsPytorch: number;
  readonly monteCarlo: {
    readonly numSamples: number;
    readonly seed: number;
    readonly mean: number;
    readonly stderr: number;
    readonly interval: readonly [number, number];
    /** (mean − closed form) / stderr. */
    readonly zScore: number;
  };
}

/** Everything the page shows, from the fixture's first case. */
export function q4Numbers(fixturePath: string = FIXTURE): Q4Numbers {
  const fixture = JSON.parse(readFileSync(fixturePath, "utf8")) as { cases: FixtureCase[] };
  const { input, expected } = fixture.cases[0]!;
  const { X, y, w, p, lambda } = input;
  const c = compareDropoutRidge(X, y, { p, lambda });
  const features = c.features.map((f) => ({
    feature: f.feature,
    columnNorm: f.columnNorm,
    dropoutPenalty: f.dropoutPenalty,
    ridgePenalty: f.ridgePenalty,
    pwDropout: f.pwDropout,
    wDropout: f.wDropout,
    wRidge: f.wRidge,
  }));
  const byPenalty = [...features].sort((a, b) => b.dropoutPenalty - a.dropoutPenalty);
  const expectedLoss = expectedDropoutLoss(X, y, { w, p });
  const mc = monteCarloDropoutLoss(X, y, { w, p, ...MONTE_CARLO });
  return {
    n: X.length,
    d: X[0]!.length,
    p: c.p,
    lambdaDropout: c.lambdaDropout,
    lambdaRidge: c.lambdaRidge,
    scale: c.scale,
    features,
    most: byPenalty[0]!.feature,
    least: byPenalty[byPenalty.length - 1]!.feature,
    expectedLoss,
    expectedLossVsPytorch: Math.abs(expectedLoss - expected.expectedLoss) / Math.abs(expected.expectedLoss),
    monteCarlo: {
      numSamples: mc.numSamples,
      seed: mc.seed,
      mean: mc.mean,
      stderr: mc.stderr,
      interval: [mc.interval[0], mc.interval[1]],
      zScore: (mc.mean - expectedLoss) / mc.stderr,
    },
  };
}

export default {
  watch: [FIXTURE],
  load: (): Q4Numbers => q4Numbers(),
};

export declare const data: Q4Numbers;
