/** The `hw` command: topics register their subcommands; errors become one line and an exit code. */
import { Command, CommanderError } from "commander";
import { version as decodingVersion } from "@hw/decoding";
import { version as normalizationVersion } from "@hw/normalization";
import { version as regularizationVersion } from "@hw/regularization";
import { version as rnnVersion } from "@hw/rnn";
import { version as tensorVersion } from "@hw/tensor";
import { registerDecode, decodeSection } from "./commands/decode";
import { registerDropout, dropoutSection } from "./commands/dropout";
import { registerNorm, normSection } from "./commands/norm";
import { registerRnn, rnnSection } from "./commands/rnn";
import { registerAssign } from "./commands/assign";
import { registerCheck } from "./commands/check";
import { registerSolve } from "./commands/solve";
import { UsageError, exitCodeOf, oneLine } from "./errors";
import { processSink, type Sink } from "./io";
import type { SolveSection } from "./solve/section";

declare const __HW_VERSION__: string;

/** The sections of `hw solve`, in the order of the problem set. */
export const sections: readonly SolveSection[] = [rnnSection, decodeSection, normSection, dropoutSection];

/** Versions of the CLI and of every package it runs. */
export function versions(): Record<string, string> {
  return {
    hw: __HW_VERSION__,
    "@hw/tensor": tensorVersion,
    "@hw/rnn": rnnVersion,
    "@hw/decoding": decodingVersion,
    "@hw/normalization": normalizationVersion,
    "@hw/regularization": regularizationVersion,
  };
}

/** Build the program. Commander's own messages go to `sink`; usage errors throw `UsageError`. */
export function createProgram(sink: Sink = processSink): Command {
  const program = new Command("hw");
  const v = versions();
  program
    .description("hw: a graduate deep-learning problem set as verified software (float64, checked against PyTorch/NumPy)")
    .version(Object.entries(v).map(([name, ver]) => `${name} ${ver}`).join("\n"), "-V, --version", "print the versions of hw and its packages")
    .option("--debug", "print stack traces on errors")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      "\nEvery command reads JSON with --input FILE (- for stdin), prints text or --json, and writes --out FILE atomically.\nExamples:\n  $ hw solve\n  $ hw rnn grad --input birnn.json --json\n  $ hw decode beam --lm example:tree --beam 2",
    );
  registerRnn(program, sink);
  registerDecode(program, sink);
  registerNorm(program, sink);
  registerDropout(program, sink);
  registerSolve(program, sink);
  registerAssign(program, sink);
  registerCheck(program, sink);
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (text) => {
        sink.stdout(text);
      },
      writeErr: (text) => {
        sink.stderr(text);
      },
      // Usage errors are reported once, by `run`, as a single line.
      outputError: () => undefined,
    });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Run `hw` with the given arguments (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[], sink: Sink = processSink): Promise<number> {
  const program = createProgram(sink);
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return 0;
      // Commander's messages start with "error: "; keep one line.
      sink.stderr(`hw: ${oneLine(error).replace(/^error: /, "")}\n`);
      return 2;
    }
    const usage = error instanceof UsageError;
    sink.stderr(`hw: ${oneLine(error)}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) sink.stderr(`${error.stack}\n`);
    else if (!usage && !(error instanceof Error && /Error$/.test(error.name))) sink.stderr("(run with --debug for details)\n");
    return exitCodeOf(error);
  }
}
