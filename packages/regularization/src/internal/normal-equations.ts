/** The normal equations (XᵀX + diag(penalty)) w = Xᵀy solved by Cholesky, with a clear error when singular. */
import { choleskyInPlace, choleskySolveInPlace, gram, inverseNorm1Estimate, norm1, xty } from "./cholesky";
import type { Regression } from "./linear-input";

/** XᵀX and Xᵀy of a regression, computed once and shared by several solves. */
export interface NormalEquations {
  readonly d: number;
  readonly gram: Float64Array;
  readonly xty: Float64Array;
}

export function normalEquations(r: Regression): NormalEquations {
  const g = new Float64Array(r.d * r.d);
  gram(r.x, r.n, r.d, g);
  const b = new Float64Array(r.d);
  xty(r.x, r.y, r.n, r.d, b);
  return { d: r.d, gram: g, xty: b };
}

/** The squared column norms Γ²_jj = (XᵀX)_jj, read off the Gram matrix. */
export function gramDiagonal(ne: NormalEquations): Float64Array {
  const out = new Float64Array(ne.d);
  for (let j = 0; j < ne.d; j++) out[j] = ne.gram[j * ne.d + j]!;
  return out;
}

/** A solution and the 1-norm condition estimate of the system matrix. */
export interface Solved {
  readonly w: Float64Array;
  readonly condition: number;
}

/**
 * Solve (XᵀX + diag(penalty)) w = Xᵀy. Each Cholesky pivot must exceed d·ε times its own diagonal
 * entry, else the system is singular to working precision and a RangeError names the pivot (never a
 * silent NaN).
 */
export function solvePenalized(op: string, ne: NormalEquations, penalty: Float64Array, system: string): Solved {
  const { d } = ne;
  const a = Float64Array.from(ne.gram);
  for (let j = 0; j < d; j++) a[j * d + j] = a[j * d + j]! + penalty[j]!;
  const anorm = norm1(a, d);
  const rel = d * Number.EPSILON;
  const failed = choleskyInPlace(a, d, rel);
  if (failed >= 0) {
    const diag = ne.gram[failed * d + failed]! + penalty[failed]!;
    throw new RangeError(
      `${op}: ${system} is singular to working precision (Cholesky pivot ${failed + 1} of ${d}, feature ${failed}, is not > ${d}ε·${diag.toPrecision(3)}): ` +
        `feature ${failed} is zero or a linear combination of features 0..${Math.max(0, failed - 1)}; give it a positive penalty or remove it`,
    );
  }
  const w = Float64Array.from(ne.xty);
  choleskySolveInPlace(a, d, w);
  const condition = anorm * inverseNorm1Estimate(a, d);
  return { w, condition };
}
