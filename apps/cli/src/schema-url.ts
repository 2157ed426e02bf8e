/** Where the JSON Schema of an input format lives, and its text (as shipped in the topic packages). */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { versions } from "./versions";

/** The public URL of a schema file shipped in `dist/schemas/` of `packageName` (its installed version). */
export function schemaUrl(packageName: string, name: string): string {
  return `https://unpkg.com/${packageName}@${versions()[packageName] ?? "latest"}/dist/schemas/${name}.schema.json`;
}

/** The JSON Schema of a valibot schema, as the package's build writes it to `dist/schemas/<name>.schema.json`. */
export function jsonSchemaOf(schema: v.GenericSchema, packageName: string, name: string): Record<string, unknown> {
  return { ...toJsonSchema(schema, { errorMode: "ignore" }), $id: schemaUrl(packageName, name), title: `${packageName} ${name}` };
}
