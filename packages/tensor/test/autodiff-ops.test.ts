/**
 * grad / valueAndGrad on the package's real ops: small hand-computed examples, and two composite
 * graphs against PyTorch autograd (test/fixtures, float64): the bidirectional RNN of the problem
 * set and training-mode batch norm.
 */
import { describe, expect, it } from "vitest";
import {
  add,
  div,
  grad,
  logSumExp,
  matmul,
  softmax,
  mean,
  mul,
  reshape,
  select,
  sigmoid,
  sqrt,
  stopGradient,
  square,
  sub,
  sum,
  tensor,
  valueAndGrad,
  variance,
  type NestedArray,
  type Tensor,
} from "../src/index";
import { expectClose } from "../src/testing";
import birnnFixture from "./fixtures/birnn.json";
import normFixture from "./fixtures/normalization.json";

describe("autodiff on real ops: hand-computed", () => {
  it("d/dx sum(x*x) = 2x, and the float32 dtype is kept", () => {
    expect(grad((x: Tensor) => sum(mul(x, x)))(tensor([1, -2, 3.5])).toArray()).toEqual([2, -4, 7]);
    const g32 = grad((x: Tensor) => sum(mul(x, x)))(tensor([1.5, 2], undefined, { dtype: "float32" }));
    expect(g32.dtype).toBe("float32");
    expect(g32.toArray()).toEqual([3, 4]);
  });

  it("broadcasting add of [3,1] and [1,4] sums the gradient back", () => {
    const w = reshape(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [3, 4]);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(add(a, b), w)))(
      tensor([[1], [2], [3]]),
      tensor([[10, 20, 30, 40]]),
    );
    expect(ga.toArray()).toEqual([[10], [26], [42]]);
    expect(gb.toArray()).toEqual([[15, 18, 21, 24]]);
  });

  it("reuse: y = x*x + x gives 2x + 1; softmax-cross-entropy gives p − onehot", () => {
    expect(grad((x: Tensor) => sum(add(mul(x, x), x)))(tensor([0.5, -3, 2])).toArray()).toEqual([2, -5, 5]);
    const logits = tensor([1, 2, 0.5]);
    const target = tensor([0, 1, 0]);
    // cross-entropy L = logSumExp(z) − Σ t·z, so ∇ = softmax(z) − t
    const g = grad((z: Tensor) => sub(logSumExp(z), sum(mul(target, z))))(logits);
    const e = [Math.exp(1), Math.exp(2), Math.exp(0.5)];
    const total = e[0]! + e[1]! + e[2]!;
    expectClose(g, [e[0]! / total, e[1]! / total - 1, e[2]! / total], { rtol: 1e-12 });
    expectClose(g, sub(softmax(logits), target), { rtol: 1e-12 });
  });

  it("a chain of 100,000 real ops", () => {
    const g = grad((x: Tensor) => {
      let y = x;
      for (let i = 0; i < 100_000; i++) y = mul(y, 1 + 1e-6);
      return sum(y);
    })(tensor([1, 2]));
    expectClose(g, [Math.pow(1 + 1e-6, 100_000), Math.pow(1 + 1e-6, 100_000)], { rtol: 1e-9 });
  });

  it("the TSDoc examples of grad, valueAndGrad and stopGradient", () => {
    expect(grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2, 3])).toArray()).toEqual([2, 4, 6]);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(a, b)))(tensor([1, 2]), tensor([3, 4]));
    expect([ga.toArray(), gb.toArray()]).toEqual([
      [3, 4],
      [1, 2],
    ]);
    const x = tensor([[1], [2]]);
    const g = grad((p: { w: Tensor; b: Tensor }) => sum(add(mul(x, p.w), p.b)))({ w: tensor(0.5), b: tensor(0) });
    expect([g.w.item(), g.b.item(), g.w.shape]).toEqual([3, 2, []]);
    const { value, grad: g2 } = valueAndGrad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2]));
    expect([value.item(), g2.toArray()]).toEqual([5, [2, 4]]);
    expect(grad((x: Tensor) => sum(mul(x, stopGradient(x))))(tensor([3])).toArray()).toEqual([3]);
  });

  it("calling the returned function twice gives the same answer", () => {
    const df = grad((x: Tensor) => sum(mul(sigmoid(x), x)));
    const x = tensor([0.3, 1.1, -2]);
    expect(df(x).toArray()).toEqual(df(x).toArray());
  });
});

