/** Question 2 worked on a variant: counting, Viterbi, beam search and the tree of 2.4, verified. */
import {
  beamSearch,
  countSequences,
  exhaustiveSearch,
  greedyDecode,
  languageModel,
  markovLM,
  treeLM,
  viterbi,
  type DecodedSequence,
  type LanguageModel,
  type ViterbiTrellis,
} from "@hw/decoding";
import type { Q2Data, TreeNodeData } from "../variant";
import type { Check, SectionResult } from "./section";

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v));
const close = (a: number, b: number, rtol = 1e-12): boolean => Math.abs(a - b) <= rtol * Math.abs(b);
const key = (t: readonly string[]) => t.join(" ");

function trellisText(lm: LanguageModel, tr: ViterbiTrellis, steps: number): string {
  const S = tr.states.length;
  const w = Math.max(10, ...tr.states.map((s) => s.length + 1));
  const out = [`  t  ${tr.states.map((s) => s.padStart(w)).join("")}`];
  for (let t = 0; t <= steps; t++) {
    const cells = tr.states.map((_, s) => {
      const d = tr.logDelta[t * S + s]!;
      const a = t === 0 ? "" : tr.backPointers[(t - 1) * S + s]!;
      const cell = d === -Infinity ? "−∞" : `${d.toFixed(3)}${a === "" || a === -1 ? "" : `←${a}`}`;
      return cell.padStart(w);
    });
    out.push(`  ${String(t)}  ${cells.join("")}`);
  }
  out.push(`  (log δ_t(j) ← a_t(j), the index of the best previous state; path: ${tr.path.map((s) => tr.states[s] ?? lm.vocabulary[lm.bos]).join(" → ")})`);
  return out.join("\n");
}

/** Every root-to-depth-`steps` path of the tree with its probability (an enumeration independent of @hw/decoding). */
function treePaths(nodes: readonly TreeNodeData[], steps: number): { tokens: string[]; p: number }[] {
  if (steps === 0) return [{ tokens: [], p: 1 }];
  return nodes.flatMap((n) => treePaths(n.children ?? [], steps - 1).map((rest) => ({ tokens: [n.token, ...rest.tokens], p: n.prob * rest.p })));
}

/** Greedy by walking the tree (independent of @hw/decoding). */
function treeGreedy(nodes: readonly TreeNodeData[], steps: number): string[] {
  const out: string[] = [];
  let level = nodes;
  for (let t = 0; t < steps && level.length > 0; t++) {
    const best = level.reduce((a, b) => (b.prob > a.prob ? b : a));
    out.push(best.token);
    level = best.children ?? [];
  }
  return out;
}

