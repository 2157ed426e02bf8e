/* global URL, console */
// Accuracy of hw's svd / eigh (both methods: the default Golub–Kahan / tridiagonal QL, and Jacobi) /
// qr / pinv against NumPy (LAPACK) for condition numbers 1 … 1e12, on the matrices of
// test/fixtures/decompositions.json. Prints the README's Markdown tables.
// Run after `pnpm build`: node bench/linalg-accuracy.js
import { readFileSync } from "node:fs";
import { eigh, matmul, mul, pinv, qr, svd, tensor, transpose } from "../dist/index.js";

const fixture = JSON.parse(readFileSync(new URL("../test/fixtures/decompositions.json", import.meta.url), "utf8"));

function rel(x, y) {
  const a = x.contiguous().data;
  const b = tensor(y).contiguous().data;
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}
function orth(q) {
  const g = matmul(transpose(q), q);
  const k = g.shape[0];
  let s = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += (g.get(i, j) - (i === j ? 1 : 0)) ** 2;
  return Math.sqrt(s);
}
const e = (v) => v.toExponential(1);

const svdRows = [];
const eighRows = [];
const otherRows = [];
const methods = [
  { svd: "golub-kahan", eigh: "tridiagonal" },
  { svd: "jacobi", eigh: "jacobi" },
];
for (const c of fixture.conditioned) {
  const a = tensor(c.a);
  const head = `| ${a.shape.join("×")} | ${e(c.cond)} |`;
  const scale = Math.max(...c.eigenvalues.map(Math.abs));
  const svdCells = [];
  const eighCells = [];
  for (const method of methods) {
    const { U, S, Vh } = svd(a, { method: method.svd });
    let ds = 0;
    S.data.forEach((s, i) => (ds = Math.max(ds, Math.abs(s - c.S[i]) / c.S[0])));
    svdCells.push(`${e(ds)} | ${e(rel(matmul(mul(U, S), Vh), c.a))} | ${e(orth(U))}`);
    const { eigenvalues: w, eigenvectors: V } = eigh(tensor(c.b), { method: method.eigh });
    let dl = 0;
    w.data.forEach((v, i) => (dl = Math.max(dl, Math.abs(v - c.eigenvalues[i]) / scale)));
    eighCells.push(`${e(dl)} | ${e(rel(matmul(mul(V, w), transpose(V)), c.b))} | ${e(orth(V))}`);
  }
  svdRows.push(`${head} ${svdCells.join(" | ")} | ${e(c.svdReconstruction)} / ${e(c.svdOrthogonality)} |`);
  eighRows.push(`${head} ${eighCells.join(" | ")} | ${e(c.eighReconstruction)} |`);
  const { R } = qr(a);
  otherRows.push(`${head} ${e(rel(R, c.R))} | ${e(rel(pinv(a), c.pinv))} |`);
}
// One table per op, so that each fits the docs column. GK = Golub–Kahan (svd default), TQL =
// tridiagonal QL (eigh default), J = Jacobi; LAPACK's own errors in the last column.
console.log("`svd` (Δσ = max |σ − σ_LAPACK| / σ_max; rec = ‖USVh − A‖/‖A‖; orth = ‖UᵀU − I‖):\n");
console.log("| shape | cond | Δσ GK | rec GK | orth GK | Δσ J | rec J | orth J | LAPACK rec / orth |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of svdRows) console.log(r);
console.log("\n`eigh` (Δλ = max |λ − λ_LAPACK| / max |λ|; rec = ‖VΛVᵀ − B‖/‖B‖; orth = ‖VᵀV − I‖):\n");
console.log("| shape | cond | Δλ TQL | rec TQL | orth TQL | Δλ J | rec J | orth J | LAPACK rec |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of eighRows) console.log(r);
console.log("\n`qr` and `pinv`:\n");
console.log("| shape | cond | ‖R − R_LAPACK‖/‖R‖ | ‖A⁺ − A⁺_NumPy‖/‖A⁺‖ |");
console.log("| --- | --- | --- | --- |");
for (const r of otherRows) console.log(r);
