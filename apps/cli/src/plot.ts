/** Plots as standalone SVG files (`--plot FILE.svg`): a Vega-Lite spec rendered headless by Vega. */

/** Render a Vega-Lite specification to an SVG document (no browser, no canvas). */
export async function vegaLiteSvg(spec: Record<string, unknown>): Promise<string> {
  const vegaLite = await import("vega-lite");
  const vega = await import("vega");
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
