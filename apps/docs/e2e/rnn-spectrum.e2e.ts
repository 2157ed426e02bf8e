/** Question 1's vanishing-gradient spectrum plot: the singular values drawn follow the controls and equal Node's. */
import { mkdirSync } from "node:fs";
import { createRng } from "@hw/tensor";
import { gradientFlow, initParams } from "@hw/rnn";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, setInput, useSite } from "./browser";

const PATH = "/questions/q1-rnn.html";

const site = useSite();

const text = async (testid: string): Promise<string> => ((await site.page.locator(`[data-testid="${testid}"]`).textContent()) ?? "").trim();

/** The plot's recipe, run here in Node with the same packages. */
function expected(T: number, scale: number, seed: number, nonlinearity: "sigmoid" | "tanh", direction: "forward" | "backward") {
  const rng = createRng(seed);
  const params = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng, scale });
  const x = rng.normal([T, 3]);
  const z = rng.normal([T, 2]);
  const hfInit = rng.normal([4], { std: 0.5 });
  const hbInit = rng.normal([4], { std: 0.5 });
  const flow = gradientFlow(params, x, z, { hfInit, hbInit, nonlinearity, spectrum: true });
  const sp = (direction === "forward" ? flow.spectrumF! : flow.spectrumB!).toArray() as number[][];
  const first = sp[0]![0]!;
  const last = sp[sp.length - 1]![0]!;
  return { top: last.toExponential(2), rate: (last / first) ** (1 / (sp.length - 1)) };
}

describe("Question 1 page: the vanishing-gradient spectrum", () => {
  it("plots one line per singular value over the spans, with Node's numbers, and follows every control", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="spectrum-top"]').waitFor();
    const base = expected(30, 0.5, 1, "sigmoid", "forward");
    expect(await text("spectrum-T-value")).toBe("30");
    expect(await text("spectrum-top")).toBe(base.top);
    expect(await text("spectrum-rate")).toBe(base.rate.toFixed(3));
    // Sigmoid units and small weights: σ_max shrinks by more than 4× per step (σ′ ≤ 1/4).
    expect(base.rate).toBeLessThan(0.25);
    const lines = site.page.locator('[data-testid="spectrum-line"]');
    expect(await lines.count()).toBe(4);
    // Each line has one vertex per span (M + 29 L for T = 30).
    const vertices = await lines.evaluateAll((els) => els.map((e) => (e.getAttribute("d") ?? "").split(/[ML]/).filter((p) => p.trim() !== "").length));
    expect(vertices).toEqual([30, 30, 30, 30]);

    await setInput(site.page, "spectrum-T", 12);
    const shorter = expected(12, 0.5, 1, "sigmoid", "forward");
    await expect.poll(() => text("spectrum-top")).toBe(shorter.top);

    await site.page.locator('[data-testid="spectrum-direction"]').selectOption("backward");
    const backward = expected(12, 0.5, 1, "sigmoid", "backward");
    await expect.poll(() => text("spectrum-top")).toBe(backward.top);

    await site.page.locator('[data-testid="spectrum-nonlinearity"]').selectOption("tanh");
    await setInput(site.page, "spectrum-scale", 3);
    const tanh = expected(12, 3, 1, "tanh", "backward");
    await expect.poll(() => text("spectrum-top")).toBe(tanh.top);
    expect(await text("spectrum-rate")).toBe(tanh.rate.toFixed(3));
    // tanh′ ≤ 1 and larger weights: the spectrum decays much more slowly than with sigmoid units.
    expect(tanh.rate).toBeGreaterThan(base.rate);

    mkdirSync(ARTIFACTS, { recursive: true });
    await site.page.locator('[data-testid="spectrum-demo"]').screenshot({ path: `${ARTIFACTS}q1-rnn-spectrum.png` });
  });

  it("survives a cleared or invalid seed (a message, the rest of the demo stays) and recovers", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="spectrum-top"]').waitFor();
    await setInput(site.page, "spectrum-seed", "");
    await expect.poll(() => text("spectrum-error")).toBe("Enter a whole number ≥ 0 as the seed.");
    expect(await site.page.locator('[data-testid="spectrum-T"]').count()).toBe(1);
    await setInput(site.page, "spectrum-seed", 7);
    const seven = expected(30, 0.5, 7, "sigmoid", "forward");
    await expect.poll(() => text("spectrum-top")).toBe(seven.top);
  });

  it("does not scroll sideways at 390 px", async () => {
    await site.page.setViewportSize({ width: 390, height: 844 });
    try {
      await site.page.goto(site.url + PATH, { waitUntil: "load" });
      await site.page.locator('[data-testid="spectrum-top"]').waitFor();
      const demo = await site.page.locator('[data-testid="spectrum-demo"]').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
      expect(demo.scroll).toBeLessThanOrEqual(demo.client);
      const page = await site.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(page.scroll).toBeLessThanOrEqual(page.client);
    } finally {
      await site.page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
