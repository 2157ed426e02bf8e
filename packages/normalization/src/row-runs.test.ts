/**
 * The float64 passes run contiguous rows through the block kernels of `@hw/tensor/kernels`
 * (`rowShiftedMomentsRows`, `normalizeAffineRows`, `normalizeAffineBackwardSumsRows`,
 * `normalizeAffineBackwardRows`) a run of up to 256 rows at a time. On a shape whose 900 rows take
 * several runs, batch and group norm (forward and backward) equal a plain loop written from the
 * formulas, on every kernel backend, with a strided input (which breaks the runs) giving the same;
 * the WASM and TypeScript backends agree bitwise on y (same operations and order) and to 1e-12 on
 * the gradients (the backward sums run in four lanes in WASM, left to right in TypeScript).
 */
import { Tensor, createRng, permute } from "@hw/tensor";
import { wasmSimdAvailable, withKernelBackend, type KernelBackend } from "@hw/tensor/kernels";
import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { batchNorm, batchNormBackward, groupNorm, groupNormBackward } from "./index";

const [N, C, L] = [3, 300, 48];
const GROUPS = 60;
const EPS = 1e-5;

function seeded(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => 4 * rng.nextFloat64() - 1.5);
}

const xData = seeded(N * C * L, 1);
const dyData = seeded(N * C * L, 2);
const gamma = Array.from(seeded(C, 3), (v) => 1 + 0.2 * v);
const beta = Array.from(seeded(C, 4));
const x = new Tensor(xData, [N, C, L]);
const dy = new Tensor(dyData, [N, C, L]);
/** The same values as x, stored [N, L, C] and viewed [N, C, L]: innermost stride C, no runs. */
const xStrided = permute(new Tensor(Float64Array.from({ length: N * C * L }, (_, i) => {
  const [n, l, c] = [Math.floor(i / (L * C)), Math.floor(i / C) % L, i % C];
  return xData[(n * C + c) * L + l]!;
}), [N, L, C]), [0, 2, 1]);

/** Forward and backward from the formulas: pools of channels `group` wide, over (batch, group, length). */
function reference(group: number): { y: Float64Array; gradX: Float64Array; gradGamma: Float64Array; gradBeta: Float64Array } {
  const y = new Float64Array(N * C * L);
  const gradX = new Float64Array(N * C * L);
  const gradGamma = new Float64Array(C);
  const gradBeta = new Float64Array(C);
  // Batch norm pools every batch row of a channel (group 1, all n); group norm pools one sample's group.
  const pools: number[][] = [];
  if (group === 1) {
    for (let c = 0; c < C; c++) pools.push(Array.from({ length: N * L }, (_, i) => (Math.floor(i / L) * C + c) * L + (i % L)));
  } else {
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < C / group; g++) pools.push(Array.from({ length: group * L }, (_, i) => (n * C + g * group) * L + i));
    }
  }
  const channel = (i: number): number => Math.floor(i / L) % C;
  for (const pool of pools) {
    const m = pool.reduce((s, i) => s + xData[i]!, 0) / pool.length;
    const v = pool.reduce((s, i) => s + (xData[i]! - m) ** 2, 0) / pool.length;
    const r = 1 / Math.sqrt(v + EPS);
    let meanG = 0;
    let meanGX = 0;
    for (const i of pool) {
      const xh = (xData[i]! - m) * r;
      y[i] = xh * gamma[channel(i)]! + beta[channel(i)]!;
      const g = gamma[channel(i)]! * dyData[i]!;
      meanG += g / pool.length;
      meanGX += (g * xh) / pool.length;
      gradGamma[channel(i)] = gradGamma[channel(i)]! + dyData[i]! * xh;
      gradBeta[channel(i)] = gradBeta[channel(i)]! + dyData[i]!;
    }
    for (const i of pool) gradX[i] = r * (gamma[channel(i)]! * dyData[i]! - meanG - (xData[i]! - m) * r * meanGX);
  }
  return { y, gradX, gradGamma, gradBeta };
}

const BACKENDS: KernelBackend[] = [...(wasmSimdAvailable() ? (["wasm-simd"] as const) : []), "js"];
const tol = { rtol: 1e-12, atol: 1e-12 };

function run(backend: KernelBackend, input: Tensor) {
  return withKernelBackend(backend, () => {
    const bn = batchNorm(input, { gamma, beta, eps: EPS });
    const bnGrad = batchNormBackward(input, dy, { gamma, beta, eps: EPS, saved: bn });
    const gn = groupNorm(input, GROUPS, { gamma, beta, eps: EPS });
    const gnGrad = groupNormBackward(input, dy, { groups: GROUPS, gamma, beta, eps: EPS });
    return { bn, bnGrad, gn, gnGrad };
  });
}

describe.each(BACKENDS)("runs of rows through the block kernels, backend %s", (backend) => {
  it.each([
    ["contiguous", x],
    ["strided (innermost stride 300)", xStrided],
  ] as const)("batch and group norm of a %s [3,300,48] input equal the formulas, forward and backward", (_name, input) => {
    const r = run(backend, input);
    for (const [got, grads, group] of [[r.bn.y, r.bnGrad, 1], [r.gn.y, r.gnGrad, C / GROUPS]] as const) {
      const want = reference(group);
      expectClose(got, new Tensor(want.y, [N, C, L]), tol);
      expectClose(grads.gradX, new Tensor(want.gradX, [N, C, L]), tol);
      expectClose(new Tensor(Float64Array.from(grads.gradGamma.data), [C]), new Tensor(want.gradGamma, [C]), tol);
      expectClose(new Tensor(Float64Array.from(grads.gradBeta.data), [C]), new Tensor(want.gradBeta, [C]), tol);
    }
  });
});

it.runIf(BACKENDS.length > 1)("the WASM and TypeScript backends give bitwise equal y and gradients within 1e-12", () => {
  const w = run("wasm-simd", x);
  const j = run("js", x);
  expect(Array.from(w.bn.y.data)).toEqual(Array.from(j.bn.y.data));
  expect(Array.from(w.gn.y.data)).toEqual(Array.from(j.gn.y.data));
  expectClose(w.bnGrad.gradX, j.bnGrad.gradX, tol);
  expectClose(w.gnGrad.gradX, j.gnGrad.gradX, tol);
});
