import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, spawnBin } from "./helpers";

describe("the hw binary", () => {
  it("lists every topic in --help", () => {
    const r = spawnBin(["--help"]);
    expect(r.code).toBe(0);
    for (const topic of ["rnn", "decode", "norm", "dropout", "solve"]) expect(r.stdout).toContain(topic);
  });

  it("prints the versions of hw and its packages", () => {
    const r = spawnBin(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hw \d+\.\d+\.\d+/);
    expect(r.stdout).toContain("@hw/tensor");
    expect(r.stdout).toMatch(/^kernels (js|wasm-simd|wasm-relaxed-simd) \(node v\d+\.\d+\.\d+\)$/m);
  });

  it("names the kernel backend HW_KERNELS chose, and warns once when it cannot run the one asked for", () => {
    const js = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8", env: { ...process.env, HW_KERNELS: "js" } });
    expect(js.status).toBe(0);
    expect(js.stdout).toMatch(/^kernels js \(node /m);
    const bogus = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8", env: { ...process.env, HW_KERNELS: "gpu" } });
    expect(bogus.status).toBe(0);
    expect(bogus.stdout).toMatch(/^kernels wasm-/m);
    expect(bogus.stderr).toContain('HW_KERNELS=gpu ignored (setKernelBackend: unknown backend "gpu"');
  });

  it("exits 2 with one readable line for an unknown command", () => {
    const r = spawnBin(["nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("unknown command 'nosuch'");
  });

  it("exits 2 with one readable line for an unknown option", () => {
    const r = spawnBin(["solve", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["hw: unknown option '--bogus'"]);
  });

  it("runs hw solve with one section per question", () => {
    const r = spawnBin(["solve"]);
    expect(r.code).toBe(0);
    for (const q of ["Question 1", "Question 2", "Question 3", "Question 4"]) expect(r.stdout).toContain(q);
    expect(r.stdout).toMatch(/4 verified, 0 failed \(\d+\/\d+ checks passed\)/);
  });

  it("prints hw solve as JSON with a status per question", () => {
    const r = spawnBin(["solve", "--json"]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as { questions: { id: string; status: string }[] };
    expect(parsed.questions.map((q) => q.id)).toEqual(["1", "2", "3", "4"]);
    for (const q of parsed.questions) expect(["verified", "pending"]).toContain(q.status);
  });

  it("rejects an invalid --question choice with exit 2", () => {
    const r = spawnBin(["solve", "--question", "9"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--question");
  });

  it("shows commander's suggestion on one line (hw decod)", () => {
    const r = spawnBin(["decod"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hw: unknown command 'decod' — did you mean decode?\n");
  });

  it("prints a group's help for `hw decode` alone, exit 2, without `(outputHelp)`", () => {
    const r = spawnBin(["decode"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Usage: hw decode [options] [command]");
    expect(r.stderr).not.toContain("outputHelp");
  });

  it("writes through --out /dev/stdout (a device is never replaced)", () => {
    const r = spawnBin(["decode", "count", "--vocabulary-size", "3", "--steps", "2", "--out", "/dev/stdout"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("N^T = 3^2 = 9 (1 digits)\n");
  });

  it("exits quietly when the reader closes the pipe (hw … | head -c 10)", () => {
    const r = spawnSync("sh", ["-c", `node ${BIN} rnn graph --steps 1000 --format text | head -c 10`], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe("");
  });

  it("reports a full disk in one line (--out /dev/full)", () => {
    const r = spawnBin(["decode", "count", "--vocabulary-size", "3", "--steps", "2", "--out", "/dev/full"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("hw: --out /dev/full: cannot write (no space left on device)\n");
  });

  it("resolves relative paths against the caller's folder under `pnpm hw` (INIT_CWD)", () => {
    const caller = mkdtempSync(join(tmpdir(), "hw-caller-"));
    writeFileSync(join(caller, "lm.json"), JSON.stringify({ type: "tree", children: [{ token: "a", prob: 1 }], steps: 1 }));
    const r = spawnSync(process.execPath, [BIN, "decode", "greedy", "--input", "lm.json", "--json"], {
      encoding: "utf8",
      cwd: tmpdir(),
      env: { ...process.env, npm_lifecycle_event: "hw", INIT_CWD: caller },
    });
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { sequences: { tokens: string[] }[] }).sequences[0]!.tokens).toEqual(["a"]);
  });
});
