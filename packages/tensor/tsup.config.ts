import { hwTsupConfig } from "../../tsup.shared";

export default hwTsupConfig(import.meta.url, { entry: ["src/index.ts", "src/testing.ts", "src/kernels.ts", "src/schema.ts"] });
