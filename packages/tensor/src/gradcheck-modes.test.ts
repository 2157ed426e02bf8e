/**
 * gradcheck's fast mode (random projections) and sparse mode (sampled entries), and gradgradcheck:
 * each passes on correct gradients, fails on a wrong one, and reports the worst entry.
 */
import { describe, expect, it } from "vitest";
import { make, mul, sin, sum } from "../test/helpers/mini-ops";
import { recordOp } from "./autodiff/tape";
import { gradcheck, gradgradcheck, GradcheckError } from "./gradcheck";
import { Tensor } from "./tensor";
import * as ops from "./index";

/** sin with a wrong backward at one flat index (`bad`): the gradient there is off by 1. */
function badSin(x: Tensor, bad: number): Tensor {
  const out = new Tensor(Float64Array.from(x.contiguous().data, Math.sin), x.shape);
  recordOp("badSin", [x], out, (g) => {
    const d = Float64Array.from(x.contiguous().data, Math.cos);
    d[bad] = d[bad]! + 1;
    return [new Tensor(Float64Array.from(g.contiguous().data, (v, i) => v * d[i]!), x.shape)];
  });
  return out;
}

const x20 = make(Array.from({ length: 20 }, (_, i) => 0.1 * i - 0.7));

describe("fast mode", () => {
  it("passes on correct gradients with one projection per input (two evaluations of f each)", () => {
    let calls = 0;
    const report = gradcheck(
      (x: Tensor) => {
        calls++;
        return sum(mul(sin(x), x));
      },
      [x20],
      { fastMode: true },
    );
    expect(report.ok).toBe(true);
    expect(report.mode).toBe("fast");
    expect(report.inputs[0]!.checked).toBe(1);
    expect(calls).toBe(1 + 2); // the analytic pass + two projections, instead of 1 + 2·20
  });

  it("fails on a wrong entry and then reports that entry (full check of the failing input)", () => {
    const report = gradcheck((x: Tensor) => sum(badSin(x, 13)), [x20], { fastMode: true, raise: false });
    expect(report.ok).toBe(false);
    expect(report.inputs[0]!.worstIndex).toEqual([13]);
    expect(() => gradcheck((x: Tensor) => sum(badSin(x, 13)), [x20], { fastMode: true })).toThrow(
      /^gradcheck: input 0 \[13\]: .*fast mode: the random projection failed/,
    );
  });
});

describe("sparse mode", () => {
  it("checks only `samples` entries per input, seeded, and leaves the others NaN", () => {
    const report = gradcheck((x: Tensor) => sum(mul(sin(x), x)), [x20], { samples: 5, seed: 3 });
    expect(report.mode).toBe("sparse");
    const r = report.inputs[0]!;
    expect(r.checked).toBe(5);
    const checked = Array.from(r.numericGrad.data).filter((v) => !Number.isNaN(v));
    expect(checked).toHaveLength(5);
    const again = gradcheck((x: Tensor) => sum(mul(sin(x), x)), [x20], { samples: 5, seed: 3 });
    expect(Array.from(again.inputs[0]!.numericGrad.data).map(Number.isNaN)).toEqual(Array.from(r.numericGrad.data).map(Number.isNaN));
  });

  it("finds a wrong entry when it is sampled (all entries when samples ≥ size)", () => {
    const report = gradcheck((x: Tensor) => sum(badSin(x, 4)), [x20], { samples: 20, raise: false });
    expect(report.ok).toBe(false);
    expect(report.inputs[0]!.worstIndex).toEqual([4]);
  });

  it("rejects bad options with messages naming them", () => {
    expect(() => gradcheck((x: Tensor) => sum(x), [x20], { samples: 0 })).toThrow(/^gradcheck: samples must be a positive integer, got 0/);
    expect(() => gradcheck((x: Tensor) => sum(x), [x20], { samples: 2, fastMode: true })).toThrow(/^gradcheck: fastMode and samples/);
    expect(() => gradcheck((x: Tensor) => sum(x), [x20], { fast: true } as never)).toThrow(/^gradcheck: unknown option `fast`/);
    expect(() => gradcheck(3 as never, [x20])).toThrow(/^gradcheck: f must be a function, got number/);
  });
});

describe("gradgradcheck", () => {
  it("passes on second derivatives of recorded ops and fails on a wrong second derivative", () => {
    const x = ops.tensor([0.3, -1.2, 0.8]);
    expect(gradgradcheck((v: Tensor) => ops.sum(ops.mul(ops.tanh(v), ops.exp(v))), [x]).ok).toBe(true);
    // A backward right at first order but wrong at second: 3x² computed from stopGradient(x), so
    // the recorded graph says its derivative is 0 while central differences of it give 6x.
    const cube = (v: Tensor): Tensor => {
      const out = ops.mul(ops.mul(v, v), v).contiguous();
      const y = new Tensor(Float64Array.from(out.data), out.shape);
      recordOp("cube", [v], y, (g) => [ops.mul(g, ops.mul(3, ops.square(ops.stopGradient(v))))], {
        differentiable: true,
      });
      return y;
    };
    expect(gradcheck((v: Tensor) => ops.sum(cube(v)), [x]).ok).toBe(true);
    const report = gradgradcheck((v: Tensor) => ops.sum(cube(v)), [x], { raise: false });
    expect(report.ok).toBe(false);
    expect(() => gradgradcheck((v: Tensor) => ops.sum(cube(v)), [x])).toThrow(GradcheckError);
    expect(() => gradgradcheck((v: Tensor) => ops.sum(cube(v)), [x])).toThrow(/^gradgradcheck: input 0 \[\d\]/);
  });

  it("reports NotDifferentiableError for an op without a differentiable backward", () => {
    expect(() => gradgradcheck((v: Tensor) => ops.sum(ops.square(ops.topk(v, 2).values)), [ops.tensor([3, 1, 2])])).toThrow(
      ops.NotDifferentiableError,
    );
  });
});
