import { describe, expect, it } from "vitest";
import { arange, tensor, zeros } from "./creation";
import { formatTensor } from "./format";
import { reshape, transpose } from "./views";

describe("formatTensor / toString", () => {
  it("prints integers without decimals and aligns columns", () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe("tensor([[1, 2],\n        [3, 4]])");
    expect(tensor([[1, -20], [300, 4]]).toString()).toBe("tensor([[  1, -20],\n        [300,   4]])");
    expect(tensor([1, 2, 3]).toString()).toBe("tensor([1, 2, 3])");
    expect(String(tensor(7))).toBe("tensor(7)");
  });
  it("prints fractions with 4 decimals, or scientific notation across many decades", () => {
    expect(tensor([0.5, 1.25]).toString()).toBe("tensor([0.5000, 1.2500])");
    expect(tensor([1e-5, 1]).toString()).toBe("tensor([1.0000e-5, 1.0000e+0])");
    expect(formatTensor(tensor([0.5]), { precision: 2 })).toBe("tensor([0.50])");
  });
  it("prints non-finite values as nan / inf", () => {
    expect(tensor([NaN, Infinity, -Infinity, 1.5]).toString()).toBe("tensor([   nan,    inf,   -inf, 1.5000])");
  });
  it("separates 3-d blocks with a blank line and follows strides", () => {
    expect(reshape(arange(8), [2, 2, 2]).toString()).toBe(
      "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
    );
    expect(transpose(tensor([[1, 2], [3, 4]])).toString()).toBe("tensor([[1, 3],\n        [2, 4]])");
  });
  it("notes float32 and empty shapes", () => {
    expect(tensor([1, 2], undefined, { dtype: "float32" }).toString()).toBe("tensor([1, 2], dtype=float32)");
    expect(zeros([0]).toString()).toBe("tensor([])");
    expect(zeros([2, 0]).toString()).toBe("tensor([], size=[2,0])");
  });
  it("summarizes large tensors with ...", () => {
    expect(arange(2000).toString()).toBe("tensor([   0,    1,    2, ..., 1997, 1998, 1999])");
    const big = reshape(arange(10000), [100, 100]).toString();
    expect(big.split("\n")).toHaveLength(7);
    expect(big).toContain("...");
  });
});
