/**
 * `bptt`: the analytic gradients of Question 1.2–1.3, with every term of the derivation.
 */
import { assertNotDifferentiated, readOptions, Tensor } from "@hw/tensor";
import { activationSlope, backwardKernel, forwardKernel, initGradient, zeroPadded, type BackwardBlocks, type ForwardBlocks, type Truncation } from "./internal/core";
import { DEFAULT_MAX_MEMORY, gigabytes } from "./internal/budget";
import { finiteGuard, modelInputs } from "./internal/finite";
import { outShape, prepare, prepareTargets, type Prepared } from "./internal/prepare";
import { MODEL_OPTION_ALIASES, MODEL_OPTION_KEYS, type BiRnnParamsInput, type ForwardOptions, type TensorInput } from "./params";

/** Options of {@link bptt}. */
export interface BpttOptions extends ForwardOptions {
  /**
   * `"sum"` is the problem set's $L = \sum_t \lVert z_t - y_t\rVert^2$; `"mean"` divides it by the
   * number of elements of y.
   * @defaultValue `"sum"`
   */
  readonly reduction?: "sum" | "mean";
  /**
   * Compute {@link BpttTerms}. They are asked for explicitly because the per-step Jacobians cost
   * 2·T·B·H² numbers (2.1 GB at T = 1000, B = 32, H = 64); the gradients themselves need only
   * O(T·B·H).
   * @defaultValue false
   */
  readonly terms?: boolean;
  /**
   * Memory budget in bytes for the result with `terms: true`: beyond it `bptt` refuses (before
   * allocating) with the estimate, instead of exhausting the heap.
   * @defaultValue 2e9 (2 GB)
   */
  readonly maxMemory?: number;
  /**
   * Truncated BPTT. A number k is regular truncation (d2l §9.7): each chain is cut into blocks of k
   * steps counted from its own start (step 1 for the forward chain, each sequence's last step for the
   * backward chain) and no gradient crosses a block boundary through the recurrent state.
   * `{ k1, k2 }` is Williams & Peng's BPTT(k₂; k₁) (Sutskever's k₁, k₂): every k₁ steps the losses of
   * the last k₁ steps are backpropagated k₂ ≥ k₁ steps back from that point — the loss at chain step
   * s reaches the states $\max(1, \lceil s/k_1\rceil k_1 - k_2 + 1) \ldots s$; `k` is `{ k1: k, k2: k }`.
   * The initial states stay connected to the first window; the loss and states are unchanged; the
   * gradients are biased towards short-range dependencies. `k2 ≥ ⌈T/k1⌉·k1` is full BPTT.
   * @defaultValue Infinity (full BPTT)
   */
  readonly truncate?: number | TruncateOptions;
}

/** Williams & Peng's truncation points (`k1`) and backpropagation depth (`k2`) of {@link BpttOptions.truncate}. */
export interface TruncateOptions {
  /** Steps between truncation points (Williams & Peng's h′). */
  readonly k1: number;
  /** Steps the gradient flows back from each truncation point (their h), at least `k1`. */
  readonly k2: number;
}

const BPTT_OPTION_KEYS = [...MODEL_OPTION_KEYS, "lengths", "reduction", "terms", "maxMemory", "truncate"] as const satisfies readonly (keyof BpttOptions)[];


/** The `truncate` option as `{ k1, k2 }` (null: full BPTT), refusing anything else with the value shown. */
function readTruncate(fn: string, truncate: unknown): Truncation | null {
  if (truncate === undefined || truncate === Infinity) return null;
  const steps = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 1;
  if (steps(truncate)) return { k1: truncate, k2: truncate };
  if (typeof truncate === "object" && truncate !== null && !Array.isArray(truncate)) {
    const { k1, k2 } = readOptions(`${fn}: truncate`, truncate as TruncateOptions, ["k1", "k2"] as const);
    if (!steps(k1) || !(steps(k2) || k2 === Infinity)) {
      throw new RangeError(`${fn}: truncate.k1 and truncate.k2 must be positive integer numbers of steps (k2 may be Infinity), got { k1: ${String(k1)}, k2: ${String(k2)} }`);
    }
    if (k2 < k1) throw new RangeError(`${fn}: truncate.k2 must be at least truncate.k1 (Williams & Peng's h ≥ h′), got { k1: ${String(k1)}, k2: ${String(k2)} }`);
    return k2 === Infinity ? null : { k1, k2 };
  }
  throw new RangeError(`${fn}: truncate must be a positive integer number of steps, Infinity or { k1, k2 }, got ${typeof truncate === "number" ? String(truncate) : JSON.stringify(truncate)}`);
}