/** Question 2 on data `q`. */
export function solveQ2(q: Q2Data): SectionResult {
  const checks: Check[] = [];
  const lines: string[] = [];

  // 2.1
  const { N, T } = q.count;
  const words = ["<BOS>", ...Array.from({ length: N - 1 }, (_, i) => `w${i + 1}`)];
  const uniform = languageModel({ vocabulary: words, logProbs: () => new Float64Array(N).fill(-Math.log(N)) });
  const enumerated = N ** T <= 200_000 ? exhaustiveSearch(uniform, T, { limit: 200_000 }).scored : undefined;
  lines.push(
    "2.1  Sequences of length T + 1 starting with <BOS>: each of w_1 … w_T is any of the N words, so N^T.",
    `     N = ${N}, T = ${T}: ${countSequences(N, T)};  N = 10,000, T = 10: ${countSequences(10_000, 10)} (10^40).`,
  );
  if (enumerated !== undefined) {
    checks.push({ name: "2.1 N^T = enumerated sequences", ok: BigInt(enumerated) === countSequences(N, T), detail: `countSequences(${N}, ${T}) = ${countSequences(N, T)}, enumeration scored ${enumerated}` });
  }

  // 2.2
  const m = q.markov;
  const lm = markovLM({ vocab: m.vocab, bos: m.bos, P: m.P });
  const steps = m.steps;
  const v = viterbi(lm, steps, { trellis: true });
  const ex = exhaustiveSearch(lm, steps);
  const best = v.sequences[0]!;
  const nV = lm.vocabulary.length;
  lines.push(
    "",
    `2.2  Viterbi on the Markov LM (${lm.vocabulary.join(", ")}), T = ${steps}:`,
    "     log δ_t(j) = max_i [log P_ij + log δ_{t−1}(i)],  a_t(j) = argmax_i […],  w*_T = argmax_j δ_T(j),  w*_t = a_{t+1}(w*_{t+1}).",
    trellisText(lm, v.trellis!, steps).replace(/^/gm, "   "),
    `     w* = ${key(best.tokens)}  (log p = ${fmt(best.logProb)})`,
    `     Operations: Viterbi T·N² = ${v.operations} cell updates (time O(TN²), space O(TN) = ${(steps + 1) * nV} δ + ${steps * nV} pointers);`,
    `     enumeration scores ${ex.scored} sequences × T = ${ex.scored * steps} additions (O(T·N^T)).`,
    "     2.2f: an RNN/GRU/LSTM LM conditions on the whole prefix (its state is not a function of w_{t−1}), so the recurrence",
    "     does not hold; Viterbi applies to n-gram LMs (state = last n − 1 words) and HMMs.",
  );
  checks.push({
    name: "2.2 Viterbi = exhaustive optimum",
    ok: key(best.tokens) === key(ex.sequences[0]!.tokens) && close(best.logProb, ex.sequences[0]!.logProb),
    detail: `Viterbi ${key(best.tokens)} ${fmt(best.logProb)} vs exhaustive ${key(ex.sequences[0]!.tokens)} ${fmt(ex.sequences[0]!.logProb)}`,
  });
  const tree = treeLM(q.tree.children, { bos: q.tree.bos });
  let refused = "";
  try {
    viterbi(tree, q.tree.steps);
  } catch (error) {
    refused = error instanceof TypeError ? "TypeError" : String(error);
  }
  checks.push({ name: "2.2f Viterbi refuses a non-Markov LM", ok: refused === "TypeError", detail: `viterbi(tree LM) threw ${refused || "nothing"}` });

  // 2.3
  const B = 3;
  const full = beamSearch(lm, { beamWidth: nV * nV, steps: 2 });
  const top = exhaustiveSearch(lm, 2, { topK: nV * nV });
  lines.push(
    "",
    "2.3  Beam search: each step scores B·N candidates s_b(j) = l_{t−1}^(b) + log p(w_t = j | w^(b)_{0:t−1}) and keeps the best B",
    `     (partial selection O(BN), or O(BN log BN) with a full sort). Time O(T·B·N), memory O(T·B): here B = ${B}, N = ${nV}, T = ${steps}`,
    `     → ${steps * B * nV} candidate scores, vs ${v.operations} Viterbi cells and N^T = ${countSequences(nV, steps)} sequences; linear in N.`,
  );
  checks.push({
    name: "2.3 beam search with B ≥ N^T = exhaustive top B",
    ok: full.sequences.length === top.sequences.length && full.sequences.every((s, k) => close(s.logProb, top.sequences[k]!.logProb)),
    detail: `B = ${nV * nV}, T = 2: ${full.sequences.length} beams vs ${top.sequences.length} sequences, best ${fmt(full.sequences[0]!.logProb)} = ${fmt(top.sequences[0]!.logProb)}`,
  });

  // 2.4
  const T4 = q.tree.steps;
  const g = greedyDecode(tree, T4).sequences[0]!;
  const b2 = beamSearch(tree, { beamWidth: 2, steps: T4 }).sequences;
  const b3 = beamSearch(tree, { beamWidth: 3, steps: T4 }).sequences;
  const opt = exhaustiveSearch(tree, T4).sequences[0]!;
  const paths = treePaths(q.tree.children, T4).sort((a, b) => b.p - a.p);
  const row = (name: string, s: DecodedSequence): string => `     ${name.padEnd(12)} ${key(s.tokens).padEnd(16)} log p = ${fmt(s.logProb)}  (p = ${Math.exp(s.logProb).toFixed(4)})`;
  lines.push(
    "",
    "2.4  The tree LM (Viterbi does not apply: the conditionals depend on the whole prefix):",
    row("optimum", opt),
    row("greedy", g),
    row("beam B = 2", b2[0]!),
    ...(b2[1] === undefined ? [] : [row("  2nd beam", b2[1])]),
    row("beam B = 3", b3[0]!),
    `     Greedy commits to the most likely first word '${g.tokens[0] ?? ""}'; beam B = 2 keeps two prefixes but can drop the prefix`,
    `     '${opt.tokens[0] ?? ""}' of the best sequence at step 1; B = 3 keeps it. Mitigations: larger B, length normalisation, diverse beam`,
    "     search (groups with a diversity penalty), sampling (temperature, top-k, top-p).",
  );
  const pathP = (tokens: readonly string[]) => paths.find((p) => key(p.tokens) === key(tokens))?.p ?? 0;
  const consistent = (s: DecodedSequence) => close(s.logProb, Math.log(pathP(s.tokens)));
  checks.push({
    name: "2.4a optimum = the best of every path (own enumeration of the tree)",
    ok: key(opt.tokens) === key(paths[0]!.tokens) && consistent(opt),
    detail: `${key(opt.tokens)} ${fmt(opt.logProb)} vs ${key(paths[0]!.tokens)} ln ${paths[0]!.p.toPrecision(4)} = ${fmt(Math.log(paths[0]!.p))} (${paths.length} paths)`,
  });
  const walk = treeGreedy(q.tree.children, T4);
  checks.push({ name: "2.4b greedy = walking the tree by the largest probability", ok: key(g.tokens) === key(walk) && consistent(g), detail: `${key(g.tokens)} ${fmt(g.logProb)} vs walk ${key(walk)}` });
  checks.push({
    name: "2.4c beam B = 2: log-probabilities are products along the tree, and it misses the optimum",
    ok: b2.every(consistent) && key(b2[0]!.tokens) !== key(opt.tokens),
    detail: b2.map((s) => `${key(s.tokens)} ${fmt(s.logProb)}`).join("; "),
  });
  checks.push({ name: "2.4d beam B = 3 finds the optimum", ok: key(b3[0]!.tokens) === key(opt.tokens) && close(b3[0]!.logProb, opt.logProb), detail: `${key(b3[0]!.tokens)} ${fmt(b3[0]!.logProb)}` });

  const seqJson = (s: DecodedSequence) => ({ tokens: [...s.tokens], logProb: s.logProb });
  return {
    text: lines.join("\n"),
    checks,
    data: {
      count: { N, T, value: Number(countSequences(N, T)) },
      viterbi: { ...seqJson(best), operations: v.operations },
      tree: { optimum: seqJson(opt), greedy: seqJson(g), beam2: b2.map(seqJson), beam3: b3.map(seqJson) },
    },
  };
}
