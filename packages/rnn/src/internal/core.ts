/**
 * The forward pass and the analytic backward pass (BPTT) of the bidirectional RNN on flat float64
 * blocks, time-major: row r = t·B + b of a T·B×n block is sequence b at step t (0-based, so row block
 * t holds h_{t+1} in the 1-based notation of the problem set).
 */
import { kernels } from "@hw/tensor/kernels";
import { mmAB, mmABt, mmAtB } from "./mm";
import { Tensor } from "@hw/tensor";
import type { Nonlinearity } from "../params";
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

function activate(h: Float64Array, o: number, n: number, kind: Nonlinearity): void {
  if (kind === "tanh") for (let i = o; i < o + n; i++) h[i] = Math.tanh(h[i]!);
  else if (kind === "relu") for (let i = o; i < o + n; i++) h[i] = Math.max(0, h[i]!);
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

/** The derivative of the nonlinearity written through its output: σ′ = h(1−h), tanh′ = 1 − h², relu′ = [h > 0]. */
export function activationSlope(h: number, kind: Nonlinearity): number {
  return kind === "sigmoid" ? h * (1 - h) : kind === "tanh" ? 1 - h * h : h > 0 ? 1 : 0;
}

/** Zero the rows of padded steps (t ≥ lengths[b]) of a T·B×n block. */
export function zeroPadded(a: Float64Array, T: number, B: number, n: number, lengths: Int32Array | null, t0 = 0, t1 = T): void {
  if (lengths === null) return;
  for (let t = t0; t < t1; t++) {
    for (let b = 0; b < B; b++) if (t >= lengths[b]!) a.fill(0, (t * B + b) * n, (t * B + b + 1) * n);
  }
}

/** Run both recurrences and the outputs. */
export function forwardKernel(p: Prepared): ForwardBlocks {
  const { T, B, D, H, K } = p.dims;
  const { w } = p;
  const kind = p.nonlinearity;
  const R = T * B;
  const BH = B * H;
  const len = p.lengths;
  const hf = new Float64Array(R * H);
  const hb = new Float64Array(R * H);
  // Input projections of every step at once: W x_t (+ b).
  mmABt(R, H, D, p.x, 0, w.Wf, 0, hf, 0);
  mmABt(R, H, D, p.x, 0, w.Wb, 0, hb, 0);
  addBias(hf, R, H, w.bf);
  addBias(hb, R, H, w.bb);
  if (kind === "sigmoid") {
    // The whole chain in one kernel call (WASM SIMD keeps U resident across the steps). Padded rows
    // only feed padded rows (each sequence is its own row), so zeroing them afterwards is the same.
    kernels.sigmoidRecurrence(T, B, H, w.Uf, 0, p.hf0, 0, hf, 0, BH);
    zeroPadded(hf, T, B, H, len);
  } else {
    for (let t = 0; t < T; t++) {
      const o = t * BH;
      if (t === 0) mmABt(B, H, H, p.hf0, 0, w.Uf, 0, hf, o);
      else mmABt(B, H, H, hf, o - BH, w.Uf, 0, hf, o);
      activate(hf, o, BH, kind);
      zeroPadded(hf, T, B, H, len, t, t + 1);
    }
  }
  // The backward chain starts at each sequence's last step: its predecessor there is h_{T+1} = hbInit.
  const prev = len === null ? null : new Float64Array(BH);
  if (kind === "sigmoid" && len === null && T > 0) {
    kernels.sigmoidRecurrence(T, B, H, w.Ub, 0, p.hb0, 0, hb, (T - 1) * BH, -BH);
  } else {
    for (let t = T - 1; t >= 0; t--) {
      const o = t * BH;
      if (prev !== null && len !== null) {
        for (let b = 0; b < B; b++) prev.set(t + 1 < len[b]! ? hb.subarray(o + BH + b * H, o + BH + (b + 1) * H) : p.hb0.subarray(b * H, (b + 1) * H), b * H);
        mmABt(B, H, H, prev, 0, w.Ub, 0, hb, o);
      } else if (t === T - 1) mmABt(B, H, H, p.hb0, 0, w.Ub, 0, hb, o);
      else mmABt(B, H, H, hb, o + BH, w.Ub, 0, hb, o);
      activate(hb, o, BH, kind);
      zeroPadded(hb, T, B, H, len, t, t + 1);
    }
  }
  const y = new Float64Array(R * K);
  mmABt(R, K, H, hf, 0, w.Vf, 0, y, 0);
  mmABt(R, K, H, hb, 0, w.Vb, 0, y, 0);
  addBias(y, R, K, w.by);
  zeroPadded(y, T, B, K, len);
  return { hf, hb, y };
}

/** L = scale·Σ‖y − z‖² over the valid steps and its gradient with respect to y, e = 2·scale·(y − z) (0 at padded steps). */
export function lossGradient(p: Prepared, y: Float64Array, z: Float64Array, scale: number): { loss: number; e: Float64Array } {
  const { T, B, K } = p.dims;
  const len = p.lengths;
  const e = new Float64Array(y.length);
  let loss = 0;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (len !== null && t >= len[b]!) continue;
      for (let i = (t * B + b) * K; i < (t * B + b + 1) * K; i++) {
        const d = y[i]! - z[i]!;
        loss += d * d;
        e[i] = 2 * scale * d;
      }
    }
  }
  return { loss: loss * scale, e };
}

