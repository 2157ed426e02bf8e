/**
 * The CLI reference page's data, read from commander's own command tree (so the page lists exactly
 * the commands, flags and defaults that `hw` has). Plain data: it is computed at build time by
 * guide/cli-reference.data.ts and rendered by CliReference.vue.
 */
import type { Command } from "commander";

export interface FlagReference {
  /** As written in the help: "-o, --out <file>". */
  readonly flags: string;
  /** The long name without dashes ("out"), or the short one when there is no long name. */
  readonly name: string;
  readonly description: string;
  /** The default as the help shows it, or null. */
  readonly defaultValue: string | null;
  readonly required: boolean;
  /** Allowed values, when the flag has a fixed list. */
  readonly choices: readonly string[] | null;
}

export interface CommandReference {
  /** Full path: "hw rnn grad". */
  readonly path: string;
  readonly description: string;
  /** "hw rnn grad [options]". */
  readonly usage: string;
  readonly flags: readonly FlagReference[];
  /** The commands below this one (their own entries follow it in the list). */
  readonly subcommands: readonly string[];
  /** The text shown after the help (the examples), or "". */
  readonly helpAfter: string;
}

/** A default as the help would show it: strings as typed, anything else as JSON. */
function defaultOf(value: unknown, description: string | undefined): string | null {
  if (description !== undefined) return description;
  if (value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Every command of the tree, depth first (the root first), with its flags. `fullHelp(cmd)` prints the
 * command's whole help (`cmd.outputHelp()` into a buffer); what follows the generated part is the text
 * added with `addHelpText("after", …)`: the examples.
 */
export function referenceOf(root: Command, fullHelp: (cmd: Command) => string): CommandReference[] {
  const out: CommandReference[] = [];
  const visit = (cmd: Command, parents: readonly string[]): void => {
    const path = [...parents, cmd.name()];
    const help = cmd.createHelp();
    const generated = cmd.helpInformation();
    const full = fullHelp(cmd);
    const after = full.startsWith(generated) ? full.slice(generated.length) : "";
    out.push({
      path: path.join(" "),
      description: cmd.description(),
      usage: help.commandUsage(cmd),
      flags: help.visibleOptions(cmd).map((option) => ({
        flags: option.flags,
        name: option.attributeName() === "" ? option.flags : (option.long ?? option.short ?? option.flags).replace(/^-+/, ""),
        description: option.description,
        defaultValue: defaultOf(option.defaultValue, option.defaultValueDescription),
        required: option.mandatory,
        choices: option.argChoices ?? null,
      })),
      subcommands: cmd.commands.map((sub) => [...path, sub.name()].join(" ")),
      helpAfter: after.trim(),
    });
    for (const sub of cmd.commands) visit(sub, path);
  };
  visit(root, []);
  return out;
}
