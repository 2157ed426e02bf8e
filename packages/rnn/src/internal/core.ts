/**
 * The forward pass and the analytic backward pass (BPTT) of the bidirectional RNN on flat float64
 * blocks, time-major: row r = t·B + b of a T·B×n block is sequence b at step t (0-based, so row block
 * t holds h_{t+1} in the 1-based notation of the problem set).
 */
import { kernels } from "@hw/tensor/kernels";
import { mmAB, mmABt, mmAtB } from "./mm";
import { Tensor } from "@hw/tensor";
import type { Prepared } from "./prepare";

/**
 * The gradient of an initial state in the shape it was given: B×H as is, an H vector shared by the
 * batch gets the sum over the batch.
 */
export function initGradient(g: Float64Array, shape: readonly number[], B: number, H: number): Tensor {
  if (shape.length === 2) return new Tensor(g, shape);
  const s = new Float64Array(H);
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) s[j] = s[j]! + g[b * H + j]!;
  return new Tensor(s, [H]);
}

/** States and outputs of a forward pass. */
export interface ForwardBlocks {
  readonly hf: Float64Array;
  readonly hb: Float64Array;
  readonly y: Float64Array;
}

/** Everything the backward pass produces. */
export interface BackwardBlocks {
  readonly loss: number;
  /** 2·scale·(y − z), T·B×K. */
  readonly e: Float64Array;
  /** Local ∇_{h_t}L_t = V⁽ᶠ⁾ᵀ e_t, T·B×H (null unless `keepLocal`). */
  readonly localF: Float64Array | null;
  readonly localB: Float64Array | null;
  /** Total ∇_{h_t}L, T·B×H. */
  readonly dhf: Float64Array;
  readonly dhb: Float64Array;
  /** Gradients with respect to the pre-activations: ∇_{h_t}L ⊙ σ′, T·B×H. */
  readonly deltaF: Float64Array;
  readonly deltaB: Float64Array;
  readonly gWf: Float64Array;
  readonly gUf: Float64Array;
  readonly gVf: Float64Array;
  readonly gWb: Float64Array;
  readonly gUb: Float64Array;
  readonly gVb: Float64Array;
  readonly gbf: Float64Array;
  readonly gbb: Float64Array;
  readonly gby: Float64Array;
  /** ∇ of the initial states, B×H. */
  readonly gHf0: Float64Array;
  readonly gHb0: Float64Array;
}

function activate(h: Float64Array, o: number, n: number, tanh: boolean): void {
  if (tanh) for (let i = o; i < o + n; i++) h[i] = Math.tanh(h[i]!);
  else {
    const sigmoid = kernels.sigmoid;
    for (let i = o; i < o + n; i++) h[i] = sigmoid(h[i]!);
  }
}

function addBias(h: Float64Array, rows: number, n: number, b: Float64Array | null): void {
  if (b === null) return;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) h[o + j] = h[o + j]! + b[j]!;
  }
}

/** The derivative of the activation written through its output: σ′ = h(1−h), tanh′ = 1 − h². */
export function activationSlope(h: number, tanh: boolean): number {
  return tanh ? 1 - h * h : h * (1 - h);
}

