// setThreads from the built package, in a child Node process, for both builds (ESM and CJS): the
// worker source embedded in dist starts, the product equals the one-thread product bitwise, and
// the process exits on its own while the worker threads are still on (they are unref()ed).
// Needs dist (`pnpm build`), like test/pack.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

const body = `
const a = hw.tensor(Array.from({ length: 150 }, (_, i) => Array.from({ length: 140 }, (_, j) => Math.sin(7 * i + j))));
const b = hw.transpose(a);
const one = hw.matmul(a, b).data;
const n = kernels.setThreads(2);
const many = hw.matmul(a, b).data;
const equal = one.length === many.length && one.every((v, i) => Object.is(v, many[i]));
console.log(JSON.stringify({ n, threads: kernels.threads(), equal, backend: kernels.kernelBackend() }));
// No setThreads(1): the process must still exit by itself.
`;

const runs = {
  esm: ["--input-type=module", "-e", `import * as hw from ${JSON.stringify(`${DIST}index.js`)};\nimport * as kernels from ${JSON.stringify(`${DIST}kernels.js`)};\n${body}`],
  cjs: ["--input-type=commonjs", "-e", `const hw = require(${JSON.stringify(`${DIST}index.cjs`)});\nconst kernels = require(${JSON.stringify(`${DIST}kernels.cjs`)});\n${body}`],
} as const;

describe.each(Object.keys(runs) as (keyof typeof runs)[])("setThreads in the %s build", (format) => {
  it.each(["wasm-simd", "js"])("with the %s kernels: bitwise equal, and the process exits with the threads on", (backend) => {
    expect(existsSync(`${DIST}index.js`), "build the package first (pnpm build)").toBe(true);
    const env = { ...process.env, HW_KERNELS: backend === "js" ? "js" : "" };
    // A hang would hit the timeout and fail the test (execFileSync throws on ETIMEDOUT).
    const out = execFileSync(process.execPath, runs[format], { encoding: "utf8", env, timeout: 20_000 });
    expect(JSON.parse(out)).toEqual({ n: 2, threads: 2, equal: true, backend });
  });
});
