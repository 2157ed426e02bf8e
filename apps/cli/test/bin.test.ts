import { describe, expect, it } from "vitest";
import { spawnBin } from "./helpers";

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
});
