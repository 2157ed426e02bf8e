/** The readable output of `hw dropout …` and `hw ridge …`, and the regularization-path chart. */
import { dropoutPath, ridgePath, type DropoutRidgeComparison } from "@hw/regularization";
import { formatNumber, formatTable, formatVector, values } from "../../format";
import { vegaLiteSvg } from "../../plot";

/** A number through the shared formatter (`--digits`). */
export const fmt = (v: number): string => formatNumber(v);
/** A vector through the shared formatter. */
export const vec = (v: ArrayLike<number> | { toArray(): unknown }): string => formatVector(v);
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string => formatTable(head, rows);
/** The readable 4.4 table. */
export function comparisonText(c: DropoutRidgeComparison): string {
  const rows = c.features.map((f) => [
    String(f.feature),
    fmt(f.columnNorm),
    fmt(f.dropoutPenalty),
    fmt(f.ridgePenalty),
    fmt(f.pwDropout),
    fmt(f.wDropout),
    fmt(f.wRidge),
  ]);
  return [
    `keep probability p = ${fmt(c.p)}, λ_dropout = (1 − p)/p = ${fmt(c.lambdaDropout)}, ridge λ = ${fmt(c.lambdaRidge)}, 1/p = ${fmt(c.scale)}`,
    "",
    table(["j", "‖X_:j‖", "dropout penalty λΓ²_jj", "ridge penalty λ", "p·w_dropout", "w_dropout", "w_L2"], rows),
    "",
    "Dropout is ridge on p·w with a per-feature penalty λΓ²_jj (larger for larger ‖X_:j‖); its weights are then scaled by 1/p.",
    "L2 weight decay penalizes every coefficient by the same λ.",
  ].join("\n");
}

/** The regularization paths as a Vega-Lite chart, rendered to SVG (no DOM needed). */
export async function pathsSvg(X: number[][], y: number[], title: string): Promise<string> {
  const ps = Array.from({ length: 40 }, (_, i) => 0.05 + (0.95 * i) / 39);
  const lambdas = Array.from({ length: 41 }, (_, i) => 10 ** (-3 + (7 * i) / 40));
  const points: { panel: string; x: number; feature: string; coefficient: number }[] = [];
  for (const pt of dropoutPath(X, y, ps)) {
    values(pt.w).forEach((c, j) => points.push({ panel: "dropout", x: pt.p, feature: `w${j}`, coefficient: c }));
    values(pt.pw).forEach((c, j) => points.push({ panel: "scaled", x: pt.p, feature: `w${j}`, coefficient: c }));
  }
  for (const pt of ridgePath(X, y, lambdas)) {
    values(pt.w).forEach((c, j) => points.push({ panel: "ridge", x: pt.lambda, feature: `w${j}`, coefficient: c }));
  }
  const line = (panel: string, xTitle: string, scale: object) => ({
    width: 260,
    height: 240,
    title: { dropout: "w_dropout as the keep probability p varies", scaled: "p·w_dropout (the ridge-like solution)", ridge: "w_L2 as λ varies" }[panel],
    transform: [{ filter: `datum.panel === '${panel}'` }],
    mark: { type: "line", point: false },
    encoding: {
      x: { field: "x", type: "quantitative", title: xTitle, scale },
      y: { field: "coefficient", type: "quantitative", title: "coefficient" },
      color: { field: "feature", type: "nominal", title: "feature" },
    },
  });
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    data: { values: points },
    hconcat: [
      line("dropout", "keep probability p", { zero: false }),
      line("scaled", "keep probability p", { zero: false }),
      line("ridge", "λ (log scale)", { type: "log" }),
    ],
  };
  return vegaLiteSvg(spec);
}

