/**
 * The parameters of the bidirectional RNN of Question 1 and the types shared by its functions.
 */
import type { Tensor, TensorInput } from "@hw/tensor";

/** `@hw/tensor`'s `TensorInput` (re-exported, the same type): a `Tensor`, a number or nested arrays of numbers. */
export type { TensorInput } from "@hw/tensor";

/**
 * The weights of the bidirectional RNN
 * $$h^{(f)}_t = \sigma(W^{(f)}x_t + U^{(f)}h^{(f)}_{t-1} [+ b^{(f)}]),\quad
 *   h^{(b)}_t = \sigma(W^{(b)}x_t + U^{(b)}h^{(b)}_{t+1} [+ b^{(b)}]),\quad
 *   y_t = V^{(f)}h^{(f)}_t + V^{(b)}h^{(b)}_t [+ b^{(y)}].$$
 *
 * Shapes: `Wf`, `Wb` are H×D, `Uf`, `Ub` H×H, `Vf`, `Vb` K×H. The biases are optional and absent
 * in the problem set: `bf`, `bb` (H) and `by` (K).
 */
export interface BiRnnParams<T = Tensor> {
  /** Input → forward state, H×D. */
  readonly Wf: T;
  /** Forward state → next forward state, H×H. */
  readonly Uf: T;
  /** Forward state → output, K×H. */
  readonly Vf: T;
  /** Input → backward state, H×D. */
  readonly Wb: T;
  /** Backward state → previous backward state, H×H. */
  readonly Ub: T;
  /** Backward state → output, K×H. */
  readonly Vb: T;
  /** Optional forward bias, H. */
  readonly bf?: T;
  /** Optional backward bias, H. */
  readonly bb?: T;
  /** Optional output bias, K. */
  readonly by?: T;
}

/** Parameters given as tensors or nested arrays. */
export type BiRnnParamsInput = BiRnnParams<TensorInput>;

/** The hidden-unit nonlinearity (PyTorch `nn.RNN(nonlinearity)`): the problem set's logistic sigmoid, or tanh. */
export type Nonlinearity = "sigmoid" | "tanh";

/** @deprecated Renamed {@link Nonlinearity} (removed in 0.2.0). */
export type Activation = Nonlinearity;

/** Options shared by `forward`, `bptt` and the autodiff model. */
export interface ModelOptions {
  /**
   * $h^{(f)}_0$: H (shared by every sequence) or B×H (batched input only).
   * @defaultValue zeros
   */
  readonly hfInit?: TensorInput;
  /**
   * $h^{(b)}_{T+1}$: H or B×H.
   * @defaultValue zeros
   */
  readonly hbInit?: TensorInput;
  /**
   * The hidden units' function (PyTorch `nn.RNN(nonlinearity)`).
   * @defaultValue `"sigmoid"` (the problem set's)
   */
  readonly nonlinearity?: Nonlinearity;
  /** @deprecated Renamed `nonlinearity` (warns once; removed in 0.2.0). */
  readonly activation?: Nonlinearity;
}

/** The keys of {@link ModelOptions} (read strictly). */
export const MODEL_OPTION_KEYS = ["hfInit", "hbInit", "nonlinearity"] as const satisfies readonly (keyof ModelOptions)[];

/** Deprecated option names → their current names (read by `readOptions`, warning once). */
export const MODEL_OPTION_ALIASES = { activation: "nonlinearity" } as const;

/** The names of the six weight matrices, in the order of the problem set. */
export const WEIGHT_NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const;

/** The names of the optional biases. */
export const BIAS_NAMES = ["bf", "bb", "by"] as const;
