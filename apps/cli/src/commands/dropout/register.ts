/** `hw dropout …` and `hw ridge …`: input dropout on linear regression versus L2 weight decay (Question 4). */
import { InvalidArgumentError, Option, type Command } from "commander";
import type { RegressionInput, RidgeInput } from "@hw/regularization/schema";
import { leaf, type Context } from "../../command";
import { InputError, UsageError } from "../../errors";
import { readJson, type Sink } from "../../io";
import { integer, nonNegative, real } from "../../options";
import { startProgress } from "../../progress";
import { formatMatrix, values } from "../../format";
import { comparisonText, fmt, pathsSvg, vec } from "./format";
import { regressionFormat, ridgeFormat } from "./input";
import { lib } from "./lib";

interface KeepOptions {
  readonly p?: number;
  readonly drop?: number;
}
interface ExpectedLossOptions extends KeepOptions {
  readonly numSamples?: number;
  readonly seed: number;
}
interface CompareOptions extends KeepOptions {
  readonly lambda?: number;
  readonly plot?: string;
}
interface TrainOptions extends KeepOptions {
  readonly epochs: number;
  readonly lr?: number;
  readonly seed: number;
}
interface RidgeOptions {
  readonly lambda?: number;
  readonly intercept?: boolean;
  readonly weights?: string;
}
interface RidgeCvOptions {
  readonly lambdas?: number[];
  readonly intercept?: boolean;
  readonly weights?: string;
}

/** `--lambdas 0.01,0.1,1,10`: a non-empty list of penalties ≥ 0. */
function lambdaList(raw: string): number[] {
  const parts = raw.split(",").map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === "") || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new InvalidArgumentError("expected a comma-separated list of penalties ≥ 0 (e.g. 0.01,0.1,1,10)");
  }
  return values;
}

/** `--weights FILE`: a JSON array of n sample weights ≥ 0 (scikit-learn's sample_weight). */
function sampleWeights(path: string, n: number): number[] {
  const w = readJson(path, "--weights");
  if (!Array.isArray(w) || w.some((v) => typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
    throw new InputError(`--weights ${path}: expected a JSON array of n = ${n} sample weights ≥ 0`);
  }
  if (w.length !== n) throw new InputError(`--weights ${path}: expected ${n} weights (one per row of X), got ${w.length}`);
  return w as number[];
}

const interceptOption = (): Option => new Option("--intercept", "fit an unpenalized intercept b (scikit-learn's fit_intercept=True)");
const weightsOption = (): Option => new Option("--weights <file>", "JSON array of n sample weights ≥ 0 (scikit-learn's sample_weight)");

const keepOption = (): Option =>
  new Option("--p <p>", "the KEEP probability p ∈ (0, 1] (default: the input's \"p\")").argParser(
    real((v) => (v > 0 && v <= 1 ? null : "expected a keep probability in (0, 1] (p is the probability of KEEPING a unit; use --drop for the drop probability)")),
  );
const dropOption = (): Option =>
  new Option("--drop <q>", "the DROP probability q = 1 − p (PyTorch's convention), instead of --p").argParser(
    real((v) => (v >= 0 && v < 1 ? null : "expected a drop probability in [0, 1)")),
  );
const lambdaOption = (description: string): Option => new Option("--lambda <λ>", description).argParser(nonNegative);

/** The KEEP probability from `--p`, `--drop` or the input's `p`. */
function keep(options: KeepOptions, input: RegressionInput): number {
  if (options.p !== undefined && options.drop !== undefined) throw new UsageError("--p and --drop are alternatives (keep p = 1 − drop q): give one of them");
  if (options.drop !== undefined) return 1 - options.drop;
  const p = options.p ?? input.p;
  if (p === undefined) throw new UsageError('--p: missing the keep probability (pass --p P or --drop Q, or put "p" in the input)');
  return p;
}

function sizes(input: RegressionInput | RidgeInput): { n: number; d: number } {
  return { n: input.X.length, d: input.X[0]!.length };
}

/** A d×d solve after forming XᵀX. */
function solveCost(ctx: Context<unknown>, input: RegressionInput | RidgeInput, solves = 1): void {
  const { n, d } = sizes(input);
  ctx.budget({ memory: 8 * (n * d + 3 * d * d), work: solves * (n * d * d + d * d * d), why: `${solves === 1 ? "" : `${solves} solves of `}n·d² + d³ with n = ${n}, d = ${d}` });
}

const FLAGS = { p: "--p", lambda: "--lambda", numSamples: "--num-samples", samples: "--num-samples", seed: "--seed", epochs: "--epochs", lr: "--lr" };

/** Flags renamed to the vocabulary's spelling; the old ones keep working for one minor version. */
export const DROPOUT_DEPRECATED_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "dropout expected-loss": { "--samples": "--num-samples" },
};

