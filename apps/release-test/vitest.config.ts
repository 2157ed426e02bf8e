import { hwVitestConfig } from "../../vitest.shared.ts";

// The README tests run the built packages (turbo builds them first: `test` depends on `^build`).
export default hwVitestConfig(import.meta.dirname);
