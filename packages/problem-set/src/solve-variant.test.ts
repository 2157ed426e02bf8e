import { describe, expect, it } from "vitest";
import { formatSolution, intervalCheck, solveVariant } from "./index";

describe("solveVariant", () => {
  it("works and verifies the original and a generated variant", () => {
    for (const seed of ["original", 7] as const) {
      const reports = solveVariant(seed);
      expect(reports.map((r) => r.id)).toEqual(["1", "2", "3", "4"]);
      for (const r of reports) expect(r.status, `${seed} Q${r.id}: ${r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join("; ")}`).toBe("verified");
    }
  }, 120_000);

  it("formats text, Markdown and LaTeX", () => {
    const reports = solveVariant("original", { questions: ["2"] });
    expect(formatSolution(reports, "text")).toContain("Question 2 — Decoding a language model");
    expect(formatSolution(reports, "markdown")).toMatch(/^# Worked solution — variant original\n\n## Question 2/);
    const tex = formatSolution(reports, "latex");
    expect(tex).toMatch(/^\\documentclass\{article\}/);
    expect(tex.trimEnd().endsWith("\\end{document}")).toBe(true);
    expect(() => solveVariant("original", { questions: ["5"] })).toThrow(/solveVariant: no question 5/);
  });

  it("never passes a check that misses its stated interval", () => {
    expect(intervalCheck("x", 5, [1, 4], "the interval").ok).toBe(false);
    expect(intervalCheck("x", 5, [1, 4], "the interval").detail).toBe("5 OUTSIDE the interval [1, 4]");
    expect(intervalCheck("x", 2, [1, 4], "the interval").ok).toBe(true);
    // Q4.1 in the worked solution: the check's verdict agrees with the interval it prints.
    const q4 = solveVariant("original", { questions: ["4"] })[0]!;
    for (const c of q4.checks.filter((x) => /interval/.test(x.name))) {
      const m = /(\S+) (inside|OUTSIDE) .*\[(\S+), (\S+)\]$/.exec(c.detail)!;
      const [v, lo, hi] = [Number(m[1]), Number(m[3]), Number(m[4])];
      expect(c.ok).toBe(lo <= v && v <= hi);
      expect(c.ok).toBe(m[2] === "inside");
    }
  }, 60_000);
});
