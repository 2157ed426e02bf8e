/**
 * Validation and conversion of the public inputs into the flat float64 blocks the kernels use.
 */
import { toTensor, type Tensor, type TensorInput } from "@hw/tensor";
import { closestName } from "@hw/tensor";
import { BIAS_NAMES, WEIGHT_NAMES, type BiRnnParamsInput, type Nonlinearity, type ModelOptions } from "../params";

/** Sizes of a problem: T steps, B sequences, D inputs, H hidden units, K outputs. */
export interface Dims {
  readonly T: number;
  readonly B: number;
  readonly D: number;
  readonly H: number;
  readonly K: number;
}

/** The weights as contiguous float64 blocks (biases null when absent). */
export interface FlatWeights {
  readonly Wf: Float64Array;
  readonly Uf: Float64Array;
  readonly Vf: Float64Array;
  readonly Wb: Float64Array;
  readonly Ub: Float64Array;
  readonly Vb: Float64Array;
  readonly bf: Float64Array | null;
  readonly bb: Float64Array | null;
  readonly by: Float64Array | null;
}

/** Everything a kernel call needs. */
export interface Prepared {
  readonly dims: Dims;
  /** True when x was T×B×D (outputs keep the B axis). */
  readonly batched: boolean;
  readonly w: FlatWeights;
  /** x, T·B·D, time-major. */
  readonly x: Float64Array;
  /** h₀⁽ᶠ⁾ expanded to B×H. */
  readonly hf0: Float64Array;
  /** h_{T+1}⁽ᵇ⁾ expanded to B×H. */
  readonly hb0: Float64Array;
  /** The shapes the initial states were given in (their gradients take these shapes). */
  readonly hfInitShape: readonly number[];
  readonly hbInitShape: readonly number[];
  readonly nonlinearity: Nonlinearity;
  /** The tensors the caller passed (autodiff records its backward rule against these). */
  readonly tensors: InputTensors;
}

/** The caller's tensors (identity kept, so autodiff tracking is seen). */
export interface InputTensors {
  /** Weights and present biases, by name. */
  readonly params: Readonly<Record<string, Tensor>>;
  readonly x: Tensor;
  /** null when the initial state was omitted (zeros). */
  readonly hfInit: Tensor | null;
  readonly hbInit: Tensor | null;
}

const show = (shape: readonly number[]): string => `[${shape.join(",")}]`;

/** The elements of a tensor as a fresh or shared contiguous Float64Array, row-major. */
export function flat(t: Tensor): Float64Array {
  const c = t.contiguous();
  const view = c.data.subarray(c.offset, c.offset + c.size);
  return view instanceof Float64Array ? view : Float64Array.from(view);
}

function requireShape(op: string, name: string, t: Tensor, expected: readonly number[], how: string): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, i) => d === expected[i]);
  if (!ok) throw new RangeError(`${op}: ${name} must be ${how} = ${show(expected)}, got ${show(t.shape)}`);
}

/** Validate and flatten the weights; H, D, K are read from Wf and Vf. */
export function prepareWeights(op: string, params: BiRnnParamsInput): { w: FlatWeights; H: number; D: number; K: number; tensors: Record<string, Tensor> } {
  if (typeof params !== "object" || (params as unknown) === null) {
    throw new TypeError(`${op}: params must be a record { Wf, Uf, Vf, Wb, Ub, Vb }`);
  }
  const known = new Set<string>([...WEIGHT_NAMES, ...BIAS_NAMES]);
  for (const key of Object.keys(params)) {
    if (known.has(key)) continue;
    const close = closestName(key, [...known]);
    const hint = close === undefined ? ` (expected ${[...known].join(", ")})` : ` — did you mean \`${close}\`?`;
    throw new TypeError(`${op}: unknown parameter \`params.${key}\`${hint}`);
  }
  const tensors: Record<string, Tensor> = {};
  const get = (name: string, optional = false): Tensor | null => {
    const v = (params as unknown as Record<string, unknown>)[name];
    if (v === undefined) {
      if (optional) return null;
      throw new TypeError(`${op}: params.${name} is missing (expected { Wf, Uf, Vf, Wb, Ub, Vb })`);
    }
    const t = toTensor(v as TensorInput, `${op}: params.${name}`);
    tensors[name] = t;
    return t;
  };
  const Wf = get("Wf")!;
  if (Wf.ndim !== 2) throw new RangeError(`${op}: Wf must be an H×D matrix, got shape ${show(Wf.shape)}`);
  const [H, D] = Wf.shape as [number, number];
  const Vf = get("Vf")!;
  if (Vf.ndim !== 2) throw new RangeError(`${op}: Vf must be a K×H matrix, got shape ${show(Vf.shape)}`);
  const K = Vf.shape[0]!;
  requireShape(op, "Vf", Vf, [K, H], "K×H (H from Wf)");
  const Uf = get("Uf")!;
  requireShape(op, "Uf", Uf, [H, H], "H×H (H from Wf)");
  const Wb = get("Wb")!;
  requireShape(op, "Wb", Wb, [H, D], "H×D (from Wf)");
  const Ub = get("Ub")!;
  requireShape(op, "Ub", Ub, [H, H], "H×H (H from Wf)");
  const Vb = get("Vb")!;
  requireShape(op, "Vb", Vb, [K, H], "K×H (from Vf)");
  const bias = (name: string, n: number, how: string): Float64Array | null => {
    const b = get(name, true);
    if (b === null) return null;
    requireShape(op, name, b, [n], how);
    return flat(b);
  };
  return {
    H,
    D,
    K,
    tensors,
    w: {
      Wf: flat(Wf),
      Uf: flat(Uf),
      Vf: flat(Vf),
      Wb: flat(Wb),
      Ub: flat(Ub),
      Vb: flat(Vb),
      bf: bias("bf", H, "H"),
      bb: bias("bb", H, "H"),
      by: bias("by", K, "K"),
    },
  };
}

