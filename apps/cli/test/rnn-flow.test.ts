// `hw rnn flow` on the PyTorch fixture (test/fixtures/birnn.json): the Jacobian products are rebuilt
// here from PyTorch's states (∂h_{k+1}/∂h_k = diag(h_{k+1}(1 − h_{k+1}))·U for sigmoid units), and the
// command's singular values are checked against them through two invariants that need no SVD:
// Σσᵢ² = ‖J‖²_F and Πσᵢ = |det J|; the per-step norms are checked as ‖Jᵀ∇_{h_T}L_T‖.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCaptured } from "./helpers";

type M = number[][];
interface Case {
  input: { Uf: M; Ub: M; Vf: M; x: M; z: M };
  expected: { hf: M; hb: M; y: M };
}
const fixture = fileURLToPath(new URL("fixtures/birnn.json", import.meta.url));
const cases = (JSON.parse(readFileSync(fixture, "utf8")) as { cases: Case[] }).cases;
const dir = mkdtempSync(join(tmpdir(), "hw-rnn-flow-"));

const matmul = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const step = (h: number[], U: M): M => U.map((row, i) => row.map((u) => h[i]! * (1 - h[i]!) * u));
const frob2 = (a: M): number => a.flat().reduce((s, v) => s + v * v, 0);
const identity = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
/** |det| by Gaussian elimination with partial pivoting. */
function absDet(a0: M): number {
  const a = a0.map((r) => [...r]);
  let det = 1;
  for (let c = 0; c < a.length; c++) {
    let p = c;
    for (let r = c + 1; r < a.length; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    det *= a[c]![c]!;
    if (det === 0) return 0;
    for (let r = c + 1; r < a.length; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < a.length; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return Math.abs(det);
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

interface Flow {
  fromLastF: number[];
  spectrumF: M;
  spectrumB: M;
  boundF: number[];
  boundB: number[];
}

describe("hw rnn flow", () => {
  cases.forEach((c, n) => {
    it(`case ${n}: singular values and per-step norms agree with Jacobian products built from PyTorch's states`, async () => {
      const file = join(dir, `case${n}.json`);
      writeFileSync(file, JSON.stringify(c.input));
      const r = await runCaptured(["rnn", "flow", "--input", file, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as Flow;
      const { hf, hb, y } = c.expected;
      const T = hf.length;
      const H = hf[0]!.length;
      expect(out.spectrumF).toHaveLength(T);
      expect(out.spectrumB).toHaveLength(T);
      // Forward chain: J_s = ∂h_T/∂h_{T−s} = M_{T−1}···M_{T−s}, M_k = diag(σ′(h_{k+1}))·Uf (h_{k+1} is row k).
      let J = identity(H);
      for (let s = 1; s <= T; s++) {
        J = matmul(J, step(hf[T - s]!, c.input.Uf));
        const sv = out.spectrumF[s - 1]!;
        expect(sv).toHaveLength(H);
        for (let i = 1; i < H; i++) expect(sv[i]!).toBeLessThanOrEqual(sv[i - 1]!);
        expect(rel(sv.reduce((acc, v) => acc + v * v, 0), frob2(J))).toBeLessThan(1e-9);
        // Πσᵢ = |det J| to the accuracy the condition number κ = σ₁/σ_H allows (σ_H carries ~ε·σ₁).
        const det = absDet(J);
        const kappa = sv[0]! / sv[H - 1]!;
        if (det > 1e-250) expect(rel(sv.reduce((acc, v) => acc * v, 1), det)).toBeLessThan(Math.max(1e-9, 1e-13 * H * kappa));
        expect(sv[0]!).toBeLessThanOrEqual(out.boundF[s - 1]! * (1 + 1e-12));
        // ∇_{h_t}L_T = J_{T−t}ᵀ ∇_{h_T}L_T with ∇_{h_T}L_T = 2·Vfᵀ(y_T − z_T), t = T − s.
        if (s < T) {
          const g = c.input.Vf[0]!.map((_, j) => c.input.Vf.reduce((acc, row, k) => acc + 2 * row[j]! * (y[T - 1]![k]! - c.input.z[T - 1]![k]!), 0));
          const back = J[0]!.map((_, j) => J.reduce((acc, row, i) => acc + row[j]! * g[i]!, 0));
          expect(rel(out.fromLastF[T - s - 1]!, Math.hypot(...back))).toBeLessThan(1e-9);
        }
      }
      // Backward chain: ∂h(b)_1/∂h(b)_{1+s} = N_1···N_s, N_k = diag(σ′(h(b)_k))·Ub.
      let K = identity(H);
      for (let s = 1; s <= T; s++) {
        K = matmul(K, step(hb[s - 1]!, c.input.Ub));
        const sv = out.spectrumB[s - 1]!;
        expect(rel(sv.reduce((acc, v) => acc + v * v, 0), frob2(K))).toBeLessThan(1e-9);
        expect(sv[0]!).toBeLessThanOrEqual(out.boundB[s - 1]! * (1 + 1e-12));
      }
    });
  });

  it("prints the per-step norms and the spans as tables", async () => {
    const r = await runCaptured(["rnn", "flow", "--input", "example"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Gradient flow through time (T = 5, H = 4");
    expect(r.stdout).toMatch(/^s +fwd σ_max +fwd σ_min/m);
    expect(r.stdout.split("\n").filter((l) => /^\s*[1-5]\s/.test(l))).toHaveLength(10);
  });

  it("--plot writes an SVG chart, and nothing when the input is bad", async () => {
    const plot = join(dir, "spectrum.svg");
    const r = await runCaptured(["rnn", "flow", "--input", "example", "--plot", plot]);
    expect(r.code).toBe(0);
    const svg = readFileSync(plot, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("span s (steps)");
    expect(svg).toContain("σ1");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...cases[0]!.input, Uf: [[1, 2]] }));
    const before = readdirSync(dir).length;
    const failed = await runCaptured(["rnn", "flow", "--input", bad, "--plot", join(dir, "never.svg")]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
    expect(failed.stderr).toContain("Uf");
    expect(existsSync(join(dir, "never.svg"))).toBe(false);
    expect(readdirSync(dir)).toHaveLength(before);
  });
});
