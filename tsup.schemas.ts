// After a package's build, write the JSON Schema of every input format its `src/schema.ts`
// declares (`export const schemas = { name: valibotSchema }`) to `dist/schemas/<name>.schema.json`,
// generated with @valibot/to-json-schema. Checks that JSON Schema cannot express (shapes that
// depend on other fields, e.g. Uf is H×H where H = rows of Wf) stay in the valibot schema only.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The public URL of a shipped schema file (unpkg serves every published file of a version). */
export function schemaUrl(packageName: string, version: string, name: string): string {
  return `https://unpkg.com/${packageName}@${version}/dist/schemas/${name}.schema.json`;
}

/** tsup `onSuccess` hook for the package whose tsup.config.ts has URL `configUrl`. */
export function writeJsonSchemas(configUrl: string): () => Promise<void> {
  return async () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", configUrl), "utf8")) as { name: string; version: string };
    const mod = (await import(`${pathToFileURL(fileURLToPath(new URL("dist/schema.js", configUrl))).href}?t=${Date.now()}`)) as {
      schemas: Record<string, unknown>;
    };
    // Resolved from the package (its devDependency), not from this root file.
    const { toJsonSchema } = createRequire(configUrl)("@valibot/to-json-schema") as {
      toJsonSchema: (schema: unknown, config: { errorMode: "ignore" }) => Record<string, unknown>;
    };
    const dir = new URL("dist/schemas/", configUrl);
    mkdirSync(dir, { recursive: true });
    for (const [name, schema] of Object.entries(mod.schemas)) {
      const json = { ...toJsonSchema(schema, { errorMode: "ignore" }), $id: schemaUrl(pkg.name, pkg.version, name), title: `${pkg.name} ${name}` };
      writeFileSync(new URL(`${name}.schema.json`, dir), `${JSON.stringify(json, null, 2)}\n`);
    }
  };
}
