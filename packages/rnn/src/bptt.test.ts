import { expectClose } from "@hw/tensor/testing";
import { describe, expect, it } from "vitest";
import { birnnCases } from "../test/fixture";
import { bptt } from "./bptt";
import { forward } from "./forward";

const GRAD_NAMES = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"] as const;

describe("bptt against PyTorch (test/fixtures/birnn.json)", () => {
  birnnCases.forEach((c, n) => {
    it(`case ${n}: loss, states, outputs, every gradient and the totals match to rtol 1e-9`, () => {
      const { x, z, hfInit, hbInit, ...params } = c.input;
      const r = bptt(params, x, z, { hfInit, hbInit });
      expect(r.loss).toBeCloseTo(c.expected.loss, 12);
      expectClose(r.hf, c.expected.hf, { rtol: 1e-9 });
      expectClose(r.hb, c.expected.hb, { rtol: 1e-9 });
      expectClose(r.y, c.expected.y, { rtol: 1e-9 });
      expectClose(r.dhf, c.expected.dhf, { rtol: 1e-9 });
      expectClose(r.dhb, c.expected.dhb, { rtol: 1e-9 });
      for (const name of GRAD_NAMES) expectClose(r.grads[name], c.expected.grads[name], { rtol: 1e-9, message: name });
      const f = forward(params, x, { hfInit, hbInit });
      expectClose(f.y, c.expected.y, { rtol: 1e-9 });
    });
  });
});
