/**
 * What @hw/rnn refuses, and why (issue 11): unknown options, non-finite answers computed from finite
 * inputs, and allocations over the memory budget. Each refusal is one RangeError/TypeError whose
 * message names the function, the argument or quantity, and the values.
 */
import { tensor } from "@hw/tensor";
import { describe, expect, it } from "vitest";
import { autodiffGrads, bptt, checkGradients, forward, gradientFlow, initParams, modelLoss, squaredLoss, train } from "../src/index";
import { birnnCases } from "./fixture";

const c = birnnCases[0]!;
const { x, z, hfInit, hbInit, ...params } = c.input;
const vars = { ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tensor(v)])), hfInit: tensor(hfInit), hbInit: tensor(hbInit) } as never;

describe("strict options: a misspelled option is an error naming the closest one", () => {
  it.each([
    ["forward", () => forward(params, x, { hfinit: hfInit } as never), "forward: unknown option `hfinit` — did you mean `hfInit`?"],
    ["bptt", () => bptt(params, x, z, { term: true } as never), "bptt: unknown option `term` — did you mean `terms`?"],
    ["squaredLoss", () => squaredLoss([1], [2], { reduce: "sum" } as never), "squaredLoss: unknown option `reduce`"],
    ["gradientFlow", () => gradientFlow(params, x, z, { hbInt: hbInit } as never), "gradientFlow: unknown option `hbInt` — did you mean `hbInit`?"],
    ["autodiffGrads", () => autodiffGrads(params, x, z, { reduction: "sum" } as never), "autodiffGrads: unknown option `reduction`"],
    ["checkGradients", () => checkGradients(params, x, z, { rtl: 1 } as never), "checkGradients: unknown option `rtl` — did you mean `rtol`?"],
    ["initParams", () => initParams({ inputSize: 1, hiddenSize: 2, outputSize: 1, bias: true } as never), "initParams: unknown option `bias` — did you mean `biases`?"],
    ["train", () => train({ step: 3 } as never), "train: unknown option `step` — did you mean `steps`?"],
  ])("%s", (_name, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it("a misspelled parameter name is an error too", () => {
    expect(() => bptt({ ...params, Vff: params.Vf } as never, x, z)).toThrow("bptt: unknown parameter `params.Vff` — did you mean `Vf`?");
  });

  it("options must be an object", () => {
    expect(() => bptt(params, x, z, "sum" as never)).toThrow("bptt: options must be an object, got string");
  });

  it("every public function with an options object reads it strictly (none accepts an unknown key)", () => {
    // The functions of the API that take an options object, with a valid call to extend.
    const calls: Record<string, (o: object) => unknown> = {
      forward: (o) => forward(params, x, o),
      bptt: (o) => bptt(params, x, z, o),
      squaredLoss: (o) => squaredLoss([1], [2], o),
      gradientFlow: (o) => gradientFlow(params, x, z, o),
      autodiffGrads: (o) => autodiffGrads(params, x, z, o),
      checkGradients: (o) => checkGradients(params, x, z, o),
      modelLoss: (o) => modelLoss(vars, x, z, o),
      initParams: (o) => initParams({ inputSize: 1, hiddenSize: 2, outputSize: 1, ...o }),
      train: (o) => train({ steps: 1, ...o }),
    };
    for (const [name, call] of Object.entries(calls)) expect(() => call({ bogusOption: 1 }), name).toThrow(`${name}: unknown option \`bogusOption\``);
  });
});

describe("finite inputs that overflow are refused, naming the quantity (issue 11 case 7)", () => {
  it("bptt with z = 1e200: the loss overflows", () => {
    const big = z.map((row) => row.map(() => 1e200));
    expect(() => bptt(params, x, big, { hfInit, hbInit })).toThrow(RangeError);
    expect(() => bptt(params, x, big, { hfInit, hbInit })).toThrow(/^bptt: the loss overflowed to Infinity although every input is finite \(largest \|input\| = 1\.000e\+200\)/);
    expect(() => gradientFlow(params, x, big, { hfInit, hbInit })).toThrow(/^gradientFlow: the loss overflowed to Infinity/);
  });

  it("forward with output weights near the float64 limit: y overflows", () => {
    const huge = { ...params, Vf: params.Vf.map((r) => r.map(() => 1.7e308)), Vb: params.Vb.map((r) => r.map(() => 1.7e308)) };
    expect(() => forward(huge, x)).toThrow(/^forward: the output y overflowed to Infinity at flat index 0 although every input is finite/);
  });

  it("squaredLoss of finite values whose squares overflow", () => {
    expect(() => squaredLoss([1e200], [-1e200])).toThrow(/^squaredLoss: the loss overflowed to Infinity although every input is finite/);
    expect(squaredLoss([1e150], [-1e150]).item()).toBeCloseTo(4e300, -290);
  });

  it("train with lr = 1e300 (SGD and Adam): the step that overflowed is named", () => {
    expect(() => train({ steps: 5, lr: 1e300, optimizer: "sgd" })).toThrow(/^train: the training loss became (Infinity|NaN) at step \d \(lr = 1e\+300, optimizer = sgd; the parameters reached \|θ\| = [\d.]+e\+\d+\): lower lr$/);
    expect(() => train({ steps: 5, lr: 1e300 })).toThrow(/^train: the training loss became (Infinity|NaN) at step \d \(lr = 1e\+300, optimizer = adam/);
  });

  it("NaN and ±Infinity INPUTS still propagate as documented (not an overflow)", () => {
    const bad = x.map((row) => row.map(() => Number.NaN));
    expect(bptt(params, bad, z).loss).toBeNaN();
    expect(squaredLoss([Number.POSITIVE_INFINITY], [0]).item()).toBe(Number.POSITIVE_INFINITY);
  });

  it("the gradient-norm sequences do not overflow when the gradients are large but finite", () => {
    const big = z.map((row) => row.map(() => 1e150));
    const flow = gradientFlow(params, x, big, { hfInit, hbInit });
    expect(flow.totalF.every((v) => Number.isFinite(v) && v > 1e149)).toBe(true);
  });
});

describe("bounded memory (issue 11: 2.29 GB of per-step terms at T = 1000, B = 32, H = 64)", () => {
  const H = 64;
  const p = initParams({ inputSize: 1, hiddenSize: H, outputSize: 1, seed: 1 });
  const T = 1000;
  const B = 32;
  const xs = tensor(new Float64Array(T * B), [T, B, 1]);

  it("the default does not compute the per-step terms", () => {
    const r = bptt(p, tensor(new Float64Array(20 * B), [20, B, 1]), tensor(new Float64Array(20 * B), [20, B, 1]));
    expect(r.terms).toBeUndefined();
  });

  it("terms: true over the 2 GB budget is refused before allocating, with the estimate and how to lift it", () => {
    expect(() => bptt(p, xs, xs, { terms: true })).toThrow(
      "bptt: terms: true needs about 2.16 GB (the per-step Jacobians are 2·T·B·H² = 2·1000·32·64² numbers), over maxMemory = 2 GB; pass { maxMemory: 2.16e+9 } to allow it, or leave terms off",
    );
    expect(() => bptt(params, x, z, { terms: true, maxMemory: 1000 })).toThrow(/^bptt: terms: true needs about .* over maxMemory = 0\.000001 GB/);
    expect(bptt(params, x, z, { terms: true, maxMemory: 1e6 }).terms?.jacobianF.shape).toEqual([5, 4, 4]);
  });

  it("initParams and train refuse sizes that cannot be allocated (was: `Invalid typed array length`)", () => {
    expect(() => initParams({ inputSize: 1, hiddenSize: 1e6, outputSize: 1 })).toThrow(
      "initParams: inputSize = 1, hiddenSize = 1000000, outputSize = 1 need about 16000 GB of parameters, over maxMemory = 2 GB; pass { maxMemory: 1.60e+13 } to allow it",
    );
    expect(() => train({ hiddenSize: 1e6 })).toThrow(/^train: hiddenSize = 1000000, length = 12, batchSize = 16 need about .* GB, over maxMemory = 2 GB/);
  });
});
