/**
 * Elementwise map kernels of `@hw/tensor/kernels`, stdlib style: each walks `n` strided elements of
 * its operands and writes `f(…)` into the strided output. No validation, no allocation.
 */
import type { DataArray } from "../tensor";

/** `y[offsetY + i·strideY] = f(x[offsetX + i·strideX])` for `i < n`. */
export function mapUnary(
  n: number,
  x: DataArray,
  strideX: number,
  offsetX: number,
  y: DataArray,
  strideY: number,
  offsetY: number,
  f: (v: number) => number,
): void {
  if (strideX === 1 && strideY === 1) {
    for (let i = 0; i < n; i++) y[offsetY + i] = f(x[offsetX + i]!);
    return;
  }
  for (let i = 0, p = offsetX, q = offsetY; i < n; i++, p += strideX, q += strideY) y[q] = f(x[p]!);
}

/** `z[offsetZ + i·strideZ] = f(x[offsetX + i·strideX], y[offsetY + i·strideY])` for `i < n`. */
export function mapBinary(
  n: number,
  x: DataArray,
  strideX: number,
  offsetX: number,
  y: DataArray,
  strideY: number,
  offsetY: number,
  z: DataArray,
  strideZ: number,
  offsetZ: number,
  f: (u: number, v: number) => number,
): void {
  if (strideX === 1 && strideY === 1 && strideZ === 1) {
    for (let i = 0; i < n; i++) z[offsetZ + i] = f(x[offsetX + i]!, y[offsetY + i]!);
    return;
  }
  for (let i = 0, p = offsetX, q = offsetY, r = offsetZ; i < n; i++, p += strideX, q += strideY, r += strideZ) {
    z[r] = f(x[p]!, y[q]!);
  }
}

/** `w[i] = f(x[i], y[i], z[i])` over `n` strided elements (each operand with stride and offset). */
export function mapTernary(
  n: number,
  x: DataArray,
  strideX: number,
  offsetX: number,
  y: DataArray,
  strideY: number,
  offsetY: number,
  z: DataArray,
  strideZ: number,
  offsetZ: number,
  w: DataArray,
  strideW: number,
  offsetW: number,
  f: (u: number, v: number, t: number) => number,
): void {
  for (let i = 0, p = offsetX, q = offsetY, r = offsetZ, s = offsetW; i < n; i++, p += strideX, q += strideY, r += strideZ, s += strideW) {
    w[s] = f(x[p]!, y[q]!, z[r]!);
  }
}