/** Run both recurrences and the outputs. */
export function forwardKernel(p: Prepared): ForwardBlocks {
  const { T, B, D, H, K } = p.dims;
  const { w } = p;
  const tanh = p.nonlinearity === "tanh";
  const R = T * B;
  const BH = B * H;
  const hf = new Float64Array(R * H);
  const hb = new Float64Array(R * H);
  // Input projections of every step at once: W x_t (+ b).
  mmABt(R, H, D, p.x, 0, w.Wf, 0, hf, 0);
  mmABt(R, H, D, p.x, 0, w.Wb, 0, hb, 0);
  addBias(hf, R, H, w.bf);
  addBias(hb, R, H, w.bb);
  for (let t = 0; t < T; t++) {
    const o = t * BH;
    if (t === 0) mmABt(B, H, H, p.hf0, 0, w.Uf, 0, hf, o);
    else mmABt(B, H, H, hf, o - BH, w.Uf, 0, hf, o);
    activate(hf, o, BH, tanh);
  }
  for (let t = T - 1; t >= 0; t--) {
    const o = t * BH;
    if (t === T - 1) mmABt(B, H, H, p.hb0, 0, w.Ub, 0, hb, o);
    else mmABt(B, H, H, hb, o + BH, w.Ub, 0, hb, o);
    activate(hb, o, BH, tanh);
  }
  const y = new Float64Array(R * K);
  mmABt(R, K, H, hf, 0, w.Vf, 0, y, 0);
  mmABt(R, K, H, hb, 0, w.Vb, 0, y, 0);
  addBias(y, R, K, w.by);
  return { hf, hb, y };
}

/** L = scale·Σ‖y − z‖² and its gradient with respect to y, e = 2·scale·(y − z). */
export function lossGradient(y: Float64Array, z: Float64Array, scale: number): { loss: number; e: Float64Array } {
  const e = new Float64Array(y.length);
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    const d = y[i]! - z[i]!;
    loss += d * d;
    e[i] = 2 * scale * d;
  }
  return { loss: loss * scale, e };
}

/**
 * The analytic gradients of L = scale·Σ‖y_t − z_t‖² by the total-derivative recursions of Q1.2 and
 * the sums over steps of Q1.3.
 */
export function backwardKernel(p: Prepared, f: ForwardBlocks, z: Float64Array, scale: number, keepLocal: boolean): BackwardBlocks {
  const { loss, e } = lossGradient(f.y, z, scale);
  return { ...vjpKernel(p, f, { y: e, hf: null, hb: null }, keepLocal), loss };
}

/** Upstream gradients of the three outputs of the forward pass (null: zero). */
export interface Upstream {
  /** ∂L/∂y, T·B×K. */
  readonly y: Float64Array | null;
  /** ∂L/∂h⁽ᶠ⁾ from outside the model, T·B×H. */
  readonly hf: Float64Array | null;
  readonly hb: Float64Array | null;
}

/**
 * The vector–Jacobian product of the whole forward pass: given upstream gradients of y, hf and hb,
 * the gradients of every weight, bias, initial state and of x — the same recursions as Q1.2 with
 * the local gradient Vᵀ·ȳ_t plus the upstream h̄_t.
 */
