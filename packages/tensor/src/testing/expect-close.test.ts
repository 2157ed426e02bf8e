import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { transpose } from "../views";
import { expectClose } from "./expect-close";

describe("expectClose passes on close values", () => {
  it("within the default tolerances (rtol 1e-9, atol 1e-12)", () => {
    expectClose(tensor([1, 2]), [1, 2 + 1e-12]);
    expectClose(tensor([1e6]), [1e6 * (1 + 5e-10)]);
    expectClose(tensor([0]), [1e-13]);
    expectClose(3, 3);
    expectClose(tensor(3), 3);
    expectClose(new Float64Array([1, 2]), tensor([1, 2]));
    expectClose(new Float32Array([0.5]), [0.5]);
    expectClose(transpose(tensor([[1, 2], [3, 4]])), [[1, 3], [2, 4]]);
    expectClose(tensor([]), []);
  });
  it("with NaN in the same places and equal infinities", () => {
    expectClose(tensor([NaN, Infinity, -Infinity, 1]), [NaN, Infinity, -Infinity, 1]);
  });
  it("with explicit looser tolerances", () => {
    expectClose(tensor([1.001]), [1], { rtol: 1e-2 });
    expectClose(tensor([0.01]), [0], { atol: 0.1 });
  });
});

describe("expectClose fails on wrong values", () => {
  it("on a shape mismatch", () => {
    expect(() => { expectClose(tensor([[1, 2, 3]]), [1, 2, 3]); }).toThrow("expectClose: shape mismatch: actual [1,3] vs expected [3]");
    expect(() => { expectClose(tensor([1]), 1); }).toThrow(/shape mismatch: actual \[1\] vs expected \[\]/);
  });
  it("on one wrong element, naming the index, the values, the errors and the count", () => {
    expect(() => { expectClose(tensor([[1, 2], [3, 4]]), [[1, 2], [3, 4.5]]); }).toThrow(
      "expectClose: 1 of 4 elements differ (rtol=1e-9, atol=1e-12); worst at [1,1]: actual 4, expected 4.5, abs err 0.5, rel err 0.1111111111111111",
    );
  });
  it("just outside the tolerance (asymmetric rule |a−b| ≤ atol + rtol·|b|)", () => {
    expect(() => { expectClose(tensor([1 + 3e-9]), [1]); }).toThrow(/1 of 1 elements differ/);
    expect(() => { expectClose(tensor([0]), [1e-11]); }).toThrow(/worst at \[0\]/);
  });
  it("reports the worst of several mismatches and their count", () => {
    expect(() => { expectClose([1, 2, 3], [1.1, 2, 30]); }).toThrow(/2 of 3 elements differ .* worst at \[2\]: actual 3, expected 30/);
  });
  it("on NaN against a number, in either direction", () => {
    expect(() => { expectClose(tensor([NaN]), [1]); }).toThrow(/actual NaN, expected 1/);
    expect(() => { expectClose(tensor([1]), [NaN]); }).toThrow(/actual 1, expected NaN/);
  });
  it("on mismatched infinities", () => {
    expect(() => { expectClose(tensor([Infinity]), [-Infinity]); }).toThrow(/1 of 1 elements differ/);
    expect(() => { expectClose(tensor([Infinity]), [1e308]); }).toThrow(/1 of 1/);
  });
  it("with a label", () => {
    expect(() => { expectClose(1, 2, { message: "loss" }); }).toThrow(/^expectClose \(loss\): 1 of 1/);
  });
  it("on inputs it cannot read", () => {
    expect(() => { expectClose("1" as never, 1); }).toThrow(TypeError);
    expect(() => { expectClose([[1], [2, 3]], [[1], [2]]); }).toThrow(/ragged/);
  });
});
