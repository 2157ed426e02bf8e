import { execFileSync, spawn } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "./errors";
import { emit, readJson, toJson, writeFileSafely } from "./io";

const scratch = () => mkdtempSync(join(tmpdir(), "hw-cli-"));

describe("readJson", () => {
  it("parses a file", () => {
    const dir = scratch();
    writeFileSync(join(dir, "a.json"), '{"x": [1, 2]}');
    expect(readJson(join(dir, "a.json"))).toEqual({ x: [1, 2] });
  });

  it("names the file when it is missing or not JSON", () => {
    const dir = scratch();
    expect(() => readJson(join(dir, "none.json"))).toThrow(/--input .*none\.json: cannot read \(no such file\)/);
    writeFileSync(join(dir, "bad.json"), "{x: 1}");
    expect(() => readJson(join(dir, "bad.json"))).toThrow(InputError);
    expect(() => readJson(join(dir, "bad.json"))).toThrow(/not valid JSON/);
  });
});

describe("writeFileSafely", () => {
  it("writes the whole text and leaves no temporary file", () => {
    const dir = scratch();
    const path = join(dir, "out.json");
    writeFileSafely(path, "first\n");
    writeFileSafely(path, "second\n");
    expect(readFileSync(path, "utf8")).toBe("second\n");
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("fails cleanly into a missing folder, leaving nothing behind", () => {
    const dir = scratch();
    expect(() => {
      writeFileSafely(join(dir, "no", "such", "out.json"), "x");
    }).toThrow(/^--out .*: cannot write \(no such file\)$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("follows a symlink: the link stays a link, its target gets the text", () => {
    const dir = scratch();
    writeFileSync(join(dir, "target.txt"), "old\n");
    symlinkSync(join(dir, "target.txt"), join(dir, "link.txt"));
    writeFileSafely(join(dir, "link.txt"), "new\n");
    expect(lstatSync(join(dir, "link.txt")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.txt"), "utf8")).toBe("new\n");
    expect(readdirSync(dir).sort()).toEqual(["link.txt", "target.txt"]);
  });

  it("writes through a device instead of replacing it (/dev/null stays a device)", () => {
    writeFileSafely("/dev/null", "discarded\n");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("reports a full device (/dev/full) in one line and never replaces it", () => {
    expect(() => {
      writeFileSafely("/dev/full", "x".repeat(100));
    }).toThrow(/^--out \/dev\/full: cannot write \(no space left on device\)$/);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("writes through a FIFO (a reader on the other end gets the text)", async () => {
    const dir = scratch();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const reader = new Promise<string>((resolve, reject) => {
      const child = spawn("cat", [fifo]);
      let got = "";
      child.stdout.on("data", (d: Buffer) => (got += d.toString()));
      child.on("close", () => {
        resolve(got);
      });
      child.on("error", reject);
    });
    writeFileSafely(fifo, "through the pipe\n");
    expect(await reader).toBe("through the pipe\n");
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("toJson and emit", () => {
  it("keeps every number a JSON number: ±∞ as ±1e999, NaN as null; typed arrays become arrays", () => {
    const text = toJson({ a: -Infinity, b: NaN, c: new Float64Array([1.5, 2]), d: Infinity });
    expect(text).toContain('"a": -1e999');
    expect(text).toContain('"d": 1e999');
    expect(JSON.parse(text)).toEqual({ a: -Infinity, b: null, c: [1.5, 2], d: Infinity });
  });

  it("prints text, or JSON carrying the versions of the packages", () => {
    let out = "";
    const sink = { stdout: (t: string) => (out += t), stderr: () => undefined };
    emit(sink, {}, { v: 1 }, () => "v is 1");
    expect(out).toBe("v is 1\n");
    out = "";
    emit(sink, { json: true }, { v: 1 }, () => "v is 1");
    const parsed = JSON.parse(out) as { v: number; versions: Record<string, string> };
    expect(parsed.v).toBe(1);
    expect(Object.keys(parsed.versions)).toEqual(["hw", "@hw/tensor", "@hw/rnn", "@hw/decoding", "@hw/normalization", "@hw/regularization", "@hw/problem-set"]);
    for (const v of Object.values(parsed.versions)) expect(v).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("writes --out - to standard output", () => {
    let out = "";
    emit({ stdout: (t: string) => (out += t), stderr: () => undefined }, { out: "-" }, { v: 1 }, () => "v is 1");
    expect(out).toBe("v is 1\n");
  });

  it("writes no file at all when one of several outputs fails", () => {
    const dir = scratch();
    expect(() => {
      emit({ stdout: () => undefined, stderr: () => undefined }, { out: join(dir, "missing", "out.txt") }, {}, () => "text", [{ flag: "--plot", path: join(dir, "plot.svg"), text: "<svg/>" }]);
    }).toThrow(/^--out .*: cannot write/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
