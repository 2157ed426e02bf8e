import { afterEach, describe, expect, it, vi } from "vitest";
import { closestName, readOptions, warnDeprecated } from "./options";

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
