/** Question 1's page: the unrolled graph is rendered and the gradient demo follows its controls with the right numbers. */
import { mkdirSync } from "node:fs";
import { createRng } from "@hw/tensor";
import { checkGradients, gradientFlow, initParams } from "@hw/rnn";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, checkPage, setInput, useSite } from "./browser";

const PATH = "/questions/q1-rnn.html";

const site = useSite();

const text = async (testid: string): Promise<string> => ((await site.page.locator(`[data-testid="${testid}"]`).textContent()) ?? "").trim();

/** The demo's recipe, run here in Node with the same packages. */
function expected(T: number, scale: number, seed: number) {
  const rng = createRng(seed);
  const params = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng, scale });
  const x = rng.normal([T, 3]);
  const z = rng.normal([T, 2]);
  const hfInit = rng.normal([4], { std: 0.5 });
  const hbInit = rng.normal([4], { std: 0.5 });
  const flow = gradientFlow(params, x, z, { hfInit, hbInit });
  const check = checkGradients(params, x, z, { hfInit, hbInit });
  const f = flow.fromLastF;
  return { loss: check.loss.toFixed(6), decay: (f[0]! / f[f.length - 1]!).toExponential(1) };
}

describe("Question 1 page", () => {
  it("loads with typeset math, no console error and no raw TeX", async () => {
    const report = await checkPage(site.page, site.url, PATH);
    expect(report.problems).toEqual([]);
    expect(report.formulas).toBeGreaterThan(40);
  });

  it("renders the unrolled graph with Graphviz and redraws it for another T", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    const svg = site.page.locator('[data-testid="graph-svg"] svg');
    await svg.waitFor();
    // 21 nodes and 27 edges for T = 3 (Graphviz draws each as a <g class="node|edge">).
    expect(await svg.locator("g.node").count()).toBe(21);
    expect(await svg.locator("g.edge").count()).toBe(27);
    expect(await svg.textContent()).toContain("h₄⁽ᵇ⁾");
    await setInput(site.page, "graph-steps", 5);
    await expect.poll(async () => svg.locator("g.node").count()).toBe(6 * 5 + 3);
    expect(await text("graph-steps-value")).toBe("5");
    expect(await svg.textContent()).toContain("h₆⁽ᵇ⁾");
  });

  it("the demo shows the loss, the gradient decay and a passing three-way check, and follows T and the scale", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="demo-loss"]').waitFor();
    const base = expected(12, 0.5, 1);
    expect(await text("demo-T-value")).toBe("12");
    expect(await text("demo-loss")).toBe(base.loss);
    expect(await text("demo-decay")).toBe(base.decay);
    const rows = site.page.locator('[data-testid="demo-check-row"]');
    expect(await rows.count()).toBe(8);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-name")))).toEqual(["Wf", "Uf", "Vf", "Wb", "Ub", "Vb", "hfInit", "hbInit"]);
    expect(await rows.evaluateAll((els) => els.every((e) => e.getAttribute("data-ok") === "true"))).toBe(true);
    expect(await text("demo-verdict")).toBe("All three agree for every gradient.");
    // Chromium has WebAssembly SIMD and relaxed SIMD: @hw/tensor's fastest kernels (the gemm with
    // fused multiply-adds) run in the browser too (issue 15).
    expect(await site.page.locator('[data-testid="demo-kernels"]').getAttribute("data-backend")).toBe("wasm-relaxed-simd");

    await setInput(site.page, "demo-T", 25);
    const longer = expected(25, 0.5, 1);
    await expect.poll(() => text("demo-loss")).toBe(longer.loss);
    expect(await text("demo-decay")).toBe(longer.decay);
    // Small weights and sigmoid units: the last loss term's gradient vanishes over 24 steps.
    expect(Number(longer.decay)).toBeLessThan(1e-10);

    await setInput(site.page, "demo-scale", 3);
    const big = expected(25, 3, 1);
    await expect.poll(() => text("demo-loss")).toBe(big.loss);
    expect(await text("demo-scale-value")).toBe("3.00");
    expect(await text("demo-decay")).toBe(big.decay);
    expect(await text("demo-verdict")).toBe("All three agree for every gradient.");

    mkdirSync(ARTIFACTS, { recursive: true });
    await site.page.locator('[data-testid="birnn-demo"]').screenshot({ path: `${ARTIFACTS}q1-rnn-demo.png` });
    await site.page.screenshot({ path: `${ARTIFACTS}q1-rnn.png`, fullPage: true });
  });
});
