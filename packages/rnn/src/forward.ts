/**
 * `forward`: the states and outputs of the bidirectional RNN.
 */
import { isTracked, readOptions, recordOp, Tensor } from "@hw/tensor";
import { forwardKernel, initGradient, vjpKernel, type ForwardBlocks } from "./internal/core";
import { finiteGuard, modelInputs } from "./internal/finite";
import { flat, outShape, prepare, type Prepared } from "./internal/prepare";
import { MODEL_OPTION_ALIASES, MODEL_OPTION_KEYS, type BiRnnParamsInput, type ModelOptions, type TensorInput } from "./params";

/** The result of {@link forward}: time-major states and outputs. */
export interface ForwardResult {
  /** Forward states: `hf[t]` is $h^{(f)}_{t+1}$ (0-based rows), T×H or T×B×H. */
  readonly hf: Tensor;
  /** Backward states: `hb[t]` is $h^{(b)}_{t+1}$, T×H or T×B×H. */
  readonly hb: Tensor;
  /** Outputs: `y[t]` is $y_{t+1}$, T×K or T×B×K. */
  readonly y: Tensor;
}

/**
 * Run the bidirectional RNN of Question 1 over a sequence (or a batch of sequences of equal length):
 * $$h^{(f)}_t = \sigma(W^{(f)}x_t + U^{(f)}h^{(f)}_{t-1}),\qquad
 *   h^{(b)}_t = \sigma(W^{(b)}x_t + U^{(b)}h^{(b)}_{t+1}),\qquad
 *   y_t = V^{(f)}h^{(f)}_t + V^{(b)}h^{(b)}_t,$$
 * for $t = 1, \dots, T$, with the initial states $h^{(f)}_0$ = `hfInit` and $h^{(b)}_{T+1}$ = `hbInit`
 * (optional biases are added inside σ and to $y_t$ when present).
 *
 * Indexing is time-major and 0-based: row `t` of every result is step $t+1$ of the problem set, so
 * `hb[t]` is $h^{(b)}_{t+1}$ and `hbInit` is $h^{(b)}_{T+1}$, the state "after" the last row.
 * Computed in float64 whatever the inputs' dtype. NaN and ±Infinity inputs propagate (σ(±∞) = 1, 0);
 * finite inputs whose output overflows are refused with a RangeError.
 *
 * Differentiable: inside `grad`/`valueAndGrad` of `@hw/tensor` each output records a backward rule
 * (the analytic BPTT of {@link bptt} run with the upstream gradient), so gradients flow to every
 * weight, bias, initial state and to `x`.
 *
 * @param params - `{ Wf, Uf, Vf, Wb, Ub, Vb }` (H×D, H×H, K×H each), tensors or nested arrays
 * @param x - inputs, T×D (one sequence) or T×B×D (B sequences)
 * @param options - `hfInit`, `hbInit` (H, or B×H for a batch; default zeros) and `nonlinearity` (`activation` is its deprecated alias)
 * @returns `{ hf, hb, y }` as float64 tensors (T×H, T×H, T×K; with a B axis for batched input)
 * @throws RangeError when a shape does not fit: `forward: Uf must be H×H (H from Wf) = [4,4], got [4,3]`
 * @throws TypeError when a parameter is missing or not numeric, or an option is unknown
 * @throws RangeError `forward: the output y overflowed to Infinity …` when finite inputs overflow
 * @example
 * ```ts
 * const { y } = forward({ Wf: [[1]], Uf: [[0]], Vf: [[1]], Wb: [[1]], Ub: [[0]], Vb: [[1]] }, [[0]]);
 * y.toArray(); // => [[1]]  (σ(0) + σ(0))
 * ```
 */
export function forward(params: BiRnnParamsInput, x: TensorInput, options?: ModelOptions): ForwardResult {
  const o = readOptions("forward", options, MODEL_OPTION_KEYS, MODEL_OPTION_ALIASES);
  const p = prepare("forward", params, x, o);
  const f = forwardKernel(p);
  finiteGuard("forward", modelInputs(p), "rescale the weights or inputs").check("the output y", f.y);
  const hShape = outShape(p, p.dims.H);
  const out = { hf: new Tensor(f.hf, hShape), hb: new Tensor(f.hb, hShape), y: new Tensor(f.y, outShape(p, p.dims.K)) };
  recordForward(p, f, out);
  return out;
}

/**
 * Give the three outputs of {@link forward} their backward rule: each is recorded as its own op whose
 * VJP is the analytic BPTT of the package with that output's upstream gradient (the other two
 * zero); the tape adds the contributions when several outputs are used.
 */
function recordForward(p: Prepared, f: ForwardBlocks, out: { hf: Tensor; hb: Tensor; y: Tensor }): void {
  const { params, x, hfInit, hbInit } = p.tensors;
  const names = Object.keys(params);
  const inputs: Tensor[] = [...names.map((n) => params[n]!), x];
  if (hfInit !== null) inputs.push(hfInit);
  if (hbInit !== null) inputs.push(hbInit);
  const wantX = isTracked(x);
  const backward = (which: "y" | "hf" | "hb") => (g: Tensor): (Tensor | null)[] => {
    const up = flat(g);
    const r = vjpKernel(p, f, { y: which === "y" ? up : null, hf: which === "hf" ? up : null, hb: which === "hb" ? up : null }, false, wantX);
    const byName: Record<string, Float64Array> = { Wf: r.gWf, Uf: r.gUf, Vf: r.gVf, Wb: r.gWb, Ub: r.gUb, Vb: r.gVb, bf: r.gbf, bb: r.gbb, by: r.gby };
    const grads: (Tensor | null)[] = names.map((n) => new Tensor(byName[n]!, params[n]!.shape));
    grads.push(wantX ? new Tensor(r.gx, x.shape) : null);
    const { B, H } = p.dims;
    if (hfInit !== null) grads.push(initGradient(r.gHf0, p.hfInitShape, B, H));
    if (hbInit !== null) grads.push(initGradient(r.gHb0, p.hbInitShape, B, H));
    return grads;
  };
  recordOp("forward.y", inputs, out.y, backward("y"));
  recordOp("forward.hf", inputs, out.hf, backward("hf"));
  recordOp("forward.hb", inputs, out.hb, backward("hb"));
}
