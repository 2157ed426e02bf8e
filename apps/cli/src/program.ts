/** The `hw` command: topics register their subcommands; errors become one line and an exit code. */
import { Command, CommanderError } from "commander";
import { leafMeta } from "./command";
import { DECODE_DEPRECATED_FLAGS, registerDecode } from "./commands/decode/register";
import { DROPOUT_DEPRECATED_FLAGS, registerDropout } from "./commands/dropout/register";
import { registerNorm } from "./commands/norm/register";
import { registerRnn, RNN_DEPRECATED_FLAGS } from "./commands/rnn/register";
import { registerAssign } from "./commands/assign";
import { registerCheck } from "./commands/check";
import { registerSolve } from "./commands/solve";
import { UsageError, exitCodeOf, oneLine } from "./errors";
import { DEFAULT_DIGITS, setDigits } from "./format";
import { processSink, type Sink } from "./io";
import { kernelBackend } from "@hw/tensor/kernels";
import { versions } from "./versions";

export { versions };


/** Old flag spellings, per command path, and the vocabulary's spelling that replaced them. */
export const DEPRECATED_FLAGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ...DECODE_DEPRECATED_FLAGS,
  ...RNN_DEPRECATED_FLAGS,
  ...DROPOUT_DEPRECATED_FLAGS,
};

/** Build the program. Commander's own messages go to `sink`; usage errors throw. */
export function createProgram(sink: Sink = processSink): Command {
  const program = new Command("hw");
  const v = versions();
  program
    .description("hw: a graduate deep-learning problem set as verified software (float64, checked against PyTorch/NumPy)")
    .version(
      [
        ...Object.entries(v).map(([name, ver]) => `${name} ${ver}`),
        // Which kernels compute (the environment variable HW_KERNELS chooses: js, wasm-simd, wasm-relaxed-simd).
        `kernels ${kernelBackend()} (node ${process.version})`,
      ].join("\n"),
      "-V, --version",
      "print the versions of hw and its packages, and the kernel backend in use",
    )
    .option("--debug", "print stack traces on errors")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      [
        "",
        "Every command reads JSON with --input FILE (- for standard input, example for its built-in example;",
        "--print-example prints that example as a file to start from), prints text or --json, and writes",
        "--out FILE (- for standard output). Exit codes: 0 success, 1 bad data or a refused computation,",
        "2 usage error (unknown command or flag, bad flag value); errors are one line on standard error.",
        "Examples:",
        "  $ hw solve",
        "  $ hw rnn grad --input example --json",
        "  $ hw decode beam --input example:tree --beam-width 2",
      ].join("\n"),
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

/** The command an argument list names (the deepest subcommand reached), and its path. */
function commandOf(program: Command, argv: readonly string[]): { cmd: Command; path: string[] } {
  let cmd = program;
  const path: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith("-")) continue;
    const next = cmd.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (next === undefined) break;
    cmd = next;
    path.push(next.name());
  }
  return { cmd, path };
}

/** Rewrite deprecated flag spellings to the current ones, warning once per flag on stderr. */
function renameDeprecated(argv: readonly string[], path: readonly string[], sink: Sink): string[] {
  const renames = DEPRECATED_FLAGS[path.join(" ")];
  if (renames === undefined) return [...argv];
  return argv.map((arg) => {
    if (arg === "--") return arg;
    const [flag, ...rest] = arg.split("=");
    const to = renames[flag!];
    if (to === undefined) return arg;
    sink.stderr(`hw: warning: ${flag!} is deprecated (removed in 0.2.0); use ${to}\n`);
    return [to, ...rest].join("=");
  });
}

/** Commander's message as one line: `option '--steps <T>' argument 'x' is invalid. …` → `--steps x: …`. */
function commanderLine(error: CommanderError): string {
  const text = error.message.replace(/^error: /, "");
  const invalid = /^option '(?:-\w, )?(--?[\w-]+)[^']*' argument '([^']*)' is invalid\.\s*(.*)$/s.exec(text);
  if (invalid !== null) return `${invalid[1]!} ${invalid[2]!}: ${invalid[3]!.replace(/\s+/g, " ").trim()}`;
  const [first, ...more] = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const suggestion = more.find((l) => /^\(Did you mean/.test(l));
  return suggestion === undefined ? (first ?? text) : `${first!} — ${suggestion.replace(/^\((.*)\)$/, "$1").replace(/^Did/, "did")}`;
}

/** Run `hw` with the given arguments (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[], sink: Sink = processSink): Promise<number> {
  const program = createProgram(sink);
  const debug = argv.includes("--debug");
  const { cmd, path } = commandOf(program, argv);
  const args = renameDeprecated(argv, path, sink);
  try {
    // A group (`hw decode`) or the program alone: its help, on stderr, as a usage error.
    if (cmd.commands.length > 0 && !args.some((a) => ["-h", "--help", "-V", "--version"].includes(a)) && leafMeta(cmd) === undefined) {
      const rest = args.filter((a) => !a.startsWith("-") && !path.includes(a));
      if (rest.length === 0) {
        sink.stderr(cmd.helpInformation());
        return 2;
      }
    }
    await program.parseAsync(args, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return 0;
      sink.stderr(`hw: ${commanderLine(error)}\n`);
      return 2;
    }
    const line = oneLine(error);
    sink.stderr(`${line.startsWith("hw ") ? "" : "hw: "}${line}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) sink.stderr(`${error.stack}\n`);
    return exitCodeOf(error instanceof UsageError ? error : error);
  } finally {
    setDigits(DEFAULT_DIGITS);
  }
}
