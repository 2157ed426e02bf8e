/**
 * `hw dropout …` and `hw ridge …`: input dropout on linear regression versus L2 weight decay
 * (Question 4), and the Question 4 section of `hw solve`.
 */
import type { Command } from "commander";
import {
  compareDropoutRidge,
  dropoutPath,
  dropoutSolution,
  expectedDropoutLoss,
  monteCarloDropoutLoss,
  ridgePath,
  ridgeSolution,
  tikhonovSolution,
  trainDropoutRegression,
  type DropoutRidgeComparison,
} from "@hw/regularization";
import { add, createRng, grad, mul, square, sub, sum, tensor, type Tensor } from "@hw/tensor";
import { InputError } from "../errors";
import { emit, readJson, writeFileAtomic, type OutputOptions, type Sink } from "../io";
import { finiteNumber, integerOption, matrix, numberOption, object, vector } from "../input";
import { startProgress } from "../progress";
import type { Check, SolveSection } from "../solve/section";

/** The regression data of a `--input` file: `{ "X", "y", "w"?, "p"?, "lambda"? }`. */
interface RegressionInput {
  readonly X: number[][];
  readonly y: number[];
  readonly w?: number[];
  readonly p?: number;
  readonly lambda?: number;
}

function readRegression(path: string, needW: boolean): RegressionInput {
  const o = object(readJson(path));
  const X = matrix(o.X, "X");
  if (X.length === 0 || X[0]!.length === 0) throw new InputError(`X: expected a non-empty n×d matrix, got ${X.length}×${X[0]?.length ?? 0}`);
  const n = X.length;
  const d = X[0]!.length;
  if (!Array.isArray(o.y)) vector(o.y, "y");
  if (Array.isArray(o.y) && o.y.length !== n) {
    throw new InputError(`y: expected a vector of length ${n} (one target per row of X, which is ${n}×${d}), got length ${o.y.length}`);
  }
  const y = vector(o.y, "y", n);
  let w: number[] | undefined;
  if (needW || o.w !== undefined) {
    if (o.w === undefined) throw new InputError(`w: missing (expected a vector of length ${d}, one weight per column of X)`);
    w = vector(o.w, "w", d);
  }
  const p = o.p === undefined ? undefined : finiteNumber(o.p, "p");
  const lambda = o.lambda === undefined ? undefined : finiteNumber(o.lambda, "lambda");
  return { X, y, ...(w === undefined ? {} : { w }), ...(p === undefined ? {} : { p }), ...(lambda === undefined ? {} : { lambda }) };
}

const keepCheck = (v: number): string | null =>
  v > 0 && v <= 1 ? null : "must be in (0, 1] (p is the probability of KEEPING a unit; use --drop for the drop probability)";

/** The KEEP probability from `--p`, `--drop` or the input's `p`, validated. */
function resolveKeep(options: { p?: string; drop?: string }, input: RegressionInput): number {
  if (options.p !== undefined && options.drop !== undefined) {
    throw new InputError("--p and --drop are alternatives (keep p = 1 − drop q): give one of them");
  }
  const fromDrop = numberOption(options.drop, "--drop", (v) => (v >= 0 && v < 1 ? null : "must be in [0, 1) (the probability of DROPPING a unit)"));
  if (fromDrop !== undefined) return 1 - fromDrop;
  const p = numberOption(options.p, "--p", keepCheck);
  if (p !== undefined) return p;
  if (input.p !== undefined) {
    const problem = keepCheck(input.p);
    if (problem !== null) throw new InputError(`p ${input.p} (from the input): ${problem}`);
    return input.p;
  }
  throw new InputError("missing the keep probability: pass --p P (or --drop Q), or put \"p\" in the input");
}

