/**
 * `initParams`: seeded initialisation of the bidirectional RNN.
 */
import { createRng, type Rng, type Tensor } from "@hw/tensor";
import type { BiRnnParams } from "./params";

/** Options of {@link initParams}. */
export interface InitParamsOptions {
  /** D, the input size. */
  readonly inputSize: number;
  /** H, the number of hidden units per direction. */
  readonly hiddenSize: number;
  /** K, the output size. */
  readonly outputSize: number;
  /**
   * Seed of the generator (ignored when `rng` is given).
   * @defaultValue 0
   */
  readonly seed?: number;
  /** A generator to draw from instead of a fresh `createRng(seed)`. */
  readonly rng?: Rng;
  /**
   * Entries are uniform in $[-s, s]$.
   * @defaultValue $1/\sqrt{H}$ (PyTorch's RNN initialisation)
   */
  readonly scale?: number;
  /**
   * Add the biases `bf`, `bb`, `by` (drawn like the weights).
   * @defaultValue false (the problem set's model has none)
   */
  readonly biases?: boolean;
}

function checkSize(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`initParams: ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

/**
 * Seeded parameters with every entry drawn uniformly from $[-s, s]$, $s = 1/\sqrt{H}$ by default.
 * The same options always give the same parameters.
 *
 * @param options - sizes, `seed` or `rng`, `scale`, `biases`
 * @returns `{ Wf, Uf, Vf, Wb, Ub, Vb }` (and `bf`, `bb`, `by` with `biases: true`) as float64 tensors
 * @throws RangeError when a size is not a positive integer or `scale` is negative or not finite
 * @example
 * ```ts
 * const p = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 7 });
 * p.Uf.shape; // => [4, 4]
 * ```
 */
export function initParams(options: InitParamsOptions): BiRnnParams {
  const D = checkSize("inputSize", options.inputSize);
  const H = checkSize("hiddenSize", options.hiddenSize);
  const K = checkSize("outputSize", options.outputSize);
  const s = options.scale ?? 1 / Math.sqrt(H);
  if (!Number.isFinite(s) || s < 0) throw new RangeError(`initParams: scale must be a finite number ≥ 0, got ${String(s)}`);
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const u = (shape: number[]): Tensor => rng.uniform(shape, { low: -s, high: s });
  const weights = { Wf: u([H, D]), Uf: u([H, H]), Vf: u([K, H]), Wb: u([H, D]), Ub: u([H, H]), Vb: u([K, H]) };
  return options.biases === true ? { ...weights, bf: u([H]), bb: u([H]), by: u([K]) } : weights;
}
