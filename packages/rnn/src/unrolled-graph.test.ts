import { describe, expect, it } from "vitest";
import { toDot, toMermaid, toText, unrolledGraph } from "./unrolled-graph";

describe("unrolledGraph", () => {
  const g = unrolledGraph(3);

  it("has the nodes of Q1.1 for T = 3, including both initial states and the total loss", () => {
    expect(g.nodes.map((n) => n.id).sort()).toEqual(
      ["hf0", "hb4", "L", ...[1, 2, 3].flatMap((t) => [`x${t}`, `hf${t}`, `hb${t}`, `y${t}`, `z${t}`, `L${t}`])].sort(),
    );
    expect(g.nodes.find((n) => n.id === "hb4")).toMatchObject({ label: "h₄⁽ᵇ⁾", tex: "h^{(b)}_{4}", t: 4 });
    expect(g.nodes.find((n) => n.id === "hf0")?.label).toBe("h₀⁽ᶠ⁾");
  });

  it("labels the recurrent edges: forward left to right, backward right to left", () => {
    const uf = g.edges.filter((e) => e.weight === "Uf").map((e) => `${e.from}->${e.to}`);
    const ub = g.edges.filter((e) => e.weight === "Ub").map((e) => `${e.from}->${e.to}`);
    expect(uf).toEqual(["hf0->hf1", "hf1->hf2", "hf2->hf3"]);
    expect(ub).toEqual(["hb2->hb1", "hb3->hb2", "hb4->hb3"]);
  });

  it("uses every weight matrix once per step (shared weights) and sums the L_t into L", () => {
    for (const w of ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"] as const) expect(g.edges.filter((e) => e.weight === w)).toHaveLength(3);
    expect(g.edges.filter((e) => e.to === "L").map((e) => e.from)).toEqual(["L1", "L2", "L3"]);
    expect(g.edges.filter((e) => e.to === "L2").map((e) => e.from).sort()).toEqual(["y2", "z2"]);
    expect(g.edges).toHaveLength(27);
  });

  it("every edge joins existing nodes, for any T", () => {
    for (const T of [1, 2, 7, 12]) {
      const gt = unrolledGraph(T);
      const ids = new Set(gt.nodes.map((n) => n.id));
      expect(gt.nodes).toHaveLength(6 * T + 3);
      for (const e of gt.edges) {
        expect(ids.has(e.from)).toBe(true);
        expect(ids.has(e.to)).toBe(true);
      }
    }
    expect(unrolledGraph(12).nodes.find((n) => n.id === "hb13")?.label).toBe("h₁₃⁽ᵇ⁾");
  });

  it("rejects a bad number of steps", () => {
    expect(() => unrolledGraph(0)).toThrow("unrolledGraph: steps must be an integer in 1…1000, got 0");
    expect(() => unrolledGraph(2.5)).toThrow(RangeError);
    expect(() => unrolledGraph(Number.NaN)).toThrow(RangeError);
  });
});

describe("toDot and toMermaid", () => {
  const g = unrolledGraph(3);
  it("writes DOT with labelled weight edges and one rank per layer", () => {
    const dot = toDot(g);
    expect(dot.startsWith("digraph birnn {")).toBe(true);
    expect(dot).toContain('"x1" -> "hf1" [label="W⁽ᶠ⁾"];');
    // The backward recurrence hb4 → hb3 is written reversed with dir=back (drawn pointing at hb3).
    expect(dot).toContain('"hb3" -> "hb4" [xlabel="U⁽ᵇ⁾", dir=back];');
    expect(dot).toContain('"hf0" -> "hf1" [xlabel="U⁽ᶠ⁾"];');
    expect(dot).toContain('"y1" -> "L1";');
    expect(dot).toContain('{ rank=same; "hf0"; "hf1"; "hf2"; "hf3"; }');
    expect(dot).toContain('{ rank=same; "hb1"; "hb2"; "hb3"; "hb4"; }');
    expect(dot).toContain('"x1" -> "x2" [style=invis];');
    expect(dot.trim().endsWith("}")).toBe(true);
    const visible = dot.split("\n").filter((l) => l.includes("->") && !l.includes("style=invis"));
    expect(visible).toHaveLength(27);
  });
  it("writes a Mermaid flowchart", () => {
    const m = toMermaid(g);
    expect(m.split("\n")[0]).toBe("flowchart BT");
    expect(m).toContain('hf1(("h₁⁽ᶠ⁾"))');
    expect(m).toContain('hf0 -- "U⁽ᶠ⁾" --> hf1');
    expect(m).toContain("L3 --> L");
  });
  it("writes plain text: both chains, then what flows into each step", () => {
    const lines = toText(g).split("\n");
    expect(lines).toHaveLength(3 + 3);
    expect(lines[0]).toBe(`Computational graph unrolled for t = 1..3 (${g.nodes.length} nodes, ${g.edges.length} edges; the weights are shared across steps)`);
    expect(lines[1]).toBe("  forward chain : h₀⁽ᶠ⁾ —U⁽ᶠ⁾→ h₁⁽ᶠ⁾ —U⁽ᶠ⁾→ h₂⁽ᶠ⁾ —U⁽ᶠ⁾→ h₃⁽ᶠ⁾");
    expect(lines[2]).toBe("  backward chain: h₁⁽ᵇ⁾ ←U⁽ᵇ⁾— h₂⁽ᵇ⁾ ←U⁽ᵇ⁾— h₃⁽ᵇ⁾ ←U⁽ᵇ⁾— h₄⁽ᵇ⁾");
    expect(lines[3]).toContain("x₁ —W⁽ᶠ⁾→ h₁⁽ᶠ⁾");
    expect(lines[5]!.endsWith("→ L")).toBe(true);
  });
});