/**
 * The analytic gradients of L = scale·Σ‖y_t − z_t‖² by the total-derivative recursions of Q1.2 and
 * the sums over steps of Q1.3.
 */
export function backwardKernel(p: Prepared, f: ForwardBlocks, z: Float64Array, scale: number, keepLocal: boolean, truncation: Truncation | null = null): BackwardBlocks {
  const { loss, e } = lossGradient(p, f.y, z, scale);
  return { ...vjpKernel(p, f, { y: e, hf: null, hb: null }, keepLocal, false, truncation), loss };
}

/**
 * Truncated BPTT(k₁, k₂) (Williams & Peng 1990; k₁ = k₂ = k is d2l's regular truncation): along each
 * chain, counted from its own start, block j covers chain positions (j−1)k₁ … jk₁ − 1; the losses of
 * block j are backpropagated through the states at positions max(0, jk₁ − k₂) … (their own
 * position) and no further: the state before that window is a constant (the initial state, before
 * position 0, stays connected).
 */
export interface Truncation {
  /** Steps between truncation points (Williams & Peng's h′). */
  readonly k1: number;
  /** Steps the gradient flows back from a truncation point (h; k₂ ≥ k₁). */
  readonly k2: number;
}

/** No window is cut on a chain of T steps: full BPTT. */
function isFull(c: Truncation, T: number): boolean {
  return c.k2 >= Math.ceil(T / c.k1) * c.k1;
}

/**
 * Replace the local gradients in `dh` (T·B×H) by the truncated totals: the sum over blocks of the
 * gradient each block's losses send to a state through its window. `row(b, c)` is the time index of
 * chain position c of sequence b.
 */
