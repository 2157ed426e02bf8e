import { hwVitestConfig } from "../../vitest.shared.ts";

// `pnpm test:release`: the whole release path against a local Verdaccio (release/*.test.ts). Its JSON
// report is reports/vitest-release.json, which .ci/summary.mjs adds to the other suites' counts.
export default hwVitestConfig(import.meta.dirname, {
  include: ["release/**/*.test.ts"],
  outputFile: { json: "reports/vitest-release.json" },
  testTimeout: 600_000,
  hookTimeout: 1_800_000,
});
