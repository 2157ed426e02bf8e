/**
 * `forward`: the states and outputs of the bidirectional RNN.
 */
import { Tensor } from "@hw/tensor";
import { forwardKernel } from "./internal/core";
import { outShape, prepare } from "./internal/prepare";
import type { BiRnnParamsInput, ModelOptions, TensorInput } from "./params";

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
 * Computed in float64 whatever the inputs' dtype. NaN and ±Infinity propagate (σ(±∞) = 1, 0).
 *
 * @param params - `{ Wf, Uf, Vf, Wb, Ub, Vb }` (H×D, H×H, K×H each), tensors or nested arrays
 * @param x - inputs, T×D (one sequence) or T×B×D (B sequences)
 * @param options - `hfInit`, `hbInit` (H, or B×H for a batch; default zeros) and `activation`
 * @returns `{ hf, hb, y }` as float64 tensors (T×H, T×H, T×K; with a B axis for batched input)
 * @throws RangeError when a shape does not fit: `forward: Uf must be H×H (H from Wf) = [4,4], got [4,3]`
 * @throws TypeError when a parameter is missing or not numeric
 * @example
 * ```ts
 * const { y } = forward({ Wf: [[1]], Uf: [[0]], Vf: [[1]], Wb: [[1]], Ub: [[0]], Vb: [[1]] }, [[0]]);
 * y.toArray(); // => [[1]]  (σ(0) + σ(0))
 * ```
 */
export function forward(params: BiRnnParamsInput, x: TensorInput, options: ModelOptions = {}): ForwardResult {
  const p = prepare("forward", params, x, options);
  const f = forwardKernel(p);
  return {
    hf: new Tensor(f.hf, outShape(p, p.dims.H)),
    hb: new Tensor(f.hb, outShape(p, p.dims.H)),
    y: new Tensor(f.y, outShape(p, p.dims.K)),
  };
}
