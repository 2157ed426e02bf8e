/* global URL, console */
// Accuracy of hw's svd / eigh / qr / pinv against NumPy (LAPACK) for condition numbers 1 … 1e12,
// on the matrices of test/fixtures/decompositions.json. Prints the README's Markdown table.
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
const otherRows = [];
for (const c of fixture.conditioned) {
  const a = tensor(c.a);
  const { U, S, Vh } = svd(a);
  let ds = 0;
  S.data.forEach((s, i) => (ds = Math.max(ds, Math.abs(s - c.S[i]) / c.S[0])));
  const { eigenvalues: w, eigenvectors: V } = eigh(tensor(c.b));
  const scale = Math.max(...c.eigenvalues.map(Math.abs));
  let dl = 0;
  w.data.forEach((v, i) => (dl = Math.max(dl, Math.abs(v - c.eigenvalues[i]) / scale)));
  const { R } = qr(a);
  const head = `| ${a.shape.join("×")} | ${e(c.cond)} |`;
  svdRows.push(`${head} ${e(ds)} | ${e(rel(matmul(mul(U, S), Vh), c.a))} (${e(c.svdReconstruction)}) | ${e(orth(U))} (${e(c.svdOrthogonality)}) |`);
  otherRows.push(`${head} ${e(dl)} | ${e(rel(matmul(mul(V, w), transpose(V)), c.b))} (${e(c.eighReconstruction)}) | ${e(rel(R, c.R))} | ${e(rel(pinv(a), c.pinv))} |`);
}
// Two tables, so that each fits the docs column.
console.log("`svd`:\n");
console.log("| shape | cond | σ: max abs diff / σ_max | ‖USVh − A‖/‖A‖ hw (LAPACK) | ‖UᵀU − I‖ hw (LAPACK) |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of svdRows) console.log(r);
console.log("\n`eigh`, `qr` and `pinv`:\n");
console.log("| shape | cond | λ: max abs diff / max abs λ | ‖VΛVᵀ − B‖/‖B‖ hw (LAPACK) | ‖R − R_LAPACK‖/‖R‖ | ‖A⁺ − A⁺_NumPy‖/‖A⁺‖ |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of otherRows) console.log(r);
