/** Number formatting of the docs pages: significant digits as the CLI prints them, a true minus sign. */

/** `v` to `digits` significant digits without trailing zeros ("−0.3017133", "1282.1463"). */
export function sig(v: number, digits = 8): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
  return minus(String(Number(v.toPrecision(digits))));
}

/** `v` with exactly `decimals` digits after the point ("1282.98", "−1.12"). */
export function fixed(v: number, decimals = 2): string {
  const t = v.toFixed(decimals);
  return minus(/^-0\.?0*$/.test(t) ? t.slice(1) : t);
}

const minus = (text: string): string => text.replace(/^-/, "−");
