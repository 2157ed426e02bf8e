/** Input and output conventions shared by every command. */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "./errors";

/** Read the text of `--input FILE`, or standard input for `-`. */
export function readText(path: string): string {
  try {
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? "unreadable");
    throw new InputError(`--input ${path}: cannot read (${why})`);
  }
}

/** Parse `--input FILE` (or `-`) as JSON, with the position of a syntax error in the message. */
export function readJson(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`--input ${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Write `text` to `path` atomically: into a temporary file in the same folder, then renamed over the
 * target, so a reader never sees a half-written file and a failure leaves the old file untouched.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, text, { flag: "wx" });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new InputError(`--out ${path}: cannot write (${code})`);
  }
}

/** JSON with non-finite numbers kept readable: NaN, Infinity and -Infinity become strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === "number" && !Number.isFinite(v)) return String(v);
      if (typeof v === "bigint") return v.toString();
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    2,
  );
}

/** Output options common to every command. */
export interface OutputOptions {
  readonly json?: boolean;
  readonly out?: string;
}

/** Where output goes; tests replace it to capture what a command prints. */
export interface Sink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processSink: Sink = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Print a command's result: JSON with `--json`, else the readable text; to `--out FILE` (atomically)
 * when given, else to standard output.
 */
export function emit(sink: Sink, options: OutputOptions, result: unknown, text: () => string): void {
  const body = options.json === true ? toJson(result) : text();
  const withNewline = body.endsWith("\n") ? body : `${body}\n`;
  if (options.out !== undefined) writeFileAtomic(options.out, withNewline);
  else sink.stdout(withNewline);
}
