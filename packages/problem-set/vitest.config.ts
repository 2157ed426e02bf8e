import { hwVitestConfig } from "../../vitest.shared";

export default hwVitestConfig(import.meta.dirname);
