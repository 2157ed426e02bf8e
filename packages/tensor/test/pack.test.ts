// @hw/tensor is installable on its own: `pnpm pack` it, install the tarball into a scratch folder
// with plain npm (offline: it needs nothing but its one dependency, valibot, packed here from this
// workspace's install), and import every entry from Node.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PKG_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("the packed @hw/tensor", () => {
  it("installs with npm into an empty project and imports from Node", () => {
    const scratch = mkdtempSync(join(tmpdir(), "hw-pack-"));
    execFileSync("pnpm", ["pack", "--pack-destination", scratch], { cwd: PKG_DIR, stdio: "pipe" });
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
    expect(tarball).toMatch(/^hw-tensor-\d+\.\d+\.\d+.*\.tgz$/);

    // valibot from a plain copy of the installed folder: pnpm's store hard-links identical files, which
    // `npm pack` would store as tar hard links that `npm install` skips.
    const deps = join(scratch, "deps");
    mkdirSync(deps);
    const valibotCopy = join(scratch, "valibot-src");
    cpSync(realpathSync(join(PKG_DIR, "node_modules", "valibot")), valibotCopy, { recursive: true, filter: (from) => !from.includes("/node_modules/valibot/node_modules") });
    execFileSync("npm", ["pack", valibotCopy, "--ignore-scripts", "--pack-destination", deps], { cwd: scratch, stdio: "pipe" });
    const valibot = readdirSync(deps).find((f) => f.endsWith(".tgz"))!;

    const project = join(scratch, "project");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(deps, valibot), join(scratch, tarball!)], { cwd: project, stdio: "pipe" });

    const pkg = JSON.parse(readFileSync(join(PKG_DIR, "package.json"), "utf8")) as { version: string };
    const script = [
      'import * as hw from "@hw/tensor";',
      'import * as testing from "@hw/tensor/testing";',
      'import * as kernels from "@hw/tensor/kernels";',
      'import * as schema from "@hw/tensor/schema";',
      "console.log(JSON.stringify({ version: hw.version, exports: Object.keys(hw).length, expectClose: typeof testing.expectClose, gemm: typeof kernels.gemm, matrix: typeof schema.matrixSchema }));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" });
    const result = JSON.parse(out) as { version: string; exports: number; expectClose: string; gemm: string; matrix: string };
    expect(result.version).toBe(pkg.version);
    expect(result.exports).toBeGreaterThan(3);
    expect(result.expectClose).toBe("function");
    expect(result.gemm).toBe("function");
    expect(result.matrix).toBe("object");
    // Only what `files` allows ships: no tests, no benchmarks.
    const listing = execFileSync("tar", ["-tzf", join(scratch, tarball!)], { encoding: "utf8" });
    expect(listing).toContain("package/dist/index.js");
    expect(listing).not.toMatch(/\.test\.ts/);
    expect(listing).not.toContain("package/bench/");
  });
});
