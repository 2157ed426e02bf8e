// Shared Vitest settings for every package and app: each writes a JSON report that `.ci/run` sums.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type ViteUserConfig } from "vitest/config";

type TestOptions = NonNullable<ViteUserConfig["test"]>;

/** Vitest config for the package in `dir`: its version is injected as `__HW_VERSION__`, as tsup does. */
export function hwVitestConfig(dir: string, extra: TestOptions = {}): ViteUserConfig {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string };
  return defineConfig({
    define: { __HW_VERSION__: JSON.stringify(pkg.version) },
    test: {
      name: pkg.name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      reporters: ["default", "json"],
      outputFile: { json: "reports/vitest.json" },
      // Timeouts only catch hangs (speed is measured by benchmarks): generous, since turbo runs every
      // package's suite at once on a 2-core machine.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...extra,
    },
  });
}