export function vjpKernel(p: Prepared, f: ForwardBlocks, up: Upstream, keepLocal: boolean, wantX = false): Omit<BackwardBlocks, "loss"> & { readonly gx: Float64Array } {
  const { T, B, D, H, K } = p.dims;
  const { w } = p;
  const tanh = p.nonlinearity === "tanh";
  const R = T * B;
  const BH = B * H;
  const { hf, hb } = f;
  const e = up.y ?? new Float64Array(R * K);
  // Local gradients ∇_{h_t}L_t = Vᵀ e_t for every step at once (plus any upstream gradient of h).
  const dhf = up.hf === null ? new Float64Array(R * H) : Float64Array.from(up.hf);
  const dhb = up.hb === null ? new Float64Array(R * H) : Float64Array.from(up.hb);
  if (up.y !== null) {
    mmAB(R, H, K, e, 0, w.Vf, 0, dhf, 0);
    mmAB(R, H, K, e, 0, w.Vb, 0, dhb, 0);
  }
  const localF = keepLocal ? Float64Array.from(dhf) : null;
  const localB = keepLocal ? Float64Array.from(dhb) : null;
  const deltaF = new Float64Array(R * H);
  const deltaB = new Float64Array(R * H);
  // Forward chain: ∇_{h_t}L = ∇_{h_t}L_t + U⁽ᶠ⁾ᵀ (σ′(h_{t+1}) ⊙ ∇_{h_{t+1}}L), from t = T down to 1.
  for (let t = T - 1; t >= 0; t--) {
    const o = t * BH;
    if (t < T - 1) mmAB(B, H, H, deltaF, o + BH, w.Uf, 0, dhf, o);
    for (let i = o; i < o + BH; i++) deltaF[i] = dhf[i]! * activationSlope(hf[i]!, tanh);
  }
  // Backward chain: ∇_{h_t}L = ∇_{h_t}L_t + U⁽ᵇ⁾ᵀ (σ′(h_{t−1}) ⊙ ∇_{h_{t−1}}L), from t = 1 up to T.
  for (let t = 0; t < T; t++) {
    const o = t * BH;
    if (t > 0) mmAB(B, H, H, deltaB, o - BH, w.Ub, 0, dhb, o);
    for (let i = o; i < o + BH; i++) deltaB[i] = dhb[i]! * activationSlope(hb[i]!, tanh);
  }
  const gWf = new Float64Array(H * D);
  const gWb = new Float64Array(H * D);
  const gUf = new Float64Array(H * H);
  const gUb = new Float64Array(H * H);
  const gVf = new Float64Array(K * H);
  const gVb = new Float64Array(K * H);
  const gHf0 = new Float64Array(BH);
  const gHb0 = new Float64Array(BH);
  // Q1.3: every step contributes; the contributions add up (one Aᵀ·B over all T·B rows).
  mmAtB(H, D, R, deltaF, 0, p.x, 0, gWf, 0);
  mmAtB(H, D, R, deltaB, 0, p.x, 0, gWb, 0);
  mmAtB(K, H, R, e, 0, hf, 0, gVf, 0);
  mmAtB(K, H, R, e, 0, hb, 0, gVb, 0);
  if (T > 0) {
    // ∇U⁽ᶠ⁾ = Σ_t δ_t h_{t−1}ᵀ with h_0 the initial state; ∇U⁽ᵇ⁾ = Σ_t δ_t h_{t+1}ᵀ with h_{T+1}.
    mmAtB(H, H, R - B, deltaF, BH, hf, 0, gUf, 0);
    mmAtB(H, H, B, deltaF, 0, p.hf0, 0, gUf, 0);
    mmAtB(H, H, R - B, deltaB, 0, hb, BH, gUb, 0);
    mmAtB(H, H, B, deltaB, (T - 1) * BH, p.hb0, 0, gUb, 0);
    mmAB(B, H, H, deltaF, 0, w.Uf, 0, gHf0, 0);
    mmAB(B, H, H, deltaB, (T - 1) * BH, w.Ub, 0, gHb0, 0);
  }
  const colSum = (a: Float64Array, n: number): Float64Array => {
    const s = new Float64Array(n);
    for (let r = 0; r < R; r++) for (let j = 0; j < n; j++) s[j] = s[j]! + a[r * n + j]!;
    return s;
  };
  // ∇x_t = W⁽ᶠ⁾ᵀ δ⁽ᶠ⁾_t + W⁽ᵇ⁾ᵀ δ⁽ᵇ⁾_t.
  const gx = new Float64Array(wantX ? R * D : 0);
  if (wantX) {
    mmAB(R, D, H, deltaF, 0, w.Wf, 0, gx, 0);
    mmAB(R, D, H, deltaB, 0, w.Wb, 0, gx, 0);
  }
  return {
    gx,
    e,
    localF,
    localB,
    dhf,
    dhb,
    deltaF,
    deltaB,
    gWf,
    gUf,
    gVf,
    gWb,
    gUb,
    gVb,
    gbf: w.bf === null ? new Float64Array(0) : colSum(deltaF, H),
    gbb: w.bb === null ? new Float64Array(0) : colSum(deltaB, H),
    gby: w.by === null ? new Float64Array(0) : colSum(e, K),
    gHf0,
    gHb0,
  };
}
