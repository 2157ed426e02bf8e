/**
 * One way to declare a leaf command (`hw decode beam`): its input format (a valibot schema with a
 * built-in example and a JSON Schema), its flags, the map from the library's option names to those
 * flags, the resource estimate, and what it computes. `leaf` adds the options every command shares
 * (`--input`, `--print-example`, `--json`, `--out`, `--digits`, `--max-memory`, `--max-work`) and
 * runs the same steps for all: read and validate the input, check the budget, compute, refuse
 * non-finite results, print.
 */
import { Option, type Command } from "commander";
import * as v from "valibot";
import { checkBudget, DEFAULT_MAX_MEMORY, DEFAULT_MAX_WORK, type Estimate } from "./budget";
import { InputError, UsageError, rewordForFlags } from "./errors";
import { DEFAULT_DIGITS, firstNonFinite, setDigits, toJson } from "./format";
import { emit, emitText, readJson, type ExtraFile, type OutputOptions, type Sink } from "./io";
import { bytes, integer, operations } from "./options";

/** A JSON input format of a command. */
export interface InputFormat {
  /** One line: what the JSON holds, e.g. `{ Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z }`. */
  readonly summary: string;
  /** Validates and normalizes the parsed JSON. */
  readonly schema: v.GenericSchema<unknown, unknown>;
  /** The JSON Schema of the format (generated from the valibot schema). */
  readonly jsonSchema: () => Record<string, unknown>;
  /** The URL written as `$schema` into example files. */
  readonly schemaUrl: string;
  /** Built-in inputs by name; `example` is the one `--print-example` prints. */
  readonly builtIns: Readonly<Record<string, () => unknown>> & { readonly example: () => unknown };
  /** The default of `--input` (a built-in name), when the command has one. */
  readonly defaultInput?: string;
  /** Extra spellings of `--input` (decode's `--lm`). */
  readonly aliases?: readonly string[];
}

/** What a command hands back: the JSON result, the readable text, and any extra files. */
export interface Output {
  readonly result: unknown;
  readonly text: () => string;
  readonly extra?: readonly ExtraFile[];
}

/** What a command's `run` gets. */
export interface Context<O> {
  readonly options: O;
  /** The validated input (undefined for commands without one). */
  readonly input: unknown;
  /** The name of the input (a file name, `-` or a built-in). */
  readonly inputName: string;
  readonly sink: Sink;
  /** Refuse when the estimate is over the budget (`--max-memory`, `--max-work`). */
  budget(estimate: Estimate): void;
  /** `--max-memory` in bytes, for the library functions that check their own allocations. */
  readonly maxMemory: number;
}

export interface LeafSpec<O> {
  readonly description: string;
  /** Command lines shown under `Example:` in `--help` (without the leading `$ `). */
  readonly examples: readonly string[];
  readonly input?: InputFormat;
  /** The shape of `--json` output, e.g. `{ sequences: [{ tokens, logProb }] }`. */
  readonly json: string;
  /** Library option (and argument) names → the flag that sets them, to re-word library errors. */
  readonly flags?: Readonly<Record<string, string>>;
  /** JSON fields where ±∞ is a legitimate answer (log-probabilities of impossible events). */
  readonly allowNonFinite?: readonly string[];
  /** What each result field means, for the non-finite refusal ("the loss L"). */
  readonly quantities?: Readonly<Record<string, string>>;
  /** Adds the command's own options. */
  readonly configure?: (cmd: Command) => void;
  /** Computes; throws InputError/UsageError or library errors. */
  readonly run: (ctx: Context<O>) => Output | Promise<Output>;
}

interface CommonOptions extends OutputOptions {
  readonly input?: string;
  readonly printExample?: boolean;
  readonly digits: number;
  readonly maxMemory: number;
  readonly maxWork: number;
  readonly [alias: string]: unknown;
}

/** What `reference.ts` and the tests read about a leaf command. */
export interface LeafMeta {
  readonly spec: LeafSpec<never>;
  readonly path: readonly string[];
}

const registry = new WeakMap<Command, LeafMeta>();

/** The metadata of a leaf command declared with {@link leaf}. */
export function leafMeta(cmd: Command): LeafMeta | undefined {
  return registry.get(cmd);
}

/** The full path of a command, without the program: `["decode", "beam"]`. */
export function commandPath(cmd: Command): string[] {
  const path: string[] = [];
  for (let c: Command = cmd; c.parent !== null; c = c.parent) path.unshift(c.name());
  return path;
}

/** The built-in example of a format, with its `$schema` first. */
export function exampleWithSchema(format: InputFormat): Record<string, unknown> {
  return { $schema: format.schemaUrl, ...(format.builtIns.example() as Record<string, unknown>) };
}

