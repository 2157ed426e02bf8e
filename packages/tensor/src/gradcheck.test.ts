import { describe, expect, it } from "vitest";
import { add, make, mul, scale, sin, sum, valuesOf } from "../test/helpers/mini-ops";
import { recordOp } from "./autodiff/tape";
import { gradcheck, GradcheckError } from "./gradcheck";
import { Tensor } from "./tensor";

/** x³ with a deliberately wrong backward at one flat position: g·3x² everywhere except `bad`. */
function cubeWrongAt(bad: number) {
  return (x: Tensor): Tensor => {
    const xv = valuesOf(x);
    const out = make(
      xv.map((v) => v * v * v),
      x.shape,
    );
    recordOp("cubeWrong", [x], out, (g) => [
      make(
        valuesOf(g).map((gv, k) => gv * 3 * xv[k]! * xv[k]! * (k === bad ? 1.5 : 1)),
        x.shape,
      ),
    ]);
    return out;
  };
}

describe("gradcheck", () => {
  it("passes on correct gradients and reports tiny errors", () => {
    const x = make([0.3, -1.2, 2.5, 0.1], [2, 2]);
    const y = make([1.5, -0.5], [1, 2]);
    const report = gradcheck((x: Tensor, y: Tensor) => sum(mul(sin(x), add(x, y))), [x, y]);
    expect(report.ok).toBe(true);
    expect(report.inputs).toHaveLength(2);
    expect(report.inputs[0]!.name).toBe("0");
    expect(report.inputs[1]!.shape).toEqual([1, 2]);
    for (const r of report.inputs) {
      expect(r.ok).toBe(true);
      expect(r.maxAbsError).toBeLessThan(1e-8);
      expect(r.worstIndex).toHaveLength(2);
    }
    expect(report.eps).toBe(1e-6);
    expect(report.atol).toBe(1e-5);
    expect(report.rtol).toBe(1e-3);
    expect(report.notes).toEqual([]);
  });

  it("the numeric gradient matches the closed form (central differences are second order)", () => {
    const x = make([0.2, 1.3, -0.7]);
    const report = gradcheck((x: Tensor) => sum(sin(x)), [x]);
    const numeric = valuesOf(report.inputs[0]!.numericGrad);
    numeric.forEach((n, k) => {
      expect(Math.abs(n - Math.cos(valuesOf(x)[k]!))).toBeLessThan(1e-9);
    });
  });

  it("FAILS on a wrong backward and names the input and the nested index", () => {
    const x = make([0.5, -1, 1.5, 2, -2.5, 0.75], [2, 3]);
    const f = cubeWrongAt(4); // flat 4 = [1,1]
    expect(() => gradcheck((x: Tensor) => sum(f(x)), [x])).toThrow(GradcheckError);
    expect(() => gradcheck((x: Tensor) => sum(f(x)), [x])).toThrow(
      /^gradcheck: input 0 \[1,1\]: analytic 28\.125 vs numeric 18\.75 \(abs err 9\.375 > /,
    );
    const report = gradcheck((x: Tensor) => sum(f(x)), [x], { raise: false });
    expect(report.ok).toBe(false);
    const r = report.inputs[0]!;
    expect(r.ok).toBe(false);
    expect(r.worstIndex).toEqual([1, 1]);
    expect(r.analytic).toBeCloseTo(1.5 * 3 * 6.25, 12);
    expect(r.numeric).toBeCloseTo(3 * 6.25, 6);
    expect(r.maxAbsError).toBeCloseTo(0.5 * 3 * 6.25, 6);
    expect(r.maxRelError).toBeCloseTo(1 / 3, 6);
  });

  it("names a record input by its key and finds the failing one among several", () => {
    const W = make([0.1, 0.2, 0.3, 0.4], [2, 2]);
    const b = make([1, -1, 0.5]);
    const f = cubeWrongAt(2);
    const loss = (p: { W: Tensor; b: Tensor }) => add(sum(mul(p.W, p.W)), sum(f(p.b)));
    let error: unknown;
    try {
      gradcheck(loss, { W, b });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradcheckError);
    const ge = error as GradcheckError;
    expect(ge.message).toMatch(/^gradcheck: input "b" \[2\]: analytic 1\.125 vs numeric 0\.75 /);
    expect(ge.report.inputs.map((r) => [r.name, r.ok])).toEqual([
      ["W", true],
      ["b", false],
    ]);
  });

  it("checks non-scalar outputs through a fixed random cotangent, and catches a wrong backward there too", () => {
    const x = make([0.5, -1, 1.5]);
    expect(gradcheck((x: Tensor) => mul(sin(x), x), [x]).ok).toBe(true);
    const report = gradcheck(cubeWrongAt(0), [x], { raise: false });
    expect(report.ok).toBe(false);
    expect(report.inputs[0]!.worstIndex).toEqual([0]);
    // the cotangent is deterministic: same seed, same numbers
    const again = gradcheck(cubeWrongAt(0), [x], { raise: false });
    expect(again.inputs[0]!.analytic).toBe(report.inputs[0]!.analytic);
  });

  it("a missing gradient (an op that records nothing) fails", () => {
    const untracked = (x: Tensor): Tensor => make(valuesOf(x).map((v) => 2 * v), x.shape);
    expect(() => gradcheck((x: Tensor) => sum(untracked(x)), [make([1, 2])])).toThrow(
      /^gradcheck: input 0 \[0\]: analytic 0 vs numeric 2 /,
    );
  });

  it("converts float32 inputs to float64 with a note", () => {
    const x = new Tensor(Float32Array.from([0.5, 1.5]), [2]);
    let seen: string | undefined;
    const report = gradcheck(
      (x: Tensor) => {
        seen = x.dtype;
        return sum(scale(x, 3));
      },
      [x],
    );
    expect(seen).toBe("float64");
    expect(report.ok).toBe(true);
    expect(report.notes).toEqual(["input 0 converted from float32 to float64"]);
  });

  it("handles 0-d, empty and non-contiguous inputs without touching the caller's data", () => {
    const base = make([1, 2, 3, 4, 5, 6], [2, 3]);
    const view = new Tensor(base.data, [3, 2], [1, 3]);
    const before = valuesOf(view);
    const r = gradcheck((s: Tensor, e: Tensor, v: Tensor) => add(mul(s, sum(sin(v))), sum(e)), [
      make([2], []),
      make([], [2, 0]),
      view,
    ]);
    expect(r.ok).toBe(true);
    expect(r.inputs[0]!.worstIndex).toEqual([]);
    expect(r.inputs[1]!.worstIndex).toBeNull();
    expect(r.inputs[1]!.maxAbsError).toBe(0);
    expect(r.inputs[2]!.shape).toEqual([3, 2]);
    expect(valuesOf(view)).toEqual(before);
  });

  it("NaN gradients fail", () => {
    const report = gradcheck((x: Tensor) => sum(mul(x, x)), [make([NaN, 1])], { raise: false });
    expect(report.ok).toBe(false);
    expect(report.inputs[0]!.worstIndex).toEqual([0]);
    expect(report.inputs[0]!.maxAbsError).toBeNaN();
  });

  it("tolerances are respected: a 1e-4 relative error passes at rtol 1e-3 and fails at rtol 1e-5", () => {
    const slightlyOff = (x: Tensor): Tensor => {
      const xv = valuesOf(x);
      const out = make(xv.map((v) => 5 * v), x.shape);
      recordOp("off", [x], out, (g) => [make(valuesOf(g).map((gv) => gv * 5 * (1 + 1e-4)), x.shape)]);
      return out;
    };
    const f = (x: Tensor) => sum(slightlyOff(x));
    expect(gradcheck(f, [make([1, 2])]).ok).toBe(true);
    expect(gradcheck(f, [make([1, 2])], { rtol: 1e-5, atol: 0, raise: false }).ok).toBe(false);
  });

  it("bad options and inputs are clear errors", () => {
    const f = (x: Tensor) => sum(x);
    expect(() => gradcheck(f, [make([1])], { eps: 0 })).toThrow(/^gradcheck: eps must be a positive number, got 0/);
    expect(() => gradcheck(f, [make([1])], { atol: -1 })).toThrow(RangeError);
    expect(() => gradcheck(f, [3 as unknown as Tensor])).toThrow(/^gradcheck: input 0 is not a tensor \(got number\)/);
    expect(() => gradcheck((x: Tensor) => x.size as unknown as Tensor, [make([1])])).toThrow(TypeError);
  });
});
