import { describe, expect, it } from "vitest";
import { bptt } from "./bptt";
import { initParams } from "./init-params";
import { makeTask, train } from "./train";
import { createRng } from "@hw/tensor";

describe("initParams", () => {
  it("is seeded, shaped and bounded by 1/√H", () => {
    const a = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 7 });
    const b = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 7 });
    const c = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, seed: 8 });
    expect(a.Wf.toArray()).toEqual(b.Wf.toArray());
    expect(a.Wf.toArray()).not.toEqual(c.Wf.toArray());
    expect([a.Wf.shape, a.Uf.shape, a.Vf.shape, a.Wb.shape, a.Ub.shape, a.Vb.shape]).toEqual([[4, 3], [4, 4], [2, 4], [4, 3], [4, 4], [2, 4]]);
    expect(a.bf).toBeUndefined();
    for (const t of [a.Wf, a.Uf, a.Vf, a.Wb, a.Ub, a.Vb]) for (const v of t.contiguous().data) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    const withB = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, biases: true, scale: 0.1 });
    expect(withB.by?.shape).toEqual([2]);
    for (const v of withB.Uf.contiguous().data) expect(Math.abs(v)).toBeLessThanOrEqual(0.1);
  });
  it("rejects bad sizes", () => {
    expect(() => initParams({ inputSize: 0, hiddenSize: 4, outputSize: 2 })).toThrow("initParams: inputSize must be a positive integer, got 0");
    expect(() => initParams({ inputSize: 1, hiddenSize: 4, outputSize: 2, scale: -1 })).toThrow(RangeError);
  });
});

describe("makeTask", () => {
  it("targets the mean of the previous and the next input", () => {
    const { x, z } = makeTask(createRng(1), 5, 2);
    const xa = x.toArray() as number[][][];
    const za = z.toArray() as number[][][];
    expect(za[0]![1]![0]).toBeCloseTo(0.5 * xa[1]![1]![0]!, 15);
    expect(za[2]![0]![0]).toBeCloseTo(0.5 * (xa[1]![0]![0]! + xa[3]![0]![0]!), 15);
    expect(za[4]![0]![0]).toBeCloseTo(0.5 * xa[3]![0]![0]!, 15);
  });
});

describe("train", () => {
  it("is deterministic for a seed, echoes it, and the loss falls well below the baseline (Adam)", () => {
    const steps: number[] = [];
    const r = train({ steps: 250, seed: 3, onStep: (s) => steps.push(s) });
    expect(r.seed).toBe(3);
    expect(steps).toHaveLength(250);
    expect(r.losses).toHaveLength(250);
    expect(r.baseline).toBeGreaterThan(0.3);
    expect(r.evalAfter).toBeLessThan(0.25 * r.evalBefore);
    expect(r.evalAfter).toBeLessThan(0.2 * r.baseline);
    const tail = r.losses.slice(-20).reduce((a, b) => a + b, 0) / 20;
    expect(tail).toBeLessThan(0.3 * r.losses[0]!);
    expect(train({ steps: 5, seed: 3 }).losses).toEqual(r.losses.slice(0, 5));
  });
  it("SGD with clipping also learns; clipping is counted", () => {
    const r = train({ steps: 200, seed: 1, optimizer: "sgd", clipNorm: 0.05 });
    expect(r.clippedSteps).toBeGreaterThan(0);
    expect(r.evalAfter).toBeLessThan(r.evalBefore);
  });
  it("the trained model evaluates through bptt", () => {
    const r = train({ steps: 3, seed: 0, hiddenSize: 2, length: 4, batchSize: 2 });
    const { x, z } = makeTask(createRng(9), 4, 2);
    expect(Number.isFinite(bptt(r.params, x, z).loss)).toBe(true);
  });
  it("rejects bad options", () => {
    expect(() => train({ steps: 0 })).toThrow("train: steps must be a positive integer, got 0");
    expect(() => train({ lr: Number.NaN })).toThrow(RangeError);
    expect(() => train({ optimizer: "rmsprop" as never })).toThrow(TypeError);
    expect(() => train({ clipNorm: 0 })).toThrow(RangeError);
  });
});

describe("train({ lengths })", () => {
  it("makeTask with lengths: each target uses its own sequence's end; padding is 0", () => {
    const { x, z } = makeTask(createRng(4), 6, 3, [6, 3, 1]);
    const xa = x.toArray() as number[][][];
    const za = z.toArray() as number[][][];
    expect(za[2]![1]![0]).toBeCloseTo(0.5 * xa[1]![1]![0]!, 15); // last step of sequence 1: no next input
    expect(za[0]![2]![0]).toBe(0);
    expect(xa[3]![1]![0]).toBe(0);
    expect(za[4]![1]![0]).toBe(0);
    // Same draws as without lengths on the valid steps.
    const full = makeTask(createRng(4), 6, 3).x.toArray() as number[][][];
    expect(xa[2]![1]![0]).toBe(full[2]![1]![0]);
    expect(() => makeTask(createRng(4), 6, 2, [7, 1])).toThrow("makeTask: lengths must be 2 integers in 1…6, got [7, 1]");
  });

  it("the first training loss and the held-out error equal the per-sequence runs (each sequence alone, unpadded)", () => {
    const lengths = [5, 2, 4];
    const r = train({ steps: 1, seed: 11, hiddenSize: 3, length: 5, batchSize: 3, lengths, nonlinearity: "tanh" });
    // Replay train's draws: initialisation, the held-out split, then the first batch.
    const rng = createRng(11);
    const p0 = initParams({ inputSize: 1, hiddenSize: 3, outputSize: 1, rng, biases: true });
    const heldLengths = Array.from({ length: 64 }, (_, i) => lengths[i % 3]!);
    const held = makeTask(rng.split(), 5, 64, heldLengths);
    const batch = makeTask(rng, 5, 3, lengths);
    const meanAlone = (params: typeof p0, task: typeof batch, ls: number[]): number => {
      const xa = task.x.toArray() as number[][][];
      const za = task.z.toArray() as number[][][];
      let sum = 0;
      ls.forEach((n, b) => {
        sum += bptt(params, xa.slice(0, n).map((row) => row[b]!), za.slice(0, n).map((row) => row[b]!), { nonlinearity: "tanh" }).loss;
      });
      return sum / ls.reduce((a, c) => a + c, 0);
    };
    expect(r.losses[0]).toBeCloseTo(meanAlone(p0, batch, lengths), 13);
    expect(r.evalBefore).toBeCloseTo(meanAlone(p0, held, heldLengths), 13);
    expect(r.evalAfter).toBeCloseTo(meanAlone(r.params, held, heldLengths), 13);
  });

  it("full lengths change nothing; variable lengths still learn", () => {
    const base = train({ steps: 4, seed: 2, length: 6, batchSize: 4 });
    expect(train({ steps: 4, seed: 2, length: 6, batchSize: 4, lengths: [6, 6, 6, 6] }).losses).toEqual(base.losses);
    const r = train({ steps: 250, seed: 3, length: 12, batchSize: 4, lengths: [12, 7, 3, 9] });
    expect(r.evalAfter).toBeLessThan(0.3 * r.evalBefore);
  });

  it("rejects lengths that do not fit the batch", () => {
    expect(() => train({ batchSize: 2, lengths: [3] })).toThrow("train: lengths must have one entry per sequence (batchSize = 2), got 1 entries");
    expect(() => train({ batchSize: 2, length: 5, lengths: [3, 6] })).toThrow("train: lengths[1] must be an integer in 1…length = 5, got 6");
  });
});
