/**
 * `unrolledGraph`, `toDot`, `toMermaid`: the computational graph of Question 1.1.
 */

/** What a node stands for. */
export type GraphNodeKind = "input" | "forward" | "backward" | "output" | "target" | "loss" | "total";

/** One node of the unrolled graph. */
export interface GraphNode {
  /** A stable identifier: `x1`, `hf1`, `hb1`, `y1`, `z1`, `L1`, `hf0`, `hb4` (for T = 3), `L`. */
  readonly id: string;
  /** Plain-text label with Unicode sub/superscripts, e.g. `h₁⁽ᶠ⁾`. */
  readonly label: string;
  /** The same label in TeX, e.g. `h^{(f)}_{1}`. */
  readonly tex: string;
  readonly kind: GraphNodeKind;
  /** The time step (0 for h₀⁽ᶠ⁾, T+1 for h_{T+1}⁽ᵇ⁾), or null for the total loss. */
  readonly t: number | null;
}

/** One edge; weight-matrix edges carry the matrix's name. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `"Wf"`, `"Uf"`, `"Vf"`, `"Wb"`, `"Ub"`, `"Vb"`, or null for the edges into the losses. */
  readonly weight: "Wf" | "Uf" | "Vf" | "Wb" | "Ub" | "Vb" | null;
  /** Plain-text edge label (`W⁽ᶠ⁾` …; `""` for unlabelled edges). */
  readonly label: string;
}

/** The unrolled graph: nodes in time order and labelled edges. */
export interface UnrolledGraph {
  readonly steps: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n: number): string => String(n).replace(/[0-9]/g, (d) => SUB[Number(d)]!);
const F = "⁽ᶠ⁾";
const Bk = "⁽ᵇ⁾";
const WEIGHT_LABEL = { Wf: `W${F}`, Uf: `U${F}`, Vf: `V${F}`, Wb: `W${Bk}`, Ub: `U${Bk}`, Vb: `V${Bk}` } as const;

/**
 * The computational graph of the bidirectional RNN unrolled for $t = 1, \dots, T$ (Question 1.1):
 * nodes $x_t$, $h^{(f)}_t$, $h^{(b)}_t$, $y_t$, $z_t$, $L_t$, the initial states $h^{(f)}_0$ and
 * $h^{(b)}_{T+1}$, and the total loss $L = \sum_t L_t$; edges
 * $x_t \xrightarrow{W^{(f)}} h^{(f)}_t$, $h^{(f)}_{t-1} \xrightarrow{U^{(f)}} h^{(f)}_t$,
 * $x_t \xrightarrow{W^{(b)}} h^{(b)}_t$, $h^{(b)}_{t+1} \xrightarrow{U^{(b)}} h^{(b)}_t$,
 * $h^{(f)}_t \xrightarrow{V^{(f)}} y_t$, $h^{(b)}_t \xrightarrow{V^{(b)}} y_t$, $y_t, z_t \to L_t \to L$.
 *
 * The weight matrices are shared: each labels T edges, which is why their gradients are sums over t.
 *
 * @param steps - T, an integer ≥ 1
 * @returns the nodes (grouped by step) and the edges
 * @throws RangeError when `steps` is not an integer in 1 … 1000
 * @example
 * ```ts
 * const g = unrolledGraph(3);
 * g.nodes.length; // => 3·6 + 3 = 21
 * g.edges.filter((e) => e.weight === "Uf").length; // => 3
 * ```
 */
