import { describe, expect, it } from "vitest";
import { checkAnswers, generateVariant, mistakeValues, PARTS } from "./index";
import { createRng } from "@hw/tensor";

/** Perturb entry k (row-major over the numbers of an answer) by a factor. */
function perturb(value: unknown, k: number, factor: number): { value: unknown; done: boolean } {
  let i = 0;
  let done = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === "number") return i++ === k ? ((done = true), v * factor) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, walk(x)]));
    return v;
  };
  return { value: walk(value), done };
}

function countNumbers(value: unknown): number {
  if (typeof value === "number") return 1;
  if (Array.isArray(value)) return value.reduce((s: number, v) => s + countNumbers(v), 0);
  if (typeof value === "object" && value !== null) return Object.values(value).reduce((s: number, v) => s + countNumbers(v), 0);
  return 0;
}

describe("checkAnswers", () => {
  it("gives full marks to the key of 50 seeds, and a 1% change of any one entry makes exactly that part wrong", () => {
    const rng = createRng(2024);
    for (let seed = 1; seed <= 50; seed++) {
      const v = generateVariant(seed);
      const full = checkAnswers(v, v.key);
      expect(full.score, `seed ${seed}: ${full.parts.filter((p) => !p.correct).map((p) => p.message).join("; ")}`).toBe(full.maxScore);
      expect(full.maxScore).toBe(PARTS.length);
      for (const part of PARTS) {
        const n = countNumbers(v.key[part.id]);
        if (n === 0) continue;
        const k = Math.floor(rng.nextFloat64() * n);
        const changed = perturb(v.key[part.id], k, 1.01);
        const r = checkAnswers(v, { ...v.key, [part.id]: changed.value });
        const wrong = r.parts.filter((p) => !p.correct).map((p) => p.id);
        expect(wrong, `seed ${seed}, part ${part.id}, entry ${k}`).toEqual([part.id]);
      }
    }
  }, 240_000); // 50 variants × 22 parts: ~15 s alone, over a minute on a loaded 2-core machine

  it("recognises every mistake of the catalogue entered as numbers", () => {
    const seen = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const v = generateVariant(seed);
      for (const part of PARTS) {
        for (const m of mistakeValues(v.data, part)) {
          let answer: unknown = m.value;
          // Sequence mistakes give only the field that goes wrong: fill in the rest from the key.
          if (part.kind === "sequence") answer = { ...(v.key[part.id] as object), ...(m.value as object) };
          if (part.kind === "beams") answer = (v.key[part.id] as object[]).map((b, i) => ({ ...b, ...((m.value as object[])[i] ?? {}) }));
          const r = checkAnswers(v, { [part.id]: answer }).parts.find((p) => p.id === part.id)!;
          // A mistake that happens to give the right numbers for this variant is not a mistake here.
          if (r.status === "correct") continue;
          expect(r.status, `seed ${seed} ${part.id} ${m.id}: ${r.message}`).toBe("mistake");
          expect(r.mistake).toBe(m.id);
          seen.add(`${part.id}:${m.id}`);
        }
      }
    }
    for (const id of [
      "1.2.dLt_dhf:norm-instead-of-squared-norm",
      "1.2.dLt_dhf:missing-factor-2",
      "1.2.dLt_dhf:missing-output-transpose",
      "1.2.jac_f:missing-diag",
      "1.2.jac_f:transposed-jacobian",
      "1.3.dL_dWf:local-instead-of-total-gradient",
      "1.3.dL_dUb:wrong-recurrent-input",
      "3.1.var_batch:unbiased-variance",
      "3.1.mu_batch:pooled-wrong-axes",
      "3.3.dL_du:missing-projection",
      "4.2.lambda_dropout:drop-instead-of-keep-probability",
      "4.2.p_w_dropout:drop-instead-of-keep-probability",
      "2.4a.optimum:greedy-as-optimum",
    ]) {
      expect(seen.has(id), id).toBe(true);
    }
  });

  it("turns unknown ids, malformed values and missing parts into verdicts", () => {
    const v = generateVariant("original");
    const r = checkAnswers(v, { "1.2.jac": [1], "3.1.mu_batch": "2.5", "3.1.var_batch": [1, [2]], "2.2.viterbi": 3, "2.1.count": { formula: "N^(" } });
    const by = (id: string) => r.parts.find((p) => p.id === id)!;
    expect(by("1.2.jac").status).toBe("unknown-part");
    expect(by("1.2.jac").message).toMatch(/did you mean 1\.2\.jac_[fb]\?/);
    expect(by("3.1.mu_batch").status).toBe("invalid");
    expect(by("3.1.var_batch").status).toBe("invalid");
    expect(by("2.2.viterbi").status).toBe("invalid");
    expect(by("2.1.count").status).toBe("invalid");
    expect(by("2.1.count").message).toMatch(/cannot parse/);
    expect(by("4.3.w_l2").status).toBe("missing");
    expect(r.score).toBe(0);
  });

  it("gives wrong shapes their own verdict, partial credit for sequences and honours weights and tolerances", () => {
    const v = generateVariant(5);
    const mu = v.key["3.1.mu_batch"] as number[];
    const shape = checkAnswers(v, { "3.1.mu_batch": [...mu, 1] }).parts[PARTS.findIndex((p) => p.id === "3.1.mu_batch")]!;
    expect(shape.status).toBe("wrong-shape");
    expect(shape.message).toContain("C = 2");
    const seq = v.key["2.2.viterbi"] as { tokens: string[]; logProb: number };
    const half = checkAnswers(v, { "2.2.viterbi": seq.tokens }, { parts: { "2.2.viterbi": { weight: 4 } } });
    const p = half.parts.find((x) => x.id === "2.2.viterbi")!;
    expect([p.score, p.maxScore, p.status]).toEqual([2, 4, "partial"]);
    const rounded = mu.map((x) => Number(x.toPrecision(4)));
    expect(checkAnswers(v, { "3.1.mu_batch": rounded }).parts.find((x) => x.id === "3.1.mu_batch")!.correct).toBe(true);
    expect(checkAnswers(v, { "3.1.mu_batch": mu.map((x) => x * 1.002) }, { parts: { "3.1.mu_batch": { rtol: 1e-2 } } }).parts.find((x) => x.id === "3.1.mu_batch")!.correct).toBe(true);
    expect(() => checkAnswers(v, {}, { rtoll: 1 } as never)).toThrow(/checkAnswers: unknown option `rtoll` — did you mean `rtol`\?/);
  });
});
