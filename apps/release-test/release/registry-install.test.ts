// The release, end to end, against a real registry (`pnpm test:release`):
//   1. a throwaway Verdaccio on 127.0.0.1 (no uplinks, storage under the OS temp dir), holding the
//      third-party dependencies (valibot, mathjs…) packed from this workspace's install, so that the
//      test needs no network and installs exactly the versions the lockfile resolved;
//   2. a scratch copy of this repository (tracked and untracked-but-not-ignored files) where the real
//      release path runs: `pnpm install --offline`, `changeset version`, build, `pnpm publish -r`;
//   3. for each published package, a fresh folder outside the workspace where plain
//      `npm i @hw/<topic>` installs it from that registry (the installs run at once and share
//      one npm cache);
//   4. per package: the installed tree is that package, @hw/tensor and their declared dependencies
//      and nothing else; the README shipped in the tarball links only to files the tarball has; its
//      quick-start runs as written from ESM, runs from CommonJS `require`, passes a strict
//      `tsc --noEmit` as .mts and .cts, prints the values its `// =>` comments document, and prints
//      exactly what the same quick-start prints against the workspace build.
// The registry is stopped, and the temp folders removed, by afterAll (also when a step fails).
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED } from "../src/packages.js";
import { thirdPartyClosure } from "../src/mirror.js";
import { compareDocumented, firstTypeScriptBlock, instrument } from "../src/quickstart.js";
import { startRegistry, type Registry } from "../src/registry.js";
import { runQuickstart } from "../src/run.js";

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const APP = fileURLToPath(new URL("../", import.meta.url));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The environment of every command: the machine's, less the npm/pnpm settings of the calling script. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|pnpm_|PNPM_)/i.test(key)) env[key] = value;
  return { ...env, ...extra, CI: "true", TURBO_TELEMETRY_DISABLED: "1", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", FORCE_COLOR: "0" };
}

async function run(command: string, args: string[], cwd: string, env = cleanEnv()): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 26 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

const timings: Record<string, number> = {};
async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[phase] = Math.round(performance.now() - start) / 1000;
    console.log(`release: ${phase} ${timings[phase]} s`);
  }
}

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}
const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, "utf8")) as PackageJson;

let registry: Registry | undefined;
let temp = "";
let version = "";
const courses = new Map<string, string>();
const started = performance.now();

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), "hw-release-"));
  const scratch = join(temp, "repo");
  registry = await timed("start registry", startRegistry);
  const reg = registry;

  await timed("scratch copy", async () => {
    const files = (await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)).split("\0").filter(Boolean);
    for (const file of files) {
      if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree, not yet committed
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(ROOT, file), join(scratch, file));
    }
    const host = new URL(reg.url).host;
    writeFileSync(join(scratch, ".npmrc"), `registry=${reg.url}\n//${host}/:_authToken=${reg.token}\n`);
  });
  await timed("pnpm install --offline", () => run("pnpm", ["install", "--offline", "--frozen-lockfile", "--prefer-offline"], scratch));
  await timed("changeset version", () => run("pnpm", ["exec", "changeset", "version"], scratch));
  const versions = PUBLISHED.map((name) => readJson(join(scratch, "packages", name.slice(4), "package.json")).version);
  version = versions[0]!;
  expect(new Set(versions), "one version for every published package (the fixed group)").toEqual(new Set([version]));
  expect(version).not.toBe("0.0.0");
  await timed("build", () => run("pnpm", ["--filter", "./packages/*", "run", "build"], scratch));
  await timed("pnpm publish -r", () => run("pnpm", ["publish", "-r", "--no-git-checks", "--registry", reg.url], scratch));

  const cache = join(temp, "npm-cache");
  const userconfig = join(temp, "npmrc");
  writeFileSync(userconfig, `//${new URL(reg.url).host}/:_authToken=${reg.token}\n`);
  await timed("mirror third-party dependencies", async () => {
    const packs = join(temp, "third-party");
    mkdirSync(packs);
    const closure = thirdPartyClosure(PUBLISHED.map((name) => join(ROOT, "packages", name.slice(4))));
    console.log(`release: mirroring ${closure.map((p) => `${p.name}@${p.version}`).join(", ")}`);
    const env = cleanEnv({ npm_config_userconfig: userconfig });
    // One npm process per package, all at once (each is mostly npm's start-up time); the closure
    // holds one version per package name, so the order of the publishes does not matter.
    await Promise.all(
      closure.map(async (pkg) => {
        // Packed from a plain copy: pnpm's store hard-links identical files (mathjs's lib/cjs/package.json
        // and bin/package.json are one inode), `npm pack` stores the second as a tar hard link, and
        // `npm install` skips hard-link entries — mathjs's CommonJS entry then loads as ESM.
        const source = join(temp, "third-party-src", pkg.name);
        cpSync(pkg.dir, source, { recursive: true, filter: (from) => !from.slice(pkg.dir.length).split(/[\\/]/).includes("node_modules") });
        const packed = JSON.parse(await run("npm", ["pack", source, "--json", "--ignore-scripts", "--pack-destination", packs, "--cache", cache], temp, env)) as { filename: string }[];
        const tarball = join(packs, packed[0]!.filename);
        const tag = pkg.version.includes("-") ? ["--tag", "mirrored-prerelease"] : [];
        await run("npm", ["publish", tarball, "--ignore-scripts", "--registry", reg.url, "--cache", cache, "--loglevel", "error", ...tag], temp, env);
      }),
    );
  });
  await timed(`npm i (${PUBLISHED.length} packages at once)`, () =>
    Promise.all(
      PUBLISHED.map(async (name) => {
        const course = join(temp, `course-${name.slice(4)}`);
        mkdirSync(course);
        writeFileSync(join(course, "package.json"), JSON.stringify({ name: "course", private: true }, null, 2));
        await run("npm", ["install", name, "--registry", reg.url, "--cache", cache, "--no-audit", "--no-fund", "--loglevel", "error"], course, cleanEnv({ npm_config_userconfig: userconfig }));
        courses.set(name, course);
      }),
    ),
  );
}, 1_800_000);

