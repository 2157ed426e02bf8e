import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORMULA_FUNCTIONS, PARTS } from "./index";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists every part, its reference formula and its whole mistake catalogue", () => {
    for (const p of PARTS) {
      expect(readme).toContain(`| \`${p.id}\` |`);
      if (p.formula !== undefined) expect(readme).toContain(`\`${p.formula.answer.replace(/\|/g, "\\|")}\``);
      for (const m of p.mistakes) expect(readme, `${p.id} ${m.id}`).toMatch(new RegExp(`\\| \`${p.id.replace(/\./g, "\\.")}\` \\| \`${m.id}\` \\|`));
    }
  });
  it("names every formula function", () => {
    for (const f of FORMULA_FUNCTIONS) expect(readme).toContain(f);
  });
});
