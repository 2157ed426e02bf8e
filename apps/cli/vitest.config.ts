import { hwVitestConfig } from "../../vitest.shared.ts";

// The bin tests spawn dist/cli.js, which turbo builds before `test` (see turbo.json here).
export default hwVitestConfig(import.meta.dirname);
