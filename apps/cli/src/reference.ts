/**
 * The command tree as data, for the docs' generated CLI reference page: every command with its
 * path, description, options (flags, description, default), arguments, built-in example input and
 * the JSON Schema of that input. Built to `dist/reference.js`; the page cannot go stale because it
 * is read from the same `createProgram()` that runs.
 */
import type { Command, Option } from "commander";
import { exampleWithSchema, leafMeta, plainMeta } from "./command";
import { createProgram } from "./program";

/** One option of a command. */
export interface OptionReference {
  /** As declared, e.g. `--beam-width <B>`. */
  readonly flags: string;
  readonly description: string;
  /** The default as shown in `--help` (undefined when there is none). */
  readonly default?: string;
  /** The allowed values, when the option has a fixed set. */
  readonly choices?: readonly string[];
  readonly required: boolean;
}

/** One positional argument of a command. */
export interface ArgumentReference {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly variadic: boolean;
}

/** One command of `hw`. */
export interface CommandReference {
  /** e.g. `["decode", "beam"]`; `[]` is `hw` itself. */
  readonly path: readonly string[];
  readonly description: string;
  /** `hw <path> [options]` as `--help` prints it. */
  readonly usage: string;
  readonly options: readonly OptionReference[];
  readonly arguments: readonly ArgumentReference[];
  /** Command lines shown under `Example:` in `--help`. */
  readonly examples: readonly string[];
  /** The shape of the `--json` output. */
  readonly json?: string;
  /** The built-in example input (what `--print-example` prints), or null for commands without input. */
  readonly exampleInput: Record<string, unknown> | null;
  /** The JSON Schema of the input, or null for commands without input. */
  readonly inputSchema: Record<string, unknown> | null;
  /** True for commands that only group subcommands. */
  readonly group: boolean;
}

function optionReference(o: Option): OptionReference {
  const shownDefault = o.defaultValueDescription ?? (o.defaultValue === undefined ? undefined : JSON.stringify(o.defaultValue));
  return {
    flags: o.flags,
    description: o.description,
    ...(shownDefault === undefined ? {} : { default: shownDefault }),
    ...(o.argChoices === undefined ? {} : { choices: [...o.argChoices] }),
    required: o.mandatory,
  };
}

function visit(cmd: Command, path: readonly string[], out: CommandReference[]): void {
  const meta = leafMeta(cmd);
  const input = meta?.spec.input;
  const plain = plainMeta(cmd);
  out.push({
    path,
    description: cmd.description(),
    usage: `hw ${[...path, cmd.usage()].join(" ")}`.replace(/\s+/g, " ").trim(),
    options: cmd.options.filter((o) => !o.hidden).map(optionReference),
    arguments: cmd.registeredArguments.map((a) => ({ name: a.name(), description: a.description, required: a.required, variadic: a.variadic })),
    examples: meta?.spec.examples ?? plain?.examples ?? [],
    ...(meta === undefined ? (plain?.json === undefined ? {} : { json: plain.json }) : { json: meta.spec.json }),
    exampleInput: input === undefined ? null : exampleWithSchema(input),
    inputSchema: input === undefined ? null : input.jsonSchema(),
    group: cmd.commands.length > 0,
  });
  for (const sub of cmd.commands) visit(sub, [...path, sub.name()], out);
}

/** Every command of `hw`, depth first, starting with `hw` itself. */
export function commandReference(): CommandReference[] {
  const out: CommandReference[] = [];
  visit(createProgram({ stdout: () => undefined, stderr: () => undefined }), [], out);
  return out;
}
