import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { main } from "../examples/question-3";

describe("examples/question-3.ts", () => {
  it("runs and prints the answers its comments claim", () => {
    const lines: string[] = [];
    const r = main((line) => lines.push(line));
    expectClose(r.batchMean, [2.5, 31 / 12], { rtol: 1e-12 });
    expectClose(r.layerVar, [2 / 3, 2 / 3, 1.25, 2 / 9], { rtol: 1e-12 });
    expect(Math.abs(r.orthogonality)).toBeLessThan(1e-14);
    expect(lines[0]).toBe("μ_batch = tensor([2.5000, 2.5833])");
    expect(lines.join("\n")).toContain("running variance = tensor([0.9636, 1.0174])");
    expect(lines.join("\n")).toContain("n = 100: rms error 2.3e-1");
    expect(lines.join("\n")).toContain("∇_u L = tensor([0.5630, 0.2593, 0.5407])");
  });
});
