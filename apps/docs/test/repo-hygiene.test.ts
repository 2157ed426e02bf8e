/**
 * Repository hygiene of issue 12 that no compiler checks: Vitest configs that Vite's native config
 * loader accepts (relative imports with their file extension; each missing one printed a warning on
 * every test run) and pnpm's "update available" box switched off.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Every vitest config of the repository: the root's and those of packages/* and apps/*. */
function vitestConfigs(): string[] {
  const configs = readdirSync(ROOT).filter((f) => /^vitest\..*ts$/.test(f));
  for (const group of ["packages", "apps"]) {
    for (const dir of readdirSync(join(ROOT, group))) {
      for (const f of readdirSync(join(ROOT, group, dir))) if (/^vitest\..*ts$/.test(f)) configs.push(`${group}/${dir}/${f}`);
    }
  }
  return configs.sort();
}

/** The relative import specifiers of a module without a file extension. */
const extensionless = (source: string): string[] =>
  [...source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!).filter((spec) => !/\.[cm]?[jt]s$/.test(spec));

describe("repository configuration", () => {
  it("every vitest config imports relative modules with their extension (no native-loader warning)", () => {
    const configs = vitestConfigs();
    expect(configs).toContain("packages/tensor/vitest.config.ts");
    expect(configs).toContain("apps/docs/vitest.config.ts");
    const bad = configs.flatMap((f) => extensionless(readFileSync(join(ROOT, f), "utf8")).map((spec) => `${f}: ${spec}`));
    expect(bad).toEqual([]);
  });

  it("the check sees an extensionless import", () => {
    expect(extensionless('import { hwVitestConfig } from "../../vitest.shared";')).toEqual(["../../vitest.shared"]);
    expect(extensionless('import { hwVitestConfig } from "../../vitest.shared.ts";')).toEqual([]);
  });

  it(".npmrc switches pnpm's update notifier off", () => {
    expect(readFileSync(join(ROOT, ".npmrc"), "utf8")).toMatch(/^update-notifier=false$/m);
  });
});