function pathText(path: readonly v.IssuePathItem[] | undefined): string {
  let out = "";
  for (const item of path ?? []) {
    const key = item.key;
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One line for the first validation issue: the field path, then what is wrong. */
export function issueLine(issue: v.BaseIssue<unknown>): string {
  // An unknown key is reported at its parent: "children[0]: unknown key `tokn` — did you mean `token`?"
  const path = issue.expected === "never" ? issue.path?.slice(0, -1) : issue.path;
  const where = pathText(path);
  if (where === "" || issue.message.startsWith(`${where}:`) || issue.message.startsWith(`${where}[`) || issue.message.startsWith(`${where}.`)) return issue.message;
  return `${where}: ${issue.message}`;
}

/** Read `--input` (a file, `-` or a built-in name) and validate it with the format's schema. */
export function readInput(format: InputFormat, name: string): unknown {
  const builtIn = format.builtIns[name];
  const raw = builtIn === undefined ? readJson(name) : builtIn();
  if (builtIn === undefined && name.startsWith("example:")) {
    throw new InputError(`--input ${name}: unknown built-in input (${Object.keys(format.builtIns).join(", ")})`);
  }
  const parsed = v.safeParse(format.schema, raw);
  if (!parsed.success) {
    // A misspelled key also shows up as a missing one; the unknown key (with its suggestion) says more.
    const unknownKey = parsed.issues.find((issue) => issue.expected === "never");
    throw new InputError(issueLine(unknownKey ?? parsed.issues[0]));
  }
  return parsed.output;
}

/** Declare the leaf command `name` under `parent`. */
export function leaf<O>(parent: Command, name: string, spec: LeafSpec<O>, sink: Sink): Command {
  const cmd = parent.command(name).description(spec.description);
  const input = spec.input;
  if (input !== undefined) {
    const builtIns = Object.keys(input.builtIns).join(", ");
    cmd.option(
      "--input <file>",
      `JSON ${input.summary}; - for standard input; built-in: ${builtIns}${input.defaultInput === undefined ? "" : ` (default: ${input.defaultInput})`}`,
    );
    for (const alias of input.aliases ?? []) cmd.addOption(new Option(`${alias} <file>`, "alias of --input").hideHelp());
    cmd.option("--print-example", "print the built-in example input (a valid file to start from, with its $schema) and exit");
  }
  spec.configure?.(cmd);
  cmd
    .option("--json", `print JSON ${spec.json}`)
    .option("--out <file>", "write the output to FILE instead of standard output (- is standard output; a regular file is replaced atomically)")
    .addOption(new Option("--digits <n>", "significant digits of the printed numbers").argParser(integer(1, 17)).default(DEFAULT_DIGITS))
    .addOption(new Option("--max-memory <size>", "refuse to allocate more than this (e.g. 8GB)").argParser(bytes).default(DEFAULT_MAX_MEMORY, "2GB"))
    .addOption(new Option("--max-work <ops>", "refuse more operations than this (1e10 ≈ a minute)").argParser(operations).default(DEFAULT_MAX_WORK, "1e10"));
  cmd.addHelpText("after", `\nExample${spec.examples.length > 1 ? "s" : ""}:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}`);
  const path = commandPath(cmd);
  const label = `hw ${path.join(" ")}`;
  registry.set(cmd, { spec: spec, path });
  cmd.action(async (options: CommonOptions, command: Command) => {
    setDigits(options.digits);
    if (input !== undefined && options.printExample === true) {
      emitText(sink, options.out, toJson(exampleWithSchema(input)));
      return;
    }
    let inputName = "";
    let value: unknown;
    if (input !== undefined) {
      const aliasValue = (input.aliases ?? []).map((a) => options[a.replace(/^--/, "").replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())]).find((x) => x !== undefined);
      if (options.input !== undefined && aliasValue !== undefined) throw new UsageError(`--input and ${input.aliases!.join("/")} are the same option: give one`);
      inputName = options.input ?? (aliasValue as string | undefined) ?? input.defaultInput ?? "";
      if (inputName === "") throw new UsageError(`${label}: --input FILE is required (or --input example, or --print-example to see one)`);
      value = readInput(input, inputName);
    }
    const given = new Set(
      command.options.filter((o) => command.getOptionValueSource(o.attributeName()) === "cli").map((o) => o.long ?? ""),
    );
    let output: Output;
    try {
      output = await spec.run({
        options: options as unknown as O,
        input: value,
        inputName,
        sink,
        maxMemory: options.maxMemory,
        budget: (estimate) => {
          checkBudget(label, estimate, { maxMemory: options.maxMemory, maxWork: options.maxWork });
        },
      });
    } catch (error) {
      if (error instanceof InputError || error instanceof UsageError || !(error instanceof Error)) throw error;
      // A library error: name the flags, not the API options.
      const { message, aboutFlag } = rewordForFlags(error.message.split("\n")[0]!, { maxMemory: "--max-memory", ...spec.flags }, given);
      const Kind = aboutFlag ? UsageError : InputError;
      const reworded = new Kind(message);
      reworded.stack = error.stack;
      throw reworded;
    }
    const bad = firstNonFinite(output.result, spec.allowNonFinite);
    if (bad !== undefined) {
      const top = bad.path.split(/[.[]/)[0]!;
      const what = spec.quantities?.[top];
      throw new InputError(
        `${label}: \`${bad.path}\`${what === undefined ? "" : ` (${what})`} is ${String(bad.value)} — the computation overflowed float64 (scale the input down${given.has("--lr") ? " or lower --lr" : ""})`,
      );
    }
    emit(sink, options, output.result, output.text, output.extra);
  });
  return cmd;
}

/** What `reference.ts` and the tests read about a command declared without {@link leaf} (`hw solve`, `hw assign`, `hw check`). */
export interface PlainMeta {
  /** Command lines shown under `Examples:` in `--help` (without the leading `$ `). */
  readonly examples: readonly string[];
  /** The shape of the `--json` output, when the command has one. */
  readonly json?: string;
}

const plainRegistry = new WeakMap<Command, PlainMeta>();

/** Record the examples (and JSON shape) of a command declared without {@link leaf}; adds them to its `--help`. */
export function describeCommand(cmd: Command, meta: PlainMeta, note?: string): Command {
  plainRegistry.set(cmd, meta);
  cmd.addHelpText("after", `\nExample${meta.examples.length > 1 ? "s" : ""}:\n${meta.examples.map((e) => `  $ ${e}`).join("\n")}${note === undefined ? "" : `\n${note}`}`);
  return cmd;
}

/** The metadata of a command declared with {@link describeCommand}. */
export function plainMeta(cmd: Command): PlainMeta | undefined {
  return plainRegistry.get(cmd);
}
