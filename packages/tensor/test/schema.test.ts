// `@hw/tensor/schema`: the messages every package's JSON input format prints.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { describeValue, finiteSchema, matrixSchema, matrixShape, strictObjectSchema, unknownKeyMessage, vectorSchema } from "../src/schema";

const first = (schema: v.GenericSchema, value: unknown): string | undefined => v.safeParse(schema, value).issues?.[0].message;
const all = (schema: v.GenericSchema, value: unknown): string[] => (v.safeParse(schema, value).issues ?? []).map((i) => i.message);
const Input = strictObjectSchema({ $schema: v.optional(v.string()), X: matrixSchema, lambda: finiteSchema, w: v.optional(vectorSchema) }, "a ridge input { X, lambda, w? }");

describe("@hw/tensor/schema", () => {
  it("accepts a valid object and returns it unchanged", () => {
    const value = { $schema: "x.json", X: [[1, 2], [3, 4]], lambda: 0.5, w: [] };
    expect(v.parse(Input, value)).toEqual(value);
  });

  it("names the closest known key for a misspelt one, and lists the keys when none is close", () => {
    expect(all(Input, { X: [[1]], lambd: 1 })).toEqual(["missing (required)", "unknown key `lambd` — did you mean `lambda`?"]);
    expect(all(Input, { X: [[1]], lambda: 1, qqqqqqq: 1 })).toEqual(["unknown key `qqqqqqq` (known: X, lambda, w)"]);
    expect(unknownKeyMessage("lamda", ["lambda", "X"])).toBe("unknown key `lamda` — did you mean `lambda`?");
  });

  it("says a required key is missing, and that an array or a number is not the object", () => {
    expect(first(Input, { X: [[1]] })).toBe("missing (required)");
    expect(first(Input, [1, 2, 3])).toBe("expected a ridge input { X, lambda, w? }, got an array of length 3");
    expect(first(Input, 7)).toBe("expected a ridge input { X, lambda, w? }, got number 7");
  });

  it("refuses non-finite and non-number entries, describing the value", () => {
    expect(first(finiteSchema, Infinity)).toBe("expected a finite number, got number Infinity");
    expect(first(finiteSchema, "1")).toBe('expected a finite number, got the string "1"');
    expect(first(vectorSchema, { a: 1 })).toBe("expected a vector (array of numbers), got an object");
    expect(first(vectorSchema, [1, null])).toBe("expected a finite number, got null");
  });

  it("refuses ragged, empty and non-matrix values, naming the ragged row", () => {
    expect(first(matrixSchema, [[1, 2], [3, 4], [5]])).toBe("ragged rows: row 0 has 2 entries, row 2 has 1");
    expect(first(matrixSchema, [])).toBe("expected a non-empty matrix");
    expect(first(matrixSchema, [[]])).toBe("expected a non-empty matrix");
    expect(first(matrixSchema, [1, 2])).toBe("expected a row (array of numbers), got number 1");
    expect(first(matrixSchema, "M")).toBe('expected a matrix (array of rows), got the string "M"');
  });

  it("describes values and shapes for messages", () => {
    expect(describeValue(true)).toBe("boolean true");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue("a".repeat(40))).toBe(`the string "${"a".repeat(20)}"`);
    expect(matrixShape([[1, 2, 3], [4, 5, 6]])).toBe("2×3");
    expect(matrixShape([])).toBe("0×0");
  });
});
