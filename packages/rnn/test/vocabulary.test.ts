/**
 * The names of apps/docs/guide/vocabulary.md as @hw/rnn spells them (issue 12): `lr`,
 * `nonlinearity`, `modelLoss(vars, x, z, options)`, one `TensorInput`. Every deprecated alias keeps
 * working, gives the same numbers, and warns once per process naming the new spelling.
 */
import { tensor, type TensorInput as CoreTensorInput } from "@hw/tensor";
import { expectTypeOf } from "vitest";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bptt, checkGradients, forward, gradientFlow, modelLoss, train, type TensorInput } from "../src/index";
import { birnnCases } from "./fixture";

const c = birnnCases[1]!;
const { x, z, hfInit, hbInit, ...params } = c.input;
const vars = { ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tensor(v)])), hfInit: tensor(hfInit), hbInit: tensor(hbInit) } as never;

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, "emitWarning").mockImplementation((w: string | Error) => {
    warnings.push(String(w));
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("deprecated aliases (warn once, same results)", () => {
  it("`activation` → `nonlinearity` in forward, bptt, gradientFlow and checkGradients", () => {
    const now = bptt(params, x, z, { hfInit, hbInit, nonlinearity: "tanh" });
    const old = bptt(params, x, z, { hfInit, hbInit, activation: "tanh" });
    expect(old.loss).toBe(now.loss);
    expect(old.grads.Uf.toArray()).toEqual(now.grads.Uf.toArray());
    bptt(params, x, z, { activation: "tanh" }); // the second use stays quiet
    expect(warnings.filter((w) => w.startsWith("bptt: option `activation` is deprecated"))).toHaveLength(1);
    expect(warnings[0]).toContain("use `nonlinearity`");
    expect(forward(params, x, { activation: "tanh" }).y.toArray()).toEqual(forward(params, x, { nonlinearity: "tanh" }).y.toArray());
    expect(gradientFlow(params, x, z, { activation: "tanh" }).totalF).toEqual(gradientFlow(params, x, z, { nonlinearity: "tanh" }).totalF);
    expect(checkGradients(params, x, z, { activation: "tanh" }).loss).toBe(checkGradients(params, x, z, { nonlinearity: "tanh" }).loss);
    expect(() => bptt(params, x, z, { activation: "tanh", nonlinearity: "tanh" })).toThrow("bptt: options `activation` (deprecated) and `nonlinearity` both given; use `nonlinearity` only");
  });

  it("`learningRate` → `lr` and `activation` → `nonlinearity` in train", () => {
    const old = train({ steps: 3, learningRate: 0.1, activation: "tanh" });
    const now = train({ steps: 3, lr: 0.1, nonlinearity: "tanh" });
    expect(old.losses).toEqual(now.losses);
    expect(warnings.some((w) => w.startsWith("train: option `learningRate` is deprecated") && w.includes("use `lr`"))).toBe(true);
    expect(warnings.some((w) => w.startsWith("train: option `activation` is deprecated"))).toBe(true);
  });

  it("modelLoss(vars, x, z, options); the positional nonlinearity still works, warned once", () => {
    const now = modelLoss(vars, x, z, { nonlinearity: "tanh" }).item();
    expect(now).toBeCloseTo(bptt(params, x, z, { hfInit, hbInit, nonlinearity: "tanh" }).loss, 12);
    expect(modelLoss(vars, x, z, "tanh").item()).toBe(now);
    expect(modelLoss(vars, x, z, "tanh").item()).toBe(now);
    expect(warnings.filter((w) => w.startsWith("modelLoss: the positional nonlinearity argument is deprecated"))).toHaveLength(1);
    expect(modelLoss(vars, x, z).item()).toBeCloseTo(c.expected.loss, 12);
    expect(() => modelLoss(vars, x, z, { nonlinearity: "relu" as never })).toThrow('modelLoss: nonlinearity must be "sigmoid" or "tanh", got "relu"');
  });
});

describe("one TensorInput", () => {
  it("@hw/rnn's TensorInput is @hw/tensor's type, not a copy", () => {
    expectTypeOf<TensorInput>().toEqualTypeOf<CoreTensorInput>();
    // …and a plain number is a TensorInput (as in @hw/tensor).
    expect(forward({ Wf: [[1]], Uf: [[0]], Vf: [[1]], Wb: [[1]], Ub: [[0]], Vb: [[1]] }, [[0]]).y.toArray()).toEqual([[1]]);
  });
});
