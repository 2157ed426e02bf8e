// Running a README quick-start with Node, from ESM and from CommonJS, in a given folder (the folder's
// node_modules provides the packages: the workspace's builds, or a fresh install from a registry).
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { instrument, parseShown, RECORDER, transpile } from "./quickstart.js";

const execFileAsync = promisify(execFile);

/** Writes the quick-start `block` into `dir` (as `<name>.mjs` and `<name>.cjs`) and runs it both ways. */
export async function runQuickstart(dir: string, name: string, block: string): Promise<{ esm: unknown[]; cjs: unknown[]; verbatim: string }> {
  mkdirSync(dir, { recursive: true });
  const { code } = instrument(block);
  writeFileSync(join(dir, `${name}.verbatim.mjs`), transpile(block, "esm"));
  writeFileSync(join(dir, `${name}.mjs`), `${RECORDER}\n${transpile(code, "esm")}`);
  writeFileSync(join(dir, `${name}.cjs`), `${RECORDER}\n${transpile(code, "cjs")}`);
  const node = (file: string) => execFileAsync(process.execPath, [file], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 24 });
  const [verbatim, esm, cjs] = await Promise.all([node(`${name}.verbatim.mjs`), node(`${name}.mjs`), node(`${name}.cjs`)]);
  return { esm: parseShown(esm.stdout), cjs: parseShown(cjs.stdout), verbatim: verbatim.stdout };
}
