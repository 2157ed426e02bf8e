import { hwVitestConfig } from "../../vitest.shared.ts";

// Unit tests of the docs' own code. The browser tests (*.e2e.ts) run with vitest.e2e.config.ts.
export default hwVitestConfig(import.meta.dirname, { include: ["test/**/*.test.ts", "e2e/**/*.test.ts", ".vitepress/**/*.test.ts"] });
