import { describe, expect, it } from "vitest";
import { tensor } from "./creation";
import { toTensor } from "./to-tensor";

describe("toTensor", () => {
  it("returns tensors unchanged and converts nested arrays and numbers", () => {
    const t = tensor([1, 2]);
    expect(toTensor(t, "f: x")).toBe(t);
    expect(toTensor([[1, 2], [3, 4]], "f: x").toArray()).toEqual([[1, 2], [3, 4]]);
    expect(toTensor(2.5, "f: x").item()).toBe(2.5);
  });
  it("names the argument in errors", () => {
    expect(() => toTensor("abc" as never, "bptt: x")).toThrow("bptt: x: expected a tensor or nested arrays of numbers, got string");
    expect(() => toTensor(null as never, "bptt: x")).toThrow("got null");
    expect(() => toTensor([[1, 2], [3]], "bptt: x")).toThrow(/^bptt: x: ragged/);
  });
});
