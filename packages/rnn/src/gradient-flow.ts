/**
 * `gradientFlow`: how the gradient with respect to the hidden states changes with distance in time.
 */
import { assertNotDifferentiated, readOptions } from "@hw/tensor";
import { checkFiniteResult } from "./bptt";
import { activationSlope, backwardKernel, forwardKernel } from "./internal/core";
import { finiteGuard, modelInputs } from "./internal/finite";
import { mmAB } from "./internal/mm";
import { prepare, prepareTargets } from "./internal/prepare";
import { MODEL_OPTION_ALIASES, MODEL_OPTION_KEYS, type BiRnnParamsInput, type ModelOptions, type TensorInput } from "./params";

/** Per-step gradient norms (index i is step t = i + 1). */
export interface GradientFlow {
  /** $\lVert\nabla_{h^{(f)}_t}L\rVert_2$, the total gradient of the forward states. */
  readonly totalF: number[];
  /** $\lVert\nabla_{h^{(b)}_t}L\rVert_2$. */
  readonly totalB: number[];
  /**
   * $\lVert\nabla_{h^{(f)}_t}L_T\rVert_2$: the gradient that the LAST loss term sends back to step t
   * through the forward chain $\prod (\partial h_{s+1}/\partial h_s)^\top$. With sigmoid units
   * $\sigma' \le 1/4$, so it typically shrinks geometrically as $T - t$ grows (vanishing gradients).
   */
  readonly fromLastF: number[];
  /** $\lVert\nabla_{h^{(b)}_t}L_1\rVert_2$: what the FIRST loss term sends to step t through the backward chain. */
  readonly fromFirstB: number[];
}

/** The L2 norm of each step's block, scaled by its largest entry so that squares cannot overflow. */
function norms(a: Float64Array, T: number, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let m = 0;
    for (let i = t * n; i < (t + 1) * n; i++) m = Math.max(m, Math.abs(a[i]!));
    if (m === 0 || !Number.isFinite(m)) {
      out.push(m);
      continue;
    }
    let s = 0;
    for (let i = t * n; i < (t + 1) * n; i++) {
      const v = a[i]! / m;
      s += v * v;
    }
    out.push(m * Math.sqrt(s));
  }
  return out;
}

/**
 * Gradient norms per time step, to see vanishing gradients with sigmoid units: the total
 * $\nabla_{h_t}L$ of Question 1.2 and the part of it that comes from the far end of the sequence,
 * $$\nabla_{h^{(f)}_t}L_T = \Big(\prod_{s=t}^{T-1}\frac{\partial h^{(f)}_{s+1}}{\partial h^{(f)}_s}\Big)^{\!\top} \nabla_{h^{(f)}_T}L_T .$$
 * For batched input the norms are taken over the batch as well (Frobenius norm of the B×H block).
 *
 * @param params - the weights
 * @param x - T×D or T×B×D
 * @param z - T×K or T×B×K
 * @param options - initial states and `nonlinearity`
 * @returns the four per-step norm sequences (length T)
 * @throws RangeError / TypeError as {@link bptt}; NotDifferentiableError inside `grad`
 * @example
 * ```ts
 * const flow = gradientFlow(params, x, z);
 * flow.fromLastF; // => e.g. [1e-9, 4e-8, …, 0.8]: vanishing towards t = 1
 * ```
 */
export function gradientFlow(params: BiRnnParamsInput, x: TensorInput, z: TensorInput, options?: ModelOptions): GradientFlow {
  const o = readOptions("gradientFlow", options, MODEL_OPTION_KEYS, MODEL_OPTION_ALIASES);
  assertNotDifferentiated("gradientFlow", [params, x, z, o.hfInit, o.hbInit], "it returns norms of gradients");
  const p = prepare("gradientFlow", params, x, o);
  const zf = prepareTargets("gradientFlow", z, p);
  const { T, B, H } = p.dims;
  const BH = B * H;
  const tanh = p.nonlinearity === "tanh";
  const f = forwardKernel(p);
  const g = backwardKernel(p, f, zf, 1, true);
  checkFiniteResult("gradientFlow", p, zf, f, g);
  const lastF = new Float64Array(T * BH);
  const firstB = new Float64Array(T * BH);
  const tmp = new Float64Array(BH);
  if (T > 0) {
    lastF.set(g.localF!.subarray((T - 1) * BH, T * BH), (T - 1) * BH);
    for (let t = T - 2; t >= 0; t--) {
      const o = (t + 1) * BH;
      for (let i = 0; i < BH; i++) tmp[i] = lastF[o + i]! * activationSlope(f.hf[o + i]!, tanh);
      mmAB(B, H, H, tmp, 0, p.w.Uf, 0, lastF, t * BH);
    }
    firstB.set(g.localB!.subarray(0, BH), 0);
    for (let t = 1; t < T; t++) {
      const o = (t - 1) * BH;
      for (let i = 0; i < BH; i++) tmp[i] = firstB[o + i]! * activationSlope(f.hb[o + i]!, tanh);
      mmAB(B, H, H, tmp, 0, p.w.Ub, 0, firstB, t * BH);
    }
  }
  const guard = finiteGuard("gradientFlow", modelInputs(p, zf), "rescale the recurrent weights");
  guard.check("∇_{h(f)_t}L_T, pushed back through the forward Jacobians,", lastF);
  guard.check("∇_{h(b)_t}L_1, pushed back through the backward Jacobians,", firstB);
  return {
    totalF: norms(g.dhf, T, BH),
    totalB: norms(g.dhb, T, BH),
    fromLastF: norms(lastF, T, BH),
    fromFirstB: norms(firstB, T, BH),
  };
}
