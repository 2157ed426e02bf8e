import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, DIST, checkPage, launchBrowser, listPages, serveStatic, type SiteServer } from "./browser";

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

  it.each(pages)("%s loads with no console error and no raw math", async (path) => {
    const report = await checkPage(page, server.url, path);
    expect(report.problems).toEqual([]);
  });

  it("typesets the math of the home page and saves its screenshot", async () => {
    const report = await checkPage(page, server.url, "/");
    expect(report.formulas).toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}home.png`, fullPage: true });
  });
});
