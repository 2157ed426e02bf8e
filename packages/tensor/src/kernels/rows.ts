/**
 * The strided row iterator of `@hw/tensor/kernels`: walk an n-d index space once in row-major
 * order for several operands at once (each with its own strides and offset), handing the caller one
 * *row* (the last coalesced axis) at a time, so that the per-element work stays in a plain
 * typed-array loop written by the caller.
 */

/** An index space after {@link coalesceAxes}: extents and, per operand, one stride per axis. */
export interface CoalescedSpace {
  /** Extents of the remaining axes (size-1 axes dropped, chaining axes merged); empty for one element. */
  readonly shape: number[];
  /** `strides[k][i]`: the stride of operand `k` along remaining axis `i`. */
  readonly strides: number[][];
  /** True when the space has no element (some extent is 0). */
  readonly empty: boolean;
}

/**
 * Drop the size-1 axes of `shape` and merge each pair of neighbouring axes that chain for every
 * operand (outer stride = inner stride × inner extent), so rows are as long as possible.
 *
 * @param shape - the extents of the index space
 * @param strides - one stride array (one entry per axis of `shape`) per operand
 * @returns the coalesced space (no allocation beyond the returned arrays)
 */
export function coalesceAxes(shape: readonly number[], strides: readonly (readonly number[])[]): CoalescedSpace {
  const k = strides.length;
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return { shape: [0], strides: strides.map(() => [0]), empty: true };
    if (d === 1) continue;
    dims.push(d);
    for (let j = 0; j < k; j++) st[j]!.push(strides[j]![i]!);
  }
  for (let i = dims.length - 2; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < k; j++) {
      const s = st[j]!;
      if (s[i] !== s[i + 1]! * dims[i + 1]!) {
        ok = false;
        break;
      }
    }
    if (ok) {
      dims[i] = dims[i]! * dims[i + 1]!;
      dims.splice(i + 1, 1);
      for (let j = 0; j < k; j++) {
        const s = st[j]!;
        s[i] = s[i + 1]!;
        s.splice(i + 1, 1);
      }
    }
  }
  return { shape: dims, strides: st, empty: false };
}

/**
 * Call `row(offsets, n, innerStrides)` for every row of the index space `shape`.
 *
 * Axes of size 1 are dropped and adjacent axes that are contiguous for every operand are merged,
 * so rows are as long as possible. `offsets[k]` is the position of the row's first element in
 * operand `k`; `innerStrides[k]` the step between its neighbours. The `offsets` array is reused
 * between calls: read it, do not keep it. Nothing is called when the space is empty; a 0-d space
 * gives one row of length 1.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  row: (offsets: number[], n: number, innerStrides: number[]) => void,
): void {
  const k = strides.length;
  const space = coalesceAxes(shape, strides);
  if (space.empty) return;
  const dims = space.shape;
  const st = space.strides;
  const offs = [...offsets];
  if (dims.length === 0) {
    row(offs, 1, new Array<number>(k).fill(0));
    return;
  }
  const last = dims.length - 1;
  const n = dims[last]!;
  const inner = st.map((s) => s[last]!);
  if (last === 0) {
    row(offs, n, inner);
    return;
  }
  const outerDims = dims.slice(0, last);
  const counters = new Array<number>(last).fill(0);
  const base = [...offsets];
  for (;;) {
    for (let j = 0; j < k; j++) offs[j] = base[j]!;
    row(offs, n, inner);
    // Advance the outer counters (odometer), updating base offsets incrementally.
    let ax = last - 1;
    for (; ax >= 0; ax--) {
      const c = counters[ax]! + 1;
      if (c < outerDims[ax]!) {
        counters[ax] = c;
        for (let j = 0; j < k; j++) base[j] = base[j]! + st[j]![ax]!;
        break;
      }
      counters[ax] = 0;
      for (let j = 0; j < k; j++) base[j] = base[j]! - (c - 1) * st[j]![ax]!;
    }
    if (ax < 0) return;
  }
}

