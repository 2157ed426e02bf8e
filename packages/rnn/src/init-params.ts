/**
 * `initParams`: seeded initialisation of the bidirectional RNN.
 */
import { createRng, readOptions, type Rng, type Tensor } from "@hw/tensor";
import { DEFAULT_MAX_MEMORY, gigabytes } from "./internal/budget";
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
  /**
   * Memory budget in bytes of the parameters: beyond it `initParams` refuses before allocating.
   * @defaultValue 2e9 (2 GB)
   */
  readonly maxMemory?: number;
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
 * @throws RangeError when a size is not a positive integer, `scale` is negative or not finite, or the
 *   parameters would exceed `maxMemory`
 * @throws TypeError for an unknown option
 * @example
 * ```ts
 * const p = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 7 });
 * p.Uf.shape; // => [4, 4]
 * ```
 */
export function initParams(options: InitParamsOptions): BiRnnParams {
  if ((options as unknown) === undefined) throw new TypeError("initParams: options { inputSize, hiddenSize, outputSize } are required");
  const o = readOptions("initParams", options, ["inputSize", "hiddenSize", "outputSize", "seed", "rng", "scale", "biases", "maxMemory"]);
  const D = checkSize("inputSize", o.inputSize);
  const H = checkSize("hiddenSize", o.hiddenSize);
  const K = checkSize("outputSize", o.outputSize);
  const maxMemory = o.maxMemory ?? DEFAULT_MAX_MEMORY;
  if (typeof maxMemory !== "number" || !(maxMemory > 0)) throw new RangeError(`initParams: maxMemory must be a positive number of bytes, got ${String(maxMemory)}`);
  const bytes = 8 * (2 * H * D + 2 * H * H + 2 * K * H + 2 * H + K);
  if (bytes > maxMemory) {
    throw new RangeError(
      `initParams: inputSize = ${String(D)}, hiddenSize = ${String(H)}, outputSize = ${String(K)} need about ${gigabytes(bytes)} of parameters, ` +
        `over maxMemory = ${gigabytes(maxMemory)}; pass { maxMemory: ${bytes.toPrecision(3)} } to allow it`,
    );
  }
  const s = o.scale ?? 1 / Math.sqrt(H);
  if (typeof s !== "number" || !Number.isFinite(s) || s < 0) throw new RangeError(`initParams: scale must be a finite number ≥ 0, got ${String(s)}`);
  if (o.biases !== undefined && typeof o.biases !== "boolean") throw new TypeError(`initParams: biases must be true or false, got ${JSON.stringify(o.biases)}`);
  const rng = o.rng ?? createRng(o.seed ?? 0);
  const u = (shape: number[]): Tensor => rng.uniform(shape, { low: -s, high: s });
  const weights = { Wf: u([H, D]), Uf: u([H, H]), Vf: u([K, H]), Wb: u([H, D]), Ub: u([H, H]), Vb: u([K, H]) };
  return o.biases === true ? { ...weights, bf: u([H]), bb: u([H]), by: u([K]) } : weights;
}
