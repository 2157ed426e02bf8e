/**
 * Householder QR kernels of `@hw/tensor/kernels` on row-major float64 arrays. `householderQr`
 * allocates one scratch row of c entries.
 */

/**
 * Householder QR of the r×c row-major `w` in place (LAPACK `geqrf`'s sign convention,
 * $r_{jj} = -\operatorname{sign}(a_{jj})\lVert a_{j:,j}\rVert$; columns beyond r are only updated): on return the reflector vectors
 * are below the diagonal (with `v_j[j]` in `head[j]`), `R` strictly above it and `diag` holds
 * R's diagonal. `beta[j] = 2 / vᵀv` (0 for a zero column).
 */
export function householderQr(r: number, c: number, w: Float64Array, diag: Float64Array, head: Float64Array, beta: Float64Array): void {
  const s = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    // Scaled norm of w[j:, j] (no overflow for huge entries).
    let scale = 0;
    for (let i = j; i < r; i++) scale = Math.max(scale, Math.abs(w[i * c + j]!));
    if (scale === 0) {
      diag[j] = 0;
      head[j] = 0;
      beta[j] = 0;
      continue;
    }
    let tail = 0;
    for (let i = j + 1; i < r; i++) tail = Math.max(tail, Math.abs(w[i * c + j]!));
    if (tail === 0) {
      // Nothing below the diagonal: no reflection (LAPACK's dlarfg sets τ = 0), r_jj keeps its sign.
      diag[j] = w[j * c + j]!;
      head[j] = 0;
      beta[j] = 0;
      continue;
    }
    let ss = 0;
    for (let i = j; i < r; i++) ss += (w[i * c + j]! / scale) ** 2;
    const norm = scale * Math.sqrt(ss);
    const x0 = w[j * c + j]!;
    const alpha = x0 >= 0 ? -norm : norm; // sign chosen to avoid cancellation in v0 = x0 − alpha
    const v0 = x0 - alpha;
    let vtv = v0 * v0;
    for (let i = j + 1; i < r; i++) vtv += w[i * c + j]! ** 2;
    const b = 2 / vtv;
    diag[j] = alpha;
    head[j] = v0;
    beta[j] = b;
    // Apply H = I − β v vᵀ to the columns j+1 … c−1, row by row (contiguous reads).
    s.fill(0, j + 1);
    for (let i = j; i < r; i++) {
      const vi = i === j ? v0 : w[i * c + j]!;
      const ri = i * c;
      for (let q = j + 1; q < c; q++) s[q]! += vi * w[ri + q]!;
    }
    for (let i = j; i < r; i++) {
      const vi = (i === j ? v0 : w[i * c + j]!) * b;
      const ri = i * c;
      for (let q = j + 1; q < c; q++) w[ri + q]! -= vi * s[q]!;
    }
  }
}

/** Apply the reflectors j = from … to (step ±1) to the r×k row-major `x`. */
export function applyReflectors(
  r: number,
  c: number,
  w: Float64Array,
  head: Float64Array,
  beta: Float64Array,
  x: Float64Array,
  k: number,
  reverse: boolean,
): void {
  const s = new Float64Array(k);
  for (let step = 0; step < c; step++) {
    const j = reverse ? c - 1 - step : step;
    const b = beta[j]!;
    if (b === 0) continue;
    s.fill(0);
    for (let i = j; i < r; i++) {
      const vi = i === j ? head[j]! : w[i * c + j]!;
      for (let q = 0; q < k; q++) s[q]! += vi * x[i * k + q]!;
    }
    for (let i = j; i < r; i++) {
      const vi = (i === j ? head[j]! : w[i * c + j]!) * b;
      for (let q = 0; q < k; q++) x[i * k + q]! -= vi * s[q]!;
    }
  }
}

