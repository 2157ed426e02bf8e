import { defineConfig } from "vitest/config";

// The browser tests: they need the built site (.vitepress/dist) and Debian's /usr/bin/chromium.
export default defineConfig({
  test: {
    name: "docs-e2e",
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest-e2e.json" },
  },
});
