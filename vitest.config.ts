import { defineConfig } from "vitest/config";

// Local convenience: `pnpm vitest` at the root runs every package and app as one project each.
export default defineConfig({
  test: { projects: ["packages/*", "apps/cli"] },
});
