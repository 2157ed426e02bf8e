import { describe, expect, it } from "vitest";
import { integerOption, matrix, nested, numberOption, object, vector } from "./input";

describe("input validation", () => {
  it("accepts well-formed values", () => {
    expect(matrix([[1, 2], [3, 4]], "A", 2, 2)).toEqual([[1, 2], [3, 4]]);
    expect(vector([1, 2, 3], "v", 3)).toEqual([1, 2, 3]);
    expect(nested([[[1, 2]], [[3, 4]]], "x", 3)).toEqual({ data: [1, 2, 3, 4], shape: [2, 1, 2] });
  });

  it("names the field and the expected vs actual shape", () => {
    expect(() => matrix([[1, 2], [3, 4], [5, 6]], "Uf", 3, 3)).toThrow("Uf: expected a 3×3 matrix, got 3×2");
    expect(() => matrix([[1, 2], [3]], "X")).toThrow("X: ragged rows: row 0 has 2 entries, row 1 has 1");
    expect(() => matrix([[1, Number.NaN]], "X")).toThrow("X[0][1]: expected a finite number, got number NaN");
    expect(() => vector([1, "a"], "y")).toThrow('y[1]: expected a finite number, got the string "a"');
    expect(() => vector([1, 2], "y", 3)).toThrow("y: expected a vector of length 3, got length 2");
    expect(() => nested([[[1, 2]], [[3]]], "x", 3)).toThrow("x[1][0]: ragged array: expected length 2, got 1");
    expect(() => nested([[1, 2]], "x", 3)).toThrow("x: expected a rank-3 nested array, got rank 2");
    expect(() => object([1], "input")).toThrow("input: expected a JSON object, got an array of length 1");
  });

  it("parses numeric options", () => {
    expect(numberOption("0.5", "--p")).toBe(0.5);
    expect(numberOption(undefined, "--p")).toBeUndefined();
    expect(() => numberOption("abc", "--p")).toThrow('--p: expected a number, got "abc"');
    expect(() => integerOption("2.5", "--steps", 1)).toThrow("--steps 2.5: must be an integer");
    expect(() => integerOption("0", "--steps", 1)).toThrow("--steps 0: must be ≥ 1");
  });
});
