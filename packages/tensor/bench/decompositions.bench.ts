/**
 * SVD and symmetric eigendecomposition, n = 200.
 *
 * hw `svd` and `eigh` with both methods — the defaults (`"golub-kahan"`: Householder
 * bidiagonalization + implicit QR; `"tridiagonal"`: Householder tridiagonalization + implicit QL;
 * both run wholly in WASM SIMD when available) and `method: "jacobi"` (one-sided / cyclic Jacobi,
 * TypeScript) — against `ml-matrix`'s `SVD` (Golub–Kahan, LINPACK style) and `EVD` (Householder
 * tridiagonalization + QL), all float64. The "ml-matrix / hw" column is ml-matrix's median divided
 * by the row's (> 1: hw faster). Jacobi trades speed for relative accuracy of tiny singular values /
 * eigenvalues of graded matrices; see the README's accuracy table. The machine is shared: compare
 * rows of one run. Target (issue 15): the defaults ≥ 5× ml-matrix.
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
  { name: "hw svd (default: Golub–Kahan, WASM SIMD)", pair: "svd", ...(await time(() => svd(A), 2000, 5)) },
  { name: "hw svd (method: \"jacobi\")", pair: "svd", ...(await time(() => svd(A, { method: "jacobi" }), 2000, 3)) },
  { name: "ml-matrix new SingularValueDecomposition(A)", pair: "svd", ...(await time(() => new SingularValueDecomposition(mA), 2000, 3)) },
  { name: "hw eigh (default: tridiagonal QL, WASM SIMD)", pair: "eigh", ...(await time(() => eigh(S), 2000, 5)) },
  { name: "hw eigh (method: \"jacobi\")", pair: "eigh", ...(await time(() => eigh(S, { method: "jacobi" }), 2000, 3)) },
  { name: "ml-matrix new EigenvalueDecomposition(S, { assumeSymmetric: true })", pair: "eigh", ...(await time(() => new EigenvalueDecomposition(mS, { assumeSymmetric: true }), 2000, 3)) },
];
const mlOf = (pair: string): Timing => rows.find((r) => r.pair === pair && r.name.startsWith("ml-matrix"))!;
console.log(
  [
    `svd / eigh, n = ${N}, node ${process.version}`,
    "| implementation | median ms | best ms | ml-matrix / hw (median) |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(1)} | ${r.best.toFixed(1)} | ${(mlOf(r.pair).ms / r.ms).toFixed(2)}× |`),
  ].join("\n"),
);

describe("svd and eigh n = 200 (full comparison printed above)", () => {
  bench("hw svd float64", () => {
    svd(A);
  }, { time: 1000, iterations: 2 });
  bench("hw eigh float64", () => {
    eigh(S);
  }, { time: 1000, iterations: 2 });
  bench("hw svd float64, method: jacobi", () => {
    svd(A, { method: "jacobi" });
  }, { time: 1000, iterations: 2 });
  bench("hw eigh float64, method: jacobi", () => {
    eigh(S, { method: "jacobi" });
  }, { time: 1000, iterations: 2 });
});
