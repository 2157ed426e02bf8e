// The numbers typed into the Question 1–3 pages (inside TeX, so a demo cannot supply them) are
// recomputed here with the packages and must appear on the page exactly as printed: a change in a
// library that moves one of them fails this test instead of leaving the page stale.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beamSearch, exampleMarkov, exampleTree, exhaustiveSearch, greedyDecode, viterbi } from "@hw/decoding";
import { batchNorm, instanceNorm, layerNorm, problemTensor, whitenedBatchNormEqualsWeightNorm } from "@hw/normalization";
import { generateVariant } from "@hw/problem-set";
import { bptt } from "@hw/rnn";
import { variance, type Tensor } from "@hw/tensor";
import { describe, expect, it } from "vitest";

const page = (name: string): string => readFileSync(fileURLToPath(new URL(`../questions/${name}.md`, import.meta.url)), "utf8");
const values = (t: Tensor): number[] => Array.from(t.contiguous().data as Float64Array);
/** `2.5833`, `2.5`, `2` — four decimals without trailing zeros, as the Question 3 page prints them. */
const short = (v: number): string => String(Number(v.toFixed(4)));
/** A TeX matrix row as the Question 1 page prints it: six decimals, `\phantom{-}` before non-negatives. */
const texRow = (row: readonly number[]): string => row.map((v) => (v < 0 ? "" : "\\phantom{-}") + v.toFixed(6)).join(" & ");

describe("questions/q1-rnn.md", () => {
  const text = page("q1-rnn");
  const q1 = generateVariant("original").data.q1;
  const { Wf, Uf, Vf, Wb, Ub, Vb, hfInit, hbInit, x, z } = q1;
  const r = bptt({ Wf, Uf, Vf, Wb, Ub, Vb }, x, z, { hfInit, hbInit });

  it("prints bptt's loss and the gradients of W(f) and U(b) for the built-in example", () => {
    expect(text).toContain(`$L = ${r.loss.toFixed(6)}$`);
    for (const name of ["Wf", "Ub"] as const) {
      const g = r.grads[name].toArray() as number[][];
      for (const row of g) expect(text, `∇${name} row ${texRow(row)}`).toContain(texRow(row));
    }
  });
});

describe("questions/q2-decoding.md", () => {
  const text = page("q2-decoding");
  const lnText = (logProb: number) => logProb.toFixed(6);

  it("prints Viterbi's and greedy decoding's results on the weather chain for T = 3", () => {
    const v = viterbi(exampleMarkov, 3).sequences[0]!;
    const g = greedyDecode(exampleMarkov, 3).sequences[0]!;
    expect(v.tokens.join(" ")).toBe("cloud rain rain");
    expect(g.tokens.join(" ")).toBe("sun sun sun");
    expect(text).toContain(`*${v.tokens.join(" ")}* ($\\log p = \\ln ${Number(Math.exp(v.logProb).toFixed(4))} = ${lnText(v.logProb)}$)`);
    expect(text).toContain(`*${g.tokens.join(" ")}* ($\\ln ${Number(Math.exp(g.logProb).toFixed(4))} = ${lnText(g.logProb)}$)`);
  });

  it("prints the exhaustive, greedy and beam (B = 2) answers of 2.3 on the tree LM", () => {
    const best = exhaustiveSearch(exampleTree, 3).sequences[0]!;
    const greedy = greedyDecode(exampleTree, 3).sequences[0]!;
    const beam = beamSearch(exampleTree, 3, { beamWidth: 2 }).sequences;
    expect(best.tokens.join(" ")).toBe("red fox ran");
    expect(text).toContain(`p = 0.2 \\times 0.95 \\times 0.95 = ${Number(Math.exp(best.logProb).toFixed(4))},\\quad \\log p = ${lnText(best.logProb)}`);
    expect(greedy.tokens.join(" ")).toBe("the cat is");
    expect(text).toContain(`$p = ${Number(Math.exp(greedy.logProb).toFixed(4))}$, $\\log p = ${lnText(greedy.logProb)}$`);
    expect(beam.map((s) => s.tokens.join(" "))).toEqual(["a red fox", "a red car"]);
    expect(text).toContain(`*a red fox* ($p = ${Number(Math.exp(beam[0]!.logProb).toFixed(4))}$,\n$\\log p = ${lnText(beam[0]!.logProb)}$)`);
    expect(text).toContain(`*a red car* ($${Number(Math.exp(beam[1]!.logProb).toFixed(4))}$, $${lnText(beam[1]!.logProb)}$)`);
  });
});

describe("questions/q3-normalization.md", () => {
  const text = page("q3-normalization");
  const x = problemTensor();

  it("prints the batch, layer and instance moments of the problem's tensor", () => {
    const bn = batchNorm(x);
    const ln = layerNorm(x, x.shape.slice(1));
    const inorm = instanceNorm(x);
    const list = (t: Tensor) => values(t).map(short).join(",\\ ");
    expect(text).toContain(`\\mu_{\\text{batch}} = [${list(bn.mean)}],\\qquad \\sigma^2_{\\text{batch}} = [${list(bn.variance)}]`);
    expect(text).toContain(`\\mu_{\\text{layer}} = [${list(ln.mean)}],\\qquad \\sigma^2_{\\text{layer}} = [${list(ln.variance)}]`);
    const matrix = (t: Tensor) => (t.toArray() as number[][]).map((row) => row.map(short).join(" & ")).join("\\\\ ");
    expect(text).toContain(`\\mu_{\\text{instance}} = \\begin{bmatrix}${matrix(inorm.mean)}\\end{bmatrix}`);
    expect(text).toContain(`\\sigma^2_{\\text{instance}} = \\begin{bmatrix}${matrix(inorm.variance)}\\end{bmatrix}`);
  });

  it("prints the unbiased batch variances of the n − 1 mistake", () => {
    const unbiased = values(variance(x, [0, 2], { correction: 1 })).map(short).join(", ");
    expect(text).toContain(`$\\sigma^2_{\\text{batch}} = [${unbiased}]$`);
  });

  it("prints the whitened-samples table of 3.2 (seed 3)", () => {
    const demo = whitenedBatchNormEqualsWeightNorm({ u: [1, -2, 0.5], gamma: 1.5, beta: 0.25, sizes: [100, 10_000, 1_000_000], seed: 3 });
    const sci = (v: number) => {
      const [m, e] = v.toExponential(1).split("e");
      return `$${m}\\times10^{${Number(e)}}$`;
    };
    for (const row of demo.rows) {
      const n = row.n.toLocaleString("en-US").replace(/,/g, " ");
      const signed = (v: number) => v.toFixed(4).replace("-", "−");
      expect(text).toContain(`| ${n} | ${signed(row.meanY)} | ${signed(row.varianceY)} | ${sci(row.rmsError)} |`);
    }
  });
});
