import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, DESKTOP, DIST, PHONE, checkLayout, checkPage, launchBrowser, listPages, serveStatic, type SiteServer } from "./browser";

const BROKEN = fileURLToPath(new URL("./fixtures/broken-site", import.meta.url));

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser.close();
});

describe("the page checker itself", () => {
  let server: SiteServer;
  beforeAll(async () => {
    server = await serveStatic(BROKEN);
  });
  afterAll(async () => {
    await server.close();
  });

  it("passes a clean page", async () => {
    expect((await checkPage(page, server.url, "/")).problems).toEqual([]);
  });

  it("catches a console error", async () => {
    const report = await checkPage(page, server.url, "/console-error.html");
    expect(report.problems).toEqual(["console error: demo failed to start"]);
  });

  it("catches math left as raw TeX", async () => {
    const report = await checkPage(page, server.url, "/raw-math.html");
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/^unrendered math: .*\$\$\\nabla/);
  });

  it("ignores TeX inside code blocks", async () => {
    expect((await checkPage(page, server.url, "/code-math.html")).problems).toEqual([]);
  });

  it("passes a page that fits at 1280 px and at 390 px", async () => {
    await checkPage(page, server.url, "/");
    expect([...(await checkLayout(page, DESKTOP)), ...(await checkLayout(page, PHONE))]).toEqual([]);
  });

  it("catches a table wider than the column at 1280 px", async () => {
    await checkPage(page, server.url, "/wide-table.html");
    const problems = await checkLayout(page, DESKTOP);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^overflows the 600px column at 1280px: <table> "abcde" is \d+px wide$/);
  });

  it("catches a page that scrolls sideways at 390 px, naming the element", async () => {
    await checkPage(page, server.url, "/wide-phone.html");
    expect(await checkLayout(page, DESKTOP)).toEqual([]);
    const problems = await checkLayout(page, PHONE);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^scrolls sideways at 390px: the page is 420px wide \(<svg>/);
    await page.setViewportSize({ width: DESKTOP, height: 900 });
  });

  it("catches a missing page", async () => {
    const report = await checkPage(page, server.url, "/nosuch.html");
    expect(report.problems.some((p) => p.startsWith("HTTP 404"))).toBe(true);
  });
});

describe("the built docs site", () => {
  let server: SiteServer;
  const pages = listPages(DIST);
  beforeAll(async () => {
    server = await serveStatic(DIST);
  });
  afterAll(async () => {
    await server.close();
  });

  it("has the home page, the guide, the four questions, the packages and the API", () => {
    for (const p of ["/", "/guide/getting-started.html", "/questions/q1-rnn.html", "/questions/q4-dropout.html", "/packages/tensor.html", "/api/index.html"]) {
      expect(pages).toContain(p);
    }
  });

  it.each(pages)("%s loads with no console error and no raw math, fits 1280 px and 390 px", async (path) => {
    await page.setViewportSize({ width: DESKTOP, height: 900 });
    const report = await checkPage(page, server.url, path);
    const layout = [...(await checkLayout(page, DESKTOP)), ...(await checkLayout(page, PHONE))];
    await page.setViewportSize({ width: DESKTOP, height: 900 });
    expect([...report.problems, ...layout]).toEqual([]);
  });

  it("typesets the math of the home page and saves its screenshot", async () => {
    const report = await checkPage(page, server.url, "/");
    expect(report.formulas).toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}home.png`, fullPage: true });
  });
});
