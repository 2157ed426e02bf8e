/**
 * Both kernel backends of `@hw/tensor/kernels` on the same batches: the BiRNN's forward chain runs
 * through `kernels.sigmoidRecurrence` (WASM SIMD: U stays in wasm memory for the whole chain) and
 * must give the TypeScript path's states, outputs, loss and every gradient to 1e-12 relative (the
 * product is summed in the same order; WASM's exp may differ from V8's Math.exp in the last bit).
 * The PyTorch fixture suites (src/bptt.test.ts, test/padded.test.ts) are rerun with HW_KERNELS=js
 * by the package's `test` script.
 */
import { createRng, type Tensor } from "@hw/tensor";
import { kernelBackend, setKernelBackend, wasmSimdAvailable } from "@hw/tensor/kernels";
import { expectClose } from "@hw/tensor/testing";
import { afterAll, describe, expect, it } from "vitest";
import { bptt, forward, initParams, type Nonlinearity } from "../src/index";

const [T, B, D, H, K] = [12, 32, 64, 64, 8];
const rng = createRng(1515);
const params = initParams({ inputSize: D, hiddenSize: H, outputSize: K, rng, scale: 0.3 });
const x = rng.normal([T, B, D]);
const z = rng.normal([T, B, K]);
const hfInit = rng.normal([B, H], { std: 0.2 });
const hbInit = rng.normal([B, H], { std: 0.2 });
const lengths = Array.from({ length: B }, (_, b) => 1 + ((b * 5) % T));

function run(backend: "wasm-simd" | "js", options: { lengths?: number[]; nonlinearity?: Nonlinearity }) {
  const before = kernelBackend();
  setKernelBackend(backend);
  try {
    return { r: bptt(params, x, z, { hfInit, hbInit, ...options }), f: forward(params, x, { hfInit, hbInit, ...options }) };
  } finally {
    setKernelBackend(before);
  }
}

afterAll(() => {
  setKernelBackend("auto");
});

describe.runIf(wasmSimdAvailable())("the BiRNN on both kernel backends (B = 32, T = 12, D = H = 64, K = 8)", () => {
  for (const [label, options] of [
    ["sigmoid, full sequences", {}],
    ["sigmoid, padded batch (lengths 1…12)", { lengths }],
    ["tanh (per-step path)", { nonlinearity: "tanh" as const }],
  ] as const) {
    it(`${label}: states, outputs, loss and every gradient agree to 1e-12 relative`, () => {
      const w = run("wasm-simd", options);
      const j = run("js", options);
      expect(Math.abs(w.r.loss - j.r.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(j.r.loss));
      for (const name of ["hf", "hb", "y", "dhf", "dhb"] as const) expectClose(w.r[name], j.r[name], { rtol: 1e-12, atol: 1e-15, message: name });
      for (const [name, g] of Object.entries(j.r.grads as unknown as Record<string, Tensor>)) {
        expectClose((w.r.grads as unknown as Record<string, Tensor>)[name]!, g, { rtol: 1e-12, atol: 1e-13, message: name });
      }
      expectClose(w.f.y, j.f.y, { rtol: 1e-12, atol: 1e-15 });
      // Not vacuous: the states are not saturated and the gradients are not zero.
      expect(j.r.hf.data.some((v) => v > 0.05 && v < 0.95)).toBe(true);
      expect(j.r.grads.Uf.data.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });
  }
});
