// Shared tsup settings: ESM only, type declarations, source maps, and the package's version
// injected as `__HW_VERSION__` (the same define Vitest uses, see vitest.shared.ts).
import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/** The tsup config of the package whose tsup.config.ts has URL `configUrl` (pass `import.meta.url`). */
export function hwTsupConfig(configUrl: string, options: Options = {}): ReturnType<typeof defineConfig> {
  const pkg = JSON.parse(readFileSync(new URL("package.json", configUrl), "utf8")) as { version: string };
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    define: { __HW_VERSION__: JSON.stringify(pkg.version) },
    ...options,
  });
}