afterAll(async () => {
  await registry?.stop();
  if (temp !== "" && process.env.HW_KEEP_RELEASE_TMP === undefined) rmSync(temp, { recursive: true, force: true });
  timings.total = Math.round(performance.now() - started) / 1000;
  mkdirSync(join(APP, "reports"), { recursive: true });
  writeFileSync(join(APP, "reports/release-timings.json"), JSON.stringify(timings, null, 2) + "\n");
  console.log(`release: timings ${JSON.stringify(timings)}`);
});

describe("the published packages", () => {
  it("are all on the registry at the released version", async () => {
    const shown = await Promise.all(
      PUBLISHED.map((name) => run("npm", ["view", name, "version", "--registry", registry!.url], temp, cleanEnv({ npm_config_userconfig: join(temp, "npmrc") }))),
    );
    expect(shown.map((v) => v.trim())).toEqual(PUBLISHED.map(() => version));
  });
});

describe.each(PUBLISHED)("npm i %s from the registry", (name) => {
  const folder = (): string => courses.get(name)!;
  const installed = (): string => join(folder(), "node_modules", name);

  it("installs that package, @hw/tensor and their declared dependencies, nothing else", () => {
    const expected = new Set<string>();
    const visit = (pkg: string): void => {
      if (expected.has(pkg)) return;
      expected.add(pkg);
      const manifest = readJson(join(folder(), "node_modules", pkg, "package.json"));
      expect(manifest.version, pkg).toBe(pkg.startsWith("@hw/") ? version : manifest.version);
      for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
    };
    visit(name);
    expect(expected.has("@hw/tensor")).toBe(true);
    const present = new Set<string>();
    const modules = join(folder(), "node_modules");
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) for (const scoped of readdirSync(join(modules, entry))) present.add(`${entry}/${scoped}`);
      else present.add(entry);
    }
    expect([...present].sort()).toEqual([...expected].sort());
  });

  it("ships every file its README links to", () => {
    const readme = readFileSync(join(installed(), "README.md"), "utf8");
    const linked = new Set([...readme.matchAll(/`((?:examples|src|docs)\/[\w./-]+\.\w+)`|\]\(\.?\/?((?:examples|src|docs)\/[^)#\s]+)\)/g)].map((m) => m[1] ?? m[2]!));
    const bareExamples = [...readme.matchAll(/`((?:examples\/)?[\w-]+\.ts)`/g)].map((m) => m[1]!).filter((f) => !f.includes("/"));
    for (const file of bareExamples) if (existsSync(join(ROOT, "packages", name.slice(4), "examples", file))) linked.add(`examples/${file}`);
    for (const file of linked) expect(existsSync(join(installed(), file)), `${name}: README links ${file}`).toBe(true);
    expect(existsSync(join(installed(), "CHANGELOG.md"))).toBe(true);
    expect(readFileSync(join(installed(), "CHANGELOG.md"), "utf8")).toContain(`## ${version}`);
  });

  it("runs its README quick-start from ESM and CommonJS with the documented and the workspace's numbers", async () => {
    const block = firstTypeScriptBlock(readFileSync(join(installed(), "README.md"), "utf8"));
    const dir = name.slice(4);
    const [fromRegistry, fromWorkspace] = await Promise.all([
      runQuickstart(join(folder(), "quickstart"), dir, block),
      runQuickstart(join(APP, "node_modules/.cache/release-workspace"), dir, block),
    ]);
    expect(fromRegistry.cjs).toEqual(fromRegistry.esm);
    expect(fromRegistry.esm).toEqual(fromWorkspace.esm);
    expect(fromRegistry.verbatim).toBe(fromWorkspace.verbatim);
    const { lines } = instrument(block);
    expect(lines.length).toBeGreaterThan(1);
    const problems = lines.map((l, i) => compareDocumented(l.documented, fromRegistry.esm[i])).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  // The flags of the repository's own tsconfig.base.json (strict + noUncheckedIndexedAccess), and the
  // shipped declarations checked too (skipLibCheck off), without @types/node.
  it("type-checks its README quick-start with strict tsc as ESM (.mts) and CommonJS (.cts)", async () => {
    const block = firstTypeScriptBlock(readFileSync(join(installed(), "README.md"), "utf8"));
    const dir = join(folder(), "typecheck");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "quickstart.mts"), block);
    writeFileSync(join(dir, "quickstart.cts"), block);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022", "dom"],
          types: [],
          skipLibCheck: false,
          noEmit: true,
        },
        files: ["quickstart.mts", "quickstart.cts"],
      }),
    );
    await run(process.execPath, [TSC, "-p", dir], dir);
  });
});
