/**
 * The bidirectional RNN written with `@hw/tensor` ops, differentiated by its reverse-mode autodiff:
 * an independent route to the gradients of `bptt`, and the model's `gradcheck`.
 */
import {
  add,
  assertNotDifferentiated,
  gradcheck,
  readOptions,
  toTensor,
  warnDeprecated,
  matmul,
  select,
  sigmoid,
  stack,
  tanh,
  transpose,
  valueAndGrad,
  zeros,
  type Tensor,
} from "@hw/tensor";
import { bptt, type BiRnnGrads } from "./bptt";
import { prepare, prepareTargets } from "./internal/prepare";
import { BIAS_NAMES, MODEL_OPTION_KEYS, WEIGHT_NAMES, MODEL_OPTION_ALIASES, type BiRnnParams, type BiRnnParamsInput, type ModelOptions, type Nonlinearity, type TensorInput } from "./params";
import { squaredLoss } from "./squared-loss";

/** Everything the autodiff model differentiates: the weights (and biases, when present) and both initial states. */
export type BiRnnVariables = BiRnnParams & { readonly hfInit: Tensor; readonly hbInit: Tensor };

/** Options of {@link modelLoss}. */
export interface ModelLossOptions {
  /** The hidden units' function. @defaultValue `"sigmoid"` */
  readonly nonlinearity?: Nonlinearity;
  /** @deprecated Renamed `nonlinearity` (warns once; removed in 0.2.0). */
  readonly activation?: Nonlinearity;
}

/** W·v over the last axis of v (v is D, B×D or T×B×D): v·Wᵀ. */
function apply(W: Tensor, v: Tensor): Tensor {
  return matmul(v, transpose(W));
}

/**
 * The loss $L = \sum_t \lVert z_t - y_t\rVert^2$ of the bidirectional RNN as a composition of
 * `@hw/tensor` ops (`matmul`, `sigmoid`, `stack`, `squaredLoss`), so that
 * `grad`/`valueAndGrad`/`gradcheck` can differentiate it. Slow compared with {@link bptt}; it is
 * the reference the analytic gradients are checked against.
 *
 * @param vars - the weights plus `hfInit`, `hbInit` (H, or B×H for a batch)
 * @param x - T×D or T×B×D
 * @param z - T×K or T×B×K
 * @param options - `nonlinearity` (default sigmoid). The former positional form
 *   `modelLoss(vars, x, z, "tanh")` still works and warns once (removed in 0.2.0).
 * @returns the 0-d loss tensor (recorded on the autodiff tape when traced)
 * @throws TypeError for an unknown option or nonlinearity
 * @example
 * ```ts
 * const g = grad((v: BiRnnVariables) => modelLoss(v, x, z))(vars); // same as bptt(...).grads
 * modelLoss(vars, x, z, { nonlinearity: "tanh" });
 * ```
 */
export function modelLoss(vars: BiRnnVariables, x: TensorInput, z: TensorInput, options?: ModelLossOptions | Nonlinearity): Tensor {
  let given = options;
  if (typeof given === "string") {
    warnDeprecated('modelLoss: the positional nonlinearity argument is deprecated and will be removed in the next minor version; pass { nonlinearity: "' + given + '" }');
    given = { nonlinearity: given };
  }
  const o = readOptions("modelLoss", given, ["nonlinearity"], MODEL_OPTION_ALIASES);
  const nonlinearity = o.nonlinearity ?? "sigmoid";
  if ((nonlinearity as string) !== "sigmoid" && (nonlinearity as string) !== "tanh") {
    throw new TypeError(`modelLoss: nonlinearity must be "sigmoid" or "tanh", got ${JSON.stringify(nonlinearity)}`);
  }
  if (typeof vars !== "object" || (vars as unknown) === null) throw new TypeError("modelLoss: vars must be a record { Wf, Uf, Vf, Wb, Ub, Vb, hfInit, hbInit }");
  const xt = toTensor(x, "modelLoss: x");
  const zt = toTensor(z, "modelLoss: z");
  const act = nonlinearity === "tanh" ? tanh : sigmoid;
  const T = xt.shape[0] ?? 0;
  const step = (W: Tensor, U: Tensor, b: Tensor | undefined, xt: Tensor, prev: Tensor): Tensor => {
    const a = add(apply(W, xt), apply(U, prev));
    return act(b === undefined ? a : add(a, b));
  };
  const hf: Tensor[] = [];
  let prev = vars.hfInit;
  for (let t = 0; t < T; t++) {
    prev = step(vars.Wf, vars.Uf, vars.bf, select(xt, 0, t), prev);
    hf.push(prev);
  }
  const hb: Tensor[] = new Array<Tensor>(T);
  let next = vars.hbInit;
  for (let t = T - 1; t >= 0; t--) {
    next = step(vars.Wb, vars.Ub, vars.bb, select(xt, 0, t), next);
    hb[t] = next;
  }
  if (T === 0) return squaredLoss(zeros(zt.shape), zt);
  const yf = add(apply(vars.Vf, stack(hf, 0)), apply(vars.Vb, stack(hb, 0)));
  const y = vars.by === undefined ? yf : add(yf, vars.by);
  return squaredLoss(y, z);
}

