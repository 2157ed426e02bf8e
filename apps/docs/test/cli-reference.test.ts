/**
 * The CLI reference page's data against the real `hw` binary: every command it lists exists and
 * `hw <command> --help` shows every flag it lists, and no command of the binary is missing.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliReference } from "../guide/cli-reference.data";

const CLI = fileURLToPath(new URL("../../cli/dist/cli.js", import.meta.url));
const helps = new Map<string, string>();
/** `hw … --help` of the built binary (once per command). */
function help(path: string): string {
  let text = helps.get(path);
  if (text === undefined) {
    text = execFileSync(process.execPath, [CLI, ...path.split(" ").slice(1), "--help"], { encoding: "utf8" });
    helps.set(path, text);
  }
  return text;
}

const reference = cliReference();

describe("the CLI reference data (guide/cli-reference.data.ts)", () => {
  it("starts at hw and lists the topic commands and their subcommands", () => {
    const paths = reference.commands.map((c) => c.path);
    expect(paths[0]).toBe("hw");
    for (const path of ["hw rnn", "hw decode", "hw norm", "hw dropout", "hw solve", "hw dropout expected-loss"]) expect(paths).toContain(path);
    expect(reference.commands.length).toBeGreaterThan(15);
  });

  it("lists every subcommand that `hw <command> --help` shows, recursively", () => {
    for (const cmd of reference.commands) {
      const text = help(cmd.path);
      const shown = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(text)?.[1] ?? "";
      const names = shown.split("\n").map((line) => /^ {2}([\w-]+)/.exec(line)?.[1]).filter((n) => n !== undefined && n !== "help");
      expect(cmd.subcommands.map((s) => s.split(" ").at(-1)).sort(), cmd.path).toEqual([...names].sort());
    }
  });

  it("shows each command's flags, defaults and examples as its --help does", () => {
    const dropout = reference.commands.find((c) => c.path === "hw dropout expected-loss")!;
    const seed = dropout.flags.find((f) => f.name === "seed")!;
    expect(seed.defaultValue).toBe("0");
    expect(dropout.usage).toBe("hw dropout expected-loss [options]");
    expect(dropout.flags.find((f) => f.name === "input")!.required).toBe(true);
    expect(dropout.helpAfter).toMatch(/^Examples:\n\s+\$ hw dropout expected-loss/);
    for (const cmd of reference.commands) {
      const text = help(cmd.path);
      for (const flag of cmd.flags) expect(text, `${cmd.path} ${flag.flags}`).toContain(flag.flags);
      if (cmd.helpAfter !== "") expect(text).toContain(cmd.helpAfter);
    }
  });
});