/** Bytes of the float64 arrays of {@link BpttTerms} (and the local gradients they are built from). */
function termsBytes(T: number, B: number, D: number, H: number): number {
  return 8 * (2 * T * B * H * H + 2 * T * B * H + T * H * D + T * H * H);
}



/** The gradient of L with respect to every parameter and both initial states. */
export interface BiRnnGrads {
  readonly Wf: Tensor;
  readonly Uf: Tensor;
  readonly Vf: Tensor;
  readonly Wb: Tensor;
  readonly Ub: Tensor;
  readonly Vb: Tensor;
  /** $\nabla_{h^{(f)}_0}L$, in the shape `hfInit` was given (H when omitted). */
  readonly hfInit: Tensor;
  /** $\nabla_{h^{(b)}_{T+1}}L$, in the shape `hbInit` was given. */
  readonly hbInit: Tensor;
  /** Present when the parameters have the bias. */
  readonly bf?: Tensor;
  readonly bb?: Tensor;
  readonly by?: Tensor;
}

/**
 * The terms of the derivation, step by step (row `i` is step $t = i+1$; batched inputs add a B axis
 * after the time axis; the per-step weight contributions are summed over the batch).
 */
export interface BpttTerms {
  /** $\nabla_{h^{(f)}_t}L_t = 2V^{(f)\top}(y_t - z_t)$, T×H. */
  readonly localF: Tensor;
  /** $\nabla_{h^{(b)}_t}L_t = 2V^{(b)\top}(y_t - z_t)$, T×H. */
  readonly localB: Tensor;
  /**
   * `jacobianF[i]` is the Jacobian of row i of `hf` with respect to its predecessor (row i−1, or
   * `hfInit` for i = 0): $\partial h^{(f)}_{t}/\partial h^{(f)}_{t-1} = \mathrm{diag}(h^{(f)}_t \odot (1-h^{(f)}_t))\,U^{(f)}$, T×H×H.
   * The recursion's $\partial h^{(f)}_{t+1}/\partial h^{(f)}_t$ is `jacobianF[t]` (1-based t).
   */
  readonly jacobianF: Tensor;
  /**
   * `jacobianB[i]` is the Jacobian of row i of `hb` with respect to its predecessor in the backward
   * recurrence (row i+1, or `hbInit` for i = T−1):
   * $\partial h^{(b)}_{t}/\partial h^{(b)}_{t+1} = \mathrm{diag}(h^{(b)}_t \odot (1-h^{(b)}_t))\,U^{(b)}$, T×H×H.
   * The recursion's $\partial h^{(b)}_{t-1}/\partial h^{(b)}_t$ is `jacobianB[t-2]` (1-based t).
   */
  readonly jacobianB: Tensor;
  /** The total $\nabla_{h^{(f)}_t}L$, T×H (same as the result's `dhf`). */
  readonly totalF: Tensor;
  /** The total $\nabla_{h^{(b)}_t}L$, T×H (same as `dhb`). */
  readonly totalB: Tensor;
  /** Step t's term $(\nabla_{h^{(f)}_t}L \odot \sigma'_t)\,x_t^\top$ of $\nabla_{W^{(f)}}L$, T×H×D; they sum to `grads.Wf`. */
  readonly stepsWf: Tensor;
  /** Step t's term $(\nabla_{h^{(b)}_t}L \odot \sigma'_t)\,h^{(b)\top}_{t+1}$ of $\nabla_{U^{(b)}}L$, T×H×H; they sum to `grads.Ub`. */
  readonly stepsUb: Tensor;
}

/** The result of {@link bptt}. */
export interface BpttResult {
  /** L (a plain number). */
  readonly loss: number;
  /** Forward states, T×H (T×B×H). */
  readonly hf: Tensor;
  /** Backward states, T×H (T×B×H). */
  readonly hb: Tensor;
  /** Outputs, T×K (T×B×K). */
  readonly y: Tensor;
  /** $\nabla L$ for every parameter and both initial states. */
  readonly grads: BiRnnGrads;
  /** Total $\nabla_{h^{(f)}_t}L$ of the Q1.2 recursion, T×H (T×B×H). */
  readonly dhf: Tensor;
  /** Total $\nabla_{h^{(b)}_t}L$, T×H (T×B×H). */
  readonly dhb: Tensor;
  /** Every term of the derivation (absent with `terms: false`). */
  readonly terms?: BpttTerms;
}

function jacobians(p: Prepared, h: Float64Array, U: Float64Array): Tensor {
  const { T, B, H } = p.dims;
  const kind = p.nonlinearity;
  const J = new Float64Array(T * B * H * H);
  for (let r = 0; r < T * B; r++) {
    for (let i = 0; i < H; i++) {
      const s = activationSlope(h[r * H + i]!, kind);
      const o = (r * H + i) * H;
      for (let j = 0; j < H; j++) J[o + j] = s * U[i * H + j]!;
    }
  }
  return new Tensor(J, p.batched ? [T, B, H, H] : [T, H, H]);
}

