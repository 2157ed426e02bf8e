import { describe, expect, it } from "vitest";
import { graph } from "../examples/graph";
import { quickstart } from "../examples/quickstart";
import { training } from "../examples/train";

describe("examples/ (the README's outputs)", () => {
  it("quickstart", () => {
    const q = quickstart();
    expect(q.outputs).toEqual([[-0.025604430310753434], [0.07755608866794567]]);
    expect(q.totalF).toEqual([[-0.260084279265963], [-1.8448878226641088]]);
    expect(q.loss).toBe(0.8515583564051172);
    expect(q.gradWf).toEqual([[0.3666151643367138]]);
    const steps = q.steps as number[][][];
    expect(steps[0]![0]![0]! + steps[1]![0]![0]!).toBeCloseTo((q.gradWf as number[][])[0]![0]!, 15);
    expect(q.ok).toBe(true);
  });
  it("graph", () => {
    const g = graph();
    expect(g.counts).toEqual({ nodes: 21, edges: 27 });
    expect(g.recurrent).toEqual(["hb2->hb1", "hb3->hb2", "hb4->hb3"]);
    expect(g.dot).toContain('"x1" -> "hf1" [label="W⁽ᶠ⁾"];');
    expect(g.mermaid.startsWith("flowchart BT")).toBe(true);
  });
  it("train", () => {
    const t = training();
    expect(t.before).toBeGreaterThan(0.4);
    expect(t.after).toBeLessThan(0.01);
    expect(t.decay).toBeLessThan(1e-10);
  });
});
