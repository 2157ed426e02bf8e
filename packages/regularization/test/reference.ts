/** Slow, obvious references for the tests: plain nested-array linear algebra, no shared code with src/. */
import { readFileSync } from "node:fs";

export interface DropoutCase {
  readonly input: { X: number[][]; y: number[]; w: number[]; p: number; lambda: number };
  readonly expected: { expectedLoss: number; lambdaDropout: number; wDropout: number[]; wRidge: number[] };
}

/** The cases of test/fixtures/dropout.json (copied from the shared PyTorch/NumPy/scikit-learn fixtures). */
export const fixtureCases: readonly DropoutCase[] = (
  JSON.parse(readFileSync(new URL("./fixtures/dropout.json", import.meta.url), "utf8")) as { cases: DropoutCase[] }
).cases;

/** Solve A x = b by Gaussian elimination with partial pivoting (A square, copied). */
export function gaussSolve(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k] = m[r]![k]! - f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/** XᵀX + diag(penalty) and Xᵀy, by the definition. */
export function normalSystem(X: readonly (readonly number[])[], y: readonly number[], penalty: readonly number[]): { A: number[][]; b: number[] } {
  const d = X[0]!.length;
  const A = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? penalty[i]! : 0)),
  );
  const b = Array.from({ length: d }, (_, j) => X.reduce((s, row, i) => s + row[j]! * y[i]!, 0));
  return { A, b };
}

/** E_R‖y − (X⊙R)w‖² by summing over all 2^(n·d) masks with their probabilities (tiny sizes only). */
export function enumeratedExpectedLoss(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[], p: number): number {
  const n = X.length;
  const d = w.length;
  const cells = n * d;
  let total = 0;
  for (let bits = 0; bits < 2 ** cells; bits++) {
    let prob = 1;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let j = 0; j < d; j++) {
        const kept = ((bits >> (i * d + j)) & 1) === 1;
        prob *= kept ? p : 1 - p;
        if (kept) pred += X[i]![j]! * w[j]!;
      }
      loss += (y[i]! - pred) ** 2;
    }
    total += prob * loss;
  }
  return total;
}
