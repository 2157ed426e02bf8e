/**
 * Question 3's page: the pooling picture of the 4×2×3 tensor and the weight-norm projection respond
 * to clicks and sliders with the right numbers (the answers of Question 3.1 and 3.3).
 */
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { layerNorm, problemTensor, rmsNorm } from "@hw/normalization";
import { ARTIFACTS, checkPage, setInput, useSite } from "./browser";

const PATH = "/questions/q3-normalization.html";

const site = useSite();

const text = async (testid: string): Promise<string> => ((await site.page.locator(`[data-testid="${testid}"]`).first().textContent()) ?? "").trim();
const pooledCells = async (): Promise<number> => site.page.locator('[data-testid="norm-pool-demo"] td.pooled').count();

async function expectPool(count: number, mean: string, variance: string): Promise<void> {
  await expect.poll(() => text("pool-mean")).toBe(mean);
  expect(await text("pool-var")).toBe(variance);
  expect(await text("pool-count")).toBe(String(count));
  expect(await pooledCells()).toBe(count);
}

describe("Question 3 page", () => {
  it("loads with typeset math, no console error and no raw TeX", async () => {
    const report = await checkPage(site.page, site.url, PATH);
    expect(report.problems).toEqual([]);
    expect(report.formulas).toBeGreaterThan(30);
  });

  it("the pooling picture highlights each statistic's elements and shows the 3.1 answers", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="cell-0-0-0"]').waitFor();
    // Batch norm, channel 1: 12 elements, μ = 2.5, σ² = 7/12.
    await expectPool(12, "2.5000", "0.5833");
    expect(await text("stat-shape")).toBe("[2]");
    await site.page.locator('[data-testid="cell-3-1-2"]').click();
    await expectPool(12, "2.5833", "1.0764");
    expect(await site.page.locator('[data-testid="cell-0-0-0"]').getAttribute("class")).not.toContain("pooled");

    // Layer norm, sample 4 (the selected cell's): 6 elements.
    await site.page.locator('[data-testid="kind-layer"]').click();
    await expectPool(6, "2.6667", "0.2222");
    expect(await text("stat-shape")).toBe("[4]");
    expect(await site.page.locator('[data-testid="all-mean"]').allTextContents()).toEqual(["2.0000", "3.0000", "2.5000", "2.6667"]);
    expect(await site.page.locator('[data-testid="all-var"]').allTextContents()).toEqual(["0.6667", "0.6667", "1.2500", "0.2222"]);

    // Instance norm, sample 3 channel 1: [4, 2, 2].
    await site.page.locator('[data-testid="kind-instance"]').click();
    await site.page.locator('[data-testid="cell-2-0-1"]').click();
    await expectPool(3, "2.6667", "0.8889");
    expect(await text("stat-shape")).toBe("[4, 2]");
    expect(await site.page.locator('[data-testid="all-var"]').allTextContents()).toEqual(
      ["0.6667", "0.6667", "0.2222", "0.8889", "0.8889", "1.5556", "0.2222", "0.2222"],
    );

    // Group norm: G = 2 is instance norm here (C = 2), G = 1 is layer norm.
    await site.page.locator('[data-testid="kind-group"]').click();
    await expectPool(3, "2.6667", "0.8889");
    await site.page.locator('[data-testid="groups"]').selectOption("1");
    await expectPool(6, "2.5000", "1.2500");
    expect(await text("stat-shape")).toBe("[4, 1]");
  });

  it("the pooling picture's RMS kind pools each sample without centring: rms = √(mean x² + ε), as Node's rmsNorm", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="cell-0-0-0"]').waitFor();
    await site.page.locator('[data-testid="kind-rms"]').click();
    await site.page.locator('[data-testid="rms-readout"]').waitFor();
    const node = (rmsNorm(problemTensor(), [2, 3], { eps: Number.EPSILON }).rms.toArray() as number[]).map((v) => v.toFixed(4));
    expect(await site.page.locator('[data-testid="all-rms"]').allTextContents()).toEqual(node);
    expect(node[0]).toBe("2.1602"); // √(28/6), the page's worked example
    await site.page.locator('[data-testid="cell-2-1-0"]').click();
    await expect.poll(() => text("pool-rms")).toBe(node[2]);
    expect(await text("pool-count")).toBe("6");
    expect(await text("stat-shape")).toBe("[4]");
    expect(await pooledCells()).toBe(6);
    const x3 = (problemTensor().toArray() as number[][][])[2]!.flat();
    expect(await text("pool-ms")).toBe((x3.reduce((a, v) => a + v * v, 0) / 6).toFixed(4));
  });

  it("the RMS-norm demo: scale-invariant like layer norm, but the shift moves it (no centring); numbers equal Node's", async () => {
    await site.page.locator('[data-testid="rms-norm-demo"]').scrollIntoViewIfNeeded();
    const cells = async (id: string): Promise<string[]> => site.page.locator(`[data-testid="${id}"]`).allTextContents();
    const base = [[1, 3, 2], [1, 2, 3]];
    const expectNode = async (a: number, c: number): Promise<void> => {
      const x = [base.map((r) => r.map((v) => a * v + c))];
      const rms = (rmsNorm(x, [2, 3]).y.toArray() as number[][][]).flat(2).map((v) => v.toFixed(4));
      const ln = (layerNorm(x, [2, 3]).y.toArray() as number[][][]).flat(2).map((v) => v.toFixed(4));
      await expect.poll(() => cells("rms-y")).toEqual(rms);
      expect(await cells("ln-y")).toEqual(ln);
      expect(await text("rms-value")).toBe(rmsNorm(x, [2, 3]).rms.get(0).toFixed(4));
    };
    await expectNode(1, 0);
    const rms0 = await cells("rms-y");
    const ln0 = await cells("ln-y");
    expect(await text("rms-y-rms")).toBe("1.0000");
    // Scale a = 3: both outputs unchanged.
    await setInput(site.page, "rms-scale", 3);
    await expect.poll(() => text("rms-scale-value")).toBe("3");
    await expectNode(3, 0);
    expect(await cells("rms-y")).toEqual(rms0);
    expect(await cells("ln-y")).toEqual(ln0);
    // Shift c = 2: layer norm unchanged, RMS norm changes and keeps a non-zero mean.
    await setInput(site.page, "rms-shift", 2);
    await expectNode(3, 2);
    expect(await cells("ln-y")).toEqual(ln0);
    expect(await cells("rms-y")).not.toEqual(rms0);
    expect(Number(await text("rms-y-mean"))).toBeGreaterThan(0.5);
    expect(await text("ln-y-mean")).toMatch(/^-?0\.0000$/);
  });

  it("the weight-norm picture shows ∇_u L = s W⊥ ∇_w L, orthogonal to u", async () => {
    await site.page.locator('[data-testid="wn-table"]').scrollIntoViewIfNeeded();
    const pair = async (id: string): Promise<number[]> => (await text(id)).split(",").map((v) => Number(v.trim()));
    const near = (actual: number[], expected: number[]): void => {
      expect(actual).toHaveLength(expected.length);
      actual.forEach((v, i) => { expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-4); });
    };
    // Defaults: u at 30°, ‖u‖ = 2, γ = 1.5, ∇_w L = (−0.4, 1.5).
    expect(Math.abs(Number(await text("dot")))).toBeLessThan(1e-12);
    expect(await text("s")).toBe("0.7500");
    const proj = await pair("proj");
    const gu = await pair("grad-u");
    gu.forEach((v, i) => { expect(Math.abs(v - 0.75 * proj[i]!)).toBeLessThan(2e-4); });

    // u along the y axis: W⊥ keeps the x component of ∇_w L only.
    await setInput(site.page, "angle-slider", 90);
    await expect.poll(() => text("angle-value")).toBe("90°");
    near(await pair("proj"), [-0.4, 0]);
    near(await pair("grad-u"), [-0.3, 0]);
    expect(await text("grad-gamma")).toBe("1.5000");

    // Doubling ‖u‖ halves s and ∇_u L but not the projection.
    await setInput(site.page, "length-slider", 3);
    await expect.poll(() => text("s")).toBe("0.5000");
    near(await pair("grad-u"), [-0.2, 0]);
    expect(Math.abs(Number(await text("dot")))).toBeLessThan(1e-12);

    mkdirSync(ARTIFACTS, { recursive: true });
    await site.page.screenshot({ path: `${ARTIFACTS}q3-normalization.png`, fullPage: true });
  });
});
