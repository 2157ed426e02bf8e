/**
 * The iteration plan shared by every normalization kernel.
 *
 * An input view `x` (any strides), a set of reduced axes and an affine parameter shape (aligned to
 * the right of `x`, size-1 axes broadcast) define, for each element, five offsets that are linear
 * in its multi-index: into `x`, into the statistics (row-major over the kept axes, stride 0 on the
 * reduced ones), into the parameters (row-major over the parameter shape, stride 0 where it
 * broadcasts), into the contiguous output and into the upstream gradient. The plan holds those
 * strides; the walk itself is `forEachRow` of `@hw/tensor/kernels` (which drops size-1 axes and
 * merges axes that chain in every stream, so batch norm on a contiguous `[N, C, L]` batch becomes
 * three axes with a unit-stride innermost row and layer norm two).
 *
 * @internal
 */
import type { DataArray } from "@hw/tensor";
import { forEachRow } from "@hw/tensor/kernels";

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

/** An iteration space with one stride per axis for each stream. */
export interface Plan {
  /** The extents (those of the input view). */
  readonly shape: readonly number[];
  /** `strides[stream][k]`: the stride of each stream along axis k. */
  readonly strides: readonly (readonly number[])[];
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

  const strides = [x.strides, statStrides, paramStrides, outStrides, dyStrides ?? new Array<number>(nd).fill(0)];
  return { shape: x.shape, strides, statCount, pooled, paramCount, size };
}

/**
 * Call `row(off, n, st)` for every innermost row (through `forEachRow` of `@hw/tensor/kernels`):
 * `off[s]` is the offset of the row's first element in stream `s` (x and dy offsets include their
 * views' base offsets), `st[s]` the innermost strides.
 */
export function forEachPlanRow(
  plan: Plan,
  xOffset: number,
  dyOffset: number,
  row: (off: readonly number[], n: number, st: readonly number[]) => void,
): void {
  if (plan.size === 0) return;
  forEachRow(plan.shape, plan.strides, [xOffset, 0, 0, 0, dyOffset], row);
}
