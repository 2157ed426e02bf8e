import { hwTsupConfig } from "../../tsup.shared";
import { writeJsonSchemas } from "../../tsup.schemas";

// `src/schema.ts` is its own entry (`@hw/<topic>/schema`): the JSON input formats as valibot schemas;
// after the build their JSON Schema files are written to dist/schemas/.
export default hwTsupConfig(import.meta.url, { entry: ["src/index.ts", "src/schema.ts"], onSuccess: writeJsonSchemas(import.meta.url) });
