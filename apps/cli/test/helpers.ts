import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { run } from "../src/program";
import type { Sink } from "../src/io";

/** The built binary, as users run it. */
export const BIN = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI in-process with captured output. */
export async function runCaptured(argv: readonly string[]): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const sink: Sink = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  };
  const code = await run(argv, sink);
  return { code, stdout, stderr };
}

/** Spawn the built binary (exit codes and streams exactly as a user sees them). */
export function spawnBin(argv: readonly string[], input?: string): Captured {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: "utf8", input, env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
