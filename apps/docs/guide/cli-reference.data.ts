/**
 * The CLI reference, read at build time from the built `hw` itself: `commandReference()` of
 * apps/cli/dist/reference.js walks the same `createProgram()` tree that runs, so the page cannot
 * drift from the command. turbo builds @hw/cli before the docs (a devDependency).
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CommandReference } from "../../cli/src/reference";

export type { CommandReference };

const REFERENCE = fileURLToPath(new URL("../../cli/dist/reference.js", import.meta.url));

export interface CliReferenceData {
  readonly commands: readonly CommandReference[];
}

/** Every command of `hw`, depth first, from the built CLI. */
export async function cliReference(): Promise<CliReferenceData> {
  if (!existsSync(REFERENCE)) throw new Error(`cli-reference: ${REFERENCE} is missing (build @hw/cli first)`);
  const mod = (await import(pathToFileURL(REFERENCE).href)) as { commandReference: () => CommandReference[] };
  return { commands: mod.commandReference() };
}

export default {
  watch: [REFERENCE],
  load: cliReference,
};

export declare const data: CliReferenceData;
