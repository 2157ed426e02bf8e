import { hwVitestConfig } from "../../vitest.shared.ts";

export default hwVitestConfig(import.meta.dirname);
