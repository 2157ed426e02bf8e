/**
 * `renderProblem`: the questions with a variant's numbers, as Markdown (KaTeX/MathJax-ready: `$…$` and
 * `$$…$$`) or as a LaTeX document that compiles with a standard pdfLaTeX (amsmath only).
 */
import { PARTS, type Part } from "./parts";
import { partVariables } from "./formula/evaluate";
import type { Variant } from "./generate-variant";
import type { TreeNodeData } from "./variant";

/** Output formats of {@link renderProblem}. */
export type ProblemFormat = "markdown" | "latex";

type Block = { h: string } | { p: string } | { math: string } | { list: string[] };

const n = (v: number): string => String(Number(v.toPrecision(6)));
const bmatrix = (m: readonly (readonly number[])[]): string => `\\begin{bmatrix} ${m.map((r) => r.map(n).join(" & ")).join(" \\\\ ")} \\end{bmatrix}`;
const column = (v: readonly number[]): string => bmatrix(v.map((x) => [x]));

function treeList(nodes: readonly TreeNodeData[], depth = 0): string[] {
  return nodes.flatMap((node) => [`${"  ".repeat(depth)}- \`${node.token}\` ($${n(node.prob)}$)`, ...treeList(node.children ?? [], depth + 1)]);
}

function answerHint(part: Part): string {
  const shape = part.shape.length === 0 ? "a number" : part.kind === "sequence" ? '`{ "tokens": [...], "logProb": x }` (natural log)' : part.kind === "beams" ? 'a list of beams `[{ "tokens": [...], "logProb": x }, ...]`, best first' : `a ${part.shape.join(" x ")} array`;
  const formula = part.formula === undefined ? "" : `, or \`{ "formula": "..." }\` in the variables ${partVariables(part).map((v) => `\`${v}\``).join(", ")}`;
  return `answer with ${shape}${formula}`;
}

function partLine(id: string, tex: string): string {
  const part = PARTS.find((p) => p.id === id)!;
  return `\`${id}\`: ${tex} — ${answerHint(part)}.`;
}

function blocks(v: Variant): Block[] {
  const { q1, q2, q3, q4 } = v.data;
  const T = q1.x.length;
  const tokens = (t: readonly string[]) => t.map((x) => `\`${x}\``).join(", ");
  return [
    { h: `Problem set — variant ${v.seed}` },
    { p: "Answer each part in an answers file `{ \"variant\": ..., \"answers\": { \"<part id>\": value } }` and run `hw check answers.json` (or use the docs page *Check your answers*). Numbers pass with a relative error up to $10^{-3}$ per entry. The data of every question is also in `data.json`." },
    { h: "Question 1 — backprop through a bidirectional RNN" },
    { p: "With $\\sigma$ the logistic sigmoid and no biases," },
    { math: "h^{(f)}_t = \\sigma(W^{(f)}x_t + U^{(f)}h^{(f)}_{t-1}),\\quad h^{(b)}_t = \\sigma(W^{(b)}x_t + U^{(b)}h^{(b)}_{t+1}),\\quad y_t = V^{(f)}h^{(f)}_t + V^{(b)}h^{(b)}_t" },
    { p: `and $L = \\sum_t \\lVert z_t - y_t \\rVert_2^2$ over $t = 1, \\dots, ${T}$. The weights and initial states are` },
    { math: `W^{(f)} = ${bmatrix(q1.Wf)},\\ U^{(f)} = ${bmatrix(q1.Uf)},\\ V^{(f)} = ${bmatrix(q1.Vf)}` },
    { math: `W^{(b)} = ${bmatrix(q1.Wb)},\\ U^{(b)} = ${bmatrix(q1.Ub)},\\ V^{(b)} = ${bmatrix(q1.Vb)}` },
    { math: `h^{(f)}_0 = ${column(q1.hfInit)},\\ h^{(b)}_{${T + 1}} = ${column(q1.hbInit)}` },
    { p: "and the inputs and targets (row $t$ is $x_t^\\top$, $z_t^\\top$):" },
    { math: `x = ${bmatrix(q1.x)},\\quad z = ${bmatrix(q1.z)}` },
    {
      list: [
        partLine("1.2.dLt_dhf", `$\\nabla_{h^{(f)}_t} L_t$ for $t = 1, \\dots, ${T}$ (row $t$)`),
        partLine("1.2.dLt_dhb", `$\\nabla_{h^{(b)}_t} L_t$ for $t = 1, \\dots, ${T}$ (row $t$)`),
        partLine("1.2.jac_f", `$\\partial h^{(f)}_{t+1} / \\partial h^{(f)}_t$ for $t = 1, \\dots, ${T - 1}$`),
        partLine("1.2.jac_b", `$\\partial h^{(b)}_{t-1} / \\partial h^{(b)}_t$ for $t = 2, \\dots, ${T}$`),
        partLine("1.3.dL_dWf", "$\\nabla_{W^{(f)}} L$"),
        partLine("1.3.dL_dUb", "$\\nabla_{U^{(b)}} L$"),
      ],
    },
    { h: "Question 2 — decoding a language model" },
    { list: [partLine("2.1.count", `the number of sequences $w_0 \\dots w_T$ with $w_0 = $ \`<BOS>\` for a vocabulary of $N = ${q2.count.N}$ words (including \`<BOS>\`) and $T = ${q2.count.T}$`)] },
    { p: `A Markov language model over ${tokens(q2.markov.vocab)} has transition probabilities $P_{ij} = p(w_t = j \\mid w_{t-1} = i)$ (rows and columns in that order):` },
    { math: `P = ${bmatrix(q2.markov.P)}` },
    { list: [partLine("2.2.viterbi", `the most likely sequence of $T = ${q2.markov.steps}$ words after \`<BOS>\` and its log-probability`)] },
    { p: "A tree-shaped language model (the probability of each word given the path to it; low-probability branches omitted):" },
    { list: treeList(q2.tree.children) },
    {
      list: [
        partLine("2.4a.optimum", `the most likely sequence of $T = ${q2.tree.steps}$ words`),
        partLine("2.4b.greedy", "greedy decoding"),
        partLine("2.4c.beam", "beam search with $B = 2$"),
      ],
    },
    { h: "Question 3 — normalization" },
    { p: `For the ${q3.x.length} x ${q3.x[0]!.length} x ${q3.x[0]![0]!.length} tensor (batch x channels x features; sample $b$ is a channels x features matrix)` },
    { math: q3.x.map((s, b) => `x_{${b + 1}} = ${bmatrix(s)}`).join(",\\ ") },
    {
      list: [
        partLine("3.1.mu_batch", "batch-norm means (per channel)"),
        partLine("3.1.var_batch", "batch-norm variances (biased)"),
        partLine("3.1.mu_layer", "layer-norm means (per sample)"),
        partLine("3.1.var_layer", "layer-norm variances (biased)"),
        partLine("3.1.mu_instance", "instance-norm means (per sample and channel)"),
        partLine("3.1.var_instance", "instance-norm variances (biased)"),
      ],
    },
    { p: `Weight normalization $w = \\gamma u / \\lVert u \\rVert$ with $u = ${column(q3.u)}$, $\\gamma = ${q3.gamma}$ and $\\nabla_w L = ${column(q3.gradW)}$:` },
    { list: [partLine("3.3.s", "$s = \\gamma / \\lVert u \\rVert$"), partLine("3.3.dL_du", "$\\nabla_u L$")] },
    { h: "Question 4 — dropout versus weight decay" },
    { p: `With $X \\in \\mathbb{R}^{${q4.X.length} \\times ${q4.X[0]!.length}}$ and $y$ from \`data.json\` (\`q4.X\`, \`q4.y\`), input dropout with KEEP probability $p = ${q4.p}$ and $\\Gamma = \\mathrm{diag}(X^\\top X)^{1/2}$:` },
    {
      list: [
        partLine("4.2.lambda_dropout", "$\\lambda_{\\text{dropout}}$ in $p\\,w_{\\text{dropout}} = (X^\\top X + \\lambda_{\\text{dropout}} \\Gamma^2)^{-1} X^\\top y$"),
        partLine("4.2.p_w_dropout", "$p\\,w_{\\text{dropout}}$"),
        partLine("4.3.w_l2", `$w_{L2} = (X^\\top X + \\lambda I)^{-1} X^\\top y$ with $\\lambda = ${q4.lambda}$`),
      ],
    },
  ];
}