function truncatedChain(p: Prepared, h: Float64Array, U: Float64Array, dh: Float64Array, cut: Truncation, row: (b: number, c: number) => number): void {
  const { T, B, H } = p.dims;
  const kind = p.nonlinearity;
  const { k1, k2 } = cut;
  const local = Float64Array.from(dh);
  dh.fill(0);
  const g = new Float64Array(H);
  const delta = new Float64Array(H);
  for (let b = 0; b < B; b++) {
    const n = p.lengths === null ? T : p.lengths[b]!;
    for (let tau = k1; tau - k1 < n; tau += k1) {
      const end = Math.min(tau, n) - 1;
      const lo = Math.max(0, tau - k2);
      for (let c = end; c >= lo; c--) {
        const o = (row(b, c) * B + b) * H;
        if (c >= tau - k1) g.set(local.subarray(o, o + H));
        else g.fill(0);
        if (c < end) mmAB(1, H, H, delta, 0, U, 0, g, 0);
        for (let j = 0; j < H; j++) {
          dh[o + j] = dh[o + j]! + g[j]!;
          delta[j] = g[j]! * activationSlope(h[o + j]!, kind);
        }
      }
    }
  }
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
export function vjpKernel(
  p: Prepared,
  f: ForwardBlocks,
  up: Upstream,
  keepLocal: boolean,
  wantX = false,
  truncation: Truncation | null = null,
): Omit<BackwardBlocks, "loss"> & { readonly gx: Float64Array } {
  const { T, B, D, H, K } = p.dims;
  const { w } = p;
  const kind = p.nonlinearity;
  const R = T * B;
  const BH = B * H;
  const { hf, hb } = f;
  const len = p.lengths;
  // Padded outputs and states are constants (0): their upstream gradients are dropped.
  const masked = (a: Float64Array | null, n: number): Float64Array | null => {
    if (a === null || len === null) return a;
    const c = Float64Array.from(a);
    zeroPadded(c, T, B, n, len);
    return c;
  };
  const e = masked(up.y, K) ?? new Float64Array(R * K);
  const upF = masked(up.hf, H);
  const upB = masked(up.hb, H);
  // Local gradients ∇_{h_t}L_t = Vᵀ e_t for every step at once (plus any upstream gradient of h).
  const dhf = upF === null ? new Float64Array(R * H) : Float64Array.from(upF);
  const dhb = upB === null ? new Float64Array(R * H) : Float64Array.from(upB);
  if (up.y !== null) {
    mmAB(R, H, K, e, 0, w.Vf, 0, dhf, 0);
    mmAB(R, H, K, e, 0, w.Vb, 0, dhb, 0);
  }
  const localF = keepLocal ? Float64Array.from(dhf) : null;
  const localB = keepLocal ? Float64Array.from(dhb) : null;
  const deltaF = new Float64Array(R * H);
  const deltaB = new Float64Array(R * H);
  const cut = truncation === null || isFull(truncation, T) ? null : truncation;
  if (cut === null) {
    // Forward chain: ∇_{h_t}L = ∇_{h_t}L_t + U⁽ᶠ⁾ᵀ (σ′(h_{t+1}) ⊙ ∇_{h_{t+1}}L), from t = T down to 1.
    // Sigmoid units: the whole chain in one kernel call (U resident in WASM memory).
    if (kind === "sigmoid" && T > 0) {
      kernels.sigmoidRecurrenceBackward(T, B, H, w.Uf, 0, hf, (T - 1) * BH, dhf, (T - 1) * BH, deltaF, (T - 1) * BH, -BH);
    } else {
      for (let t = T - 1; t >= 0; t--) {
        const o = t * BH;
        if (t < T - 1) mmAB(B, H, H, deltaF, o + BH, w.Uf, 0, dhf, o);
        for (let i = o; i < o + BH; i++) deltaF[i] = dhf[i]! * activationSlope(hf[i]!, kind);
      }
    }
    // Backward chain: ∇_{h_t}L = ∇_{h_t}L_t + U⁽ᵇ⁾ᵀ (σ′(h_{t−1}) ⊙ ∇_{h_{t−1}}L), from t = 1 up to T.
    if (kind === "sigmoid" && len === null) {
      kernels.sigmoidRecurrenceBackward(T, B, H, w.Ub, 0, hb, 0, dhb, 0, deltaB, 0, BH);
    } else {
      for (let t = 0; t < T; t++) {
        const o = t * BH;
        if (t > 0) {
          mmAB(B, H, H, deltaB, o - BH, w.Ub, 0, dhb, o);
          zeroPadded(dhb, T, B, H, len, t, t + 1); // a padded step is not the successor of the last one
        }
        for (let i = o; i < o + BH; i++) deltaB[i] = dhb[i]! * activationSlope(hb[i]!, kind);
      }
    }
  } else {
    truncatedChain(p, hf, w.Uf, dhf, cut, (_b, c) => c);
    truncatedChain(p, hb, w.Ub, dhb, cut, (b, c) => (len === null ? T : len[b]!) - 1 - c);
    for (let i = 0; i < R * H; i++) {
      deltaF[i] = dhf[i]! * activationSlope(hf[i]!, kind);
      deltaB[i] = dhb[i]! * activationSlope(hb[i]!, kind);
    }
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
    mmAB(B, H, H, deltaF, 0, w.Uf, 0, gHf0, 0);
    if (len === null) {
      mmAtB(H, H, B, deltaB, (T - 1) * BH, p.hb0, 0, gUb, 0);
      mmAB(B, H, H, deltaB, (T - 1) * BH, w.Ub, 0, gHb0, 0);
    } else {
      // Sequence b's backward chain starts at its own last step lengths[b] − 1, from hbInit.
      for (let b = 0; b < B; b++) {
        const r = ((len[b]! - 1) * B + b) * H;
        mmAtB(H, H, 1, deltaB, r, p.hb0, b * H, gUb, 0);
        mmAB(1, H, H, deltaB, r, w.Ub, 0, gHb0, b * H);
      }
    }
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