function prepareInit(
  op: string,
  name: string,
  value: TensorInput | undefined,
  B: number,
  H: number,
  batched: boolean,
): { data: Float64Array; shape: number[]; tensor: Tensor | null } {
  if (value === undefined) return { data: new Float64Array(B * H), shape: [H], tensor: null };
  const t = toTensor(value, `${op}: ${name}`);
  if (t.ndim === 1 && t.shape[0] === H) {
    const v = flat(t);
    const data = new Float64Array(B * H);
    for (let b = 0; b < B; b++) data.set(v, b * H);
    return { data, shape: [H], tensor: t };
  }
  if (batched && t.ndim === 2 && t.shape[0] === B && t.shape[1] === H) return { data: Float64Array.from(flat(t)), shape: [B, H], tensor: t };
  throw new RangeError(`${op}: ${name} must be H = [${H}]${batched ? ` or B×H = [${B},${H}]` : ""}, got ${show(t.shape)}`);
}

/** Validate every input of a model call. */
export function prepare(op: string, params: BiRnnParamsInput, xIn: TensorInput, options: ModelOptions = {}): Prepared {
  const { w, H, D, K, tensors } = prepareWeights(op, params);
  const x = toTensor(xIn, `${op}: x`);
  let T: number;
  let B: number;
  let batched: boolean;
  if (x.ndim === 2 && x.shape[1] === D) {
    T = x.shape[0]!;
    B = 1;
    batched = false;
  } else if (x.ndim === 3 && x.shape[2] === D) {
    T = x.shape[0]!;
    B = x.shape[1]!;
    batched = true;
  } else {
    throw new RangeError(`${op}: x must be T×D or T×B×D with D = ${D} (from Wf), got ${show(x.shape)}`);
  }
  const nonlinearity = options.nonlinearity ?? "sigmoid";
  if ((nonlinearity as string) !== "sigmoid" && (nonlinearity as string) !== "tanh") {
    throw new TypeError(`${op}: nonlinearity must be "sigmoid" or "tanh", got ${JSON.stringify(nonlinearity)}`);
  }
  const f0 = prepareInit(op, "hfInit", options.hfInit, B, H, batched);
  const b0 = prepareInit(op, "hbInit", options.hbInit, B, H, batched);
  return {
    dims: { T, B, D, H, K },
    batched,
    w,
    x: flat(x),
    hf0: f0.data,
    hb0: b0.data,
    hfInitShape: f0.shape,
    hbInitShape: b0.shape,
    nonlinearity,
    tensors: { params: tensors, x, hfInit: f0.tensor, hbInit: b0.tensor },
  };
}

/** Validate targets z against the output shape (T×K, or T×B×K when batched). */
export function prepareTargets(op: string, zIn: TensorInput, p: Prepared): Float64Array {
  const z = toTensor(zIn, `${op}: z`);
  const { T, B, K } = p.dims;
  const expected = p.batched ? [T, B, K] : [T, K];
  requireShape(op, "z", z, expected, p.batched ? "T×B×K" : "T×K");
  return flat(z);
}

/** Shape with the batch axis kept only for batched input. */
export function outShape(p: Prepared, last: number): number[] {
  return p.batched ? [p.dims.T, p.dims.B, last] : [p.dims.T, last];
}
