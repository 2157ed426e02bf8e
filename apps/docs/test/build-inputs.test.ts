/**
 * The docs build's turbo cache key covers what the site renders: its pages, theme and components,
 * and (through `^build`) the packages it documents. Without this an edited page was served stale
 * from turbo's cache.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCS = fileURLToPath(new URL("../", import.meta.url));

interface DryTask {
  readonly taskId: string;
  readonly hash: string;
  readonly inputs: Record<string, string>;
  readonly dependencies: string[];
}

/** turbo's plan for `docs#build` (`turbo run build --dry=json`): its hash, input files and dependencies. */
function docsBuildTask(): DryTask {
  const out = execFileSync(join(ROOT, "node_modules/.bin/turbo"), ["run", "build", "--filter=docs", "--dry=json"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  const plan = JSON.parse(out) as { tasks: DryTask[] };
  const task = plan.tasks.find((t) => t.taskId === "docs#build");
  if (!task) throw new Error("build-inputs: turbo planned no docs#build task");
  return task;
}

/** Files under `dir` (relative to the docs app) whose name passes `keep`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(DOCS, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && keep(entry.name)) found.push(relative(DOCS, join(entry.parentPath, entry.name)).split(sep).join("/"));
  }
  return found;
}

const gitBlob = (file: string): string => execFileSync("git", ["hash-object", file], { cwd: DOCS, encoding: "utf8" }).trim();

describe("turbo's cache key of the docs build", () => {
  const task = docsBuildTask();

  it("hashes every page, with its current content", () => {
    const pages = ["index.md", ...["guide", "questions", "packages"].flatMap((d) => filesUnder(d, (n) => n.endsWith(".md")))];
    expect(pages).toContain("questions/q1-rnn.md");
    for (const page of pages) expect(task.inputs[page], page).toBe(gitBlob(page));
  });

  it("hashes the VitePress config, the theme and every component", () => {
    const theme = filesUnder(".vitepress", (n) => /\.(ts|vue|css)$/.test(n)).filter((f) => !f.startsWith(".vitepress/cache/") && !f.startsWith(".vitepress/dist/"));
    expect(theme).toContain(".vitepress/config.ts");
    expect(theme.some((f) => f.endsWith(".vue"))).toBe(true);
    for (const file of theme) expect(task.inputs[file], file).toBe(gitBlob(file));
  });

  it("depends on the build of every package it renders", () => {
    for (const pkg of ["tensor", "rnn", "decoding", "normalization", "regularization"]) {
      expect(task.dependencies).toContain(`@hw/${pkg}#build`);
    }
  });

  it("does not hash its own outputs and tests (they would make every build a miss)", () => {
    const own = Object.keys(task.inputs).filter((f) => /^(\.vitepress\/(dist|cache)|api|e2e|test|reports)\//.test(f));
    expect(own).toEqual([]);
  });

  it("changes when a file in questions/ changes", () => {
    // A file VitePress does not render (not .md), so a concurrent build is not disturbed.
    const probe = join(DOCS, "questions", `hash-probe-${process.pid}.txt`);
    try {
      writeFileSync(probe, "one");
      const one = docsBuildTask().hash;
      writeFileSync(probe, "two");
      const two = docsBuildTask().hash;
      expect(two).not.toBe(one);
    } finally {
      rmSync(probe, { force: true });
    }
  });
});