function resolveLambda(raw: string | undefined, input: RegressionInput, fallback?: number): number {
  const lam = numberOption(raw, "--lambda", (v) => (v >= 0 ? null : "must be ≥ 0"));
  if (lam !== undefined) return lam;
  if (input.lambda !== undefined) {
    if (input.lambda < 0) throw new InputError(`lambda ${input.lambda} (from the input): must be ≥ 0`);
    return input.lambda;
  }
  if (fallback !== undefined) return fallback;
  throw new InputError("missing the penalty: pass --lambda L, or put \"lambda\" in the input");
}

const fmt = (v: number): string => String(Number(v.toPrecision(8)));
const vec = (v: ArrayLike<number>): string => `[${Array.from(v, fmt).join(", ")}]`;

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The readable 4.4 table. */
export function comparisonText(c: DropoutRidgeComparison): string {
  const rows = c.features.map((f) => [
    String(f.feature),
    fmt(f.columnNorm),
    fmt(f.dropoutPenalty),
    fmt(f.ridgePenalty),
    fmt(f.pwDropout),
    fmt(f.wDropout),
    fmt(f.wRidge),
  ]);
  return [
    `keep probability p = ${fmt(c.p)}, λ_dropout = (1 − p)/p = ${fmt(c.lambdaDropout)}, ridge λ = ${fmt(c.lambdaRidge)}, 1/p = ${fmt(c.scale)}`,
    "",
    table(["j", "‖X_:j‖", "dropout penalty λΓ²_jj", "ridge penalty λ", "p·w_dropout", "w_dropout", "w_L2"], rows),
    "",
    "Dropout is ridge on p·w with a per-feature penalty λΓ²_jj (larger for larger ‖X_:j‖); its weights are then scaled by 1/p.",
    "L2 weight decay penalizes every coefficient by the same λ.",
  ].join("\n");
}

