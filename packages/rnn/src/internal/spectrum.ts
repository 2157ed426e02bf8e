/**
 * The singular values of the products of step Jacobians over growing spans (the vanishing-gradient
 * spectrum of Question 1).
 */
import { activationSlope } from "./core";
import { svd, Tensor } from "@hw/tensor";
import type { Nonlinearity } from "../params";
import { mmAB } from "./mm";

/** The singular values of an n×n row-major matrix, descending: `@hw/tensor`'s `svd`. */
export function singularValues(m: Float64Array, n: number): Float64Array {
  return Float64Array.from(svd(new Tensor(Float64Array.from(m.subarray(0, n * n)), [n, n])).S.contiguous().data);
}

/**
 * For each sequence b and span s = 1..T, the singular values (descending) of
 * forward:  P_s = J_T J_{T−1} ⋯ J_{T−s+1} = ∂h_T/∂h_{T−s},   J_t = diag(σ′(h⁽ᶠ⁾_t)) U⁽ᶠ⁾;
 * backward: Q_s = G_1 G_2 ⋯ G_s = ∂h⁽ᵇ⁾_1/∂h⁽ᵇ⁾_{1+s},        G_t = diag(σ′(h⁽ᵇ⁾_t)) U⁽ᵇ⁾
 * (1-based t; span T reaches the initial state). Out: T·B×H, row (s−1)·B + b.
 *
 * @param chain - the states h (T·B×H, time-major) of one direction
 * @param U - that direction's recurrent weights, H×H
 * @param fromEnd - true for the forward chain (spans end at step T), false for the backward chain (spans start at step 1)
 * @param singularValues - the singular values of an H×H row-major matrix, descending
 */
export function jacobianSpectrum(
  T: number,
  B: number,
  H: number,
  chain: Float64Array,
  U: Float64Array,
  kind: Nonlinearity,
  fromEnd: boolean,
  singularValues: (m: Float64Array, n: number) => ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(T * B * H);
  let P = new Float64Array(H * H);
  let next = new Float64Array(H * H);
  for (let b = 0; b < B; b++) {
    P.fill(0);
    for (let i = 0; i < H; i++) P[i * H + i] = 1;
    for (let s = 1; s <= T; s++) {
      const row = ((fromEnd ? T - s : s - 1) * B + b) * H;
      // P ← P·diag(σ′)·U: scale P's columns by σ′, then one H×H×H product.
      for (let j = 0; j < H; j++) {
        const d = activationSlope(chain[row + j]!, kind);
        for (let i = 0; i < H; i++) P[i * H + j] = P[i * H + j]! * d;
      }
      next.fill(0);
      mmAB(H, H, H, P, 0, U, 0, next, 0);
      [P, next] = [next, P];
      out.set(singularValues(P, H), ((s - 1) * B + b) * H);
    }
  }
  return out;
}
