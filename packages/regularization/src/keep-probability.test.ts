import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { keepProbability } from "./keep-probability";

describe("keepProbability", () => {
  it("reads a number as the KEEP probability", () => {
    expect(keepProbability(0.8, "op")).toBe(0.8);
    expect(keepProbability(1, "op")).toBe(1);
    expect(keepProbability({ keep: 0.3 }, "op")).toBe(0.3);
  });

  it("turns { drop: q } into p = 1 − q", () => {
    expect(keepProbability({ drop: 0.2 }, "op")).toBe(0.8);
    expect(keepProbability({ drop: 0 }, "op")).toBe(1);
    fc.assert(fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), (q) => keepProbability({ drop: q }, "op") === 1 - q));
  });

  it("rejects p outside (0, 1], NaN and ±Infinity with a message naming the op and the convention", () => {
    for (const bad of [0, -0.1, 1.5, Number.NaN, Infinity, -Infinity]) {
      expect(() => keepProbability(bad, "dropoutSolution")).toThrow(RangeError);
    }
    expect(() => keepProbability(0, "dropoutSolution")).toThrow(
      "dropoutSolution: the keep probability p must be in (0, 1] (p is the probability of KEEPING a unit), got p = 0",
    );
    expect(() => keepProbability({ drop: 1 }, "op")).toThrow("got drop = 1, i.e. keep p = 0");
    expect(() => keepProbability({ drop: 2 }, "op")).toThrow("op: the drop probability must be in [0, 1], got drop = 2");
  });

  it("allows p = 0 only when asked", () => {
    expect(keepProbability(0, "dropoutMask", { allowZero: true })).toBe(0);
    expect(keepProbability({ drop: 1 }, "dropoutMask", { allowZero: true })).toBe(0);
    expect(() => keepProbability(-0.5, "dropoutMask", { allowZero: true })).toThrow("must be in [0, 1]");
  });

  it("rejects ambiguous or non-numeric forms with a TypeError", () => {
    expect(() => keepProbability(JSON.parse('{ "keep": 0.5, "drop": 0.5 }') as { keep: number }, "op")).toThrow(TypeError);
    expect(() => keepProbability("0.5" as never, "op")).toThrow("op: expected the KEEP probability p as a number, { keep: p } or { drop: q }");
    expect(() => keepProbability(null as never, "op")).toThrow(TypeError);
  });
});