export function unrolledGraph(steps: number): UnrolledGraph {
  if (!Number.isInteger(steps) || steps < 1 || steps > 1000) {
    throw new RangeError(`unrolledGraph: steps must be an integer in 1…1000, got ${String(steps)}`);
  }
  const T = steps;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const edge = (from: string, to: string, weight: GraphEdge["weight"]): void => {
    edges.push({ from, to, weight, label: weight === null ? "" : WEIGHT_LABEL[weight] });
  };
  nodes.push({ id: "hf0", label: `h${sub(0)}${F}`, tex: "h^{(f)}_{0}", kind: "forward", t: 0 });
  for (let t = 1; t <= T; t++) {
    const s = sub(t);
    nodes.push(
      { id: `x${t}`, label: `x${s}`, tex: `x_{${t}}`, kind: "input", t },
      { id: `hf${t}`, label: `h${s}${F}`, tex: `h^{(f)}_{${t}}`, kind: "forward", t },
      { id: `hb${t}`, label: `h${s}${Bk}`, tex: `h^{(b)}_{${t}}`, kind: "backward", t },
      { id: `y${t}`, label: `y${s}`, tex: `y_{${t}}`, kind: "output", t },
      { id: `z${t}`, label: `z${s}`, tex: `z_{${t}}`, kind: "target", t },
      { id: `L${t}`, label: `L${s}`, tex: `L_{${t}}`, kind: "loss", t },
    );
  }
  nodes.push({ id: `hb${T + 1}`, label: `h${sub(T + 1)}${Bk}`, tex: `h^{(b)}_{${T + 1}}`, kind: "backward", t: T + 1 });
  nodes.push({ id: "L", label: "L", tex: "L", kind: "total", t: null });
  for (let t = 1; t <= T; t++) {
    edge(`x${t}`, `hf${t}`, "Wf");
    edge(`hf${t - 1}`, `hf${t}`, "Uf");
    edge(`x${t}`, `hb${t}`, "Wb");
    edge(`hb${t + 1}`, `hb${t}`, "Ub");
    edge(`hf${t}`, `y${t}`, "Vf");
    edge(`hb${t}`, `y${t}`, "Vb");
    edge(`y${t}`, `L${t}`, null);
    edge(`z${t}`, `L${t}`, null);
    edge(`L${t}`, "L", null);
  }
  return { steps: T, nodes, edges };
}

const quote = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

const DOT_STYLE: Record<GraphNodeKind, string> = {
  input: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
  forward: 'shape=circle, margin=0.02, style=filled, fillcolor="#d2f4d9"',
  backward: 'shape=circle, margin=0.02, style=filled, fillcolor="#fde2c8"',
  output: 'shape=circle, margin=0.02, style=filled, fillcolor="#f3e5f5"',
  target: 'shape=box, style="rounded,dashed"',
  loss: 'shape=box, style=filled, fillcolor="#ffecec"',
  total: 'shape=box, style="filled,bold", fillcolor="#ffd6d6"',
};

/**
 * The graph in Graphviz DOT, laid out bottom-up in rows — inputs, forward states, backward states,
 * outputs and targets, per-step losses, the total loss — with time running left to right in every
 * row. The backward recurrence edges $h^{(b)}_{t+1} \to h^{(b)}_t$ are written `hb_t -> hb_{t+1}`
 * with `dir=back` (drawn pointing at $h^{(b)}_t$), and the recurrent edges carry `xlabel`s, so that Graphviz keeps time order in their row;
 * invisible edges (`style=invis`) only order the rows. Render with Graphviz or `@viz-js/viz`.
 *
 * @param graph - from {@link unrolledGraph}
 * @returns DOT source text
 * @example
 * ```ts
 * toDot(unrolledGraph(3)); // => 'digraph birnn { rankdir=BT; … "x1" -> "hf1" [label="W⁽ᶠ⁾"]; … }'
 * ```
 */