interface BirnnCase {
  input: Record<"Wf" | "Uf" | "Vf" | "Wb" | "Ub" | "Vb" | "hfInit" | "hbInit" | "x" | "z", NestedArray>;
  expected: {
    loss: number;
    grads: Record<"Wf" | "Uf" | "Vf" | "Wb" | "Ub" | "Vb" | "hfInit" | "hbInit", NestedArray>;
  };
}

interface BirnnParams {
  Wf: Tensor;
  Uf: Tensor;
  Vf: Tensor;
  Wb: Tensor;
  Ub: Tensor;
  Vb: Tensor;
  hfInit: Tensor;
  hbInit: Tensor;
}

/** L = Σ_t ‖z_t − y_t‖², written with the package's ops exactly as Question 1 states it. */
function birnnLoss(p: BirnnParams, x: Tensor, z: Tensor): Tensor {
  const T = x.shape[0]!;
  const hf: Tensor[] = [];
  let h = p.hfInit;
  for (let t = 0; t < T; t++) {
    h = sigmoid(add(matmul(p.Wf, select(x, 0, t)), matmul(p.Uf, h)));
    hf.push(h);
  }
  const hb: Tensor[] = new Array<Tensor>(T);
  h = p.hbInit;
  for (let t = T - 1; t >= 0; t--) {
    h = sigmoid(add(matmul(p.Wb, select(x, 0, t)), matmul(p.Ub, h)));
    hb[t] = h;
  }
  let loss: Tensor = tensor(0);
  for (let t = 0; t < T; t++) {
    const y = add(matmul(p.Vf, hf[t]!), matmul(p.Vb, hb[t]!));
    loss = add(loss, sum(square(sub(select(z, 0, t), y))));
  }
  return loss;
}

describe("autodiff vs PyTorch autograd: bidirectional RNN (problem set Q1)", () => {
  const cases = (birnnFixture as unknown as { cases: BirnnCase[] }).cases;
  it.each(cases.map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const keys = ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"] as const;
    const params = Object.fromEntries(keys.map((k) => [k, tensor(c.input[k])])) as unknown as BirnnParams;
    const x = tensor(c.input.x);
    const z = tensor(c.input.z);
    const { value, grad: g } = valueAndGrad(birnnLoss, { argnums: 0 })(params, x, z);
    expectClose(value, c.expected.loss, { rtol: 1e-10 });
    for (const k of keys) expectClose(g[k], c.expected.grads[k], { rtol: 1e-9, atol: 1e-12, message: k });
  });
});

interface NormCase {
  input: { x: NestedArray; gamma: NestedArray; beta: NestedArray; eps: number };
  expected: { batch: { mean: NestedArray; var: NestedArray; grad: Record<"upstream" | "x" | "gamma" | "beta", NestedArray> } };
}

describe("autodiff vs PyTorch autograd: training-mode batch norm", () => {
  const cases = (normFixture as unknown as { cases: NormCase[] }).cases;
  it.each(cases.map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const x = tensor(c.input.x); // [B, C, F]
    const C = x.shape[1]!;
    const upstream = tensor(c.expected.batch.grad.upstream);
    const loss = (x: Tensor, gamma: Tensor, beta: Tensor) => {
      const mu = mean(x, [0, 2], { keepDims: true });
      const v = variance(x, [0, 2], { keepDims: true }); // biased (correction 0), as batch norm
      const xhat = div(sub(x, mu), sqrt(add(v, c.input.eps)));
      const y = add(mul(reshape(gamma, [1, C, 1]), xhat), reshape(beta, [1, C, 1]));
      return sum(mul(y, upstream));
    };
    const [gx, gg, gb] = grad(loss)(x, tensor(c.input.gamma), tensor(c.input.beta));
    expectClose(gx, c.expected.batch.grad.x, { rtol: 1e-9, atol: 1e-12, message: "x" });
    expectClose(gg, c.expected.batch.grad.gamma, { rtol: 1e-9, atol: 1e-12, message: "gamma" });
    expectClose(gb, c.expected.batch.grad.beta, { rtol: 1e-9, atol: 1e-12, message: "beta" });
  });
});
