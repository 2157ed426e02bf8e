/**
 * The fused normalize-and-affine kernels of `@hw/tensor/kernels` (batch, layer, instance and group
 * norm), stdlib style: extents first, then each array with its stride and offset; no validation,
 * no allocation. With $\hat x = (x − μ)·r$ the forward pass is one read of x and one write:
 * `out = (x − mean)·scale + shift` with `scale = r·γ`, `shift = β` hoisted per row; the backward
 * pass is one read of (dy, x) for the two sums and one read of (dy, x) and one write for dx.
 */

/**
 * `out[i] = (x[i] − mean)·scale + shift` over a strided row.
 *
 * @param n - number of elements
 * @param x - input storage; element i at `offsetX + i·strideX`
 * @param mean - the centre subtracted from every element
 * @param scale - the factor applied after centring (`invStd·gamma`)
 * @param shift - the term added last (`beta`)
 * @param out - output storage; element i at `offsetOut + i·strideOut`
 */
export function normalizeAffine(
  n: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  mean: number,
  scale: number,
  shift: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): void {
  if (strideX === 1 && strideOut === 1) {
    for (let j = 0; j < n; j++) out[offsetOut + j] = (x[offsetX + j]! - mean) * scale + shift;
    return;
  }
  for (let j = 0, xo = offsetX, oo = offsetOut; j < n; j++, xo += strideX, oo += strideOut) {
    out[oo] = (x[xo]! - mean) * scale + shift;
  }
}

/**
 * The two row sums of the normalization backward pass: `out[outOffset] = Σ dy[i]` and
 * `out[outOffset + 1] = Σ dy[i]·(x[i] − mean)` (left to right).
 */
export function normalizeAffineBackwardSums(
  n: number,
  dy: Float64Array,
  strideDy: number,
  offsetDy: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  mean: number,
  out: Float64Array,
  outOffset: number,
): void {
  let sdy = 0;
  let sdyx = 0;
  for (let j = 0, d = offsetDy, xo = offsetX; j < n; j++, d += strideDy, xo += strideX) {
    const g = dy[d]!;
    sdy += g;
    sdyx += g * (x[xo]! - mean);
  }
  out[outOffset] = sdy;
  out[outOffset + 1] = sdyx;
}

/**
 * `out[i] = c1·dy[i] + c2·(x[i] − mean) + c0` over a strided row: the input gradient of a
 * normalization, given the row constants computed by the caller (for batch norm with
 * $r = 1/σ$ and $g = γ\,\bar y$: `c1 = r·γ`, `c2 = −r²·mean(g·x̂)`, `c0 = −r·mean(g)`).
 */
export function normalizeAffineBackward(
  n: number,
  dy: Float64Array,
  strideDy: number,
  offsetDy: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  mean: number,
  c1: number,
  c2: number,
  c0: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): void {
  for (let j = 0, d = offsetDy, xo = offsetX, oo = offsetOut; j < n; j++, d += strideDy, xo += strideX, oo += strideOut) {
    out[oo] = c1 * dy[d]! + c2 * (x[xo]! - mean) + c0;
  }
}