function variables(op: string, params: BiRnnParamsInput, x: TensorInput, options: ModelOptions) {
  const { H } = prepare(op, params, x, options).dims;
  const vars: Record<string, Tensor> = {};
  for (const key of [...WEIGHT_NAMES, ...BIAS_NAMES]) {
    const v = (params as unknown as Record<string, unknown>)[key];
    if (v !== undefined) vars[key] = toTensor(v as TensorInput, `${op}: params.${key}`);
  }
  vars.hfInit = options.hfInit === undefined ? zeros([H]) : toTensor(options.hfInit, `${op}: hfInit`);
  vars.hbInit = options.hbInit === undefined ? zeros([H]) : toTensor(options.hbInit, `${op}: hbInit`);
  return { vars: vars as unknown as BiRnnVariables, x: toTensor(x, `${op}: x`) };
}

/** The result of {@link autodiffGrads}. */
export interface AutodiffResult {
  readonly loss: number;
  readonly grads: BiRnnGrads;
}

/**
 * The gradients of L by `@hw/tensor`'s reverse-mode autodiff of {@link modelLoss} (no hand-derived
 * formula): an independent check of {@link bptt}.
 *
 * @param params - the weights (optional biases)
 * @param x - T×D or T×B×D
 * @param z - T×K or T×B×K
 * @param options - initial states and `nonlinearity`
 * @returns the loss and the gradients of every weight and both initial states
 * @throws RangeError / TypeError as {@link bptt}
 * @example
 * ```ts
 * autodiffGrads(params, x, z, { hfInit, hbInit }).grads.Wf; // equals bptt(...).grads.Wf to ~1e-15
 * ```
 */
export function autodiffGrads(params: BiRnnParamsInput, x: TensorInput, z: TensorInput, options?: ModelOptions): AutodiffResult {
  const o = readOptions("autodiffGrads", options, MODEL_OPTION_KEYS, MODEL_OPTION_ALIASES);
  assertNotDifferentiated("autodiffGrads", [params, x, z, o.hfInit, o.hbInit], "it returns gradients; differentiate modelLoss instead");
  const { vars, x: xt } = variables("autodiffGrads", params, x, o);
  const zt = toTensor(z, "autodiffGrads: z");
  prepareTargets("autodiffGrads", zt, prepare("autodiffGrads", params, xt, o)); // validates z against the shapes
  const { value, grad } = valueAndGrad((v: BiRnnVariables) => modelLoss(v, xt, zt, { nonlinearity: o.nonlinearity ?? "sigmoid" }))(vars);
  return { loss: value.item(), grads: grad };
}

/** One row of {@link GradientCheck}: the three ways of computing one gradient, compared. */
export interface GradientCheckEntry {
  /** `Wf` … `Vb`, the biases when present, `hfInit`, `hbInit`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** max |analytic (bptt) − autodiff|. */
  readonly analyticVsAutodiff: number;
  /** max |analytic − central finite differences|. */
  readonly analyticVsNumeric: number;
  /** max |autodiff − central finite differences|. */
  readonly autodiffVsNumeric: number;
  /** max |analytic| (the scale of the gradient, for reading the errors). */
  readonly scale: number;
  /** True when every element passes |a − n| ≤ atol + rtol·|n| against the finite differences and analytic ≈ autodiff. */
  readonly ok: boolean;
}

