// Start and stop the throwaway Verdaccio registry (src/registry-server.js) from a test.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("registry-server.js", import.meta.url));

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A token for publishing (a user created on this registry). */
  token: string;
  /** Everything the registry printed (warnings and errors), for failure messages. */
  log: () => string;
  /** Stops the server and deletes its storage; safe to call twice. */
  stop: () => Promise<void>;
}

/** Starts Verdaccio on 127.0.0.1 with a fresh storage folder under the OS temp dir. */
export async function startRegistry(): Promise<Registry> {
  const folder = mkdtempSync(join(tmpdir(), "hw-registry-"));
  const child = spawn(process.execPath, [SERVER, folder], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await terminate(child);
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`registry: not ready after 120 s:\n${output}`));
      }, 120_000);
      child.stdout.on("data", () => {
        const ready = /READY (\S+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]!);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`registry: exited with ${code} before it was ready:\n${output}`));
      });
    });
    const response = await fetch(`${url}-/user/org.couchdb.user:release`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release", password: "release-test-only" }),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || body.token === undefined) throw new Error(`registry: could not create a user: ${response.status} ${JSON.stringify(body)}`);
    return { url, token: body.token, log: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      child.kill("SIGKILL");
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
