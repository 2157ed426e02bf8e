import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "./errors";
import { emit, readJson, toJson, writeFileAtomic } from "./io";

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

describe("writeFileAtomic", () => {
  it("writes the whole text and leaves no temporary file", () => {
    const dir = scratch();
    const path = join(dir, "out.json");
    writeFileAtomic(path, "first\n");
    writeFileAtomic(path, "second\n");
    expect(readFileSync(path, "utf8")).toBe("second\n");
    expect(readdirSync(dir)).toEqual(["out.json"]);
  });

  it("fails cleanly into a missing folder, leaving nothing behind", () => {
    const dir = scratch();
    expect(() => {
      writeFileAtomic(join(dir, "no", "such", "out.json"), "x");
    }).toThrow(/--out .*: cannot write \(ENOENT\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("toJson and emit", () => {
  it("keeps non-finite numbers and typed arrays readable", () => {
    expect(JSON.parse(toJson({ a: -Infinity, b: NaN, c: new Float64Array([1.5, 2]) }))).toEqual({ a: "-Infinity", b: "NaN", c: [1.5, 2] });
  });

  it("prints text or JSON", () => {
    let out = "";
    const sink = { stdout: (t: string) => (out += t), stderr: () => undefined };
    emit(sink, {}, { v: 1 }, () => "v is 1");
    expect(out).toBe("v is 1\n");
    out = "";
    emit(sink, { json: true }, { v: 1 }, () => "v is 1");
    expect(JSON.parse(out)).toEqual({ v: 1 });
  });
});
