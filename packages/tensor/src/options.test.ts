import { afterEach, describe, expect, it, vi } from "vitest";
import { closestName, readOptions, warnDeprecated } from "./options";
import type { Tensor } from "./tensor";

describe("closestName", () => {
  it("suggests the nearest known name, case-insensitively", () => {
    expect(closestName("lambd", ["lambda", "p"])).toBe("lambda");
    expect(closestName("fitintercept", ["fitIntercept", "lambda"])).toBe("fitIntercept");
    expect(closestName("typicalp", ["topP", "typicalP"])).toBe("typicalP");
    expect(closestName("beamWdith", ["beamWidth", "steps"])).toBe("beamWidth");
  });
  it("suggests nothing when no name is close", () => {
    expect(closestName("zzz", ["lambda", "fitIntercept"])).toBeUndefined();
  });
});

describe("readOptions", () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns {} for undefined and the same object when every key is known", () => {
    expect(readOptions<{ a?: number }>("f", undefined, ["a"])).toEqual({});
    const o = { a: 1 };
    expect(readOptions("f", o, ["a"])).toBe(o);
  });
  it("rejects an unknown key, naming it and the closest known key", () => {
    expect(() => readOptions<{ lambda?: number }>("ridge", { lambd: 1 } as never, ["lambda"])).toThrow(
      "ridge: unknown option `lambd` — did you mean `lambda`?",
    );
    expect(() => readOptions<{ lambda?: number }>("ridge", { qqq: 1 } as never, ["lambda"])).toThrow(
      "ridge: unknown option `qqq` (known: `lambda`)",
    );
  });
  it("rejects a non-object", () => {
    expect(() => readOptions("f", 3 as never, [])).toThrow("f: options must be an object, got number");
    expect(() => readOptions("f", null as never, [])).toThrow("f: options must be an object, got null");
    expect(() => readOptions("f", [] as never, [])).toThrow("f: options must be an object, got an array");
  });
  it("renames a deprecated alias with one warning, and refuses both spellings together", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const a = readOptions<{ lr?: number }>("train", { learningRate: 0.1 } as never, ["lr"], { learningRate: "lr" });
    const b = readOptions<{ lr?: number }>("train", { learningRate: 0.2 } as never, ["lr"], { learningRate: "lr" });
    expect(a).toEqual({ lr: 0.1 });
    expect(b).toEqual({ lr: 0.2 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toContain("train: option `learningRate` is deprecated");
    expect(() => readOptions<{ lr?: number }>("train", { learningRate: 1, lr: 2 } as never, ["lr"], { learningRate: "lr" })).toThrow(
      "both given",
    );
  });
  it("warnDeprecated warns once per message", () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    warnDeprecated("x: once-only test message");
    warnDeprecated("x: once-only test message");
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe("strict options and named errors across @hw/tensor", () => {
  it("every options object rejects unknown keys, naming the function and the closest option", async () => {
    const hw = await import("./index");
    const x = hw.tensor([[4, 2], [2, 5]]);
    const cases: [() => unknown, RegExp][] = [
      [() => hw.zeros([2], { dtpye: "float32" } as never), /^zeros: unknown option `dtpye` — did you mean `dtype`\?/],
      [() => hw.tensor([1], undefined, { dtpye: "float32" } as never), /^tensor: unknown option `dtpye`/],
      [() => hw.sum(x, 0, { keepdims: true } as never), /^sum: unknown option `keepdims` — did you mean `keepDims`\?/],
      [() => hw.variance(x, 0, { ddof: 1 } as never), /^var: unknown option `ddof`/],
      [() => hw.argmax(x, 0, { keepdim: true } as never), /^argmax: unknown option `keepdim`/],
      [() => hw.topk(x, 1, { dim: 0 } as never), /^topk: unknown option `dim`/],
      [() => hw.sort(x, { descend: true } as never), /^sort: unknown option `descend`/],
      [() => hw.cholesky(x, { uper: true } as never), /^cholesky: unknown option `uper` — did you mean `upper`\?/],
      [() => hw.solveTriangular(x, hw.tensor([1, 1]), { lowr: true } as never), /^solveTriangular: unknown option `lowr`/],
      [() => hw.formatTensor(x, { precison: 2 } as never), /^formatTensor: unknown option `precison`/],
      [() => hw.createRng(1).uniform([2], { lo: 0 } as never), /^uniform: unknown option `lo`/],
      [() => hw.grad((v: Tensor) => hw.sum(v), { argnum: 0 } as never), /^grad: unknown option `argnum` — did you mean `argnums`\?/],
    ];
    for (const [call, message] of cases) expect(call).toThrow(message);
  });

  it("bare JavaScript errors are replaced by messages naming function, argument and value", async () => {
    const hw = await import("./index");
    const x = hw.tensor([[1, 2], [3, 4]]);
    expect(() => hw.sum(x, { keepDims: true } as never)).toThrow(/^sum: axes must be an integer or an array of integers, got object \(an options object goes after the axes/);
    expect(() => hw.permute(x, 1 as never)).toThrow(/^permute: axes must be an array of integers, got number/);
    expect(() => hw.grad(undefined as never)).toThrow(/^grad: f must be a function, got undefined/);
    expect(() => hw.valueAndGrad(42 as never)).toThrow(/^valueAndGrad: f must be a function, got number/);
  });
});

describe("withDeprecatedField", () => {
  it("keeps the old field as a hidden getter that warns once and returns the new field", async () => {
    const { withDeprecatedField } = await import("./options");
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const r = withDeprecatedField("moments", { variance: 2 }, "var", "variance");
    expect(r.var).toBe(2);
    expect(r.var).toBe(2);
    expect(Object.keys(r)).toEqual(["variance"]);
    expect(JSON.stringify(r)).toBe('{"variance":2}');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]![0])).toContain("moments: the result field `var` is deprecated");
    spy.mockRestore();
  });
});