/** Σ_b a[t,b,:]ᵀ c[t,b,:] for every t: T×M×N. */
function stepOuter(T: number, B: number, M: number, N: number, a: Float64Array, c: (t: number, b: number) => readonly [Float64Array, number]): Tensor {
  const out = new Float64Array(T * M * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const ao = (t * B + b) * M;
      const [arr, co] = c(t, b);
      for (let i = 0; i < M; i++) {
        const v = a[ao + i]!;
        const o = (t * M + i) * N;
        for (let j = 0; j < N; j++) out[o + j] = out[o + j]! + v * arr[co + j]!;
      }
    }
  }
  return new Tensor(out, [T, M, N]);
}

/** Refuse a non-finite output, loss or gradient computed from finite inputs, naming the quantity. */
// eslint-disable-next-line no-restricted-syntax -- shared between modules of this package, not exported from its index
export function checkFiniteResult(fn: string, p: Prepared, z: Float64Array, f: ForwardBlocks, g: BackwardBlocks, hint = "rescale the inputs or targets"): void {
  const guard = finiteGuard(fn, modelInputs(p, z), hint);
  guard.check("the output y", f.y);
  guard.check("the loss", g.loss);
  guard.check("the total gradient ∇_{h(f)}L (dhf)", g.dhf);
  guard.check("the total gradient ∇_{h(b)}L (dhb)", g.dhb);
  const named: [string, Float64Array][] = [["Wf", g.gWf], ["Uf", g.gUf], ["Vf", g.gVf], ["Wb", g.gWb], ["Ub", g.gUb], ["Vb", g.gVb], ["bf", g.gbf], ["bb", g.gbb], ["by", g.gby], ["hfInit", g.gHf0], ["hbInit", g.gHb0]];
  for (const [name, values] of named) guard.check(`the gradient of ${name}`, values);
}

/**
 * Backpropagation through time for the bidirectional RNN, by the recursions of Question 1.2 and the
 * sums of Question 1.3 (no autodiff): with $e_t = 2(y_t - z_t)$ and $\sigma'_t = h_t \odot (1 - h_t)$,
 * $$\nabla_{h^{(f)}_t}L = V^{(f)\top}e_t + U^{(f)\top}\big(\sigma'^{(f)}_{t+1} \odot \nabla_{h^{(f)}_{t+1}}L\big),\qquad
 *   \nabla_{h^{(b)}_t}L = V^{(b)\top}e_t + U^{(b)\top}\big(\sigma'^{(b)}_{t-1} \odot \nabla_{h^{(b)}_{t-1}}L\big),$$
 * $$\nabla_{W^{(f)}}L = \sum_t \big(\nabla_{h^{(f)}_t}L \odot \sigma'^{(f)}_t\big)\,x_t^\top,\qquad
 *   \nabla_{U^{(b)}}L = \sum_t \big(\nabla_{h^{(b)}_t}L \odot \sigma'^{(b)}_t\big)\,h^{(b)\top}_{t+1},$$
 * and likewise for the other weights, the optional biases and the initial states
 * ($\nabla_{h^{(f)}_0}L = U^{(f)\top}(\sigma'^{(f)}_1 \odot \nabla_{h^{(f)}_1}L)$).
 *
 * Batched input (x T×B×D, z T×B×K) sums the loss and the gradients over the B sequences.
 *
 * @param params - `{ Wf, Uf, Vf, Wb, Ub, Vb }` (optional `bf`, `bb`, `by`)
 * @param x - inputs, T×D or T×B×D
 * @param z - targets, T×K or T×B×K
 * @param options - initial states, `nonlinearity`, `reduction`, `terms` (off by default), `maxMemory`
 * @returns loss, states, outputs, gradients, the total $\nabla_{h_t}L$ and the derivation's terms
 * @throws RangeError when a shape does not fit (the message names the field and both shapes)
 * @throws TypeError when a parameter is missing or an option is unknown
 * @throws RangeError `bptt: the loss overflowed to Infinity although every input is finite …` (finite
 *   inputs whose result is not finite), or `bptt: terms: true needs about 2.15 GB …` over `maxMemory`
 * @throws NotDifferentiableError inside `grad` (differentiate {@link forward} or {@link modelLoss})
 * @example
 * ```ts
 * const r = bptt(params, x, z, { hfInit, hbInit });
 * r.loss;                  // => 7.847845705540357 (first case of birnn.json)
 * r.grads.Wf.toArray();    // => H×D nested arrays
 * bptt(params, x, z, { terms: true }).terms?.stepsWf; // T×H×D: the terms that add up to grads.Wf
 * ```
 */
