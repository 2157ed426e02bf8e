/**
 * The CLI reference, read at build time from the `hw` program's own commander tree
 * (apps/cli/src/program.ts `createProgram`), so the page cannot drift from the command.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { createProgram } from "../../cli/src/program";
import { referenceOf, type CommandReference } from "../.vitepress/theme/cli-reference";

export interface CliReferenceData {
  readonly version: string;
  readonly commands: readonly CommandReference[];
}

/** The reference of `hw` (its version is injected by tsup in the real build; here from package.json). */
export function cliReference(): CliReferenceData {
  const pkg = JSON.parse(readFileSync(new URL("../../cli/package.json", import.meta.url), "utf8")) as { version: string };
  const scope = globalThis as { __HW_VERSION__?: string };
  scope.__HW_VERSION__ ??= pkg.version;
  let printed = "";
  const buffer = {
    stdout: (text: string) => {
      printed += text;
    },
    stderr: () => undefined,
  };
  const fullHelp = (cmd: Command): string => {
    printed = "";
    cmd.outputHelp();
    return printed;
  };
  return { version: pkg.version, commands: referenceOf(createProgram(buffer), fullHelp) };
}

export default {
  watch: ["../../cli/src/**/*.ts"],
  load: cliReference,
};

export declare const data: CliReferenceData;
