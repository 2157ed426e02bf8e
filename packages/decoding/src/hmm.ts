/**
 * Hidden Markov models (Question 2.2f: "a language model you can apply Viterbi to"): the model, the
 * forward–backward recursions, Viterbi and list Viterbi, posterior decoding, sampling, supervised
 * fitting and Baum–Welch. Everything runs in log space (natural logs, −∞ for probability 0).
 */
import { assertNotDifferentiated, concat, createRng, isTensor, readOptions, tensor, type Tensor } from "@hw/tensor";
import { callbackArg, integerArg, numberArg, show } from "./internal/validate";
import { kernels } from "@hw/tensor/kernels";
import { transposeSquare } from "./internal/viterbi-kernel";

/** A probability vector or matrix given as a Tensor or nested arrays. */
export type ProbabilityInput = Tensor | readonly number[] | readonly (readonly number[])[];

/** The inputs of {@link hmm}: names and probabilities (not logs). */
export interface HmmSpec {
  /** The S hidden state names. */
  readonly states: readonly string[];
  /** The V observable symbols. */
  readonly symbols: readonly string[];
  /** π: length S, `start[i] = p(z_1 = i)`. */
  readonly start: ProbabilityInput;
  /** A: S×S, `transition[i][j] = p(z_{t+1} = j | z_t = i)`; rows sum to 1. */
  readonly transition: ProbabilityInput;
  /** B: S×V, `emission[i][k] = p(x_t = k | z_t = i)`; rows sum to 1. */
  readonly emission: ProbabilityInput;
}

/** A hidden Markov model: what {@link hmm} returns. Probabilities are stored as natural logs. */
export interface HiddenMarkovModel {
  readonly states: readonly string[];
  readonly symbols: readonly string[];
  /** log π, shape [S]. */
  readonly logStart: Tensor;
  /** log A, shape [S, S]. */
  readonly logTransition: Tensor;
  /** log B, shape [S, V]. */
  readonly logEmission: Tensor;
}

/** An observation sequence: symbols as strings or ids. */
export type Observations = readonly (string | number)[];

interface Internal {
  readonly S: number;
  readonly V: number;
  readonly pi: Float64Array;
  readonly A: Float64Array;
  readonly B: Float64Array;
}

const internals = new WeakMap<HiddenMarkovModel, Internal>();
const ROW_TOLERANCE = 1e-9;

