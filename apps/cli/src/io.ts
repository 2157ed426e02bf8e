/** Input and output conventions shared by every command. */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "./errors";
import { toJson } from "./format";
import { versions } from "./versions";

export { toJson };

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  ENOTDIR: "a parent is not a directory",
  EFBIG: "file too large",
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? "error" : (REASONS[code] ?? code);
}

/** The largest input file read (larger ones are refused before reading). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Read the text of `--input FILE`, or standard input for `-`. */
export function readText(path: string, flag = "--input"): string {
  try {
    if (path !== "-") {
      const size = statSync(path).size;
      if (size > MAX_INPUT_BYTES) throw new InputError(`${flag} ${path}: ${size} bytes is over the ${MAX_INPUT_BYTES}-byte input limit`);
    }
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${flag} ${path}: cannot read (${reason(error)})`);
  }
}

/** Parse `--input FILE` (or `-`) as JSON, with the position of a syntax error in the message. */
export function readJson(path: string, flag = "--input"): unknown {
  const text = readText(path, flag);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${flag} ${path}: not valid JSON (${oneLineOf(error)})`);
  }
}

function oneLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/** A file staged for writing: written to a temporary file now, renamed into place by `commit`. */
export interface StagedFile {
  readonly flag: string;
  readonly path: string;
  /** Move the staged file into place (or write through to a device/FIFO). */
  commit(): void;
  /** Remove the temporary file. */
  discard(): void;
}

/**
 * Stage `text` for `path` (`flag` names it in errors). A regular file (or a new one) is written to a
 * temporary file in the same folder and renamed over the target on `commit`, so a reader never sees a
 * half-written file and a failed command leaves nothing behind. A symlink is followed (the link
 * stays, its target is replaced). A device, FIFO or socket (`/dev/stdout`, `/dev/null`, a named pipe)
 * is never replaced: `commit` writes through it.
 */
export function stageFile(path: string, text: string, flag: string): StagedFile {
  let target = path;
  let regular = true;
  try {
    // stat follows links (also /dev/stdout → /proc/self/fd/1 → a pipe, which realpath cannot name).
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${flag} ${path}: is a directory`);
    regular = st.isFile();
    if (regular && lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new InputError(`${flag} ${path}: cannot write (${reason(error)})`);
  }
  if (!regular) {
    return {
      flag,
      path,
      commit: () => {
        // The process's own streams are written by descriptor: a socket (as a spawning parent may
        // give) cannot be opened again by name.
        const own = /^\/dev\/(stdout|stderr)$|^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path);
        const ownFd = own === null ? undefined : own[1] === "stdout" ? 1 : own[1] === "stderr" ? 2 : Number(own[2]);
        let fd: number | undefined;
        try {
          if (ownFd !== undefined) writeAll(ownFd, text);
          else {
            fd = openSync(target, "w");
            writeAll(fd, text);
          }
        } catch (error) {
          throw new InputError(`${flag} ${path}: cannot write (${reason(error)})`);
        } finally {
          if (fd !== undefined) closeSync(fd);
        }
      },
      discard: () => undefined,
    };
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = openSync(temp, "wx");
    try {
      writeAll(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw new InputError(`${flag} ${path}: cannot write (${reason(error)})`);
  }
  return {
    flag,
    path,
    commit: () => {
      try {
        renameSync(temp, target);
      } catch (error) {
        rmSync(temp, { force: true });
        throw new InputError(`${flag} ${path}: cannot write (${reason(error)})`);
      }
    },
    discard: () => {
      rmSync(temp, { force: true });
    },
  };
}

/** Write `text` to `path` safely (see {@link stageFile}) at once. */
export function writeFileSafely(path: string, text: string, flag = "--out"): void {
  stageFile(path, text, flag).commit();
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

/** A second output file of a command (`--plot FILE`), written only when the whole command succeeds. */
export interface ExtraFile {
  readonly flag: string;
  readonly path: string;
  readonly text: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Print a command's result: JSON with `--json` (an object result gains `versions`, the versions of
 * the packages that computed it), else the readable text; to `--out FILE` when given (`-` is
 * standard output), else to standard output. Extra files (`--plot`) are staged first and every file
 * is moved into place only once all of them were written, so a failure leaves none.
 */
export function emit(sink: Sink, options: OutputOptions, result: unknown, text: () => string, extra: readonly ExtraFile[] = []): void {
  const json = (): string => toJson(isPlainObject(result) ? { ...result, versions: versions() } : result);
  emitText(sink, options.out, options.json === true ? json() : text(), extra);
}

/** Write `body` to `--out` (or standard output), with the extra files; see {@link emit}. */
export function emitText(sink: Sink, out: string | undefined, body: string, extra: readonly ExtraFile[] = []): void {
  const withNewline = body.endsWith("\n") ? body : `${body}\n`;
  const toStdout = out === undefined || out === "-";
  writeAllStaged(toStdout ? extra : [...extra, { flag: "--out", path: out, text: withNewline }]);
  if (toStdout) sink.stdout(withNewline);
}

/**
 * Write several files all or none: each is staged (see {@link stageFile}) and only when every one is
 * staged are they moved into place; on a failure the staged files are removed.
 */
export function writeAllStaged(files: readonly ExtraFile[]): void {
  const staged: StagedFile[] = [];
  try {
    for (const f of files) staged.push(stageFile(f.path, f.text, f.flag));
    for (const s of staged) s.commit();
  } catch (error) {
    for (const s of staged) s.discard();
    throw error;
  }
}
