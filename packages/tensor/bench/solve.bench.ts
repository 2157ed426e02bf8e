/**
 * Linear solve A x = b, n = 500.
 *
 * hw `solve` (blocked LU with partial pivoting; with WASM SIMD the whole factorisation runs in
 * wasm memory, trailing updates on the packed gemm in place) against `ml-matrix` — `solve(A, b)`
 * and `new LuDecomposition(A).solve(b)` — all float64. The "hw speed-up" column is the other's
 * time divided by hw's. The machine is shared: compare rows of one run. Target (issue 15): ≥ 5×
 * ml-matrix's LU solve.
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/solve.bench.ts`).
 */
import { LuDecomposition, Matrix, solve as mlSolve } from "ml-matrix";
import { bench, describe } from "vitest";
import { filled, time, type Timing } from "./timing";
import { solve } from "../src/linalg/solve";
import { Tensor } from "../src/tensor";

const N = 500;

const a = filled(N * N, 11);
const rhs = filled(N, 12);
const A = new Tensor(a, [N, N]);
const B = new Tensor(rhs, [N]);
const mA = new Matrix(Array.from({ length: N }, (_, i) => Array.from(a.subarray(i * N, (i + 1) * N))));
const mB = Matrix.columnVector(Array.from(rhs));

const rows: (Timing & { name: string })[] = [
  { name: "hw solve (blocked LU) float64", ...(await time(() => solve(A, B), 2000, 10)) },
  { name: "ml-matrix new LuDecomposition(A).solve(b)", ...(await time(() => new LuDecomposition(mA).solve(mB), 2000, 5)) },
  { name: "ml-matrix solve(A, b)", ...(await time(() => mlSolve(mA, mB), 2000, 5)) },
];
const hw = rows[0]!;
console.log(
  [
    `solve A x = b, n = ${N}, node ${process.version} (LU: 2n³/3 ≈ ${((2 * N ** 3) / 3 / 1e6).toFixed(0)} Mflop)`,
    "| implementation | median ms | best ms | GFLOP/s (2n³/3, median) | hw speed-up (median) |",
    "|---|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.ms.toFixed(2)} | ${r.best.toFixed(2)} | ${((2 * N ** 3) / 3 / r.ms / 1e6).toFixed(2)} | ${(r.ms / hw.ms).toFixed(2)}× |`,
    ),
  ].join("\n"),
);

describe("solve n = 500 (full comparison printed above)", () => {
  bench("hw solve float64", () => {
    solve(A, B);
  }, { time: 1000, iterations: 5 });
});
