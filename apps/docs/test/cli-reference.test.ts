/**
 * The CLI reference page's data (commandReference() of the built CLI) against the real `hw` binary:
 * `hw <command> --help` shows every subcommand, flag and example the page lists, and the page's
 * example inputs are valid for their own JSON Schemas' required fields.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { cliReference, type CommandReference } from "../guide/cli-reference.data";

const CLI = fileURLToPath(new URL("../../cli/dist/cli.js", import.meta.url));

const run = promisify(execFile);
const helps = new Map<string, string>();
/** `hw … --help` of the built binary, read once per command before the tests. */
function help(cmd: CommandReference): string {
  const text = helps.get(cmd.path.join(" "));
  if (text === undefined) throw new Error(`cli-reference test: no --help read for "hw ${cmd.path.join(" ")}"`);
  return text;
}

let commands: readonly CommandReference[] = [];
beforeAll(async () => {
  commands = (await cliReference()).commands;
  // One process per command, a few at a time: run one after another they outlast the test timeout on a busy machine.
  const queue = [...commands];
  const worker = async (): Promise<void> => {
    for (let cmd = queue.shift(); cmd !== undefined; cmd = queue.shift()) {
      const { stdout } = await run(process.execPath, [CLI, ...cmd.path, "--help"], { encoding: "utf8" });
      helps.set(cmd.path.join(" "), stdout);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}, 300_000);

describe("the CLI reference data (guide/cli-reference.data.ts)", () => {
  it("starts at hw and lists the topic commands and their subcommands", () => {
    const paths = commands.map((c) => c.path.join(" "));
    expect(paths[0]).toBe("");
    for (const path of ["rnn", "decode", "norm", "dropout", "solve", "dropout expected-loss"]) expect(paths).toContain(path);
    expect(commands.length).toBeGreaterThan(15);
  });

  it("lists every subcommand that `hw <command> --help` shows, recursively", () => {
    for (const cmd of commands) {
      const shown = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(help(cmd))?.[1] ?? "";
      const names = shown.split("\n").map((line) => /^ {2}([\w-]+)/.exec(line)?.[1]).filter((n) => n !== undefined && n !== "help");
      const listed = commands.filter((c) => c.path.length === cmd.path.length + 1 && cmd.path.every((p, i) => c.path[i] === p));
      expect(listed.map((c) => c.path.at(-1)).sort(), cmd.path.join(" ")).toEqual([...names].sort());
    }
  });

  it("every flag and example it lists is in the command's --help; every command's example input has its schema's required fields", () => {
    for (const cmd of commands) {
      const text = help(cmd);
      for (const flag of cmd.options) expect(text, `hw ${cmd.path.join(" ")} ${flag.flags}`).toContain(flag.flags);
      for (const example of cmd.examples) expect(text).toContain(`$ ${example}`);
      if (cmd.inputSchema !== null) {
        expect(cmd.exampleInput, cmd.path.join(" ")).not.toBeNull();
        const required = (cmd.inputSchema.required ?? []) as string[];
        for (const field of required) expect(Object.keys(cmd.exampleInput!), `${cmd.path.join(" ")}: ${field}`).toContain(field);
      }
    }
    expect(commands.filter((c) => c.inputSchema !== null).length).toBeGreaterThan(10);
  });
});