export function bptt(params: BiRnnParamsInput, x: TensorInput, z: TensorInput, options?: BpttOptions): BpttResult {
  const o = readOptions("bptt", options, BPTT_OPTION_KEYS, MODEL_OPTION_ALIASES);
  assertNotDifferentiated("bptt", [params, x, z, o.hfInit, o.hbInit], "it returns gradients; differentiate forward or modelLoss instead");
  const p = prepare("bptt", params, x, o);
  const zf = prepareTargets("bptt", z, p);
  const reduction = o.reduction ?? "sum";
  if ((reduction as string) !== "sum" && (reduction as string) !== "mean") {
    throw new TypeError(`bptt: reduction must be "sum" or "mean", got ${JSON.stringify(reduction)}`);
  }
  const terms = o.terms ?? false;
  if (typeof terms !== "boolean") throw new TypeError(`bptt: terms must be true or false, got ${JSON.stringify(terms)}`);
  const maxMemory = o.maxMemory ?? DEFAULT_MAX_MEMORY;
  if (typeof maxMemory !== "number" || !(maxMemory > 0)) {
    throw new RangeError(`bptt: maxMemory must be a positive number of bytes, got ${String(maxMemory)}`);
  }
  const truncation = readTruncate("bptt", o.truncate);
  const { T, B, D, H, K } = p.dims;
  if (terms) {
    const bytes = termsBytes(T, B, D, H);
    if (bytes > maxMemory) {
      throw new RangeError(
        `bptt: terms: true needs about ${gigabytes(bytes)} (the per-step Jacobians are 2·T·B·H² = 2·${String(T)}·${String(B)}·${String(H)}² numbers), ` +
          `over maxMemory = ${gigabytes(maxMemory)}; pass { maxMemory: ${bytes.toPrecision(3)} } to allow it, or leave terms off`,
      );
    }
  }
  // "mean" divides by the number of valid output elements (K per unpadded step).
  const steps = p.lengths === null ? T * B : p.lengths.reduce((a, n) => a + n, 0);
  const scale = reduction === "mean" ? 1 / (steps * K) : 1;
  const f = forwardKernel(p);
  const g = backwardKernel(p, f, zf, scale, terms, truncation);
  checkFiniteResult("bptt", p, zf, f, g);
  const hShape = outShape(p, H);
  const grads: BiRnnGrads = {
    Wf: new Tensor(g.gWf, [H, D]),
    Uf: new Tensor(g.gUf, [H, H]),
    Vf: new Tensor(g.gVf, [K, H]),
    Wb: new Tensor(g.gWb, [H, D]),
    Ub: new Tensor(g.gUb, [H, H]),
    Vb: new Tensor(g.gVb, [K, H]),
    hfInit: initGradient(g.gHf0, p.hfInitShape, B, H),
    hbInit: initGradient(g.gHb0, p.hbInitShape, B, H),
    ...(p.w.bf === null ? {} : { bf: new Tensor(g.gbf, [H]) }),
    ...(p.w.bb === null ? {} : { bb: new Tensor(g.gbb, [H]) }),
    ...(p.w.by === null ? {} : { by: new Tensor(g.gby, [K]) }),
  };
  const dhf = new Tensor(g.dhf, hShape);
  const dhb = new Tensor(g.dhb, hShape);
  const result: BpttResult = {
    loss: g.loss,
    hf: new Tensor(f.hf, hShape),
    hb: new Tensor(f.hb, hShape),
    y: new Tensor(f.y, outShape(p, K)),
    grads,
    dhf,
    dhb,
  };
  if (!terms) return result;
  const BH = B * H;
  const last = (b: number): number => (p.lengths === null ? T : p.lengths[b]!) - 1;
  const jacobianF = jacobians(p, f.hf, p.w.Uf);
  const jacobianB = jacobians(p, f.hb, p.w.Ub);
  zeroPadded(jacobianF.data as Float64Array, T, B, H * H, p.lengths);
  zeroPadded(jacobianB.data as Float64Array, T, B, H * H, p.lengths);
  const all: BpttTerms = {
    localF: new Tensor(g.localF!, hShape),
    localB: new Tensor(g.localB!, hShape),
    jacobianF,
    jacobianB,
    totalF: dhf,
    totalB: dhb,
    stepsWf: stepOuter(T, B, H, D, g.deltaF, (t, b) => [p.x, (t * B + b) * D]),
    stepsUb: stepOuter(T, B, H, H, g.deltaB, (t, b) => (t === last(b) ? [p.hb0, b * H] : [f.hb, (t + 1) * BH + b * H])),
  };
  return { ...result, terms: all };
}
