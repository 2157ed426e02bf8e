/** Question 2 of `hw solve` (moving to @hw/problem-set). */
import {
  beamSearch,
  countSequences,
  exampleMarkov,
  exampleTree,
  exhaustiveSearch,
  greedyDecode,
  languageModel,
  viterbi,
  type DecodedSequence,
  type TreeNode,
} from "@hw/decoding";
import type { Check, SolveSection } from "../../solve/section";
import { trellisText } from "./format";

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v));

// ------------------------------------------------------------------------------------------------
// hw solve, Question 2

const close = (a: number, b: number, rtol = 1e-12): boolean => Math.abs(a - b) <= rtol * Math.abs(b);

function treePathProb(tokens: readonly string[]): number {
  let nodes: readonly TreeNode[] | undefined = exampleTree.children;
  let p = 1;
  for (const t of tokens) {
    const node: TreeNode | undefined = nodes?.find((c) => c.token === t);
    if (node === undefined) return 0;
    p *= node.prob;
    nodes = node.children;
  }
  return p;
}

function runDecodeSection(): { text: string; checks: Check[]; data: unknown } {
  const checks: Check[] = [];
  const lines: string[] = [];

  // 2.1
  const N = 5;
  const T = 4;
  const uniform = languageModel({
    vocabulary: ["<BOS>", "a", "b", "c", "d"],
    logProbs: () => new Float64Array(N).fill(-Math.log(N)),
  });
  const enumerated = exhaustiveSearch(uniform, T).scored;
  const big = countSequences(10_000, 10);
  lines.push(
    "2.1  Sequences of length T + 1 starting with <BOS>: each of w_1 … w_T is any of the N words, so N^T.",
    `     N = ${N}, T = ${T}: ${countSequences(N, T)};  N = 10,000, T = 10: ${big} (10^40).`,
  );
  checks.push({ name: "2.1 N^T = enumerated sequences", ok: BigInt(enumerated) === countSequences(N, T), detail: `countSequences(${N}, ${T}) = ${countSequences(N, T)}, enumeration scored ${enumerated}` });

  // 2.2
  const lm = exampleMarkov;
  const steps = 4;
  const v = viterbi(lm, steps, { trellis: true });
  const ex = exhaustiveSearch(lm, steps);
  const best = v.sequences[0]!;
  const nV = lm.vocabulary.length;
  lines.push(
    "",
    `2.2  Viterbi on the built-in Markov LM (${lm.vocabulary.join(", ")}), T = ${steps}:`,
    "     log δ_t(j) = max_i [log P_ij + log δ_{t−1}(i)],  a_t(j) = argmax_i […],  w*_T = argmax_j δ_T(j),  w*_t = a_{t+1}(w*_{t+1}).",
    trellisText(lm, v.trellis!, steps).replace(/^/gm, "   "),
    `     w* = ${best.tokens.join(" ")}  (log p = ${fmt(best.logProb)})`,
    `     Operations: Viterbi T·N² = ${v.operations} cell updates (time O(TN²), space O(TN) = ${(steps + 1) * nV} δ + ${steps * nV} pointers);`,
    `     enumeration scores ${ex.scored} sequences × T = ${ex.scored * steps} additions (O(T·N^T)).`,
    "     2.2f: an RNN/GRU/LSTM LM conditions on the whole prefix (its state is not a function of w_{t−1}), so the recurrence",
    "     does not hold; Viterbi applies to n-gram LMs (state = last n − 1 words) and HMMs.",
  );
  checks.push({
    name: "2.2 Viterbi = exhaustive optimum",
    ok: best.tokens.join(" ") === ex.sequences[0]!.tokens.join(" ") && close(best.logProb, ex.sequences[0]!.logProb),
    detail: `Viterbi ${best.tokens.join(" ")} ${fmt(best.logProb)} vs exhaustive ${ex.sequences[0]!.tokens.join(" ")} ${fmt(ex.sequences[0]!.logProb)}`,
  });
  let refused = "";
  try {
    viterbi(exampleTree, 3);
  } catch (error) {
    refused = error instanceof TypeError ? "TypeError" : String(error);
  }
  checks.push({ name: "2.2f Viterbi refuses a non-Markov LM", ok: refused === "TypeError", detail: `viterbi(exampleTree) threw ${refused || "nothing"}` });

  // 2.3
  const B = 3;
  const beamOps = steps * B * nV;
  const full = beamSearch(lm, { beamWidth: 25, steps: 2 });
  const top25 = exhaustiveSearch(lm, 2, { topK: 25 });
  lines.push(
    "",
    "2.3  Beam search: each step scores B·N candidates s_b(j) = l_{t−1}^(b) + log p(w_t = j | w^(b)_{0:t−1}) and keeps the best B",
    `     (partial selection O(BN), or O(BN log BN) with a full sort). Time O(T·B·N), memory O(T·B): here B = ${B}, N = ${nV}, T = ${steps}`,
    `     → ${beamOps} candidate scores, vs ${v.operations} Viterbi cells and N^T = ${countSequences(nV, steps)} sequences; linear in N.`,
  );
  checks.push({
    name: "2.3 beam search with B ≥ N^T = exhaustive top B",
    ok: full.sequences.length === top25.sequences.length && full.sequences.every((s, k) => close(s.logProb, top25.sequences[k]!.logProb)),
    detail: `B = 25, T = 2: ${full.sequences.length} beams vs ${top25.sequences.length} sequences, best ${fmt(full.sequences[0]!.logProb)} = ${fmt(top25.sequences[0]!.logProb)}`,
  });

  // 2.4
  const g = greedyDecode(exampleTree, 3).sequences[0]!;
  const b2 = beamSearch(exampleTree, { beamWidth: 2, steps: 3 }).sequences;
  const b3 = beamSearch(exampleTree, { beamWidth: 3, steps: 3 }).sequences;
  const opt = exhaustiveSearch(exampleTree, 3).sequences[0]!;
  const row = (name: string, s: DecodedSequence): string => `     ${name.padEnd(12)} ${s.tokens.join(" ").padEnd(14)} log p = ${fmt(s.logProb)}  (p = ${Math.exp(s.logProb).toFixed(4)})`;
  lines.push(
    "",
    "2.4  The example tree LM (Viterbi does not apply: the conditionals depend on the whole prefix):",
    row("optimum", opt),
    row("greedy", g),
    row("beam B = 2", b2[0]!),
    row("beam B = 3", b3[0]!),
    "     Greedy commits to 'the' (0.5) and beam B = 2 keeps 'the'/'a' but drops 'red' (0.2) at step 1, whose continuation",
    "     'fox ran' (0.95 · 0.95) is the best; B = 3 keeps it. Mitigations: larger B, length normalisation, diverse beam",
    "     search (groups with a diversity penalty), sampling (temperature, top-k, top-p).",
  );
  const want = (tokens: string[], s: DecodedSequence, name: string): Check => {
    const p = treePathProb(tokens);
    return {
      name,
      ok: s.tokens.join(" ") === tokens.join(" ") && close(s.logProb, Math.log(p)),
      detail: `${s.tokens.join(" ")} ${fmt(s.logProb)} vs ${tokens.join(" ")} ln ${p.toPrecision(4)} = ${fmt(Math.log(p))} (product of the tree's probabilities)`,
    };
  };
  checks.push(want(["red", "fox", "ran"], opt, "2.4a optimum"));
  checks.push(want(["the", "cat", "is"], g, "2.4b greedy"));
  checks.push(want(["a", "red", "fox"], b2[0]!, "2.4c beam B = 2"));
  checks.push(want(["red", "fox", "ran"], b3[0]!, "2.4d beam B = 3 finds the optimum"));

  return {
    text: lines.join("\n"),
    checks,
    data: {
      count: { N, T, value: countSequences(N, T) },
      viterbi: { tokens: best.tokens, logProb: best.logProb, operations: v.operations },
      tree: { optimum: opt, greedy: g, beam2: b2, beam3: b3 },
    },
  };
}

/** Question 2 of `hw solve`. */
export const decodeSection: SolveSection = {
  id: "2",
  title: "Decoding a language model",
  run: runDecodeSection,
};
