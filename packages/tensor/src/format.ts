/**
 * Text formatting of tensors in the familiar PyTorch/NumPy layout.
 */
import { readOptions } from "./options";
import type { Tensor } from "./tensor";

/** Options of {@link formatTensor}. */
export interface FormatOptions {
  /**
   * Digits after the decimal point for non-integer values.
   * @defaultValue 4
   */
  readonly precision?: number;
  /**
   * Tensors with more elements than this are summarized with `...`.
   * @defaultValue 1000
   */
  readonly threshold?: number;
  /**
   * Items shown at each end of a summarized axis.
   * @defaultValue 3
   */
  readonly edgeItems?: number;
}

const PREFIX = "tensor(";

/**
 * Format a tensor as text, PyTorch style: `tensor([[1, 2],\n        [3, 4]])`.
 *
 * All elements share one width (right-aligned columns). Integer-valued data prints without a
 * decimal point; other data uses fixed notation with `precision` digits, or scientific notation
 * when the magnitudes span more than three decades, exceed 1e8 or go below 1e-4. Non-finite values
 * print as `nan`, `inf`, `-inf`. Tensors larger than `threshold` show `edgeItems` items at each
 * end of every axis around `...`. float32 tensors end with `, dtype=float32`; empty tensors show
 * their shape.
 *
 * @param x - The tensor.
 * @param options - Precision and summarization settings.
 * @returns The text.
 * @example
 * ```ts
 * formatTensor(tensor([[1, 2.5], [3, 4]]));
 * // tensor([[1.0000, 2.5000],
 * //         [3.0000, 4.0000]])
 * ```
 */
export function formatTensor(x: Tensor, options: FormatOptions = {}): string {
  readOptions("formatTensor", options, ["precision", "threshold", "edgeItems"]);
  const precision = options.precision ?? 4;
  const threshold = options.threshold ?? 1000;
  const edge = options.edgeItems ?? 3;
  const suffix = x.dtype === "float32" ? ", dtype=float32" : "";
  const { shape, strides, data } = x;
  const nd = shape.length;
  if (x.size === 0) {
    return nd === 1 ? `${PREFIX}[]${suffix})` : `${PREFIX}[], size=[${shape.join(",")}]${suffix})`;
  }
  const summarize = x.size > threshold;
  // Indices shown along an axis of length n (-1 marks the "..." gap).
  const shownIndices = (n: number): number[] => {
    if (!summarize || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
    const head = Array.from({ length: edge }, (_, i) => i);
    const tail = Array.from({ length: edge }, (_, i) => n - edge + i);
    return [...head, -1, ...tail];
  };
  // Gather the values that will be printed, to choose one number format for all.
  const values: number[] = [];
  const gather = (axis: number, off: number): void => {
    if (axis === nd) {
      values.push(data[off]!);
      return;
    }
    for (const i of shownIndices(shape[axis]!)) if (i >= 0) gather(axis + 1, off + i * strides[axis]!);
  };
  gather(0, x.offset);
  const format = chooseFormat(values, precision);
  let width = 0;
  for (const v of values) width = Math.max(width, format(v).length);
  const cell = (v: number): string => format(v).padStart(width);

  const build = (axis: number, off: number): string => {
    if (axis === nd) return cell(data[off]!);
    const parts: string[] = [];
    for (const i of shownIndices(shape[axis]!)) {
      parts.push(i < 0 ? "..." : build(axis + 1, off + i * strides[axis]!));
    }
    if (axis === nd - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(nd - axis - 1) + " ".repeat(PREFIX.length + axis + 1);
    return `[${parts.join(sep)}]`;
  };
  return `${PREFIX}${build(0, x.offset)}${suffix})`;
}

function chooseFormat(values: readonly number[], precision: number): (v: number) => string {
  const special = (v: number): string | null => {
    if (Number.isNaN(v)) return "nan";
    if (v === Infinity) return "inf";
    if (v === -Infinity) return "-inf";
    return null;
  };
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  if (allInt && maxAbs < 1e16) return (v) => special(v) ?? String(Object.is(v, -0) ? 0 : v);
  const scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs > 0) || (minAbs !== Infinity && maxAbs / minAbs > 1000);
  if (scientific) return (v) => special(v) ?? v.toExponential(precision);
  return (v) => special(v) ?? v.toFixed(precision);
}
