import { describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { keepProbability } from "./keep-probability";

describe("keepProbability", () => {
  it("reads a number as the KEEP probability", () => {
    expect(keepProbability(0.8)).toBe(0.8);
    expect(keepProbability(1)).toBe(1);
    expect(keepProbability({ keep: 0.3 })).toBe(0.3);
  });

  it("turns { drop: q } into p = 1 − q", () => {
    expect(keepProbability({ drop: 0.2 })).toBe(0.8);
    expect(keepProbability({ drop: 0 })).toBe(1);
    fc.assert(fc.property(fc.double({ min: 0, max: 0.999, noNaN: true }), (q) => keepProbability({ drop: q }) === 1 - q));
  });

  it("rejects p outside (0, 1], NaN and ±Infinity with a message naming the op and the convention", () => {
    for (const bad of [0, -0.1, 1.5, Number.NaN, Infinity, -Infinity]) {
      expect(() => keepProbability(bad)).toThrow(RangeError);
    }
    expect(() => keepProbability(0)).toThrow(
      "keepProbability: the keep probability p must be in (0, 1] (p is the probability of KEEPING a unit), got p = 0",
    );
    expect(() => keepProbability({ drop: 1 })).toThrow("got drop = 1, i.e. keep p = 0");
    expect(() => keepProbability({ drop: 2 })).toThrow("keepProbability: the drop probability must be in [0, 1], got drop = 2");
  });

  it("allows p = 0 only when asked", () => {
    expect(keepProbability(0, { allowZero: true })).toBe(0);
    expect(keepProbability({ drop: 1 }, { allowZero: true })).toBe(0);
    expect(() => keepProbability(-0.5, { allowZero: true })).toThrow("must be in [0, 1]");
  });

  it("rejects ambiguous or non-numeric forms with a TypeError", () => {
    expect(() => keepProbability(JSON.parse('{ "keep": 0.5, "drop": 0.5 }') as { keep: number })).toThrow(TypeError);
    expect(() => keepProbability("0.5" as never)).toThrow("keepProbability: expected the KEEP probability p as a number, { keep: p } or { drop: q }");
    expect(() => keepProbability(null as never)).toThrow(TypeError);
  });

  it("rejects extra keys in { keep } / { drop } (strict, issue 11) and unknown options", () => {
    expect(() => keepProbability({ drop: 0.2, keep: 0.8 })).toThrow(TypeError);
    expect(() => keepProbability({ drop: 0.2, dorp: 1 } as never)).toThrow('keepProbability: expected the KEEP probability p as a number, { keep: p } or { drop: q }, got {"drop":0.2,"dorp":1}');
    expect(() => keepProbability(0.5, { allowzero: true } as never)).toThrow("keepProbability: unknown option `allowzero` — did you mean `allowZero`?");
  });

  it("still accepts the deprecated (p, op, options) form, wording errors with op, warning once", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form is what is tested
      expect(keepProbability({ drop: 1 }, "dropoutMask", { allowZero: true })).toBe(0);
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form is what is tested
      expect(() => keepProbability(0, "dropoutSolution")).toThrow("dropoutSolution: the keep probability p must be in (0, 1]");
      expect(warn.mock.calls.filter(([m]) => String(m).startsWith("keepProbability(p, op, options) is deprecated")).length).toBeLessThanOrEqual(1);
    } finally {
      warn.mockRestore();
    }
  });
});
