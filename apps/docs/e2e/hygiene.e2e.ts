/**
 * Docs hygiene in the production build (issue 12): every demo input survives empty and garbage
 * values, the Q1 chart has its legend, the Q4 numbers are the package's, and the CLI reference lists
 * every command of `hw`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareDropoutRidge, expectedDropoutLoss, monteCarloDropoutLoss } from "@hw/regularization";
import { describe, expect, it } from "vitest";
import { fixed, sig } from "../.vitepress/theme/format";
import { cliReference } from "../guide/cli-reference.data";
import { DIST, checkDemoInputs, listPages, serveStatic, setInput, useSite } from "./browser";

const BROKEN = fileURLToPath(new URL("./fixtures/broken-site", import.meta.url));

const site = useSite();

const pagesWithDemos = listPages(DIST).filter((p) => p.startsWith("/questions/") || p.startsWith("/guide/"));

describe("every demo input survives empty and garbage values", () => {
  it("the check catches a demo that a cleared field takes down", async () => {
    const broken = await serveStatic(BROKEN);
    try {
      const problems = await checkDemoInputs(site.page, broken.url, "/broken-demo.html");
      expect(problems).toEqual(
        expect.arrayContaining([
          '/broken-demo.html seed = "": uncaught exception: seed: expected an integer, got ""',
          '/broken-demo.html seed = "": the demo lost 1 of its fields',
        ]),
      );
    } finally {
      await broken.close();
    }
  });

  it.each(pagesWithDemos)("%s: every field, every garbage value", async (path) => {
    expect(await checkDemoInputs(site.page, site.url, path)).toEqual([]);
  });

  it("Q1: a cleared seed keeps the last valid one and says so; a valid seed is used again", async () => {
    await site.page.goto(`${site.url}/questions/q1-rnn.html`, { waitUntil: "load" });
    const loss = site.page.locator('[data-testid="demo-loss"]');
    await loss.waitFor();
    await setInput(site.page, "demo-seed", 7);
    await expect.poll(async () => site.page.locator('[data-testid="demo-seed-error"]').count()).toBe(0);
    const seven = await loss.textContent();
    await setInput(site.page, "demo-seed", "");
    await expect.poll(async () => site.page.locator('[data-testid="demo-seed-error"]').textContent()).toBe("enter a number; using 7");
    expect(await loss.textContent()).toBe(seven);
    await setInput(site.page, "demo-seed", 1.5);
    await expect.poll(async () => site.page.locator('[data-testid="demo-seed-error"]').textContent()).toBe("must be a whole number; using 7");
    await setInput(site.page, "demo-seed", 1);
    await expect.poll(async () => site.page.locator('[data-testid="demo-seed-error"]').count()).toBe(0);
    expect(await loss.textContent()).not.toBe(seven);
  });

  it("Q3: a cleared ∇_w L component keeps its last value and says so", async () => {
    await site.page.goto(`${site.url}/questions/q3-normalization.html`, { waitUntil: "load" });
    await site.page.locator('[data-testid="gx"]').waitFor();
    const demo = site.page.locator('[data-testid="wn-demo"]');
    const before = await demo.locator("svg").count();
    await setInput(site.page, "gx", "");
    await expect.poll(async () => site.page.locator('[data-testid="gx-error"]').textContent()).toBe("x: enter a number; using -0.4");
    expect(await demo.locator("svg").count()).toBe(before);
    await setInput(site.page, "gx", 0.7);
    await expect.poll(async () => site.page.locator('[data-testid="gx-error"]').count()).toBe(0);
  });
});

describe("Q1 gradient-norm chart", () => {
  it("shows its legend (three series with a visible colour swatch) in the production build", async () => {
    await site.page.goto(`${site.url}/questions/q1-rnn.html`, { waitUntil: "load" });
    const legend = site.page.locator('[data-testid="demo-legend"]');
    await legend.waitFor();
    expect(await legend.isVisible()).toBe(true);
    const items = await legend.locator(".legend-item").evaluateAll((els) =>
      els.map((el) => {
        const sw = el.querySelector(".sw")!;
        const r = sw.getBoundingClientRect();
        return { series: el.getAttribute("data-series"), text: el.textContent.trim(), w: r.width, h: r.height, color: getComputedStyle(sw).backgroundColor };
      }),
    );
    expect(items.map((i) => i.series)).toEqual(["total", "from-last", "from-first"]);
    for (const item of items) {
      expect(item.w).toBeGreaterThan(0);
      expect(item.h).toBeGreaterThan(0);
      expect(item.color).not.toBe("rgba(0, 0, 0, 0)");
      expect(item.text).toMatch(/^‖∇/);
    }
    // Each swatch has the colour of its line in the chart.
    const stroke = await site.page.locator('[data-testid="demo-from-last"]').evaluate((el) => getComputedStyle(el).stroke);
    expect(items[1]!.color).toBe(stroke);
  });
});

describe("Q4 numbers are the package's", () => {
  const fixture = JSON.parse(
    readFileSync(fileURLToPath(new URL("../../../packages/regularization/test/fixtures/dropout.json", import.meta.url)), "utf8"),
  ) as { cases: { input: { X: number[][]; y: number[]; w: number[]; p: number; lambda: number } }[] };
  const { X, y, w, p, lambda } = fixture.cases[0]!.input;

  it("the table and the Monte Carlo sentence equal what @hw/regularization computes now", async () => {
    await site.page.goto(`${site.url}/questions/q4-dropout.html`, { waitUntil: "load" });
    const text = async (testid: string) => ((await site.page.locator(`[data-testid="${testid}"]`).textContent()) ?? "").trim();
    const c = compareDropoutRidge(X, y, { p, lambda });
    expect(await text("q4-p")).toBe(sig(p));
    expect(await text("q4-lambda-dropout")).toBe(sig(c.lambdaDropout));
    expect(await text("q4-lambda-ridge")).toBe(sig(c.lambdaRidge));
    const rows = await site.page.locator('[data-testid="q4-row"]').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
    expect(rows).toEqual(
      c.features.map((f) => [String(f.feature), ...[f.columnNorm, f.dropoutPenalty, f.ridgePenalty, f.pwDropout, f.wDropout, f.wRidge].map((v) => sig(v))]),
    );
    const closed = expectedDropoutLoss(X, y, { w, p });
    const mc = monteCarloDropoutLoss(X, y, { w, p, numSamples: 20_000, seed: 3 });
    expect(await text("q4-expected-loss")).toBe(sig(closed));
    expect(await text("q4-mc-mean")).toBe(fixed(mc.mean));
    expect(await text("q4-mc-stderr")).toBe(fixed(mc.stderr));
    expect(await text("q4-mc-low")).toBe(fixed(mc.interval[0]));
    expect(await text("q4-mc-high")).toBe(fixed(mc.interval[1]));
    expect(await text("q4-mc-z")).toBe(fixed(Math.abs((mc.mean - closed) / mc.stderr)));
    // The numbers the page used to hard-code are gone.
    expect(await site.page.locator(".vp-doc").textContent()).not.toContain("1282.98");
  });
});

describe("the CLI reference page", () => {
  it("has a section for every command of hw, with every flag, example input and schema", async () => {
    const { commands } = await cliReference();
    await site.page.goto(`${site.url}/guide/cli-reference.html`, { waitUntil: "load" });
    const sections = await site.page.locator('[data-testid="cli-command"]').evaluateAll((els) =>
      els.map((el) => ({
        path: el.getAttribute("data-path"),
        flags: [...el.querySelectorAll('[data-testid="cli-flag"]')].map((f) => f.getAttribute("data-flag")),
        example: el.querySelector('[data-testid="cli-example-input"]')?.textContent ?? null,
        schema: el.querySelector('[data-testid="cli-input-schema"]') !== null,
      })),
    );
    expect(sections.map((s) => s.path)).toEqual(commands.map((c) => ["hw", ...c.path].join(" ")));
    for (const [i, cmd] of commands.entries()) {
      const section = sections[i]!;
      expect(section.flags, section.path!).toEqual(cmd.options.map((f) => f.flags));
      expect(section.example === null ? null : JSON.parse(section.example), section.path!).toEqual(cmd.exampleInput);
      expect(section.schema, section.path!).toBe(cmd.inputSchema !== null);
    }
    // Each command is linkable.
    expect(await site.page.locator("#hw-dropout-expected-loss").count()).toBe(1);
  });
});
