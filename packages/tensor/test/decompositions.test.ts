/**
 * qr, eigh, svd, pinv, lstsq (minimum norm), norms, matrixRank and cond against NumPy/LAPACK and
 * PyTorch (test/fixtures/decompositions.py, float64); reconstruction and orthogonality for condition
 * numbers 1 … 1e12 (bounded by LAPACK's own error scale, cond·ε); gradients; edge cases.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  cond,
  eigh,
  eye,
  grad,
  gradcheck,
  gradgradcheck,
  lstsq,
  matmul,
  matrixNorm,
  matrixRank,
  mul,
  NotDifferentiableError,
  pinv,
  qr,
  square,
  sum,
  svd,
  tensor,
  transpose,
  vectorNorm,
  zeros,
  type Tensor,
} from "../src/index";
import { expectClose } from "../src/testing";
import fixture from "./fixtures/decompositions.json";
import { testRng } from "./helpers/seeded";

const EPS = Number.EPSILON;
/** Every test of svd/eigh below runs for the default (direct) method and for Jacobi. */
const METHODS = [
  { svd: "golub-kahan", eigh: "tridiagonal" },
  { svd: "jacobi", eigh: "jacobi" },
] as const;

/** ‖x − y‖_F / ‖y‖_F. */
function relErr(x: Tensor, y: Tensor | number[][]): number {
  const yt = Array.isArray(y) ? tensor(y) : y;
  const d = x.contiguous().data;
  const e = yt.contiguous().data;
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    num += (d[i]! - e[i]!) ** 2;
    den += e[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

function orthogonalityError(q: Tensor): number {
  const k = q.shape[1]!;
  const g = matmul(transpose(q), q);
  let s = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += (g.get(i, j) - (i === j ? 1 : 0)) ** 2;
  return Math.sqrt(s);
}

describe("against LAPACK for condition numbers 1 … 1e12", () => {
  for (const c of fixture.conditioned) {
    const a = tensor(c.a);
    const label = `${a.shape.join("×")}, cond ${c.cond.toExponential(0)}`;
    // LAPACK's own error scale: forward errors of order cond·ε, backward errors of order ε.
    const forward = Math.max(1e-9, 10 * c.cond * EPS);
    for (const method of METHODS) {
    it(`svd (${method.svd}) ${label}: singular values, reconstruction, orthogonality`, () => {
      const { U, S, Vh } = svd(a, { method: method.svd });
      const sMax = c.S[0]!;
      S.data.forEach((s, i) => {
        expect(Math.abs(s - c.S[i]!) / sMax, `σ${i}`).toBeLessThan(1e-13);
      });
      expect(relErr(matmul(mul(U, S), Vh), c.a)).toBeLessThan(Math.max(1e-14, 10 * c.svdReconstruction));
      expect(orthogonalityError(U)).toBeLessThan(1e-13);
      expect(orthogonalityError(transpose(Vh))).toBeLessThan(1e-13);
    });
    it(`eigh (${method.eigh}) ${label}: eigenvalues, reconstruction, orthogonality`, () => {
      const b = tensor(c.b);
      const { eigenvalues: w, eigenvectors: V } = eigh(b, { method: method.eigh });
      const scale = Math.max(...c.eigenvalues.map(Math.abs));
      w.data.forEach((v, i) => {
        expect(Math.abs(v - c.eigenvalues[i]!) / scale, `λ${i}`).toBeLessThan(1e-13);
      });
      expect(relErr(matmul(mul(V, w), transpose(V)), c.b)).toBeLessThan(Math.max(1e-14, 10 * c.eighReconstruction));
      expect(orthogonalityError(V)).toBeLessThan(1e-13);
    });
    }
    it(`qr ${label}: Q and R equal LAPACK's (same sign convention)`, () => {
      const { Q, R } = qr(a);
      expect(relErr(R, c.R)).toBeLessThan(forward);
      expect(relErr(Q, c.Q)).toBeLessThan(forward);
      expect(relErr(matmul(Q, R), c.a)).toBeLessThan(Math.max(1e-14, 10 * c.qrReconstruction));
      expect(orthogonalityError(Q)).toBeLessThan(1e-13);
    });
    it(`pinv, cond, matrixRank ${label}`, () => {
      expect(relErr(pinv(a), c.pinv)).toBeLessThan(forward);
      expect(Math.abs(cond(a).item() - c.cond2) / c.cond2).toBeLessThan(forward);
      expect(matrixRank(a)).toBe(c.rank);
    });
  }
});

describe("rank-deficient systems: NumPy's minimum-norm lstsq, pinv, matrixRank", () => {
  for (const c of fixture.deficient) {
    const a = tensor(c.a);
    it(`${a.shape.join("×")} of rank ${c.rank}`, () => {
      const r = lstsq(a, tensor(c.b));
      expect(r.rank).toBe(c.rank);
      expectClose(r.solution, c.solution, { rtol: 1e-9, atol: 1e-12 });
      expectClose(pinv(a), c.pinv, { rtol: 1e-9, atol: 1e-12 });
      expect(matrixRank(a)).toBe(c.matrixRank);
    });
  }
  it("grad through a rank-deficient lstsq refuses instead of returning zeros", () => {
    const a = tensor([[1, 2], [2, 4], [3, 6]]);
    expect(() => grad((x: Tensor) => sum(lstsq(x, tensor([1, 2, 3])).solution))(a)).toThrow(NotDifferentiableError);
    expect(() => grad((x: Tensor) => sum(lstsq(x, tensor([1, 2, 3])).solution))(a)).toThrow(/^lstsq: not differentiable \(a is rank deficient/);
  });
});

describe("norms and condition numbers against NumPy", () => {
  const o = { rtol: 1e-12, atol: 0 };
  for (const c of fixture.norms) {
    const a = tensor(c.a);
    it(a.shape.join("×"), () => {
      expectClose(matrixNorm(a), c.fro, o);
      expectClose(matrixNorm(a, { ord: "fro" }), c.fro, o);
      expectClose(matrixNorm(a, { ord: "nuc" }), c.nuc, o);
      expectClose(matrixNorm(a, { ord: 1 }), c["1"], o);
      expectClose(matrixNorm(a, { ord: 2 }), c["2"], o);
      expectClose(matrixNorm(a, { ord: Infinity }), c.inf, o);
      expectClose(vectorNorm(a, { ord: 1 }), c.vector1, o);
      expectClose(vectorNorm(a), c.vector2, o);
      expectClose(vectorNorm(a, { ord: Infinity }), c.vectorInf, o);
      expectClose(vectorNorm(a, { axes: 0 }), c.vector2Axis0, o);
      if ("cond2" in c) {
        expectClose(cond(a), c.cond2!, { rtol: 1e-11 });
        expectClose(cond(a, { ord: "fro" }), c.condFro!, { rtol: 1e-11 });
        expectClose(cond(a, { ord: 1 }), c.cond1!, { rtol: 1e-11 });
        expectClose(cond(a, { ord: Infinity }), c.condInf!, { rtol: 1e-11 });
        expectClose(cond(a, { ord: "nuc" }), c.condNuc!, { rtol: 1e-11 });
      }
    });
  }
  it("vectorNorm neither overflows nor underflows; options are strict", () => {
    expect(Math.abs(vectorNorm(tensor([3e200, 4e200])).item() / 5e200 - 1)).toBeLessThan(4 * EPS);
    expect(Math.abs(vectorNorm(tensor([3e-200, 4e-200])).item() / 5e-200 - 1)).toBeLessThan(4 * EPS);
    expect(vectorNorm(tensor([0, 0])).item()).toBe(0);
    expect(vectorNorm(tensor([[3, 4]]), { axes: 1, keepDims: true }).toArray()).toEqual([[5]]);
    expect(() => vectorNorm(tensor([1]), { ord: 3 })).toThrow(/^vectorNorm: ord must be 1, 2 or Infinity, got 3/);
    expect(() => matrixNorm(tensor([[1]]), { ord: "frobenius" as never })).toThrow(/^matrixNorm: ord must be/);
    expect(() => vectorNorm(tensor([1]), { axis: 0 } as never)).toThrow(/^vectorNorm: unknown option `axis` — did you mean `axes`\?/);
    expect(() => matrixRank(tensor([[1]]), { rtol: -1 })).toThrow(/^matrixRank: rtol must be a number >= 0, got -1/);
  });
});

describe("gradients against PyTorch autograd (rtol 1e-9)", () => {
  const losses: Record<string, (w: Tensor[]) => (x: Tensor) => Tensor> = {
    svd: ([w1, w2, w3]) => (x) => {
      const { U, S, Vh } = svd(x);
      return add(add(sum(mul(w1!, square(U))), sum(mul(w2!, S))), sum(mul(w3!, square(Vh))));
    },
    qr: ([wq, wr]) => (x) => add(sum(mul(wq!, qr(x).Q)), sum(mul(wr!, qr(x).R))),
    pinv: ([w]) => (x) => sum(mul(w!, pinv(x))),
    "matrixNorm:fro": () => (x) => matrixNorm(x),
    "matrixNorm:nuc": () => (x) => matrixNorm(x, { ord: "nuc" }),
    "matrixNorm:2": () => (x) => matrixNorm(x, { ord: 2 }),
    "matrixNorm:1": () => (x) => matrixNorm(x, { ord: 1 }),
    "matrixNorm:inf": () => (x) => matrixNorm(x, { ord: Infinity }),
    cond: () => (x) => cond(x),
    eigh: ([w1, w2]) => (x) => {
      const { eigenvalues, eigenvectors } = eigh(mul(add(x, transpose(x)), 0.5));
      return add(sum(mul(w1!, eigenvalues)), sum(mul(w2!, square(eigenvectors))));
    },
  };
  fixture.gradients.forEach((c, i) => {
    it(`${c.op} #${i} (${(c.a).length}×${(c.a)[0]!.length})`, () => {
      const f = losses[c.op]!((c.w as unknown as number[][][]).map((w) => tensor(w)));
      const a = tensor(c.a);
      expectClose(f(a), c.value, { rtol: 1e-9 });
      expectClose(grad(f)(a), c.grad, { rtol: 1e-9, atol: 1e-12 });
    });
  });
});

describe("second order, edge cases and refusals", () => {
  const rng = testRng(11);
  it("gradgradcheck of svd, eigh, qr and pinv", () => {
    const a = rng.randn([4, 3]);
    const w = rng.randn([4, 3]);
    expect(gradgradcheck((x: Tensor) => add(sum(mul(w, square(svd(x).U))), sum(square(svd(x).S))), [a]).ok).toBe(true);
    expect(gradgradcheck((x: Tensor) => sum(mul(w, qr(x).Q)), [a]).ok).toBe(true);
    expect(gradgradcheck((x: Tensor) => sum(mul(transpose(w), pinv(x))), [a]).ok).toBe(true);
    const b = rng.randn([3, 3]);
    expect(
      gradgradcheck((x: Tensor) => sum(mul(b, square(eigh(mul(add(x, transpose(x)), 0.5)).eigenvectors))), [b]).ok,
    ).toBe(true);
  });

  it("qr of a wide matrix: reconstruction and gradient", () => {
    const a = rng.randn([2, 4]);
    const { Q, R } = qr(a);
    expect(relErr(matmul(Q, R), a)).toBeLessThan(1e-15);
    expect(R.get(1, 0)).toBe(0);
    const w = rng.randn([2, 4]);
    expect(gradcheck((x: Tensor) => add(sum(mul(w, qr(x).R)), sum(square(qr(x).Q))), [a]).ok).toBe(true);
  });

  it.each(METHODS)("1×1, zero, rank-one and non-contiguous inputs ($svd, $eigh)", ({ svd: svdMethod, eigh: eighMethod }) => {
    const o = { method: svdMethod };
    const one = svd(tensor([[-3]]), o);
    expect([one.U.item(), one.S.item(), one.Vh.item()]).toEqual([1, 3, -1]);
    expect(eigh(tensor([[5]]), { method: eighMethod }).eigenvalues.toArray()).toEqual([5]);
    const z = svd(zeros([3, 2]), o);
    expect(z.S.toArray()).toEqual([0, 0]);
    expect(orthogonalityError(z.U)).toBeLessThan(1e-15);
    const r1 = svd(tensor([[1, 2], [2, 4]]), o);
    expect(r1.S.get(1)).toBeLessThan(1e-15);
    expect(orthogonalityError(r1.U)).toBeLessThan(1e-15);
    const base = rng.randn([3, 5]);
    const view = transpose(base); // 5×3, strides [1, 5]
    const fromView = svd(view, o);
    const fromCopy = svd(view.contiguous(), o);
    expect(fromView.S.toArray()).toEqual(fromCopy.S.toArray());
    expect(relErr(matmul(mul(fromView.U, fromView.S), fromView.Vh), view)).toBeLessThan(1e-14);
  });

  it("singular vectors of a repeated singular value refuse a gradient; the singular values do not", () => {
    const I = eye(3);
    expectClose(grad((x: Tensor) => sum(svd(x).S))(I), eye(3), { rtol: 1e-15 });
    expect(() => grad((x: Tensor) => sum(square(svd(x).U)))(I)).toThrow(NotDifferentiableError);
    expect(() => grad((x: Tensor) => sum(square(svd(x).U)))(I)).toThrow(/^svd: not differentiable \(singular values 0 and 1 are equal/);
    expect(() => grad((x: Tensor) => sum(square(eigh(x).eigenvectors)))(I)).toThrow(/^eigh: not differentiable \(eigenvalues 0 and 1 are equal/);
    expect(() => grad((x: Tensor) => sum(square(svd(x).Vh)))(tensor([[1, 0], [0, 0]]))).toThrow(/^svd: not differentiable \(singular value 1 is 0/);
  });

  it("errors name the function, the argument and the shape", () => {
    expect(() => svd(tensor([1, 2]))).toThrow(/^svd: a must be a 2-D matrix, got shape \[2\]/);
    expect(() => eigh(tensor([[1, 2, 3]]))).toThrow(/^eigh: a must be square, got shape \[1,3\]/);
    expect(() => eigh(tensor([[1, 2], [3, 4]]))).toThrow(/^eigh: matrix is not symmetric \(a\[1,0\] = 3 but a\[0,1\] = 2\)/);
    expect(() => qr(tensor([[1, NaN]]))).toThrow(/^qr: matrix has a non-finite entry NaN at \[0,1\]/);
    expect(() => eigh(tensor([[1]]), { symmetryTol: 1 } as never)).toThrow(/^eigh: unknown option `symmetryTol`/);
    expect(() => svd("x" as never)).toThrow(/^svd: a: expected a tensor/);
    expect(() => svd(tensor([[1]]), { method: "qr" as never })).toThrow(/^svd: method must be "golub-kahan" or "jacobi", got "qr"/);
    expect(() => eigh(tensor([[1]]), { method: "ql" as never })).toThrow(/^eigh: method must be "tridiagonal" or "jacobi", got "ql"/);
    expect(() => svd(tensor([[1]]), { methods: "jacobi" } as never)).toThrow(/^svd: unknown option `methods` — did you mean `method`\?/);
  });

  it.each(METHODS)("random shapes ($svd, $eigh): U S Vh reconstructs A, U and V orthonormal, S descending (property)", (method) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.nat(10000), (m, n, s) => {
        const a = testRng(s).randn([m, n]);
        const { U, S, Vh } = svd(a, { method: method.svd });
        expect(relErr(matmul(mul(U, S), Vh), a)).toBeLessThan(1e-14);
        expect(orthogonalityError(U)).toBeLessThan(1e-14);
        expect(orthogonalityError(transpose(Vh))).toBeLessThan(1e-14);
        for (let i = 1; i < S.size; i++) expect(S.get(i)).toBeLessThanOrEqual(S.get(i - 1));
        const sym = add(matmul(a, transpose(a)), 0);
        const { eigenvalues, eigenvectors } = eigh(sym, { method: method.eigh });
        expect(relErr(matmul(mul(eigenvectors, eigenvalues), transpose(eigenvectors)), sym)).toBeLessThan(1e-14);
      }),
      { numRuns: 40 },
    );
  });

  it("svd (jacobi) converges on a 6×5 Gaussian matrix that never converged with an ε-only threshold (seed 8525)", () => {
    const a = testRng(8525).randn([6, 5]);
    const { U, S, Vh } = svd(a, { method: "jacobi" });
    expect(relErr(matmul(mul(U, S), Vh), a)).toBeLessThan(1e-14);
    expect(orthogonalityError(U)).toBeLessThan(1e-14);
    expect(orthogonalityError(transpose(Vh))).toBeLessThan(1e-14);
  });
});
