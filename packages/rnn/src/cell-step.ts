/**
 * `cellStep`: one step of one direction of the bidirectional RNN (PyTorch's `nn.RNNCell`).
 */
import { add, matmul, readOptions, relu, sigmoid, tanh, toTensor, transpose, zeros, type Tensor, type TensorInput } from "@hw/tensor";
import { NONLINEARITIES, type Nonlinearity } from "./params";

/** The weights of one direction: `W` H×D, `U` H×H and an optional bias `b` (H). */
export interface RnnCell<T = TensorInput> {
  readonly W: T;
  readonly U: T;
  readonly b?: T;
}

/** Options of {@link cellStep}. */
export interface CellStepOptions {
  /** The previous state $h_{t-1}$: H, or B×H for a batch. @defaultValue zeros */
  readonly h?: TensorInput;
  /** The hidden units' function. @defaultValue `"sigmoid"` */
  readonly nonlinearity?: Nonlinearity;
}

const show = (s: readonly number[]): string => `[${s.join(",")}]`;

/**
 * One recurrence step $h_t = \sigma(W x_t + U h_{t-1} + b)$ — the forward chain's step with
 * `{ W: Wf, U: Uf }`, the backward chain's with `{ W: Wb, U: Ub }` and $h_{t+1}^{(b)}$ as `h`
 * (PyTorch `nn.RNNCell` with `weight_ih = W`, `weight_hh = U`, `bias_ih + bias_hh = b`).
 * Built from `@hw/tensor` ops, so it is differentiable inside `grad` (to any order those ops support).
 *
 * @param cell - `{ W, U, b? }` (H×D, H×H, H)
 * @param x - the input $x_t$: D, or B×D for a batch
 * @param options - `h` (previous state, default zeros) and `nonlinearity` (default sigmoid)
 * @returns the new state: H, or B×H
 * @throws RangeError when a shape does not fit: `cellStep: U must be H×H = [4,4], got [4,3]`
 * @throws TypeError for an unknown option or nonlinearity
 * @example
 * ```ts
 * cellStep({ W: [[1]], U: [[0.5]] }, [1], { h: [0] }).toArray(); // => [0.7310585786300049]  (σ(1))
 * ```
 */
export function cellStep(cell: RnnCell, x: TensorInput, options?: CellStepOptions): Tensor {
  const o = readOptions("cellStep", options, ["h", "nonlinearity"]);
  if (typeof cell !== "object" || (cell as unknown) === null) throw new TypeError("cellStep: cell must be a record { W, U, b? }");
  for (const key of Object.keys(cell)) {
    if (key !== "W" && key !== "U" && key !== "b") throw new TypeError(`cellStep: unknown cell field \`${key}\` (expected W, U, b)`);
  }
  const W = toTensor(cell.W, "cellStep: W");
  const U = toTensor(cell.U, "cellStep: U");
  if (W.ndim !== 2) throw new RangeError(`cellStep: W must be an H×D matrix, got shape ${show(W.shape)}`);
  const [H, D] = W.shape as [number, number];
  if (U.ndim !== 2 || U.shape[0] !== H || U.shape[1] !== H) throw new RangeError(`cellStep: U must be H×H = [${String(H)},${String(H)}], got ${show(U.shape)}`);
  const b = cell.b === undefined ? null : toTensor(cell.b, "cellStep: b");
  if (b !== null && (b.ndim !== 1 || b.shape[0] !== H)) throw new RangeError(`cellStep: b must be H = [${String(H)}], got ${show(b.shape)}`);
  const xt = toTensor(x, "cellStep: x");
  if ((xt.ndim !== 1 && xt.ndim !== 2) || xt.shape[xt.ndim - 1] !== D) {
    throw new RangeError(`cellStep: x must be D or B×D with D = ${String(D)} (from W), got ${show(xt.shape)}`);
  }
  const batch = xt.ndim === 2 ? xt.shape[0]! : null;
  const h = o.h === undefined ? zeros(batch === null ? [H] : [batch, H]) : toTensor(o.h, "cellStep: h");
  const hOk = (h.ndim === 1 && h.shape[0] === H) || (h.ndim === 2 && h.shape[1] === H && (batch === null || h.shape[0] === batch));
  if (!hOk) throw new RangeError(`cellStep: h must be H = [${String(H)}]${batch === null ? "" : ` or B×H = [${String(batch)},${String(H)}]`}, got ${show(h.shape)}`);
  const nonlinearity = o.nonlinearity ?? "sigmoid";
  if (!NONLINEARITIES.includes(nonlinearity)) {
    throw new TypeError(`cellStep: nonlinearity must be "sigmoid", "tanh" or "relu", got ${JSON.stringify(nonlinearity)}`);
  }
  const a = add(matmul(xt, transpose(W)), matmul(h, transpose(U)));
  const pre = b === null ? a : add(a, b);
  return nonlinearity === "tanh" ? tanh(pre) : nonlinearity === "relu" ? relu(pre) : sigmoid(pre);
}
