/**
 * One-pass moments of many rows pooled into slots, shared by `@hw/tensor`'s `moments` / `variance`
 * and `@hw/normalization`'s statistics (kept here so that both run the same code).
 */
import type { DataArray } from "../tensor";
import { kernels } from "./index";
import { poolShiftedMoments } from "./reduce";
import { forEachRow } from "./rows";

/** Rows shorter than this do not fit {@link pooledRowMoments} (the caller takes two whole passes). */
export const POOLED_MIN_ROW = 16;

/**
 * Per-slot mean and centred sum of squares `M2 = Σ (x − mean)²` in ONE pass over memory, when every
 * innermost row of the index space `shape` belongs to one slot (the slot stream's innermost stride
 * is 0) and is at least {@link POOLED_MIN_ROW} long: each row's two passes run while it is in cache
 * (`kernels.rowShiftedMoments`; runs of consecutive contiguous rows go to
 * `kernels.rowShiftedMomentsRows`, one call per run), then {@link poolShiftedMoments} pools the rows
 * of each slot exactly, every term centred. Slot `q` of row r is its offset in the slot stream.
 *
 * @param shape - the index space (x's shape)
 * @param xStrides - x's element strides
 * @param slotStrides - per axis, the step of the slot index (0 on reduced axes)
 * @param xOffset - x's first element
 * @param x - x's storage
 * @param mean - output, one per slot (zero-filled first)
 * @param m2 - output, one per slot (zero-filled first)
 * @returns false, writing nothing, when the layout does not fit
 */
export function pooledRowMoments(
  shape: readonly number[],
  xStrides: readonly number[],
  slotStrides: readonly number[],
  xOffset: number,
  x: DataArray,
  mean: Float64Array,
  m2: Float64Array,
): boolean {
  let rows = 0;
  // Set inside the row callback (TypeScript's flow analysis cannot see that, hence the object).
  const layout = { fits: true };
  let rowLength = 0;
  let stats = new Float64Array(0);
  let slots = new Int32Array(0);
  // The current run of consecutive contiguous rows: `count` rows from x offset `start`, row index `first`.
  let start = 0;
  let count = 0;
  let first = 0;
  const flush = (): void => {
    if (count > 0) kernels.rowShiftedMomentsRows(count, rowLength, x, start, stats, 3 * first);
    count = 0;
  };
  forEachRow(shape, [xStrides, slotStrides], [xOffset, 0], (o, n, s) => {
    if (!layout.fits) return;
    if (rows === 0) {
      layout.fits = s[1] === 0 && n >= POOLED_MIN_ROW;
      if (!layout.fits) return;
      rowLength = n;
      let size = 1;
      for (const d of shape) size *= d;
      stats = new Float64Array(3 * Math.floor(size / n));
      slots = new Int32Array(Math.floor(size / n));
    }
    const xo = o[0]!;
    if (s[0] === 1) {
      if (count === 0 || xo !== start + count * n) {
        flush();
        start = xo;
        first = rows;
      }
      count++;
    } else {
      kernels.rowShiftedMoments(n, x, s[0]!, xo, stats, 3 * rows);
    }
    slots[rows] = o[1]!;
    rows++;
  });
  flush();
  if (!layout.fits || rows === 0) return false;
  poolShiftedMoments(rows, rowLength, stats, slots, mean, m2);
  return true;
}