/** The regularization paths as a Vega-Lite chart, rendered to SVG (no DOM needed). */
export async function pathsSvg(X: number[][], y: number[], title: string): Promise<string> {
  const ps = Array.from({ length: 40 }, (_, i) => 0.05 + (0.95 * i) / 39);
  const lambdas = Array.from({ length: 41 }, (_, i) => 10 ** (-3 + (7 * i) / 40));
  const values: { panel: string; x: number; feature: string; coefficient: number }[] = [];
  for (const pt of dropoutPath(X, y, ps)) {
    pt.w.forEach((c, j) => values.push({ panel: "dropout", x: pt.p, feature: `w${j}`, coefficient: c }));
    pt.pw.forEach((c, j) => values.push({ panel: "scaled", x: pt.p, feature: `w${j}`, coefficient: c }));
  }
  for (const pt of ridgePath(X, y, lambdas)) {
    pt.w.forEach((c, j) => values.push({ panel: "ridge", x: pt.lambda, feature: `w${j}`, coefficient: c }));
  }
  const line = (panel: string, xTitle: string, scale: object) => ({
    width: 260,
    height: 240,
    title: { dropout: "w_dropout as the keep probability p varies", scaled: "p·w_dropout (the ridge-like solution)", ridge: "w_L2 as λ varies" }[panel],
    transform: [{ filter: `datum.panel === '${panel}'` }],
    mark: { type: "line", point: false },
    encoding: {
      x: { field: "x", type: "quantitative", title: xTitle, scale },
      y: { field: "coefficient", type: "quantitative", title: "coefficient" },
      color: { field: "feature", type: "nominal", title: "feature" },
    },
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    data: { values },
    hconcat: [
      line("dropout", "keep probability p", { zero: false }),
      line("scaled", "keep probability p", { zero: false }),
      line("ridge", "λ (log scale)", { type: "log" }),
    ],
  };
  const vegaLite = await import("vega-lite");
  const vega = await import("vega");
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

interface DropoutOptions extends OutputOptions {
  readonly input: string;
  readonly p?: string;
  readonly drop?: string;
  readonly lambda?: string;
  readonly samples?: string;
  readonly seed?: string;
  readonly plot?: string;
  readonly epochs?: string;
  readonly lr?: string;
}

const pOption = "the KEEP probability p ∈ (0, 1] (default: the input's \"p\")";
const dropOption = "the DROP probability q = 1 − p (PyTorch's convention), instead of --p";

/** `hw dropout …` and `hw ridge …`. */
export function registerDropout(program: Command, sink: Sink): void {
  const dropout = program
    .command("dropout")
    .description("input dropout on linear regression (Question 4); p is the KEEP probability")
    .addHelpText("after", "\nExamples:\n  $ hw dropout expected-loss --input data.json --p 0.8 --samples 20000 --seed 1\n  $ hw dropout solve --input data.json --p 0.8 --json\n  $ hw dropout compare --input data.json --p 0.5 --plot paths.svg");

  dropout
    .command("expected-loss")
    .description("E_R‖y − (X ⊙ R)w‖² in closed form (4.1), and by Monte Carlo with --samples")
    .requiredOption("--input <file>", "JSON { \"X\": n×d, \"y\": n, \"w\": d, \"p\"? } (- for stdin)")
    .option("--p <p>", pOption)
    .option("--drop <q>", dropOption)
    .option("--samples <n>", "also estimate by Monte Carlo with N masks")
    .option("--seed <s>", "seed of the Monte Carlo masks", "0")
    .option("--json", "print JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw dropout expected-loss --input data.json --p 0.8\n  $ hw dropout expected-loss --input data.json --drop 0.2 --samples 100000 --seed 7 --json")
    .action((options: DropoutOptions) => {
      const input = readRegression(options.input, true);
      const p = resolveKeep(options, input);
      const samples = integerOption(options.samples, "--samples", 2);
      const seed = integerOption(options.seed, "--seed") ?? 0;
      const w = input.w!;
      const expectedLoss = expectedDropoutLoss(input.X, input.y, w, p);
      let monteCarlo: { mean: number; stderr: number; samples: number; seed: number; interval: readonly [number, number]; zScore: number } | undefined;
      if (samples !== undefined) {
        const bar = startProgress("Monte Carlo", samples);
        try {
          const mc = monteCarloDropoutLoss(input.X, input.y, w, p, {
            samples,
            seed,
            onProgress: (done) => {
              bar.update(done);
            },
          });
          monteCarlo = { mean: mc.mean, stderr: mc.stderr, samples, seed, interval: mc.interval, zScore: (mc.mean - expectedLoss) / mc.stderr };
        } finally {
          bar.stop();
        }
      }
      const result = { p, expectedLoss, ...(monteCarlo === undefined ? {} : { monteCarlo }) };
      emit(sink, options, result, () => {
        const lines = [`keep probability p = ${fmt(p)}`, `expected loss (closed form, 4.1): ${fmt(expectedLoss)}`];
        if (monteCarlo !== undefined) {
          lines.push(
            `Monte Carlo (${samples} masks, seed ${seed}): ${fmt(monteCarlo.mean)} ± ${fmt(monteCarlo.stderr)} (95% interval [${fmt(monteCarlo.interval[0])}, ${fmt(monteCarlo.interval[1])}])`,
            `difference from the closed form: ${monteCarlo.zScore.toFixed(2)} standard errors`,
          );
        }
        return lines.join("\n");
      });
    });

  dropout
    .command("solve")
    .description("the minimizer of the expected dropout loss (4.2): p·w = (XᵀX + λΓ²)⁻¹Xᵀy, λ = (1 − p)/p")
    .requiredOption("--input <file>", "JSON { \"X\": n×d, \"y\": n, \"p\"? } (- for stdin)")
    .option("--p <p>", pOption)
    .option("--drop <q>", dropOption)
    .option("--json", "print JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw dropout solve --input data.json --p 0.8\n  $ hw dropout solve --input data.json --json --out w.json")
    .action((options: DropoutOptions) => {
      const input = readRegression(options.input, false);
      const p = resolveKeep(options, input);
      const s = dropoutSolution(input.X, input.y, p);
      const result = { p, lambdaDropout: s.lambda, w: s.w, pw: s.pw, gamma2: s.gamma2, condition: s.condition };
      emit(sink, options, result, () =>
        [
          `keep probability p = ${fmt(p)}, λ_dropout = (1 − p)/p = ${fmt(s.lambda)}`,
          `Γ² = diag(XᵀX) = ${vec(s.gamma2)}`,
          `p·w_dropout = (XᵀX + λΓ²)⁻¹Xᵀy = ${vec(s.pw)}`,
          `w_dropout = ${vec(s.w)}`,
          `condition number estimate κ₁(XᵀX + λΓ²) ≈ ${s.condition.toExponential(2)}`,
        ].join("\n"),
      );
    });

  dropout
    .command("compare")
    .description("dropout versus L2 side by side (4.4): per-feature penalties λΓ²_jj vs λ, the 1/p scaling, both solutions")
    .requiredOption("--input <file>", "JSON { \"X\": n×d, \"y\": n, \"p\"?, \"lambda\"? } (- for stdin)")
    .option("--p <p>", pOption)
    .option("--drop <q>", dropOption)
    .option("--lambda <l>", "the ridge λ to compare with (default: the input's \"lambda\", else λ_dropout·mean Γ²)")
    .option("--plot <file.svg>", "write the regularization paths (coefficients of both as p and λ vary) as an SVG chart")
    .option("--json", "print JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw dropout compare --input data.json --p 0.5\n  $ hw dropout compare --input data.json --p 0.8 --lambda 2 --plot paths.svg")
    .action(async (options: DropoutOptions) => {
      const input = readRegression(options.input, false);
      const p = resolveKeep(options, input);
      const lambdaRaw = numberOption(options.lambda, "--lambda", (v) => (v >= 0 ? null : "must be ≥ 0"));
      const lambda = lambdaRaw ?? (input.lambda !== undefined ? resolveLambda(undefined, input) : undefined);
      if (options.plot !== undefined && !options.plot.toLowerCase().endsWith(".svg")) {
        throw new InputError(`--plot ${options.plot}: expected a file name ending in .svg`);
      }
      const c = compareDropoutRidge(input.X, input.y, p, lambda === undefined ? {} : { lambda });
      if (options.plot !== undefined) {
        writeFileAtomic(options.plot, await pathsSvg(input.X, input.y, "Regularization paths: input dropout vs L2 weight decay"));
      }
      emit(sink, options, { ...c, ...(options.plot === undefined ? {} : { plot: options.plot }) }, () =>
        comparisonText(c) + (options.plot === undefined ? "" : `\n\nRegularization paths written to ${options.plot}`),
      );
    });

  dropout
    .command("train")
    .description("SGD with a fresh mask every step, compared with the closed-form minimizer (training optimizes the expectation)")
    .requiredOption("--input <file>", "JSON { \"X\": n×d, \"y\": n, \"p\"? } (- for stdin)")
    .option("--p <p>", pOption)
    .option("--drop <q>", dropOption)
    .option("--epochs <n>", "passes over the data", "3000")
    .option("--lr <eta>", "step size (default: n / (2 Σ Γ²))")
    .option("--seed <s>", "seed of the masks", "0")
    .option("--json", "print JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw dropout train --input data.json --p 0.8 --epochs 5000 --seed 3")
    .action((options: DropoutOptions) => {
      const input = readRegression(options.input, false);
      const p = resolveKeep(options, input);
      const epochs = integerOption(options.epochs, "--epochs", 1) ?? 3000;
      const lr = numberOption(options.lr, "--lr", (v) => (v > 0 ? null : "must be > 0"));
      const seed = integerOption(options.seed, "--seed") ?? 0;
      const fit = trainDropoutRegression(input.X, input.y, p, { epochs, seed, ...(lr === undefined ? {} : { lr }) });
      const exact = dropoutSolution(input.X, input.y, p);
      const maxDiff = Math.max(...Array.from(fit.w, (v, j) => Math.abs(v - exact.w[j]!)));
      const result = { p, w: fit.w, wClosedForm: exact.w, maxAbsDifference: maxDiff, finalExpectedLoss: fit.history[fit.epochs - 1], lr: fit.lr, epochs, seed };
      emit(sink, options, result, () =>
        [
          `SGD with fresh masks (p = ${fmt(p)}, ${epochs} epochs, lr ${fmt(fit.lr)}, seed ${seed}), averaged iterates:`,
          `  w_SGD       = ${vec(fit.w)}`,
          `  w_dropout   = ${vec(exact.w)}  (closed form, 4.2)`,
          `  max |w_SGD − w_dropout| = ${maxDiff.toExponential(2)}`,
        ].join("\n"),
      );
    });

  const ridge = program
    .command("ridge")
    .description("L2-regularized least squares / weight decay (Question 4.3)")
    .addHelpText("after", "\nExamples:\n  $ hw ridge solve --input data.json --lambda 0.5");
  ridge
    .command("solve")
    .description("w_L2 = (XᵀX + λI)⁻¹Xᵀy (no intercept)")
    .requiredOption("--input <file>", "JSON { \"X\": n×d, \"y\": n, \"lambda\"? } (- for stdin)")
    .option("--lambda <l>", "the penalty λ ≥ 0 (default: the input's \"lambda\")")
    .option("--json", "print JSON")
    .option("--out <file>", "write the output to FILE (atomically) instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ hw ridge solve --input data.json --lambda 0.5\n  $ cat data.json | hw ridge solve --input - --json")
    .action((options: DropoutOptions) => {
      const input = readRegression(options.input, false);
      const lambda = resolveLambda(options.lambda, input);
      const s = ridgeSolution(input.X, input.y, lambda);
      emit(sink, options, { lambda, w: s.w, condition: s.condition }, () =>
        [`λ = ${fmt(lambda)}`, `w_L2 = (XᵀX + λI)⁻¹Xᵀy = ${vec(s.w)}`, `condition number estimate κ₁(XᵀX + λI) ≈ ${s.condition.toExponential(2)}`].join("\n"),
      );
    });
}

/**
 * The built-in data of `hw solve` Question 4: n = 40, d = 4, from `createRng(4)`, with columns of very
 * different norms (scales 0.3, 1, 3, 6) so that the per-feature dropout penalty matters.
 */
export function builtInData(): { X: number[][]; y: number[]; w: number[] } {
  const rng = createRng(4);
  const n = 40;
  const scales = [0.3, 1, 3, 6];
  const Z = rng.normal([n, scales.length]).toArray() as number[][];
  const X = Z.map((row) => row.map((v, j) => v * scales[j]!));
  const wTrue = [2, -1, 0.5, 0.25];
  const noise = rng.normal([n], { std: 0.5 }).toArray() as number[];
  const y = X.map((row, i) => row.reduce((s, v, j) => s + v * wTrue[j]!, 0) + noise[i]!);
  return { X, y, w: [1, -0.5, 0.25, 0.5] };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
const maxAbsValue = (a: ArrayLike<number>): number => Math.max(...Array.from(a, Math.abs));

/** E_R over all masks of a tiny problem, by enumeration (an independent check of 4.1). */
function enumerated(X: number[][], y: number[], w: number[], p: number): number {
  const n = X.length;
  const d = w.length;
  let total = 0;
  for (let bits = 0; bits < 2 ** (n * d); bits++) {
    let prob = 1;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let j = 0; j < d; j++) {
        const kept = ((bits >> (i * d + j)) & 1) === 1;
        prob *= kept ? p : 1 - p;
        if (kept) pred += X[i]![j]! * w[j]!;
      }
      loss += (y[i]! - pred) ** 2;
    }
    total += prob * loss;
  }
  return total;
}

/** Question 4 of `hw solve`. */
export const dropoutSection: SolveSection = {
  id: "4",
  title: "Dropout versus weight decay in linear regression",
  run() {
    const { X, y, w } = builtInData();
    const p = 0.8;
    const lambda = 1;
    const samples = 20000;
    const seed = 4;
    const checks: Check[] = [];
    const lines: string[] = [
      `Built-in data: n = ${X.length}, d = ${X[0]!.length} (createRng(4); column scales 0.3, 1, 3, 6), keep probability p = ${p} (p = probability of KEEPING an input), w = ${vec(w)}.`,
      "",
    ];

    // 4.1
    const closed = expectedDropoutLoss(X, y, w, p);
    const mc = monteCarloDropoutLoss(X, y, w, p, { samples, seed });
    const z = (mc.mean - closed) / mc.stderr;
    lines.push(
      "4.1  E_R‖y − (X⊙R)w‖² = ‖y − pXw‖² + p(1−p)‖Γw‖², Γ = diag(XᵀX)^½",
      `     closed form: ${fmt(closed)}`,
      `     Monte Carlo (${samples} masks, seed ${seed}): ${fmt(mc.mean)} ± ${fmt(mc.stderr)}, 95% interval [${fmt(mc.interval[0])}, ${fmt(mc.interval[1])}]`,
    );
    checks.push({
      name: "4.1 closed form vs Monte Carlo",
      ok: Math.abs(z) <= 4,
      detail: `closed form ${fmt(closed)}, Monte Carlo ${fmt(mc.mean)} ± ${fmt(mc.stderr)} (|z| = ${Math.abs(z).toFixed(2)} ≤ 4; ${mc.interval[0] <= closed && closed <= mc.interval[1] ? "inside" : "outside"} the 95% interval)`,
    });
    const tinyX = X.slice(0, 3).map((row) => row.slice(0, 3));
    const tinyY = y.slice(0, 3);
    const tinyW = w.slice(0, 3);
    const exactTiny = enumerated(tinyX, tinyY, tinyW, p);
    const closedTiny = expectedDropoutLoss(tinyX, tinyY, tinyW, p);
    checks.push({
      name: "4.1 closed form vs exact enumeration of all 2^9 masks (3×3 sub-problem)",
      ok: Math.abs(closedTiny - exactTiny) <= 1e-10 * Math.abs(exactTiny),
      detail: `closed form ${fmt(closedTiny)}, enumeration ${fmt(exactTiny)}, |diff| = ${Math.abs(closedTiny - exactTiny).toExponential(1)}`,
    });

    // 4.2
    const drop = dropoutSolution(X, y, p);
    lines.push(
      "",
      "4.2  p·w_dropout = (XᵀX + λ_dropout Γ²)⁻¹Xᵀy, λ_dropout = (1 − p)/p",
      `     λ_dropout = ${fmt(drop.lambda)}, Γ² = ${vec(drop.gamma2)}`,
      `     p·w_dropout = ${vec(drop.pw)}`,
      `     w_dropout   = ${vec(drop.w)}`,
    );
    // The gradient of the expected loss, by @hw/tensor autodiff, must vanish at w_dropout.
    const Xt = tensor(X);
    const yt = tensor(y);
    const g2 = tensor(Array.from(drop.gamma2));
    const expectedLossT = (wt: Tensor): Tensor =>
      add(sum(square(sub(yt, mul(p, sum(mul(Xt, wt), 1))))), mul(p * (1 - p), sum(mul(g2, square(wt)))));
    const gradDrop = grad(expectedLossT)(tensor(Array.from(drop.w))).toArray() as number[];
    const scaleDrop = drop.gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(drop.w) + 1;
    checks.push({
      name: "4.2 gradient of E_R[L] at w_dropout is zero (autodiff)",
      ok: maxAbsValue(gradDrop) <= 1e-10 * scaleDrop,
      detail: `max |∇E_R[L](w_dropout)| = ${maxAbsValue(gradDrop).toExponential(2)} (scale ${fmt(scaleDrop)})`,
    });
    const fit = trainDropoutRegression(X, y, p, { epochs: 4000, seed });
    const sgdGap = maxAbs(fit.w, drop.w);
    checks.push({
      name: "4.2 SGD with fresh masks converges to w_dropout",
      ok: sgdGap <= 0.02 * maxAbsValue(drop.w),
      detail: `max |w_SGD − w_dropout| = ${sgdGap.toExponential(2)} (4000 epochs, seed ${seed}, averaged iterates; tolerance 2% of max |w|)`,
    });

    // 4.3
    const ridge = ridgeSolution(X, y, lambda);
    lines.push("", `4.3  w_L2 = (XᵀX + λI)⁻¹Xᵀy with λ = ${fmt(lambda)}`, `     w_L2 = ${vec(ridge.w)}`);
    const ridgeLossT = (wt: Tensor): Tensor => add(sum(square(sub(yt, sum(mul(Xt, wt), 1)))), mul(lambda, sum(square(wt))));
    const gradRidge = grad(ridgeLossT)(tensor(Array.from(ridge.w))).toArray() as number[];
    const scaleRidge = drop.gamma2.reduce((s, v) => s + v, 0) * maxAbsValue(ridge.w) + 1;
    checks.push({
      name: "4.3 gradient of ‖y − Xw‖² + λ‖w‖² at w_L2 is zero (autodiff)",
      ok: maxAbsValue(gradRidge) <= 1e-10 * scaleRidge,
      detail: `max |∇(w_L2)| = ${maxAbsValue(gradRidge).toExponential(2)} (scale ${fmt(scaleRidge)})`,
    });

    // 4.4
    const c = compareDropoutRidge(X, y, p, { lambda });
    lines.push("", "4.4  Dropout versus L2:", ...comparisonText(c).split("\n").map((l) => `     ${l}`));
    const tik = tikhonovSolution(X, y, Array.from(c.gamma2, (g) => c.lambdaDropout * g));
    checks.push({
      name: "4.4 dropout = Tikhonov ridge on p·w with per-feature penalty λΓ²_jj",
      ok: maxAbs(tik.w, c.pwDropout) <= 1e-12 * maxAbsValue(c.pwDropout) && maxAbs(c.pwDropout.map((v) => v / p), c.wDropout) <= 1e-15 * maxAbsValue(c.wDropout),
      detail: `max |tikhonov(λΓ²) − p·w_dropout| = ${maxAbs(tik.w, c.pwDropout).toExponential(1)}; w_dropout = p·w_dropout / p`,
    });
    const ratios = Array.from(c.dropoutPenalty, (v, j) => v / c.gamma2[j]!);
    checks.push({
      name: "4.4 dropout penalty ∝ ‖X_:j‖² (data-dependent), ridge penalty constant",
      ok: ratios.every((r) => Math.abs(r - c.lambdaDropout) <= 1e-14 * c.lambdaDropout),
      detail: `penalties ${vec(c.dropoutPenalty)} vs ‖X_:j‖² ${vec(c.gamma2)}: every ratio = λ_dropout = ${fmt(c.lambdaDropout)}; ridge: ${fmt(lambda)} for all`,
    });

    return {
      text: lines.join("\n"),
      checks,
      data: {
        p,
        lambda,
        expectedLoss: closed,
        monteCarlo: { mean: mc.mean, stderr: mc.stderr, samples, seed, interval: mc.interval },
        dropout: { lambdaDropout: drop.lambda, gamma2: drop.gamma2, w: drop.w, pw: drop.pw },
        ridge: { w: ridge.w },
        comparison: c.features,
      },
    };
  },
};