const texText = (s: string): string => s.replace(/[\\{}&#_%~^<>]/g, (c) => ({ "\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}", "<": "\\textless{}", ">": "\\textgreater{}" })[c] ?? `\\${c}`);

/** Inline markup → LaTeX: `$…$` kept, `` `…` `` as \texttt, text escaped, the em dash as ---. */
function texInline(s: string): string {
  return s
    .split(/(\$[^$]*\$|`[^`]*`)/)
    .map((part) => (part.startsWith("$") ? part : part.startsWith("`") ? `\\texttt{${texText(part.slice(1, -1))}}` : texText(part).replace(/—/g, "---").replace(/\*([^*]+)\*/g, "\\emph{$1}")))
    .join("");
}

/**
 * The questions of a variant with its numbers, and for every part its id and how to answer it.
 *
 * @param variant - From {@link generateVariant}.
 * @param format - `"markdown"` (KaTeX/MathJax-ready) or `"latex"` (a complete document, pdfLaTeX + amsmath).
 */
export function renderProblem(variant: Variant, format: ProblemFormat): string {
  const bs = blocks(variant);
  if (format === "markdown") {
    return `${bs
      .map((b, i) => ("h" in b ? `${i === 0 ? "#" : "##"} ${b.h}` : "p" in b ? b.p : "math" in b ? `$$\n${b.math}\n$$` : b.list.map((l) => (l.startsWith(" ") || l.startsWith("-") ? l : `- ${l}`)).join("\n")))
      .join("\n\n")}\n`;
  }
  const body = bs.slice(1).map((b) => {
    if ("h" in b) return `\\section*{${texInline(b.h)}}`;
    if ("p" in b) return texInline(b.p);
    if ("math" in b) return `\\[\n${b.math}\n\\]`;
    // Nested tree lists become nested itemize environments.
    const out: string[] = [];
    let depth = -1;
    for (const line of b.list) {
      const d = line.startsWith("-") || line.startsWith(" ") ? (line.length - line.trimStart().length) / 2 : 0;
      const text = line.trimStart().replace(/^- /, "");
      while (depth < d) {
        out.push(`${"  ".repeat(depth + 1)}\\begin{itemize}`);
        depth++;
      }
      while (depth > d) {
        out.push(`${"  ".repeat(depth)}\\end{itemize}`);
        depth--;
      }
      out.push(`${"  ".repeat(d + 1)}\\item ${texInline(text)}`);
    }
    while (depth >= 0) {
      out.push(`${"  ".repeat(depth)}\\end{itemize}`);
      depth--;
    }
    return out.join("\n");
  });
  return [
    "\\documentclass{article}",
    "\\usepackage{amsmath,amssymb}",
    "\\usepackage[margin=2cm]{geometry}",
    "\\setcounter{MaxMatrixCols}{20}",
    `\\title{${texInline((bs[0] as { h: string }).h)}}`,
    "\\date{}",
    "\\begin{document}",
    "\\maketitle",
    ...body.flatMap((s) => [s, ""]),
    "\\end{document}",
    "",
  ].join("\n");
}