function readProbabilities(fn: string, name: string, value: unknown, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const vector = rows === 1 && name === "start";
  if (isTensor(value)) {
    const shape = vector ? [cols] : [rows, cols];
    if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`${fn}: ${name} must have shape [${shape.join(", ")}], got [${value.shape.join(", ")}]`);
    }
    out.set(value.contiguous().data);
  } else {
    const data: unknown[] = vector ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
    if (!Array.isArray(value) || data.length !== rows) {
      throw new RangeError(`${fn}: ${name} must be ${vector ? `an array of ${cols}` : `a ${rows}×${cols} array of`} probabilities, got ${show(value)}`);
    }
    data.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols) {
        throw new RangeError(`${fn}: ${name}${vector ? "" : `[${i}]`} must have ${cols} entries, got ${show(row)}`);
      }
      (row as unknown[]).forEach((v, j) => {
        if (typeof v !== "number") throw new TypeError(`${fn}: ${name}${vector ? "" : `[${i}]`}[${j}] must be a number, got ${show(v)}`);
        out[i * cols + j] = v;
      });
    });
  }
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = out[i * cols + j]!;
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${fn}: ${name}${vector ? "" : `[${i}]`}[${j}] = ${v} is not a probability in [0, 1]`);
      sum += v;
    }
    if (Math.abs(sum - 1) > ROW_TOLERANCE) {
      throw new RangeError(`${fn}: ${vector ? name : `row ${i} of ${name}`} sums to ${sum}, expected 1 within ${ROW_TOLERANCE}`);
    }
  }
  return out.map(Math.log);
}

function readNames(fn: string, name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`${fn}: ${name} must be a non-empty array of names, got ${show(value)}`);
  const seen = new Set<string>();
  for (const [i, v] of (value as unknown[]).entries()) {
    if (typeof v !== "string") throw new TypeError(`${fn}: ${name}[${i}] must be a string, got ${show(v)}`);
    if (seen.has(v)) throw new RangeError(`${fn}: duplicate name ${JSON.stringify(v)} in ${name}`);
    seen.add(v);
  }
  return [...(value as string[])];
}

function fromLogs(states: readonly string[], symbols: readonly string[], pi: Float64Array, A: Float64Array, B: Float64Array): HiddenMarkovModel {
  const S = states.length;
  const V = symbols.length;
  const model: HiddenMarkovModel = {
    states: [...states],
    symbols: [...symbols],
    logStart: tensor(pi, [S]),
    logTransition: tensor(A, [S, S]),
    logEmission: tensor(B, [S, V]),
  };
  internals.set(model, { S, V, pi, A, B });
  return model;
}

/**
 * A hidden Markov model with S states and V symbols,
 * $p(x_{1:T}, z_{1:T}) = \pi_{z_1} B_{z_1 x_1} \prod_{t=2}^{T} A_{z_{t-1} z_t} B_{z_t x_t}$.
 * Validates shapes, that every entry is a probability and that π and every row of A and B sum to 1
 * within 1e-9; stores natural logs.
 *
 * @param spec - `states`, `symbols`, `start` (π), `transition` (A), `emission` (B), as Tensors or nested arrays.
 * @returns The model.
 * @throws RangeError naming the bad row and its sum, a bad entry or shape; TypeError for an unknown key; NotDifferentiableError inside `grad`.
 * @example
 * ```ts
 * const m = hmm({ states: ["rain", "sun"], symbols: ["walk", "shop"], start: [0.6, 0.4],
 *   transition: [[0.7, 0.3], [0.4, 0.6]], emission: [[0.1, 0.9], [0.6, 0.4]] });
 * viterbi(m, ["walk", "shop"]).states; // => ["sun", "rain"]
 * ```
 */
export function hmm(spec: HmmSpec): HiddenMarkovModel {
  if (typeof spec !== "object" || (spec as unknown) === null) throw new TypeError(`hmm: spec must be an object, got ${show(spec)}`);
  const o = readOptions("hmm", spec, ["states", "symbols", "start", "transition", "emission"]);
  assertNotDifferentiated("hmm", [o.start, o.transition, o.emission], "an HMM's probabilities are data here; fit them with baumWelch");
  const states = readNames("hmm", "states", o.states);
  const symbols = readNames("hmm", "symbols", o.symbols);
  const S = states.length;
  const V = symbols.length;
  const pi = readProbabilities("hmm", "start", o.start, 1, S);
  const A = readProbabilities("hmm", "transition", o.transition, S, S);
  const B = readProbabilities("hmm", "emission", o.emission, S, V);
  return fromLogs(states, symbols, pi, A, B);
}

function model(fn: string, m: unknown): Internal {
  const inner = typeof m === "object" && m !== null ? internals.get(m as HiddenMarkovModel) : undefined;
  if (inner === undefined) throw new TypeError(`${fn}: the model must come from hmm(…), fitHmm(…) or baumWelch(…), got ${show(m)}`);
  return inner;
}

function observationIds(fn: string, m: HiddenMarkovModel, obs: unknown): number[] {
  if (!Array.isArray(obs) || obs.length === 0) throw new TypeError(`${fn}: obs must be a non-empty array of symbols (strings or ids), got ${show(obs)}`);
  return (obs as unknown[]).map((x, t) => {
    if (typeof x === "number") {
      if (!Number.isInteger(x) || x < 0 || x >= m.symbols.length) throw new RangeError(`${fn}: obs[${t}] = ${x} is not a symbol id in [0, ${m.symbols.length})`);
      return x;
    }
    if (typeof x !== "string") throw new TypeError(`${fn}: obs[${t}] must be a symbol string or id, got ${show(x)}`);
    const id = m.symbols.indexOf(x);
    if (id < 0) throw new RangeError(`${fn}: obs[${t}] = ${JSON.stringify(x)} is not one of the symbols ${JSON.stringify(m.symbols.slice(0, 8))}`);
    return id;
  });
}

/** Options of {@link forward}, {@link backward}, {@link posterior}, {@link posteriorDecode} and `viterbi(hmm, obs, options)`. */
export interface HmmDecodeOptions {
  /**
   * hmmlearn's `lengths`: `obs` is several sequences concatenated, of these lengths (positive
   * integers summing to `obs.length`); each is decoded alone (the recursions restart at each one)
   * and the results are concatenated, with the log-likelihoods / log-probabilities summed.
   * @defaultValue one sequence, `[obs.length]`
   */
  readonly lengths?: readonly number[];
}

/** The per-sequence results of a call with `lengths`. */
export interface Batched<R> {
  /** One result per sequence of `lengths`, each equal to the call on that sequence alone. */
  readonly sequences?: readonly R[];
}

/** Validate `lengths` against the observations; the slices of `x` it cuts, or undefined without it. */
function splitLengths(fn: string, options: HmmDecodeOptions | undefined, x: readonly number[]): number[][] | undefined {
  const o = readOptions(fn, options, ["lengths"]);
  if (o.lengths === undefined) return undefined;
  if (!Array.isArray(o.lengths) || o.lengths.length === 0) throw new TypeError(`${fn}: lengths must be a non-empty array of positive integers, got ${show(o.lengths)}`);
  let at = 0;
  const parts = (o.lengths as unknown[]).map((L, i) => {
    const n = integerArg(fn, `lengths[${i}]`, L, 1);
    const part = x.slice(at, at + n);
    at += n;
    return part;
  });
  if (at !== x.length) throw new RangeError(`${fn}: lengths sum to ${at}, but obs has ${x.length} symbols`);
  return parts;
}

/** Run `one` on every sequence, naming the sequence in an error. */
function eachSequence<R>(parts: readonly number[][], one: (x: readonly number[]) => R): R[] {
  return parts.map((x, i) => {
    try {
      return one(x);
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`${error.message} (sequence ${i} of lengths, ${x.length} symbols)`);
      throw error;
    }
  });
}

/** Concatenate [T_i, S] tables along the first axis. */
function concatRows(tables: readonly Tensor[]): Tensor {
  return concat(tables, 0);
}

function logSumExp(values: Float64Array | number[], from = 0, to = values.length): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (values[i]! > max) max = values[i]!;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(values[i]! - max);
  return max + Math.log(s);
}

/** log α as a flat T×S array. */
function alphas(h: Internal, x: readonly number[]): Float64Array {
  const { S, V, pi, A, B } = h;
  const T = x.length;
  const alpha = new Float64Array(T * S);
  const terms = new Float64Array(S);
  for (let j = 0; j < S; j++) alpha[j] = pi[j]! + B[j * V + x[0]!]!;
  for (let t = 1; t < T; t++) {
    for (let j = 0; j < S; j++) {
      for (let i = 0; i < S; i++) terms[i] = alpha[(t - 1) * S + i]! + A[i * S + j]!;
      alpha[t * S + j] = logSumExp(terms) + B[j * V + x[t]!]!;
    }
  }
  return alpha;
}

/** log β as a flat T×S array. */
function betas(h: Internal, x: readonly number[]): Float64Array {
  const { S, V, A, B } = h;
  const T = x.length;
  const beta = new Float64Array(T * S);
  const terms = new Float64Array(S);
  for (let t = T - 2; t >= 0; t--) {
    for (let i = 0; i < S; i++) {
      for (let j = 0; j < S; j++) terms[j] = A[i * S + j]! + B[j * V + x[t + 1]!]! + beta[(t + 1) * S + j]!;
      beta[t * S + i] = logSumExp(terms);
    }
  }
  return beta;
}

/** What {@link forward} returns. */
export interface ForwardResult extends Batched<ForwardResult> {
  /** log p(x_{1:T}) = log Σ_j α_T(j) (−∞ when the observations are impossible). */
  readonly logLikelihood: number;
  /** log α_t(j) = log p(x_{1:t}, z_t = j), shape [T, S]. */
  readonly logAlpha: Tensor;
}

/**
 * The forward algorithm: $\alpha_1(j) = \pi_j B_{j x_1}$,
 * $\alpha_t(j) = B_{j x_t} \sum_i \alpha_{t-1}(i) A_{ij}$, in log space with log-sum-exp. O(T·S²).
 *
 * @param m - The model.
 * @param obs - The observations x_1 … x_T (symbols or ids).
 * @returns log p(x_{1:T}) and the log α table.
 * @throws TypeError/RangeError for an unknown symbol or an empty sequence.
 * @example
 * ```ts
 * forward(m, ["walk", "shop"]).logLikelihood;
 * ```
 */
export function forward(m: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): ForwardResult {
  const h = model("forward", m);
  const x = observationIds("forward", m, obs);
  const one = (x: readonly number[]): ForwardResult => {
    const alpha = alphas(h, x);
    const T = x.length;
    return { logLikelihood: logSumExp(alpha, (T - 1) * h.S, T * h.S), logAlpha: tensor(alpha, [T, h.S]) };
  };
  const parts = splitLengths("forward", options, x);
  if (parts === undefined) return one(x);
  const sequences = eachSequence(parts, one);
  return { logLikelihood: sum(sequences.map((r) => r.logLikelihood)), logAlpha: concatRows(sequences.map((r) => r.logAlpha)), sequences };
}

/** Left-to-right sum. */
function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** What {@link backward} returns. */
export interface BackwardResult extends Batched<BackwardResult> {
  /** log p(x_{1:T}) = log Σ_j π_j B_{j x_1} β_1(j). */
  readonly logLikelihood: number;
  /** log β_t(i) = log p(x_{t+1:T} | z_t = i), shape [T, S] (row T is 0). */
  readonly logBeta: Tensor;
}

/**
 * The backward algorithm: $\beta_T(i) = 1$, $\beta_t(i) = \sum_j A_{ij} B_{j x_{t+1}} \beta_{t+1}(j)$, in log space.
 *
 * @param m - The model.
 * @param obs - The observations.
 * @returns log p(x_{1:T}) and the log β table.
 * @throws TypeError/RangeError for an unknown symbol or an empty sequence.
 * @example
 * ```ts
 * backward(m, ["walk", "shop"]).logLikelihood; // = forward(m, …).logLikelihood
 * ```
 */
export function backward(m: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): BackwardResult {
  const h = model("backward", m);
  const x = observationIds("backward", m, obs);
  const one = (x: readonly number[]): BackwardResult => {
    const beta = betas(h, x);
    const first = Array.from({ length: h.S }, (_, j) => h.pi[j]! + h.B[j * h.V + x[0]!]! + beta[j]!);
    return { logLikelihood: logSumExp(first), logBeta: tensor(beta, [x.length, h.S]) };
  };
  const parts = splitLengths("backward", options, x);
  if (parts === undefined) return one(x);
  const sequences = eachSequence(parts, one);
  return { logLikelihood: sum(sequences.map((r) => r.logLikelihood)), logBeta: concatRows(sequences.map((r) => r.logBeta)), sequences };
}

function impossible(fn: string): RangeError {
  return new RangeError(`${fn}: the observations have probability 0 under this model (log-likelihood −∞), so the posterior is undefined`);
}

/** What {@link posterior} returns. */
export interface PosteriorResult extends Batched<PosteriorResult> {
  readonly logLikelihood: number;
  /** γ_t(j) = p(z_t = j | x_{1:T}), shape [T, S]; rows sum to 1. */
  readonly posteriors: Tensor;
}

function gammas(fn: string, h: Internal, x: readonly number[]): { ll: number; gamma: Float64Array; alpha: Float64Array; beta: Float64Array } {
  const alpha = alphas(h, x);
  const beta = betas(h, x);
  const T = x.length;
  const ll = logSumExp(alpha, (T - 1) * h.S, T * h.S);
  if (ll === -Infinity) throw impossible(fn);
  const gamma = new Float64Array(T * h.S);
  for (let k = 0; k < T * h.S; k++) gamma[k] = Math.exp(alpha[k]! + beta[k]! - ll);
  return { ll, gamma, alpha, beta };
}

/**
 * Posterior state marginals by forward–backward, $\gamma_t(j) = \alpha_t(j)\beta_t(j) / p(x_{1:T})$
 * (computed as exp of a log-space difference, so it is stable for long sequences).
 *
 * @param m - The model.
 * @param obs - The observations.
 * @returns The log-likelihood and γ.
 * @throws RangeError when the observations have probability 0.
 * @example
 * ```ts
 * posterior(m, ["walk", "shop"]).posteriors.get(0, 0);
 * ```
 */
export function posterior(m: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): PosteriorResult {
  const h = model("posterior", m);
  const x = observationIds("posterior", m, obs);
  const one = (x: readonly number[]): PosteriorResult => {
    const { ll, gamma } = gammas("posterior", h, x);
    return { logLikelihood: ll, posteriors: tensor(gamma, [x.length, h.S]) };
  };
  const parts = splitLengths("posterior", options, x);
  if (parts === undefined) return one(x);
  const sequences = eachSequence(parts, one);
  return { logLikelihood: sum(sequences.map((r) => r.logLikelihood)), posteriors: concatRows(sequences.map((r) => r.posteriors)), sequences };
}

/** A decoded state path. */
export interface StatePath extends Batched<StatePath> {
  /** State ids z_1 … z_T. */
  readonly path: readonly number[];
  /** The same states as names. */
  readonly states: readonly string[];
  /** log p(x_{1:T}, z_{1:T}) — the joint log-probability of the path and the observations (with `lengths`: the sum over the sequences). */
  readonly logProb: number;
}

/** The concatenated path of several sequences, with their log-probabilities summed. */
function concatPaths(sequences: StatePath[]): StatePath {
  return { path: sequences.flatMap((p) => p.path), states: sequences.flatMap((p) => p.states), logProb: sum(sequences.map((p) => p.logProb)), sequences };
}

/**
 * Posterior ("maximum a posteriori per position") decoding, hmmlearn's `algorithm="map"`:
 * $\hat z_t = \operatorname{argmax}_j \gamma_t(j)$ (ties: the smaller id). The path may have
 * probability 0 as a whole; its `logProb` says so.
 *
 * @param m - The model.
 * @param obs - The observations.
 * @returns The path and its joint log-probability.
 * @throws RangeError when the observations have probability 0.
 * @example
 * ```ts
 * posteriorDecode(m, ["walk", "shop"]).states;
 * ```
 */
export function posteriorDecode(m: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): StatePath {
  const h = model("posteriorDecode", m);
  const x = observationIds("posteriorDecode", m, obs);
  const one = (x: readonly number[]): StatePath => {
    const { gamma } = gammas("posteriorDecode", h, x);
    const path = x.map((_, t) => {
      let arg = 0;
      for (let j = 1; j < h.S; j++) if (gamma[t * h.S + j]! > gamma[t * h.S + arg]!) arg = j;
      return arg;
    });
    return statePath(m, h, x, path);
  };
  const parts = splitLengths("posteriorDecode", options, x);
  return parts === undefined ? one(x) : concatPaths(eachSequence(parts, one));
}

function jointLogProb(h: Internal, x: readonly number[], path: readonly number[]): number {
  let lp = h.pi[path[0]!]! + h.B[path[0]! * h.V + x[0]!]!;
  for (let t = 1; t < x.length; t++) lp += h.A[path[t - 1]! * h.S + path[t]!]! + h.B[path[t]! * h.V + x[t]!]!;
  return lp;
}

function statePath(m: HiddenMarkovModel, h: Internal, x: readonly number[], path: readonly number[], logProb = jointLogProb(h, x, path)): StatePath {
  return { path: [...path], states: path.map((s) => m.states[s]!), logProb };
}

/**
 * @internal Viterbi with emissions: $\delta_1(j) = \log\pi_j + \log B_{j x_1}$,
 * $\delta_t(j) = \max_i(\delta_{t-1}(i) + \log A_{ij}) + \log B_{j x_t}$; back-pointers as compact
 * integers. Called by `viterbi(hmm, obs)`.
 */
export function hmmViterbi(m: HiddenMarkovModel, obs: Observations, options?: HmmDecodeOptions): StatePath {
  const h = model("viterbi", m);
  const x = observationIds("viterbi", m, obs);
  const parts = splitLengths("viterbi", options, x);
  if (parts !== undefined) return concatPaths(eachSequence(parts, (xi) => viterbiOne(m, h, xi)));
  return viterbiOne(m, h, x);
}

function viterbiOne(m: HiddenMarkovModel, h: Internal, x: readonly number[]): StatePath {
  const { S, V, pi, B } = h;
  const T = x.length;
  const back = S <= 256 ? new Uint8Array(T * S) : S <= 65536 ? new Uint16Array(T * S) : new Uint32Array(T * S);
  const delta = new Float64Array(S);
  const AT = transposedTransition(h);
  for (let j = 0; j < S; j++) delta[j] = pi[j]! + B[j * V + x[0]!]!;
  // The Markov LM's max-plus step (max over i of δ(i) + log A_ij) then the emission factor of each
  // cell, many steps per kernel call (WASM SIMD keeps log A resident for the call); back-pointers of
  // step t in row t. The emission rows log B_{j x_t} are gathered a chunk of steps at a time, so
  // they cost at most ~2^18 doubles (2 MB) whatever T is.
  const chunk = Math.max(64, Math.ceil(2 ** 18 / S));
  const emissions = new Float64Array(Math.min(chunk, Math.max(0, T - 1)) * S);
  const scratch = new Float64Array(S);
  for (let t0 = 1; t0 < T; t0 += chunk) {
    const steps = Math.min(chunk, T - t0);
    for (let s = 0; s < steps; s++) {
      const xt = x[t0 + s]!;
      const o = s * S;
      for (let j = 0; j < S; j++) emissions[o + j] = B[j * V + xt]!;
    }
    kernels.maxPlusRecurrence(S, steps, AT, 0, 1, S, delta, 0, emissions, 0, back, t0 * S, null, 0, scratch);
  }
  let arg = -1;
  let best = -Infinity;
  for (let j = 0; j < S; j++) {
    if (delta[j]! > best) {
      best = delta[j]!;
      arg = j;
    }
  }
  if (arg < 0) throw new RangeError("viterbi: the observations have probability 0 under this model: no state path explains them");
  const path = new Array<number>(T);
  path[T - 1] = arg;
  for (let t = T - 1; t >= 1; t--) path[t - 1] = back[t * S + path[t]!]!;
  return statePath(m, h, x, path, best);
}

const transposes = new WeakMap<Internal, Float64Array>();

/** log Aᵀ (row j = column j of log A), computed once per model for the Viterbi kernel. */
function transposedTransition(h: Internal): Float64Array {
  let t = transposes.get(h);
  if (t === undefined) {
    t = new Float64Array(h.S * h.S);
    transposeSquare(h.S, h.A, t);
    transposes.set(h, t);
  }
  return t;
}

/** @internal Whether a value is a model made by {@link hmm}. */
export function isHmm(value: unknown): value is HiddenMarkovModel {
  return typeof value === "object" && value !== null && internals.has(value as HiddenMarkovModel);
}

/**
 * The k most probable state paths (list Viterbi): every cell keeps its k best partial paths
 * (score, previous state, rank there), so the result is exact; O(T·S²·k log(S·k)). Ties: the
 * smaller previous state, then rank. Fewer than k paths are returned when fewer have probability > 0.
 *
 * @param m - The model.
 * @param obs - The observations.
 * @param k - How many paths, k ≥ 1.
 * @returns The paths, best first, with their joint log-probabilities.
 * @throws RangeError for k < 1 or impossible observations.
 * @example
 * ```ts
 * nBestViterbi(m, ["walk", "shop"], 3).map((p) => p.states.join(" "));
 * ```
 */
export function nBestViterbi(m: HiddenMarkovModel, obs: Observations, k: number): StatePath[] {
  const h = model("nBestViterbi", m);
  const x = observationIds("nBestViterbi", m, obs);
  const K = integerArg("nBestViterbi", "k", k, 1);
  const { S, V, pi, A, B } = h;
  const T = x.length;
  // cells[t][j]: up to K entries { score, prev, rank }, best first.
  interface Entry {
    readonly score: number;
    readonly prev: number;
    readonly rank: number;
  }
  const cells: Entry[][][] = [];
  cells.push(Array.from({ length: S }, (_, j) => {
    const s = pi[j]! + B[j * V + x[0]!]!;
    return s === -Infinity ? [] : [{ score: s, prev: -1, rank: 0 }];
  }));
  for (let t = 1; t < T; t++) {
    const row: Entry[][] = [];
    for (let j = 0; j < S; j++) {
      const emit = B[j * V + x[t]!]!;
      const cands: Entry[] = [];
      if (emit > -Infinity) {
        for (let i = 0; i < S; i++) {
          const a = A[i * S + j]!;
          if (a === -Infinity) continue;
          cells[t - 1]![i]!.forEach((e, r) => cands.push({ score: e.score + a + emit, prev: i, rank: r }));
        }
      }
      cands.sort((p, q) => q.score - p.score || p.prev - q.prev || p.rank - q.rank);
      row.push(cands.slice(0, K));
    }
    cells.push(row);
  }
  const finals: { score: number; state: number; rank: number }[] = [];
  cells[T - 1]!.forEach((entries, j) => { entries.forEach((e, r) => finals.push({ score: e.score, state: j, rank: r })); });
  finals.sort((p, q) => q.score - p.score || p.state - q.state || p.rank - q.rank);
  if (finals.length === 0) throw new RangeError("nBestViterbi: the observations have probability 0 under this model: no state path explains them");
  return finals.slice(0, K).map((f) => {
    const path = new Array<number>(T);
    let state = f.state;
    let rank = f.rank;
    for (let t = T - 1; t >= 0; t--) {
      path[t] = state;
      const e = cells[t]![state]![rank]!;
      state = e.prev;
      rank = e.rank;
    }
    return statePath(m, h, x, path, f.score);
  });
}

/** What {@link sampleHmm} returns. */
export interface HmmSample {
  readonly path: readonly number[];
  readonly states: readonly string[];
  readonly observations: readonly string[];
  readonly seed: number | bigint;
}

/**
 * Draw a state path and its observations, $z_1 \sim \pi$, $z_t \sim A_{z_{t-1}}$, $x_t \sim B_{z_t}$,
 * from a seeded generator (echoed).
 *
 * @param m - The model.
 * @param steps - T ≥ 1.
 * @param options - `seed` (default 0).
 * @returns The states and observations.
 * @throws RangeError for a bad T or seed.
 * @example
 * ```ts
 * sampleHmm(m, 5, { seed: 1 }).observations;
 * ```
 */
export function sampleHmm(m: HiddenMarkovModel, steps: number, options?: { readonly seed?: number | bigint }): HmmSample {
  const h = model("sampleHmm", m);
  const T = integerArg("sampleHmm", "steps T", steps, 1);
  const o = readOptions("sampleHmm", options, ["seed"]);
  const seed = o.seed ?? 0;
  if (typeof seed === "number" ? !Number.isSafeInteger(seed) || seed < 0 : typeof seed !== "bigint" || seed < 0n || seed >= 2n ** 64n) {
    throw new RangeError(`sampleHmm: seed must be a non-negative safe integer or a bigint in [0, 2^64), got ${show(seed)}`);
  }
  const rng = createRng(seed);
  const draw = (logs: Float64Array, from: number, len: number): number => rng.categorical(tensor(Array.from(logs.subarray(from, from + len), Math.exp))).item();
  const path: number[] = [];
  const obs: string[] = [];
  for (let t = 0; t < T; t++) {
    const z = t === 0 ? draw(h.pi, 0, h.S) : draw(h.A, path[t - 1]! * h.S, h.S);
    path.push(z);
    obs.push(m.symbols[draw(h.B, z * h.V, h.V)]!);
  }
  return { path, states: path.map((s) => m.states[s]!), observations: obs, seed };
}

/** One labelled sequence for {@link fitHmm}. */
export interface LabelledSequence {
  readonly states: readonly string[];
  readonly observations: readonly string[];
}

/** Options of {@link fitHmm}. */
export interface FitHmmOptions {
  /** Add-k (Lidstone) smoothing of every count, k ≥ 0 (the n-gram LM's `smoothing` shape). @defaultValue `{ kind: "add-k", k: 1 }` */
  readonly smoothing?: { readonly kind: "add-k"; readonly k?: number };
  /** The state names (default: in order of first appearance). */
  readonly states?: readonly string[];
  /** The symbols (default: in order of first appearance). */
  readonly symbols?: readonly string[];
}

/**
 * Supervised maximum-likelihood fit from labelled sequences with add-k smoothing:
 * $\pi_i \propto c(z_1 = i) + k$, $A_{ij} \propto c(i \to j) + k$, $B_{iv} \propto c(i, v) + k$.
 *
 * @param sequences - Labelled sequences `{ states, observations }` of equal lengths.
 * @param options - `smoothing` (`{ kind: "add-k", k }`), and optionally the full `states`/`symbols` lists.
 * @returns The fitted model.
 * @throws RangeError for mismatched lengths, unknown names, or a row with no counts and k = 0.
 * @example
 * ```ts
 * fitHmm([{ states: ["a", "b"], observations: ["x", "y"] }], { smoothing: { kind: "add-k", k: 1 } });
 * ```
 */
export function fitHmm(sequences: readonly LabelledSequence[], options?: FitHmmOptions): HiddenMarkovModel {
  const o = readOptions("fitHmm", options, ["smoothing", "states", "symbols"]);
  const smoothing: unknown = o.smoothing ?? { kind: "add-k" };
  if (typeof smoothing !== "object" || smoothing === null || (smoothing as { kind?: unknown }).kind !== "add-k") {
    throw new TypeError(`fitHmm: smoothing must be { kind: "add-k", k }, got ${show(smoothing)}`);
  }
  const k = numberArg("fitHmm", "add-k smoothing k", readOptions("fitHmm: smoothing", smoothing as { kind: "add-k"; k?: number }, ["kind", "k"]).k, 1, { min: 0 });
  if (!Array.isArray(sequences) || sequences.length === 0) throw new TypeError(`fitHmm: sequences must be a non-empty array of { states, observations }, got ${show(sequences)}`);
  const stateNames = o.states === undefined ? [] : readNames("fitHmm", "states", o.states);
  const symbolNames = o.symbols === undefined ? [] : readNames("fitHmm", "symbols", o.symbols);
  const fixedStates = o.states !== undefined;
  const fixedSymbols = o.symbols !== undefined;
  const idOf = (names: string[], fixed: boolean, what: string, name: unknown, where: string): number => {
    if (typeof name !== "string") throw new TypeError(`fitHmm: ${where} must be a ${what} name, got ${show(name)}`);
    let id = names.indexOf(name);
    if (id < 0) {
      if (fixed) throw new RangeError(`fitHmm: ${where} = ${JSON.stringify(name)} is not in the given ${what}s`);
      id = names.push(name) - 1;
    }
    return id;
  };
  const encoded = sequences.map((seq, n) => {
    const z: unknown = (seq as Partial<LabelledSequence> | null)?.states;
    const x: unknown = (seq as Partial<LabelledSequence> | null)?.observations;
    if (!Array.isArray(z) || !Array.isArray(x) || z.length !== x.length || z.length === 0) {
      throw new RangeError(`fitHmm: sequences[${n}] must have non-empty states and observations of equal length`);
    }
    return {
      z: (z as unknown[]).map((s, t) => idOf(stateNames, fixedStates, "state", s, `sequences[${n}].states[${t}]`)),
      x: (x as unknown[]).map((v, t) => idOf(symbolNames, fixedSymbols, "symbol", v, `sequences[${n}].observations[${t}]`)),
    };
  });
  const S = stateNames.length;
  const V = symbolNames.length;
  const pi = new Float64Array(S).fill(k);
  const A = new Float64Array(S * S).fill(k);
  const B = new Float64Array(S * V).fill(k);
  for (const { z, x } of encoded) {
    pi[z[0]!]! += 1;
    z.forEach((s, t) => {
      B[s * V + x[t]!]! += 1;
      if (t > 0) A[z[t - 1]! * S + s]! += 1;
    });
  }
  const normalize = (a: Float64Array, rows: number, cols: number, name: string): Float64Array => {
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += a[i * cols + j]!;
      if (!(sum > 0)) throw new RangeError(`fitHmm: ${name} row ${i} has no counts; use add-k smoothing with k > 0`);
      for (let j = 0; j < cols; j++) a[i * cols + j] = Math.log(a[i * cols + j]! / sum);
    }
    return a;
  };
  return fromLogs(stateNames, symbolNames, normalize(pi, 1, S, "start"), normalize(A, S, S, "transition"), normalize(B, S, V, "emission"));
}

/** Options of {@link baumWelch}. */
export interface BaumWelchOptions {
  /** The most EM iterations. @defaultValue `100` */
  readonly maxIter?: number;
  /** Stop when the log-likelihood improves by less than this. @defaultValue `1e-8` */
  readonly tol?: number;
  /** Called after each iteration with (iteration, maxIter). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What {@link baumWelch} returns. */
export interface BaumWelchResult {
  readonly model: HiddenMarkovModel;
  /** Σ log p(x) over the sequences before each iteration and after the last (never decreasing). */
  readonly logLikelihoods: readonly number[];
  readonly converged: boolean;
}

/**
 * Baum–Welch (EM) for unlabelled sequences, starting from `initial`: the E-step computes γ and the
 * pairwise posteriors ξ by forward–backward, the M-step re-estimates π, A and B from their sums.
 * The total log-likelihood never decreases (EM's guarantee): each iteration checks it and throws if
 * it fell by more than rounding (1e-9 relative), which would be a bug. Zero probabilities stay zero.
 *
 * @param initial - The starting model (its zeros are kept).
 * @param sequences - Observation sequences.
 * @param options - `maxIter`, `tol`, `onProgress`.
 * @returns The fitted model, the log-likelihood trace and whether it converged.
 * @throws RangeError when a sequence has probability 0 under the starting model.
 * @example
 * ```ts
 * baumWelch(m, [["walk", "shop", "walk"]], { maxIter: 20 }).logLikelihoods;
 * ```
 */
export function baumWelch(initial: HiddenMarkovModel, sequences: readonly Observations[], options?: BaumWelchOptions): BaumWelchResult {
  let h = model("baumWelch", initial);
  const o = readOptions("baumWelch", options, ["maxIter", "tol", "onProgress"]);
  const maxIter = integerArg("baumWelch", "maxIter", o.maxIter, 1, 100);
  const tol = numberArg("baumWelch", "tol", o.tol, 1e-8, { min: 0 });
  const onProgress = callbackArg("baumWelch", "onProgress", o.onProgress) as ((done: number, total: number) => void) | undefined;
  if (!Array.isArray(sequences) || sequences.length === 0) throw new TypeError(`baumWelch: sequences must be a non-empty array of observation sequences, got ${show(sequences)}`);
  const xs = sequences.map((s) => observationIds("baumWelch", initial, s));
  const { S, V } = h;
  const lls: number[] = [];
  let converged = false;
  for (let iter = 0; iter <= maxIter; iter++) {
    const pi = new Float64Array(S);
    const A = new Float64Array(S * S);
    const B = new Float64Array(S * V);
    let total = 0;
    for (const x of xs) {
      const { ll, gamma, alpha, beta } = gammas("baumWelch", h, x);
      total += ll;
      const T = x.length;
      for (let i = 0; i < S; i++) pi[i]! += gamma[i]!;
      for (let t = 0; t < T; t++) for (let i = 0; i < S; i++) B[i * V + x[t]!]! += gamma[t * S + i]!;
      for (let t = 0; t + 1 < T; t++) {
        for (let i = 0; i < S; i++) {
          for (let j = 0; j < S; j++) {
            A[i * S + j]! += Math.exp(alpha[t * S + i]! + h.A[i * S + j]! + h.B[j * V + x[t + 1]!]! + beta[(t + 1) * S + j]! - ll);
          }
        }
      }
    }
    const previous = lls[lls.length - 1];
    lls.push(total);
    if (previous !== undefined) {
      if (total < previous - 1e-9 * Math.abs(previous)) {
        throw new RangeError(`baumWelch: the log-likelihood decreased from ${previous} to ${total} at iteration ${iter} (EM guarantees it cannot; this is a bug)`);
      }
      if (total - previous < tol) {
        converged = true;
        break;
      }
    }
    if (iter === maxIter) break;
    const norm = (a: Float64Array, rows: number, cols: number, old: Float64Array): Float64Array => {
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += a[i * cols + j]!;
        // A state never visited keeps its old row.
        for (let j = 0; j < cols; j++) out[i * cols + j] = sum > 0 ? Math.log(a[i * cols + j]! / sum) : old[i * cols + j]!;
      }
      return out;
    };
    h = { S, V, pi: norm(pi, 1, S, h.pi), A: norm(A, S, S, h.A), B: norm(B, S, V, h.B) };
    onProgress?.(iter + 1, maxIter);
  }
  return { model: fromLogs(initial.states, initial.symbols, h.pi, h.A, h.B), logLikelihoods: lls, converged };
}