/** `hw dropout …` and `hw ridge …`. */
export function registerDropout(program: Command, sink: Sink): void {
  const dropout = program
    .command("dropout")
    .description("input dropout on linear regression (Question 4); p is the KEEP probability")
    .addHelpText("after", "\nExamples:\n  $ hw dropout expected-loss --input data.json --p 0.8 --num-samples 20000 --seed 1\n  $ hw dropout solve --input example --json\n  $ hw dropout compare --input data.json --p 0.5 --plot paths.svg");

  leaf<ExpectedLossOptions>(dropout, "expected-loss", {
    description: "E_R‖y − (X ⊙ R)w‖² in closed form (4.1), and by Monte Carlo with --num-samples",
    examples: ["hw dropout expected-loss --input example", "hw dropout expected-loss --input data.json --drop 0.2 --num-samples 100000 --seed 7 --json"],
    input: regressionFormat,
    json: "{ p, expectedLoss, monteCarlo?: { mean, stderr, numSamples, seed, interval, zScore } }",
    flags: FLAGS,
    quantities: { expectedLoss: "the expected loss", monteCarlo: "the Monte Carlo estimate" },
    configure: (cmd) =>
      cmd
        .addOption(keepOption())
        .addOption(dropOption())
        .addOption(new Option("--num-samples <n>", "also estimate by Monte Carlo with n masks (n ≥ 2)").argParser(integer(2)))
        .addOption(new Option("--seed <s>", "seed of the Monte Carlo masks").argParser(integer(0)).default(0)),
    run: (ctx) => {
      const input = ctx.input as RegressionInput;
      const p = keep(ctx.options, input);
      if (input.w === undefined) throw new UsageError("w: missing in the input (expected-loss needs the weights w, one per column of X)");
      const w = input.w;
      const { numSamples, seed } = ctx.options;
      const { n, d } = sizes(input);
      ctx.budget({ memory: 8 * n * d * 4, work: ((numSamples ?? 0) + 1) * n * d * 4, why: `${numSamples === undefined ? "" : `masks·`}n·d = ${numSamples === undefined ? "" : `${numSamples}·`}${n}·${d}` });
      const expectedLoss = lib.expectedDropoutLoss(input.X, input.y, { w, p });
      let monteCarlo: { mean: number; stderr: number; numSamples: number; seed: number; interval: readonly [number, number]; zScore: number } | undefined;
      if (numSamples !== undefined) {
        const bar = startProgress("Monte Carlo", numSamples);
        try {
          const mc = lib.monteCarloDropoutLoss(input.X, input.y, { w, p, numSamples, seed, onProgress: (done) => { bar.update(done); } });
          monteCarlo = { mean: mc.mean, stderr: mc.stderr, numSamples, seed, interval: mc.interval, zScore: mc.stderr > 0 ? (mc.mean - expectedLoss) / mc.stderr : 0 };
        } finally {
          bar.stop();
        }
      }
      const mc = monteCarlo;
      return {
        result: { p, expectedLoss, ...(mc === undefined ? {} : { monteCarlo: mc }) },
        text: () => {
          const lines = [`keep probability p = ${fmt(p)}`, `expected loss (closed form, 4.1): ${fmt(expectedLoss)}`];
          if (mc !== undefined) {
            lines.push(
              `Monte Carlo (${mc.numSamples} masks, seed ${mc.seed}): ${fmt(mc.mean)} ± ${fmt(mc.stderr)} (95% interval [${fmt(mc.interval[0])}, ${fmt(mc.interval[1])}])`,
              `difference from the closed form: ${fmt(mc.zScore)} standard errors`,
            );
          }
          return lines.join("\n");
        },
      };
    },
  }, sink);

  leaf<KeepOptions>(dropout, "solve", {
    description: "the minimizer of the expected dropout loss (4.2): p·w = (XᵀX + λΓ²)⁻¹Xᵀy, λ = (1 − p)/p",
    examples: ["hw dropout solve --input example", "hw dropout solve --input data.json --p 0.8 --json --out w.json"],
    input: regressionFormat,
    json: "{ p, lambdaDropout, w, pw, gamma2, condition }",
    flags: FLAGS,
    quantities: { w: "the weights w_dropout", pw: "p·w_dropout", condition: "the condition number" },
    configure: (cmd) => cmd.addOption(keepOption()).addOption(dropOption()),
    run: (ctx) => {
      const input = ctx.input as RegressionInput;
      const p = keep(ctx.options, input);
      solveCost(ctx, input);
      const s = lib.dropoutSolution(input.X, input.y, p);
      return {
        result: { p, lambdaDropout: s.lambda, w: s.w, pw: s.pw, gamma2: s.gamma2, condition: s.condition },
        text: () =>
          [
            `keep probability p = ${fmt(p)}, λ_dropout = (1 − p)/p = ${fmt(s.lambda)}`,
            `Γ² = diag(XᵀX) = ${vec(s.gamma2)}`,
            `p·w_dropout = (XᵀX + λΓ²)⁻¹Xᵀy = ${vec(s.pw)}`,
            `w_dropout = ${vec(s.w)}`,
            `condition number estimate κ₁(XᵀX + λΓ²) ≈ ${s.condition.toExponential(2)}`,
          ].join("\n"),
      };
    },
  }, sink);

  leaf<CompareOptions>(dropout, "compare", {
    description: "dropout versus L2 side by side (4.4): per-feature penalties λΓ²_jj vs λ, the 1/p scaling, both solutions",
    examples: ["hw dropout compare --input example", "hw dropout compare --input data.json --p 0.8 --lambda 2 --plot paths.svg"],
    input: regressionFormat,
    json: "{ p, lambdaDropout, lambdaRidge, scale, gamma2, …, features: [...], plot? }",
    flags: FLAGS,
    configure: (cmd) =>
      cmd
        .addOption(keepOption())
        .addOption(dropOption())
        .addOption(lambdaOption("the ridge λ to compare with (default: the input's \"lambda\", else λ_dropout·mean Γ²)"))
        .option("--plot <file.svg>", "also write the regularization paths (coefficients of both as p and λ vary) as an SVG chart; written only when the command succeeds"),
    run: async (ctx) => {
      const input = ctx.input as RegressionInput;
      const p = keep(ctx.options, input);
      const plot = ctx.options.plot;
      if (plot !== undefined && !plot.toLowerCase().endsWith(".svg")) throw new UsageError(`--plot ${plot}: expected a file name ending in .svg`);
      solveCost(ctx, input, plot === undefined ? 2 : 83);
      const lambda = ctx.options.lambda ?? input.lambda;
      const c = lib.compareDropoutRidge(input.X, input.y, { p, ...(lambda === undefined ? {} : { lambda }) });
      const extra = plot === undefined ? [] : [{ flag: "--plot", path: plot, text: await pathsSvg(input.X, input.y, "Regularization paths: input dropout vs L2 weight decay") }];
      return {
        result: { ...c, ...(plot === undefined ? {} : { plot }) },
        text: () => comparisonText(c) + (plot === undefined ? "" : `\n\nRegularization paths written to ${plot}`),
        extra,
      };
    },
  }, sink);

  leaf<TrainOptions>(dropout, "train", {
    description: "SGD with a fresh mask every step, compared with the closed-form minimizer (training optimizes the expectation)",
    examples: ["hw dropout train --input example", "hw dropout train --input data.json --p 0.8 --epochs 5000 --seed 3"],
    input: regressionFormat,
    json: "{ p, w, wClosedForm, maxAbsDifference, finalExpectedLoss, lr, epochs, seed }",
    flags: FLAGS,
    quantities: { w: "the SGD weights", maxAbsDifference: "max |w_SGD − w_dropout|", finalExpectedLoss: "the final expected loss", wClosedForm: "the closed-form weights" },
    configure: (cmd) =>
      cmd
        .addOption(keepOption())
        .addOption(dropOption())
        .addOption(new Option("--epochs <n>", "passes over the data").argParser(integer(1)).default(3000))
        .addOption(new Option("--lr <η>", "step size (default: n / (2 Σ Γ²))").argParser(real((v) => (v > 0 ? null : "expected a number > 0"))))
        .addOption(new Option("--seed <s>", "seed of the masks").argParser(integer(0)).default(0)),
    run: (ctx) => {
      const input = ctx.input as RegressionInput;
      const p = keep(ctx.options, input);
      const { epochs, lr, seed } = ctx.options;
      const { n, d } = sizes(input);
      ctx.budget({ memory: 8 * (n * d * 2 + epochs + 4 * d), work: epochs * n * d * 6 + n * d * d + d * d * d, why: `epochs·n·d = ${epochs}·${n}·${d}` });
      const fit = lib.trainDropoutRegression(input.X, input.y, { p, epochs, seed, ...(lr === undefined ? {} : { lr }) });
      const exact = lib.dropoutSolution(input.X, input.y, p);
      const wExact = values(exact.w);
      const maxDiff = Math.max(...values(fit.w).map((v, j) => Math.abs(v - wExact[j]!)));
      return {
        result: { p, w: fit.w, wClosedForm: exact.w, maxAbsDifference: maxDiff, finalExpectedLoss: fit.history.get(fit.epochs - 1), lr: fit.lr, epochs, seed },
        text: () =>
          [
            `SGD with fresh masks (p = ${fmt(p)}, ${epochs} epochs, lr ${fmt(fit.lr)}, seed ${seed}), averaged iterates:`,
            `  w_SGD       = ${vec(fit.w)}`,
            `  w_dropout   = ${vec(exact.w)}  (closed form, 4.2)`,
            `  max |w_SGD − w_dropout| = ${fmt(maxDiff)}`,
          ].join("\n"),
      };
    },
  }, sink);

  const ridge = program
    .command("ridge")
    .description("L2-regularized least squares / weight decay (Question 4.3)")
    .addHelpText("after", "\nExamples:\n  $ hw ridge solve --input data.json --lambda 0.5\n  $ hw ridge solve --input data.json --lambda 0.5 --intercept --weights weights.json\n  $ hw ridge cv --input data.json --lambdas 0.01,0.1,1,10");
  leaf<RidgeOptions>(ridge, "solve", {
    description: "w_L2 = (XᵀX + λI)⁻¹Xᵀy; with --intercept and --weights, scikit-learn's Ridge(alpha=λ, fit_intercept, solver=\"cholesky\").fit(X, y, sample_weight)",
    examples: [
      "hw ridge solve --input example",
      "hw ridge solve --input data.json --lambda 0.5",
      "hw ridge solve --input data.json --lambda 0.5 --intercept --weights weights.json --json",
      "cat data.json | hw ridge solve --input - --json",
    ],
    input: ridgeFormat,
    json: "{ lambda, w, condition } (with --intercept, --weights, k targets or n < d: { lambda, w, intercept, form, condition })",
    flags: { ...FLAGS, fitIntercept: "--intercept", sampleWeight: "--weights" },
    quantities: { w: "the weights w_L2", condition: "the condition number", intercept: "the intercept b" },
    configure: (cmd) => cmd.addOption(lambdaOption("the penalty λ ≥ 0 (default: the input's \"lambda\")")).addOption(interceptOption()).addOption(weightsOption()),
    run: (ctx) => {
      const input = ctx.input as RidgeInput;
      const lambda = ctx.options.lambda ?? input.lambda;
      if (lambda === undefined) throw new UsageError('--lambda: missing the penalty (pass --lambda L, or put "lambda" in the input)');
      const { intercept, weights } = ctx.options;
      const sampleWeight = weights === undefined ? undefined : sampleWeights(weights, sizes(input).n);
      solveCost(ctx, input);
      const { n, d } = sizes(input);
      const multi = Array.isArray(input.y[0]);
      if (intercept !== true && sampleWeight === undefined && !multi && n >= d) {
        // The problem set's model: (XᵀX + λI)⁻¹Xᵀy. A wide X goes through ridge's dual form instead.
        const s = lib.ridgeSolution(input.X, input.y, lambda);
        return {
          result: { lambda, w: s.w, condition: s.condition },
          text: () => [`λ = ${fmt(lambda)}`, `w_L2 = (XᵀX + λI)⁻¹Xᵀy = ${vec(s.w)}`, `condition number estimate κ₁(XᵀX + λI) ≈ ${s.condition.toExponential(2)}`].join("\n"),
        };
      }
      const f = lib.ridge(input.X, input.y, { lambda, fitIntercept: intercept === true, ...(sampleWeight === undefined ? {} : { sampleWeight }) });
      const b = typeof f.intercept === "number" ? f.intercept : values(f.intercept);
      const showB = (): string => (typeof b === "number" ? fmt(b) : vec(b));
      return {
        result: { lambda, w: f.w, intercept: b, form: f.form, condition: f.condition },
        text: () =>
          [
            `λ = ${fmt(lambda)}${intercept === true ? ", unpenalized intercept" : ""}${sampleWeight === undefined ? "" : `, sample weights from ${weights!}`}`,
            `min_w,b Σ_i s_i (y_i − x_iᵀw${intercept === true ? " − b" : ""})² + λ‖w‖²  (solved in the ${f.form} form${intercept === true ? "; X and y centred by their weighted means" : ""})`,
            ...(multi ? [`W (d×k) =`, formatMatrix(f.w.toArray() as number[][])] : [`w = ${vec(f.w)}`]),
            `b = ${showB()}`,
            `condition number estimate κ₁ ≈ ${f.condition.toExponential(2)}`,
          ].join("\n"),
      };
    },
  }, sink);

  leaf<RidgeCvOptions>(ridge, "cv", {
    description: "choose λ from a grid by exact leave-one-out cross-validation (scikit-learn's RidgeCV(alphas) with cv=None)",
    examples: ["hw ridge cv --input example --lambdas 0.01,0.1,1,10,100", "hw ridge cv --input data.json --lambdas 0.1,1,10 --intercept --weights weights.json --json"],
    input: ridgeFormat,
    json: "{ lambda, lambdas, looMeanSquaredErrors, w, intercept, form }",
    flags: { lambdas: "--lambdas", fitIntercept: "--intercept", sampleWeight: "--weights" },
    quantities: { lambda: "the chosen λ", looMeanSquaredErrors: "the leave-one-out error", w: "the weights w", intercept: "the intercept b" },
    configure: (cmd) =>
      cmd
        .addOption(new Option("--lambdas <list>", "the grid of penalties λ ≥ 0, comma-separated (required)").argParser(lambdaList))
        .addOption(interceptOption())
        .addOption(weightsOption()),
    run: (ctx) => {
      const input = ctx.input as RidgeInput;
      const { lambdas, intercept, weights } = ctx.options;
      if (lambdas === undefined) throw new UsageError("required option '--lambdas <list>' not specified (e.g. --lambdas 0.01,0.1,1,10)");
      const { n, d } = sizes(input);
      const sampleWeight = weights === undefined ? undefined : sampleWeights(weights, n);
      const m = Math.min(n, d);
      ctx.budget({
        memory: 8 * (n * d + 3 * m * m + lambdas.length * n + n * n),
        work: lambdas.length * (m * m * m + n * n * m) + n * d * d,
        why: `${lambdas.length} λ · (m³ + n²·m) with n = ${n}, d = ${d}, m = min(n, d) = ${m}`,
      });
      const cv = lib.ridgeCV(input.X, input.y, { lambdas, fitIntercept: intercept === true, ...(sampleWeight === undefined ? {} : { sampleWeight }) });
      const errors = values(cv.looMeanSquaredErrors);
      const b = typeof cv.intercept === "number" ? cv.intercept : values(cv.intercept);
      const multi = Array.isArray(input.y[0]);
      return {
        result: { lambda: cv.lambda, lambdas, looMeanSquaredErrors: cv.looMeanSquaredErrors, w: cv.w, intercept: b, form: cv.form },
        text: () =>
          [
            `Leave-one-out mean squared error of each λ (exact, from the hat matrix: e_i = (y_i − ŷ_i)/(1 − H_ii))${intercept === true ? ", unpenalized intercept" : ""}:`,
            ...lambdas.map((l, i) => `  λ = ${fmt(l).padEnd(12)} LOO MSE = ${fmt(errors[i]!)}${l === cv.lambda ? "   ← chosen" : ""}`),
            ...(multi ? [`W (d×k) =`, formatMatrix(cv.w.toArray() as number[][])] : [`w = ${vec(cv.w)}`]),
            `b = ${typeof b === "number" ? fmt(b) : vec(b)}`,
          ].join("\n"),
      };
    },
  }, sink);
}