/** The result of {@link checkGradients}. */
export interface GradientCheck {
  readonly ok: boolean;
  readonly loss: number;
  readonly entries: readonly GradientCheckEntry[];
  /** Finite-difference step. */
  readonly eps: number;
  readonly atol: number;
  readonly rtol: number;
}

/** Options of {@link checkGradients}. */
export interface CheckGradientsOptions extends ModelOptions {
  /** Finite-difference step. @defaultValue 1e-6 */
  readonly eps?: number;
  /** Absolute tolerance. @defaultValue 1e-6 */
  readonly atol?: number;
  /** Relative tolerance. @defaultValue 1e-5 */
  readonly rtol?: number;
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.contiguous();
  const y = b.contiguous();
  let m = 0;
  for (let i = 0; i < x.size; i++) {
    const d = Math.abs(x.data[x.offset + i]! - y.data[y.offset + i]!);
    m = Number.isNaN(d) ? Number.NaN : Math.max(m, d);
  }
  return m;
}

/**
 * The three-way gradient check of the model: the analytic gradients of {@link bptt} against
 * `@hw/tensor` autodiff and against central finite differences (`gradcheck` of {@link modelLoss}),
 * with the maximum absolute error per parameter.
 *
 * @param params - the weights
 * @param x - T×D or T×B×D
 * @param z - T×K or T×B×K
 * @param options - initial states, `nonlinearity`, `eps`, `atol`, `rtol`
 * @returns one entry per parameter and initial state, and the verdict
 * @throws RangeError / TypeError as {@link bptt}
 * @example
 * ```ts
 * const c = checkGradients(params, x, z, { hfInit, hbInit });
 * c.ok; // => true
 * c.entries[0]; // => { name: "Wf", analyticVsAutodiff: 2e-16, analyticVsNumeric: 3e-10, … }
 * ```
 */
export function checkGradients(params: BiRnnParamsInput, x: TensorInput, z: TensorInput, options?: CheckGradientsOptions): GradientCheck {
  const o = readOptions("checkGradients", options, [...MODEL_OPTION_KEYS, "eps", "atol", "rtol"], MODEL_OPTION_ALIASES);
  assertNotDifferentiated("checkGradients", [params, x, z, o.hfInit, o.hbInit], "it compares gradients");
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-5 } = o;
  for (const [name, v] of [["eps", eps], ["atol", atol], ["rtol", rtol]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (name === "eps" && v === 0)) {
      throw new RangeError(`checkGradients: ${name} must be a finite number ${name === "eps" ? "> 0" : "≥ 0"}, got ${String(v)}`);
    }
  }
  const model = { ...(o.hfInit === undefined ? {} : { hfInit: o.hfInit }), ...(o.hbInit === undefined ? {} : { hbInit: o.hbInit }), ...(o.nonlinearity === undefined ? {} : { nonlinearity: o.nonlinearity }) };
  const analytic = bptt(params, x, z, model);
  const { vars, x: xt } = variables("checkGradients", params, x, o);
  const zt = toTensor(z, "checkGradients: z");
  const report = gradcheck(
    (v: Readonly<Record<string, Tensor>>) => modelLoss(v as unknown as BiRnnVariables, xt, zt, { nonlinearity: o.nonlinearity ?? "sigmoid" }),
    vars as unknown as Readonly<Record<string, Tensor>>,
    { eps, atol, rtol, raise: false },
  );
  const entries = report.inputs.map((r): GradientCheckEntry => {
    const a = (analytic.grads as unknown as Record<string, Tensor>)[r.name]!;
    const ad = maxAbsDiff(a, r.analyticGrad);
    const an = maxAbsDiff(a, r.numericGrad);
    let scale = 0;
    for (const v of a.contiguous().data) scale = Math.max(scale, Math.abs(v));
    return {
      name: r.name,
      shape: r.shape,
      analyticVsAutodiff: ad,
      analyticVsNumeric: an,
      autodiffVsNumeric: r.maxAbsError,
      scale,
      ok: r.ok && ad <= 1e-10 * Math.max(1, scale),
    };
  });
  return { ok: entries.every((e) => e.ok), loss: analytic.loss, entries, eps, atol, rtol };
}
