/**
 * Gradients of the linear algebra against PyTorch autograd (test/fixtures/linalg_grad.py, float64):
 * ∇ of Σ W ⊙ op(inputs) for every differentiable linear-algebra op, and Hessians of scalar functions
 * of a matrix (second order through the recorded backward passes). Plus gradchecks of lstsq.
 */
import { describe, expect, it } from "vitest";
import {
  add,
  cholesky,
  det,
  grad,
  gradcheck,
  gradgradcheck,
  hessian,
  inv,
  lstsq,
  matmul,
  mul,
  eye,
  slogdet,
  solve,
  solveTriangular,
  square,
  sub,
  sum,
  tensor,
  transpose,
  type Tensor,
} from "../src/index";
import { expectClose } from "../src/testing";
import fixture from "./fixtures/linalg_grad.json";
import { testRng } from "./helpers/seeded";

type Nested = number | Nested[];
const OPS: Record<string, (...xs: Tensor[]) => Tensor> = {
  "solve-vector": solve,
  "solve-matrix": solve,
  "solve-batched": solve,
  inv,
  det,
  "det-batched": det,
  slogdet: (a) => slogdet(a).logAbsDet,
  cholesky: (a) => cholesky(a),
  "cholesky-upper": (a) => cholesky(a, { upper: true }),
  "solve-triangular-lower": (a, b) => solveTriangular(a, b),
  "solve-triangular-upper-transposed": (a, b) => solveTriangular(a, b, { lower: false, transpose: true }),
  "lstsq-tall-vector": (a, b) => lstsq(a, b).solution,
  "lstsq-tall-matrix": (a, b) => lstsq(a, b).solution,
  "lstsq-wide": (a, b) => lstsq(a, b).solution,
  "lstsq-tall-residuals": (a, b) => lstsq(a, b).residuals,
};
const HESSIANS: Record<string, (x: Tensor) => Tensor> = {
  logabsdet: (a) => slogdet(a).logAbsDet,
  det,
  "sum-inv": (a) => sum(inv(a)),
  "cholesky-energy": (a) => sum(square(cholesky(add(matmul(a, transpose(a)), mul(eye(3), 3))))),
};
const opts = { rtol: 1e-9, atol: 1e-12 };

describe("linear-algebra gradients against PyTorch autograd (rtol 1e-9)", () => {
  for (const c of fixture.cases as { name: string; inputs: Nested[]; weight: Nested; output: Nested; grads: Nested[] }[]) {
    it(c.name, () => {
      const op = OPS[c.name]!;
      const inputs = c.inputs.map((x) => tensor(x));
      const w = tensor(c.weight);
      expectClose(op(...inputs), c.output, opts);
      const grads = grad((...xs: Tensor[]) => sum(mul(w, op(...xs))), { argnums: inputs.map((_, i) => i) })(...inputs);
      grads.forEach((g, i) => {
        expectClose(g, c.grads[i]!, { ...opts, message: `${c.name}: gradient of input ${i}` });
      });
    });
  }
  for (const h of fixture.hessians) {
    it(`Hessian of ${h.name}`, () => {
      const f = HESSIANS[h.name]!;
      expectClose(f(tensor(h.x)), h.value, opts);
      expectClose(hessian(f)(tensor(h.x)), h.hessian, opts);
    });
  }
});

describe("lstsq gradients (full rank)", () => {
  const rng = testRng(7);
  it("gradcheck and gradgradcheck: tall and wide, vector and matrix right-hand sides, residuals", () => {
    for (const [m, n, k] of [[5, 3, 0], [4, 2, 2], [2, 4, 0], [3, 5, 2], [3, 3, 1], [1, 1, 0]] as const) {
      const a = rng.randn([m, n]);
      const b = k === 0 ? rng.randn([m]) : rng.randn([m, k]);
      expect(gradcheck((p: Tensor, q: Tensor) => lstsq(p, q).solution, [a, b]).ok).toBe(true);
      expect(gradgradcheck((p: Tensor, q: Tensor) => lstsq(p, q).solution, [a, b]).ok).toBe(true);
      if (m > n) expect(gradcheck((p: Tensor, q: Tensor) => lstsq(p, q).residuals, [a, b]).ok).toBe(true);
    }
  });

  it("the gradient is not zero: grad through lstsq used to return zeros silently", () => {
    const a = tensor([[1, 0], [1, 1], [1, 2]]);
    const b = tensor([1, 3, 4]);
    const gb = grad((y: Tensor) => sum(lstsq(a, y).solution))(b);
    // x = (AᵀA)⁻¹Aᵀb, so ∇_b Σx = A (AᵀA)⁻¹ 1.
    const expected = matmul(a, solve(matmul(transpose(a), a), tensor([1, 1])));
    expectClose(gb, expected, { rtol: 1e-12 });
    expect(Math.abs(gb.get(0))).toBeGreaterThan(0.1);
    expectClose(sub(gb, expected), [0, 0, 0], { atol: 1e-12 });
  });
});
