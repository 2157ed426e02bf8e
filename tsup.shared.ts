// Shared tsup settings: type declarations, source maps, and the package's version injected as
// `__HW_VERSION__` (the same define Vitest uses, see vitest.shared.ts). Published packages ship ESM
// and a CommonJS build (`require("@hw/x")` on Node 20, which cannot `require` ESM without a flag; the
// `exports` map sends `import` to .js/.d.ts and `require` to .cjs/.d.cts). A tensor is recognised by
// its `Symbol.for` brand, so an ESM and a CJS copy in one process still accept each other's tensors.
// Private apps (the CLI) are ESM only.
import { readFileSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/** The tsup config of the package whose tsup.config.ts has URL `configUrl` (pass `import.meta.url`). */
export function hwTsupConfig(configUrl: string, options: Options = {}): ReturnType<typeof defineConfig> {
  const pkg = JSON.parse(readFileSync(new URL("package.json", configUrl), "utf8")) as { version: string; private?: boolean };
  return defineConfig({
    entry: ["src/index.ts"],
    format: pkg.private === true ? ["esm"] : ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    // One shared chunk for packages with several entries (@hw/tensor and @hw/tensor/testing), in CJS too.
    splitting: true,
    target: "node20",
    define: { __HW_VERSION__: JSON.stringify(pkg.version) },
    ...options,
  });
}
