/**
 * hw against PyTorch (`F.batch_norm`, training mode; forward + backward by autograd) and NumPy (the
 * same formulas written with whole-array ops) on the [64, 256, 1024] batch of batch-norm.bench.ts:
 * one thread, float64, interleaved rounds (median and spread). Targets (issue 15): forward ≤ 1.0×
 * PyTorch and ≤ 4× a plain copy; forward + backward ≤ 0.8× PyTorch.
 *
 * Each is measured both ways: with fresh outputs (as `F.batch_norm` returns them: both pay the
 * operating system's page faults on a new 134 MB array, the "fresh array" copy row) and in the
 * training-loop form (`out` buffers reused across steps, the backward reading the forward's `saved`
 * statistics). A fresh 134 MB output also makes V8 collect garbage, and a full collection costs in
 * proportion to the JavaScript heap: this file runs in its own process, without TensorFlow.js
 * loaded (batch-norm.bench.ts), so that hw is timed with the heap of its own work.
 *
 * Run: `pnpm --filter @hw/normalization bench` (or `pnpm exec vitest bench --run batch-norm-torch`).
 */
import { bench, describe } from "vitest";
import { kernelBackend } from "@hw/tensor/kernels";
// The PyTorch/NumPy peers harness of @hw/tensor's benchmarks (bench files are not published).
import { compare, startPeers, table } from "../../tensor/bench/peers";
import { SHAPE, copyStep, freshCopyStep, hwStep, hwTrainingStep } from "./setup";

const ROUNDS = 9;

async function versusPython(): Promise<void> {
  const peers = await startPeers();
  const out = [`\nbatch norm [${SHAPE.join(",")}] float64 vs PyTorch/NumPy, kernels: ${kernelBackend()}, ${peers?.versions ?? "no python peers"}`];
  const copy = copyStep("float64");
  for (const backwardToo of [false, true]) {
    const id = backwardToo ? "bn-both" : "bn-forward";
    await peers?.setup(id, "batchNorm", { shape: SHAPE, backward: backwardToo });
    const results = await compare(
      peers,
      id,
      [
        { name: "plain copy float64 (Float64Array.set)", fn: copy },
        { name: "plain copy into a fresh array (slice)", fn: freshCopyStep() },
        { name: `hw ${backwardToo ? "batchNorm + batchNormBackward (stats recomputed)" : "batchNorm forward"}`, fn: hwStep("float64", backwardToo) },
        ...(backwardToo ? [{ name: "hw the same with saved stats (as autograd)", fn: hwTrainingStep(true, false) }] : []),
        { name: `hw ${backwardToo ? "saved stats + reused out buffers" : "forward into a reused out buffer"}`, fn: hwTrainingStep(backwardToo, true) },
        { name: `PyTorch F.batch_norm${backwardToo ? " + autograd backward" : ""}`, peer: "torch" },
        { name: `NumPy ${backwardToo ? "forward + backward formulas" : "forward formula"}`, peer: "numpy" },
      ],
      ROUNDS,
    );
    await peers?.drop(id);
    const copyMs = results[0]!.median;
    out.push(
      table(
        `\n${backwardToo ? "forward + backward" : "forward"}`,
        results,
        `PyTorch F.batch_norm${backwardToo ? " + autograd backward" : ""}`,
        (r) => `${(r.median / copyMs).toFixed(1)}×`,
        "time / copy",
      ),
    );
  }
  peers?.close();
  console.log(out.join("\n"));
}

await versusPython();

describe("batch norm forward [64,256,1024] (comparison with PyTorch and NumPy printed above)", () => {
  bench("hw forward float64", () => {
    hwStep("float64", false)();
  }, { time: 500, iterations: 3 });
});
