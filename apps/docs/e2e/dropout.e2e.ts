/** Question 4's page: the dropout-vs-ridge demo responds to the p slider with the right numbers. */
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareDropoutRidge } from "@hw/regularization";
import { createRng } from "@hw/tensor";
import { ARTIFACTS, checkPage, setInput, useSite } from "./browser";

const PATH = "/questions/q4-dropout.html";

const site = useSite();

const texts = async (testid: string): Promise<number[]> =>
  (await site.page.locator(`[data-testid="${testid}"]`).allTextContents()).map((t) => Number(t.trim()));

describe("Question 4 page", () => {
  it("loads with typeset math, no console error and no raw TeX", async () => {
    const report = await checkPage(site.page, site.url, PATH);
    expect(report.problems).toEqual([]);
    expect(report.formulas).toBeGreaterThan(20);
  });

  it("the demo shows λ_dropout = (1 − p)/p and per-feature penalties ∝ ‖X_:j‖², and they follow the slider", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="demo-table"]').waitFor();
    expect(await site.page.locator('[data-testid="p-value"]').textContent()).toBe("0.50");
    expect(await texts("lambda-dropout")).toEqual([1]);
    expect(await texts("scale")).toEqual([2]);
    const penalties05 = await texts("dropout-penalty");
    const wDrop05 = await texts("w-dropout");
    const pw05 = await texts("pw");
    expect(penalties05).toHaveLength(4);
    // w_dropout = pw / p (to the 4 decimals shown).
    pw05.forEach((v, j) => { expect(Math.abs(wDrop05[j]! - v / 0.5)).toBeLessThan(2e-4); });
    // The built-in columns have scales 0.3, 1, 3, 6: the penalties grow with the feature norm.
    expect([...penalties05].sort((a, b) => a - b)).toEqual(penalties05);
    // Matched ridge: one λ for every feature, equal to λ_dropout · mean Γ² = mean of the dropout penalties.
    const ridge05 = await texts("ridge-penalty");
    expect(new Set(ridge05).size).toBe(1);
    const mean = penalties05.reduce((a, b) => a + b, 0) / 4;
    expect(Math.abs(ridge05[0]! - mean) / mean).toBeLessThan(1e-3);

    await setInput(site.page, "p-slider", 0.8);
    await expect.poll(async () => site.page.locator('[data-testid="p-value"]').textContent()).toBe("0.80");
    expect(await texts("lambda-dropout")).toEqual([0.25]);
    expect(await texts("scale")).toEqual([1.25]);
    const penalties08 = await texts("dropout-penalty");
    // λ_dropout went from 1 to 0.25: every penalty is divided by 4.
    penalties08.forEach((v, j) => { expect(Math.abs(v - penalties05[j]! / 4) / v).toBeLessThan(1e-3); });
    const wDrop08 = await texts("w-dropout");
    expect(wDrop08).not.toEqual(wDrop05);
    // At p = 1 dropout and ridge with λ = 0 both give least squares.
    await setInput(site.page, "p-slider", 1);
    await expect.poll(async () => texts("lambda-dropout")).toEqual([0]);
    const w1 = await texts("w-dropout");
    const r1 = await texts("w-ridge");
    w1.forEach((v, j) => { expect(Math.abs(v - r1[j]!)).toBeLessThan(2e-4); });
  });

  it("an explicit ridge λ slider sets every ridge penalty", async () => {
    await site.page.locator('[data-testid="matched"]').uncheck();
    await setInput(site.page, "lambda-slider", 2);
    await expect.poll(async () => texts("ridge-penalty")).toEqual([100, 100, 100, 100]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await setInput(site.page, "p-slider", 0.5);
    await site.page.screenshot({ path: `${ARTIFACTS}q4-dropout.png`, fullPage: true });
  });

  it("the dropout-equivalent λ path: 4 solid and 4 dashed paths; the table at the chosen p equals Node's compareDropoutRidge", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="path-table"]').waitFor();
    expect(await site.page.locator('[data-testid="path-dropout"]').count()).toBe(4);
    expect(await site.page.locator('[data-testid="path-ridge"]').count()).toBe(4);
    // The built-in data of hw solve Question 4 (as the component draws it).
    const rng = createRng(4);
    const scales = [0.3, 1, 3, 6];
    const X = (rng.normal([40, 4]).toArray() as number[][]).map((row) => row.map((v, j) => v * scales[j]!));
    const noise = rng.normal([40], { std: 0.5 }).toArray() as number[];
    const y = X.map((row, i) => row.reduce((s, v, j) => s + v * [2, -1, 0.5, 0.25][j]!, 0) + noise[i]!);
    const fmt = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
    const check = async (index: number, p: number): Promise<void> => {
      await setInput(site.page, "path-index", index);
      await expect.poll(async () => site.page.locator('[data-testid="path-p"]').textContent()).toBe(p.toFixed(2));
      const c = compareDropoutRidge(X, y, { p }); // default λ = λ_dropout · mean Γ², the plot's matched λ
      const f = c.features;
      expect(await site.page.locator('[data-testid="path-pw"]').allTextContents()).toEqual(f.map((r) => fmt(r.pwDropout)));
      expect(await site.page.locator('[data-testid="path-w-ridge"]').allTextContents()).toEqual(f.map((r) => fmt(r.wRidge)));
      expect(await site.page.locator('[data-testid="path-penalty"]').allTextContents()).toEqual(f.map((r) => fmt(r.dropoutPenalty)));
      expect(await site.page.locator('[data-testid="path-lambda"]').textContent()).toBe(fmt(c.lambdaRidge));
    };
    await check(25, 0.48);
    await check(4, 0.9);
    await check(45, 0.08);
  });
});
