/**
 * The iteration plan shared by every normalization kernel.
 *
 * An input view `x` (any strides), a set of reduced axes and an affine parameter shape (aligned to
 * the right of `x`, size-1 axes broadcast) define, for each element, four offsets that are linear
 * in its multi-index: into `x`, into the statistics (row-major over the kept axes, stride 0 on the
 * reduced ones), into the parameters (row-major over the parameter shape, stride 0 where it
 * broadcasts) and into the contiguous output. Axes of size 1 are dropped and neighbouring axes
 * whose strides chain in every stream are merged, so batch norm on a contiguous `[N, C, L]` batch
 * becomes three axes with a unit-stride innermost row and layer norm becomes two.
 *
 * @internal
 */
import type { DataArray } from "@hw/tensor";

/** A strided view of a typed array: element `i` is at `offset + Σ i_k·strides[k]`. */
export interface View {
  readonly data: DataArray;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** Streams of a plan, in the order of `Plan.strides[k]`. */
export const X = 0;
export const STAT = 1;
export const PARAM = 2;
export const OUT = 3;
export const DY = 4;
const STREAMS = 5;

/** A coalesced iteration space. */
export interface Plan {
  /** Extents after dropping size-1 axes and merging (at least one axis). */
  readonly shape: number[];
  /** `strides[k][stream]` for each coalesced axis. */
  readonly strides: number[][];
  /** Number of statistics (product of kept extents). */
  readonly statCount: number;
  /** Elements pooled into each statistic (product of reduced extents). */
  readonly pooled: number;
  /** Number of parameters (product of the parameter shape). */
  readonly paramCount: number;
  /** Total number of elements. */
  readonly size: number;
}

function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Build the plan. `paramShape` is right-aligned with `x.shape`; a missing or size-1 axis broadcasts.
 * `dyStrides` are the strides of the upstream gradient view (same shape as x), when there is one.
 */
export function makePlan(
  x: View,
  reduced: readonly boolean[],
  paramShape: readonly number[],
  dyStrides?: readonly number[],
): Plan {
  const nd = x.shape.length;
  const kept: number[] = [];
  let statCount = 1;
  let pooled = 1;
  for (let k = 0; k < nd; k++) {
    const d = x.shape[k]!;
    if (reduced[k] === true) pooled *= d;
    else {
      statCount *= d;
      kept.push(k);
    }
  }
  const statStrides = new Array<number>(nd).fill(0);
  const keptRowMajor = rowMajor(kept.map((k) => x.shape[k]!));
  kept.forEach((k, i) => (statStrides[k] = keptRowMajor[i]!));
  const paramRowMajor = rowMajor(paramShape);
  const lead = nd - paramShape.length;
  const paramStrides = new Array<number>(nd).fill(0);
  for (let i = 0; i < paramShape.length; i++) {
    if (paramShape[i] !== 1) paramStrides[lead + i] = paramRowMajor[i]!;
  }
  let paramCount = 1;
  for (const d of paramShape) paramCount *= d;
  const outStrides = rowMajor(x.shape);
  let size = 1;
  for (const d of x.shape) size *= d;

  // Drop size-1 axes, then merge an axis into its inner neighbour when every stream chains.
  const shape: number[] = [];
  const strides: number[][] = [];
  for (let k = 0; k < nd; k++) {
    const d = x.shape[k]!;
    if (d === 1) continue;
    const st = [x.strides[k]!, statStrides[k]!, paramStrides[k]!, outStrides[k]!, dyStrides?.[k] ?? 0];
    const last = shape.length - 1;
    if (last >= 0) {
      // The previous entry is the outer neighbour: it merges when its stride is this axis's
      // stride times this axis's extent in every stream.
      const outer = strides[last]!;
      let chains = true;
      for (let s = 0; s < STREAMS; s++) {
        if (outer[s] !== st[s]! * d) {
          chains = false;
          break;
        }
      }
      if (chains) {
        shape[last] = shape[last]! * d;
        strides[last] = st;
        continue;
      }
    }
    shape.push(d);
    strides.push(st);
  }
  if (shape.length === 0) {
    shape.push(size === 0 ? 0 : 1);
    strides.push([0, 0, 0, 0, 0]);
  }
  return { shape, strides, statCount, pooled, paramCount, size };
}

/**
 * Call `row(off, n, st)` for every innermost row: `off[s]` is the offset of the row's first element
 * in stream `s` (x and dy offsets include their views' base offsets), `st[s]` the innermost strides.
 */
export function forEachRow(
  plan: Plan,
  xOffset: number,
  dyOffset: number,
  row: (off: Int32Array, n: number, st: readonly number[]) => void,
): void {
  if (plan.size === 0) return;
  const nd = plan.shape.length;
  const n = plan.shape[nd - 1]!;
  const inner = plan.strides[nd - 1]!;
  const off = new Int32Array(STREAMS);
  off[X] = xOffset;
  off[DY] = dyOffset;
  const idx = new Int32Array(Math.max(nd - 1, 0));
  for (;;) {
    row(off, n, inner);
    // Odometer over the outer axes.
    let k = nd - 2;
    for (; k >= 0; k--) {
      const st = plan.strides[k]!;
      if (++idx[k]! < plan.shape[k]!) {
        for (let s = 0; s < STREAMS; s++) off[s] = off[s]! + st[s]!;
        break;
      }
      idx[k] = 0;
      for (let s = 0; s < STREAMS; s++) off[s] = off[s]! - st[s]! * (plan.shape[k]! - 1);
    }
    if (k < 0) break;
  }
}
