import { describe, expect, it } from "vitest";
import { tensor } from "../creation";
import { sum } from "../reduce";
import { grad } from "./grad";
import { NotDifferentiableError, assertNotDifferentiated, isTracked } from "./tape";

describe("the differentiability guard", () => {
  it("is silent outside grad and on untracked tensors", () => {
    expect(() => { assertNotDifferentiated("f", [tensor([1])]); }).not.toThrow();
    const g = grad((x: ReturnType<typeof tensor>) => {
      assertNotDifferentiated("f", [tensor([1]), { a: tensor([2]) }]);
      return sum(x);
    });
    expect(g(tensor([1, 2])).toArray()).toEqual([1, 1]);
  });
  it("throws NotDifferentiableError naming the function when a differentiated tensor reaches it", () => {
    const g = grad((x: ReturnType<typeof tensor>) => {
      expect(isTracked(x)).toBe(true);
      assertNotDifferentiated("viterbi", [{ logits: x }]);
      return sum(x);
    });
    expect(() => g(tensor([1, 2]))).toThrow(NotDifferentiableError);
    expect(() => g(tensor([1, 2]))).toThrow("viterbi: not differentiable");
  });
});
