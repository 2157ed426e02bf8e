/** Text helpers shared by the worked solutions. */
import type { Tensor } from "@hw/tensor";

export const num = (v: number): string => (Number.isFinite(v) ? (v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(6) : v.toExponential(3)) : String(v));
export const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : String(v));
export const vec = (v: ArrayLike<number>): string => `[${Array.from(v, num).join(", ")}]`;

export function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

export function formatMatrix(m: readonly (readonly number[])[], indent = "    "): string {
  const cells = m.map((r) => r.map(num));
  const width = Math.max(1, ...cells.flat().map((c) => c.length));
  return cells.map((r) => `${indent}[ ${r.map((c) => c.padStart(width)).join("  ")} ]`).join("\n");
}

/** `label` followed by the formatted tensor, continuation lines indented under the first. */
export function show(label: string, t: Tensor): string {
  return `${label}${t.toString().replace(/\n/g, `\n${" ".repeat(label.length)}`)}`;
}

export function table(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
