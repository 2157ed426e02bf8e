/**
 * Question 1.1: the unrolled graph as data, DOT and Mermaid (render the DOT with Graphviz or
 * `@viz-js/viz`).
 */
import { toDot, toMermaid, unrolledGraph } from "../src/index";

export function graph() {
  const g = unrolledGraph(3);
  const counts = { nodes: g.nodes.length, edges: g.edges.length }; // => { nodes: 21, edges: 27 }
  const recurrent = g.edges.filter((e) => e.weight === "Ub").map((e) => `${e.from}->${e.to}`); // => ["hb2->hb1", "hb3->hb2", "hb4->hb3"]
  const dot = toDot(g); // => 'digraph birnn { … "x1" -> "hf1" [label="W⁽ᶠ⁾"]; … }'
  const mermaid = toMermaid(g); // => "flowchart BT …"
  return { counts, recurrent, dot, mermaid };
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) console.log(graph().dot);
