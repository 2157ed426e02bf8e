import { describe, expect, it } from "vitest";
import { expectClose } from "@hw/tensor/testing";

describe("examples/quickstart.ts", () => {
  it("prints the numbers its comments (and the README) show", async () => {
    const log = console.log;
    console.log = () => undefined;
    try {
      const ex = await import("../examples/quickstart");
      expect(ex.expected).toBe(7.5);
      expect(Math.abs(ex.mc.mean - 7.5)).toBeLessThanOrEqual(4 * ex.mc.stderr);
      expect(ex.drop.lambda).toBe(1);
      expectClose(ex.drop.pw, [71 / 79, 32 / 79], { rtol: 1e-12 });
      expectClose(ex.drop.w, [142 / 79, 64 / 79], { rtol: 1e-12 });
      expectClose(ex.ridge.w, [1.09375, 0.71875], { rtol: 1e-12 });
      expect(ex.table.dropoutPenalty.toArray()).toEqual([2, 10]);
    } finally {
      console.log = log;
    }
  });
});