export function toDot(graph: UnrolledGraph): string {
  const lines = [
    "digraph birnn {",
    "  rankdir=BT;",
    "  nodesep=0.35;",
    "  ranksep=0.45;",
    '  node [fontname="Helvetica", fontsize=14];',
    '  edge [fontname="Helvetica", fontsize=12];',
  ];
  for (const n of graph.nodes) lines.push(`  ${quote(n.id)} [label=${quote(n.label)}, ${DOT_STYLE[n.kind]}];`);
  const ids = (kinds: readonly GraphNodeKind[]): string[] =>
    graph.nodes
      .filter((n) => kinds.includes(n.kind))
      .sort((a, b) => (a.t ?? 0) - (b.t ?? 0))
      .map((n) => quote(n.id));
  const row = (kinds: readonly GraphNodeKind[]): void => {
    const r = ids(kinds);
    if (r.length === 0) return;
    lines.push(`  { rank=same; ${r.join("; ")}; }`);
    // Keep time order inside the row (edges within a rank run left to right).
    for (let i = 0; i + 1 < r.length; i++) lines.push(`  ${r[i]!} -> ${r[i + 1]!} [style=invis];`);
  };
  row(["input"]);
  row(["forward"]);
  row(["backward"]);
  row(["output", "target"]);
  row(["loss"]);
  // Stack the backward row above the forward row.
  for (let t = 1; t <= graph.steps; t++) lines.push(`  "hf${t}" -> "hb${t}" [style=invis];`);
  for (const e of graph.edges) {
    // Recurrent edges join nodes of one row; Graphviz places labels of such flat edges badly, so
    // they carry an xlabel (placed after layout).
    if (e.weight === "Ub") lines.push(`  ${quote(e.to)} -> ${quote(e.from)} [xlabel=${quote(e.label)}, dir=back];`);
    else if (e.weight === "Uf") lines.push(`  ${quote(e.from)} -> ${quote(e.to)} [xlabel=${quote(e.label)}];`);
    else lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${e.weight === null ? "" : ` [label=${quote(e.label)}]`};`);
  }
  lines.push("}");
  return lines.join("\n");
}

/**
 * The graph as a Mermaid flowchart (bottom-to-top), for Markdown renderers that support Mermaid.
 *
 * @param graph - from {@link unrolledGraph}
 * @returns Mermaid source text
 * @example
 * ```ts
 * toMermaid(unrolledGraph(3)); // => 'flowchart BT\n  x1["x₁"]\n … x1 -- "W⁽ᶠ⁾" --> hf1 …'
 * ```
 */
export function toMermaid(graph: UnrolledGraph): string {
  const lines = ["flowchart BT"];
  for (const n of graph.nodes) {
    const [open, close] = n.kind === "input" || n.kind === "target" || n.kind === "loss" || n.kind === "total" ? ["[", "]"] : ["((", "))"];
    lines.push(`  ${n.id}${open}"${n.label}"${close}`);
  }
  for (const e of graph.edges) {
    lines.push(e.weight === null ? `  ${e.from} --> ${e.to}` : `  ${e.from} -- "${e.label}" --> ${e.to}`);
  }
  return lines.join("\n");
}

/**
 * The graph as plain text: the two recurrent chains, then what flows into each step's states,
 * output and loss (what `hw rnn graph --format text` and the worked solution of Question 1.1 print).
 *
 * @param graph - from {@link unrolledGraph}
 * @returns one line per chain and per step
 * @example
 * ```ts
 * toText(unrolledGraph(2)).split("\n")[1]; // => "  forward chain : h₀⁽ᶠ⁾ —U⁽ᶠ⁾→ h₁⁽ᶠ⁾ —U⁽ᶠ⁾→ h₂⁽ᶠ⁾"
 * ```
 */
export function toText(graph: UnrolledGraph): string {
  const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const T = graph.steps;
  const l = (id: string): string => label.get(id) ?? id;
  const chainF = [l("hf0"), ...Array.from({ length: T }, (_, t) => l(`hf${t + 1}`))].join(" —U⁽ᶠ⁾→ ");
  const chainB = [...Array.from({ length: T }, (_, t) => l(`hb${t + 1}`)), l(`hb${T + 1}`)].join(" ←U⁽ᵇ⁾— ");
  const lines = [
    `Computational graph unrolled for t = 1..${T} (${graph.nodes.length} nodes, ${graph.edges.length} edges; the weights are shared across steps)`,
    `  forward chain : ${chainF}`,
    `  backward chain: ${chainB}`,
  ];
  for (let t = 1; t <= T; t++) {
    const into = (to: string) =>
      graph.edges
        .filter((e) => e.to === to)
        .map((e) => (e.label === "" ? `${l(e.from)} → ${l(to)}` : `${l(e.from)} —${e.label}→ ${l(to)}`))
        .join(", ");
    lines.push(`  t = ${t}: ${[into(`hf${t}`), into(`hb${t}`), into(`y${t}`), into(`L${t}`)].join("; ")}; ${l(`L${t}`)} → L`);
  }
  return lines.join("\n");
}
