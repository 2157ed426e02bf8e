// Build-time data of the Releases page (guide/releases.md): every package's CHANGELOG.md, grouped by
// version. The @hw packages are one fixed set (.changeset/config.json), so a version is one release
// of all of them; each lists what changed in each package.
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { createMarkdownRenderer, defineLoader } from "vitepress";

export interface PackageNotes {
  /** `@hw/decoding` */
  name: string;
  /** The package's docs page. */
  link: string;
  /** The version's section of its CHANGELOG.md, rendered. */
  html: string;
}

export interface Release {
  version: string;
  packages: PackageNotes[];
}

/** One CHANGELOG.md → its sections by version (`## 0.1.0` … up to the next `## `), newest first as written. */
export function changelogSections(markdown: string): { version: string; body: string }[] {
  const sections: { version: string; body: string }[] = [];
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf("\n");
    const version = (newline < 0 ? part : part.slice(0, newline)).trim();
    const body = newline < 0 ? "" : part.slice(newline + 1).trim();
    if (/^\d+\.\d+\.\d+/.test(version)) sections.push({ version, body });
  }
  return sections;
}

/** Newest first; pre-releases after their release line's final version is not needed for 0.x. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === y) continue;
    if (x === undefined) return -1; // 1.0.0 before 1.0.0-next.1
    if (y === undefined) return 1;
    if (typeof x === "number" && typeof y === "number") return y - x;
    return String(y).localeCompare(String(x));
  }
  return 0;
}

/** Groups the sections of several packages' changelogs by version, newest first. */
export function groupReleases(changelogs: { name: string; markdown: string }[]): { version: string; packages: { name: string; body: string }[] }[] {
  const byVersion = new Map<string, { name: string; body: string }[]>();
  for (const { name, markdown } of changelogs) {
    for (const { version, body } of changelogSections(markdown)) {
      const list = byVersion.get(version) ?? [];
      list.push({ name, body });
      byVersion.set(version, list);
    }
  }
  return [...byVersion.keys()].sort(compareVersions).map((version) => ({ version, packages: byVersion.get(version)! }));
}

// The published packages, core first (the order of the sidebar).
const ORDER = ["tensor", "rnn", "decoding", "normalization", "regularization", "problem-set"];

declare const data: Release[];
export { data };

export default defineLoader({
  watch: ["../../../packages/*/CHANGELOG.md"],
  async load(files: string[]): Promise<Release[]> {
    const md = await createMarkdownRenderer(process.cwd());
    const folder = (file: string) => basename(dirname(file));
    const sorted = [...files].sort((a, b) => (ORDER.indexOf(folder(a)) + 1 || 99) - (ORDER.indexOf(folder(b)) + 1 || 99));
    const releases = groupReleases(sorted.map((file) => ({ name: `@hw/${folder(file)}`, markdown: readFileSync(file, "utf8") })));
    return releases.map(({ version, packages }) => ({
      version,
      packages: packages.map(({ name, body }) => ({
        name,
        link: `/packages/${name.slice(4)}`,
        // The changelog's "### Minor Changes" sits under the package's own heading.
        html: md.render(body.replace(/^### /gm, "##### ")),
      })),
    }));
  },
});
