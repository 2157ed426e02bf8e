/** Errors the CLI turns into one readable line and an exit code. */

/** Bad command-line usage (unknown command or option, bad flag value): exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

/** Bad input data, a refused budget or a computation that cannot be done: exit code 1. */
export class InputError extends Error {
  override name = "InputError";
  readonly exitCode = 1;
}

/** The exit code for any thrown value: 2 for usage errors, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/** One line describing an error, without a stack trace. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split("\n").find((line) => line.trim() !== "") ?? message;
  return first.trim();
}

/**
 * A library error re-worded for the command line: the API option names it quotes are replaced by
 * the flags the user typed (`numBeamGroups` → `--num-beam-groups`), and the function name prefix by
 * the command (`beamSearch:` → `hw decode beam:`). Returns the message and whether it was about a
 * flag the user passed (then it is a usage error, exit 2).
 */
export function rewordForFlags(message: string, flags: Readonly<Record<string, string>>, given: ReadonlySet<string>): { message: string; aboutFlag: boolean } {
  let out = message;
  let aboutFlag = false;
  for (const [api, flag] of Object.entries(flags)) {
    const re = new RegExp(`(?<![\\w-])${api}(?![\\w])`, "g");
    if (re.test(out)) {
      out = out.replace(re, flag);
      if (given.has(flag)) aboutFlag = true;
    }
  }
  return { message: out, aboutFlag };
}
