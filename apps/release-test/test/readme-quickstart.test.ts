// Each published package's README quick-start (its first ```ts block) runs as written against the
// built workspace package, from ESM and from CommonJS `require`, and every value it documents with
// `// =>` is what the code computes (the rules are in src/quickstart.ts).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareDocumented, documentedAtoms, firstTypeScriptBlock, instrument } from "../src/quickstart.js";
import { runQuickstart } from "../src/run.js";
import { PUBLISHED } from "../src/packages.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// Inside this app's node_modules, so that `@hw/*` resolves to the workspace packages.
const OUT = fileURLToPath(new URL("../node_modules/.cache/quickstart/", import.meta.url));

describe.each(PUBLISHED)("the README quick-start of %s", (name) => {
  const dir = name.replace("@hw/", "");
  const block = firstTypeScriptBlock(readFileSync(`${ROOT}packages/${dir}/README.md`, "utf8"));
  const { lines } = instrument(block);

  it("documents values to compare", () => {
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.flatMap((l) => documentedAtoms(l.documented)).length).toBeGreaterThanOrEqual(3);
  });

  it("prints the documented values from ESM and from CommonJS require", async () => {
    const run = await runQuickstart(OUT, dir, block);
    expect(run.cjs).toEqual(run.esm);
    const problems = lines.map((l, i) => compareDocumented(l.documented, run.esm[i])).map((p, i) => (p === null ? null : `line ${lines[i]!.line}: ${p}`));
    expect(problems.filter((p) => p !== null)).toEqual([]);
  });
});
