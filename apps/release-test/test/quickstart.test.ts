// The README quick-start checker itself: what it reads as a documented value, and that it fails
// when a documented number, string or field is not what the code computes.
import { describe, expect, it } from "vitest";
import { compareDocumented, documentedAtoms, documentedValue, firstTypeScriptBlock, instrument } from "../src/quickstart.js";

describe("firstTypeScriptBlock", () => {
  it("skips the install block and returns the first ts block", () => {
    const readme = "# x\n\n```sh\nnpm i @hw/x\n```\n\n```ts\nconst a = 1;\n```\n\n```ts\nsecond();\n```\n";
    expect(firstTypeScriptBlock(readme)).toBe("const a = 1;\n");
  });
  it("refuses a README without one", () => {
    expect(() => firstTypeScriptBlock("no code")).toThrow(/no ```ts code block/);
  });
});

describe("instrument", () => {
  it("wraps trailing and own-line documented statements, console.log and declarations", () => {
    const block = [
      "const x = tensor([1, 2]); // => tensor([1, 2])",
      "mean(x).item(); // => 1.5",
      "console.log(x.toString());",
      "// => tensor([1,",
      "//            2])",
      "// A comment that is prose.",
      "f(x); // not documented",
    ].join("\n");
    const { code, lines } = instrument(block);
    expect(lines.map((l) => [l.line, l.documented])).toEqual([
      [1, "tensor([1, 2])"],
      [2, "1.5"],
      [3, "tensor([1, 2])"],
    ]);
    expect(code.split("\n").slice(0, 3)).toEqual([
      "const x = tensor([1, 2]); __hwShow(0, x);",
      "__hwShow(1, (mean(x).item()));",
      "__hwShow(2, (x.toString()));",
    ]);
    expect(code).toContain("f(x); // not documented");
  });
});

describe("documented values", () => {
  it("drops prose: parentheses after a space, text after three spaces or after `]:`", () => {
    expect(documentedValue('tokens ["a"], logProb -1.712025 (ln 0.1805)')).toBe('tokens ["a"], logProb -1.712025');
    expect(documentedValue("[[-0.26], [-1.84]]   total ∇L")).toBe("[[-0.26], [-1.84]]");
    expect(documentedValue("Float64Array [2, 10]: feature 1 (norm √10) penalized 5× more")).toBe("Float64Array [2, 10]");
    expect(documentedAtoms("Float64Array [2, 10]").map((a) => a.value)).toEqual([2, 10]);
    expect(documentedAtoms('gamma2: ["x", true]').map((a) => a.value)).toEqual(["x", true]);
  });

  it("accepts a number rounded to its printed digits, a truncated one within its last digit", () => {
    expect(compareDocumented("-1.712025", Math.log(0.1805))).toBeNull();
    expect(compareDocumented("-1.712026", Math.log(0.1805))).toMatch(/documented -1.712026/);
    expect(compareDocumented("[2.5, 2.5833…]", [2.5, 2.58333333])).toBeNull();
    expect(compareDocumented("[2.5, 2.5834…]", [2.5, 2.58333333])).toBeNull(); // within one unit of the last digit
    expect(compareDocumented("[2.5, 2.5845…]", [2.5, 2.58333333])).not.toBeNull();
    expect(compareDocumented("[1, 1]", [1, 1.0000001])).not.toBeNull(); // integers are exact
    expect(compareDocumented("0.6666666666666666", 2 / 3)).toBeNull();
  });

  it("keeps the order of the documented atoms", () => {
    expect(compareDocumented("[1, 2]", [1, 2])).toBeNull();
    expect(compareDocumented("[2, 1]", [1, 2])).not.toBeNull();
    expect(compareDocumented('["a red fox", "a red car"]', ["a red fox", "a red car"])).toBeNull();
    expect(compareDocumented('["a red car", "a red fox"]', ["a red fox", "a red car"])).not.toBeNull();
    expect(compareDocumented("true", false)).not.toBeNull();
  });

  it("compares an object field by field, in any order, with `≈` and bare names", () => {
    const value = { w: [1.79, 0.81], lambda: 1, mean: 7.49, stderr: 0.021, seed: 1 };
    expect(compareDocumented("{ lambda: 1, w: [1.7…, 0.8…], mean ≈ 7.5, stderr ≈ 0.02, seed, … }", value)).toBeNull();
    expect(compareDocumented("{ lambda: 2, … }", value)).toMatch(/field `lambda`/);
    expect(compareDocumented("{ interval, … }", value)).toMatch(/field `interval`/);
    expect(compareDocumented("{ mean ≈ 7.7 }", value)).not.toBeNull();
  });

  it("reads the numbers a tensor's printed form shows", () => {
    expect(compareDocumented("tensor([[11, 22, 33], [14, 25, 36]])", "tensor([[11, 22, 33],\n        [14, 25, 36]])")).toBeNull();
    expect(compareDocumented("tensor([[11, 22, 33], [14, 25, 37]])", "tensor([[11, 22, 33],\n        [14, 25, 36]])")).not.toBeNull();
  });
});
