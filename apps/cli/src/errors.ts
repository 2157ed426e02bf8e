/** Errors the CLI turns into one readable line and an exit code. */

/** Bad command-line usage (unknown command or option, missing argument): exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = 2;
}

/** Bad input data or a computation that cannot be done: exit code 1. */
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
