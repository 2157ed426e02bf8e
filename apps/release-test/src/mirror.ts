// The third-party packages the published packages need (valibot, mathjs and what they depend on),
// copied from this workspace's install into the local registry, so that `pnpm test:release` needs no
// network: the registry has no uplink, and what `npm i @hw/<topic>` installs is exactly what the
// lockfile resolved here.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";

export interface ThirdParty {
  name: string;
  version: string;
  /** The installed package folder (what `npm pack` turns back into the published tarball). */
  dir: string;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  publishConfig?: Record<string, unknown>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** Node's lookup: `node_modules/<name>` in `from` or the nearest folder above it that has one. */
function locate(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package outside `@hw/*` that npm installs with the given workspace packages: their
 * `dependencies` and required (non-optional) `peerDependencies`, transitively, as installed here.
 * Throws naming the package when one is not installed (run `pnpm install` first) or when its
 * manifest would send `npm publish` to another registry.
 */
export function thirdPartyClosure(packageDirs: readonly string[]): ThirdParty[] {
  const found = new Map<string, ThirdParty>();
  const visit = (dir: string): void => {
    const manifest = readManifest(dir);
    const wanted = { ...manifest.dependencies };
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (manifest.peerDependenciesMeta?.[peer]?.optional !== true) wanted[peer] = range;
    }
    for (const name of Object.keys(wanted)) {
      if (name.startsWith("@hw/")) continue;
      const depDir = locate(name, dir);
      if (depDir === undefined) throw new Error(`release mirror: ${name} (needed by ${manifest.name}) is not installed under ${dir}; run pnpm install`);
      const dep = readManifest(depDir);
      const key = `${dep.name}@${dep.version}`;
      if (found.has(key)) continue;
      const other = [...found.values()].find((p) => p.name === dep.name);
      if (other !== undefined) throw new Error(`release mirror: two versions of ${dep.name} (${other.version}, ${dep.version}); the mirror publishes one version per package`);
      if (dep.publishConfig?.registry !== undefined) throw new Error(`release mirror: ${key} sets publishConfig.registry; it cannot be mirrored`);
      found.set(key, { name: dep.name, version: dep.version, dir: depDir });
      visit(depDir);
    }
  };
  for (const dir of packageDirs) visit(realpathSync(dir));
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
