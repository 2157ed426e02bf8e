/**
 * SVD and symmetric eigendecomposition, n = 200.
 *
 * hw `svd` (one-sided Jacobi) and `eigh` (cyclic Jacobi) against `ml-matrix`'s `SVD` (Golub–Kahan,
 * LINPACK style) and `EVD` (Householder tridiagonalization + QL), all float64. The "ml-matrix / hw"
 * column is ml-matrix's time divided by hw's (> 1: hw faster). Jacobi methods trade speed for
 * accuracy (high relative accuracy of small singular values, orthogonality to working precision);
 * see the README's accuracy table. The machine is shared: compare rows of one run.
 *
 * Run: `pnpm exec vitest bench --run bench/decompositions.bench.ts`.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from "ml-matrix";
import { bench, describe } from "vitest";
import { filled, time, type Timing } from "./timing";
import { eigh, svd } from "../src/linalg/decompositions";
import { Tensor } from "../src/tensor";

const N = 200;

const a = filled(N * N, 21);
const sym = new Float64Array(N * N);
for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) sym[i * N + j] = a[i * N + j]! + a[j * N + i]!;
const A = new Tensor(a, [N, N]);
const S = new Tensor(sym, [N, N]);
const rowsOf = (d: Float64Array): number[][] => Array.from({ length: N }, (_, i) => Array.from(d.subarray(i * N, (i + 1) * N)));
const mA = new Matrix(rowsOf(a));
const mS = new Matrix(rowsOf(sym));

const rows: (Timing & { name: string; pair: string })[] = [
  { name: "hw svd (one-sided Jacobi)", pair: "svd", ...(await time(() => svd(A), 3000, 3)) },
  { name: "ml-matrix new SingularValueDecomposition(A)", pair: "svd", ...(await time(() => new SingularValueDecomposition(mA), 3000, 3)) },
  { name: "hw eigh (cyclic Jacobi)", pair: "eigh", ...(await time(() => eigh(S), 3000, 3)) },
  { name: "ml-matrix new EigenvalueDecomposition(S, { assumeSymmetric: true })", pair: "eigh", ...(await time(() => new EigenvalueDecomposition(mS, { assumeSymmetric: true }), 3000, 3)) },
];
const hwOf = (pair: string): Timing => rows.find((r) => r.pair === pair && r.name.startsWith("hw"))!;
console.log(
  [
    `svd / eigh, n = ${N}, node ${process.version}`,
    "| implementation | median ms | best ms | ml-matrix / hw (median) |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${r.best.toFixed(1)} | ${(r.ms / hwOf(r.pair).ms).toFixed(2)}× |`),
  ].join("\n"),
);

describe("svd and eigh n = 200 (full comparison printed above)", () => {
  bench("hw svd float64", () => {
    svd(A);
  }, { time: 1000, iterations: 2 });
  bench("hw eigh float64", () => {
    eigh(S);
  }, { time: 1000, iterations: 2 });
});
