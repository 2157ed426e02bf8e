/**
 * The browser harness of the docs e2e tests: Debian's Chromium driven by playwright-core, a static
 * server on 127.0.0.1, and `checkPage`, which lists what is wrong with one page.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import sirv from "sirv";
import { afterAll, beforeAll } from "vitest";

/** The built site (HW_DOCS_DIST points the tests at another build). */
export const DIST = process.env.HW_DOCS_DIST ?? fileURLToPath(new URL("../.vitepress/dist", import.meta.url));
/** Where screenshots are saved as test artifacts. */
export const ARTIFACTS = fileURLToPath(new URL("../reports/", import.meta.url));

export const CHROMIUM = process.env.HW_CHROMIUM ?? "/usr/bin/chromium";

/** Launch headless Chromium with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`docs e2e: no browser at ${CHROMIUM} (apt-get install chromium, or set HW_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** A static server for a built site on 127.0.0.1 (an ephemeral port). */
export interface SiteServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<SiteServer> {
  const handler = sirv(root, { dev: false, etag: false, extensions: ["html"] });
  const server: Server = createServer((req, res) => {
    handler(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // close() waits for keep-alive connections; the browser may still hold some (a hook that
        // waited for them timed out in a fresh-clone CI run).
        server.closeAllConnections();
      }),
  };
}

/** Every HTML page of a built site, as URL paths ("/", "/guide/cli.html" …), 404 page excluded. */
export function listPages(root: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "assets") walk(path);
      } else if (name.endsWith(".html") && name !== "404.html") {
        const rel = relative(root, path).split(sep).join("/");
        pages.push(rel === "index.html" ? "/" : `/${rel}`);
      }
    }
  };
  walk(root);
  return pages.sort();
}

/** Raw TeX that should have been typeset: display or inline dollars, or a TeX command in prose. */
const RAW_MATH = /\$\$|\\(?:frac|nabla|sigma|sum|mathbb|operatorname|partial|left|right|begin)\b|\$[^$\s][^$]*\\[a-z]+[^$]*\$/;

export interface PageReport {
  readonly path: string;
  readonly problems: string[];
  /** Number of typeset formulas (MathJax containers) on the page. */
  readonly formulas: number;
}

/**
 * Load a page and list its problems: console errors, uncaught exceptions, failed same-origin requests,
 * and math left as raw TeX in the visible prose (code blocks excluded).
 */
export async function checkPage(page: Page, baseUrl: string, path: string): Promise<PageReport> {
  const problems: string[] = [];
  const onConsole = (msg: { type(): string; text(): string }) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  };
  const onPageError = (err: Error) => {
    problems.push(`uncaught exception: ${err.message}`);
  };
  const onResponse = (res: { status(): number; url(): string }) => {
    if (res.status() >= 400 && res.url().startsWith(baseUrl)) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  };
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  page.on("response", onResponse);
  try {
    const response = await page.goto(baseUrl + path, { waitUntil: "load" });
    if (!response || !response.ok()) problems.push(`HTTP ${response?.status() ?? "no response"} for the page itself`);
    // Let client-side hydration and demos run.
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    const { prose, formulas } = await page.evaluate(() => {
      const clone = document.body.cloneNode(true) as HTMLElement;
      clone.querySelectorAll("pre, code, script, style, mjx-container, .hw-raw-ok").forEach((el) => {
        el.remove();
      });
      return { prose: clone.textContent, formulas: document.querySelectorAll("mjx-container").length };
    });
    const match = RAW_MATH.exec(prose);
    if (match) {
      const at = match.index;
      problems.push(`unrendered math: …${prose.slice(Math.max(0, at - 30), at + 40).replace(/\s+/g, " ")}…`);
    }
    return { path, problems, formulas };
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
    page.off("response", onResponse);
  }
}

/** The two widths every page is checked at: a laptop (the column must hold every equation and table) and a phone. */
export const DESKTOP = 1280;
export const PHONE = 390;

/**
 * Layout problems of the loaded page at one viewport width: at every width the page must not scroll
 * sideways; at desktop width (≥ 1280 px) no display equation or table may overflow the content
 * column or need its own scroll bar. The viewport is left at `width`.
 */
export async function checkLayout(page: Page, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: 900 });
  // Let the resize handlers and two frames of layout run.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => { resolve(); }))));
  return page.evaluate((w) => {
    const problems: string[] = [];
    const label = (el: Element): string => {
      const text = el.textContent.replace(/\s+/g, " ").trim().slice(0, 50);
      const cls = el.getAttribute("class")?.split(/\s+/)[0];
      return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ""}> "${text}"`;
    };
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) {
      // Name the culprit: walk down from <body> to the deepest element whose removal narrows the page.
      const chain: Element[] = [];
      const wide = doc.scrollWidth;
      let parent: Element = document.body;
      for (let depth = 0; depth < 40; depth++) {
        const child = [...parent.children].find((el) => {
          if (!(el instanceof HTMLElement || el instanceof SVGElement || el instanceof MathMLElement)) return false;
          const old = el.style.display;
          el.style.display = "none";
          const narrower = doc.scrollWidth < wide;
          el.style.display = old;
          return narrower;
        });
        if (child === undefined) break;
        chain.push(child);
        parent = child;
      }
      const offenders = chain.slice(-2).reverse();
      problems.push(`scrolls sideways at ${w}px: the page is ${doc.scrollWidth}px wide (${offenders.slice(0, 3).map(label).join("; ")})`);
    }
    const column = document.querySelector(".vp-doc");
    if (w >= 1280 && column !== null) {
      const c = column.getBoundingClientRect();
      for (const el of column.querySelectorAll('mjx-container[display="true"], table')) {
        const r = el.getBoundingClientRect();
        if (r.right > c.right + 1 || el.scrollWidth > el.clientWidth + 1) {
          problems.push(`overflows the ${Math.round(c.width)}px column at ${w}px: ${label(el)} is ${Math.max(Math.round(r.width), el.scrollWidth)}px wide`);
        }
      }
    }
    return problems;
  }, width);
}

/** What users can type or paste into a demo field (range inputs are sanitized by the browser). */
export const GARBAGE = ["", "abc", "1e400", "-1e400", "-5", "0.5", "99999", " "];

const FIELDS = ".vp-doc input, .vp-doc select";

/** Wait two frames (Vue's updates and layout). */
const frames = (page: Page): Promise<void> =>
  page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => { resolve(); }))));

/**
 * Type every garbage value into every field of the page's article (number, text and range inputs,
 * selects) and list what broke: console errors, uncaught exceptions, a demo that lost its fields or
 * most of its content. Each field gets its first value back before the next one is tried.
 */
export async function checkDemoInputs(page: Page, baseUrl: string, path: string): Promise<string[]> {
  const problems: string[] = [];
  let current = "";
  const onConsole = (msg: { type(): string; text(): string }) => {
    if (msg.type() === "error") problems.push(`${current}: console error: ${msg.text()}`);
  };
  const onPageError = (err: Error) => {
    problems.push(`${current}: uncaught exception: ${err.message}`);
  };
  const shape = () =>
    page.evaluate((selector) => ({
      fields: document.querySelectorAll(selector).length,
      text: document.querySelector(".vp-doc")?.textContent.length ?? 0,
    }), FIELDS);
  const setField = async (index: number, value: string): Promise<void> => {
    await page.evaluate(
      ([selector, i, v]) => {
        const el = document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(selector)[i];
        if (el === undefined) return;
        el.value = v;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      },
      [FIELDS, index, value] as const,
    );
    await frames(page);
  };
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  try {
    await page.goto(baseUrl + path, { waitUntil: "load" });
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => undefined);
    const before = await shape();
    const fields = await page.evaluate(
      (selector) =>
        [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(selector)].map((el) => ({
          kind: el instanceof HTMLSelectElement ? "select" : el.type,
          name: el.getAttribute("data-testid") ?? el.getAttribute("name") ?? el.type,
          initial: el.value,
        })),
      FIELDS,
    );
    for (const [index, field] of fields.entries()) {
      if (field.kind === "checkbox" || field.kind === "radio") continue;
      for (const value of GARBAGE) {
        current = `${path} ${field.name} = ${JSON.stringify(value)}`;
        await setField(index, value);
        const after = await shape();
        if (after.fields < before.fields) problems.push(`${current}: the demo lost ${before.fields - after.fields} of its fields`);
        if (after.text < before.text * 0.8) problems.push(`${current}: the article lost ${before.text - after.text} characters`);
      }
      // One broken field is enough to report (the next ones would run on a broken page).
      if (problems.length > 0) return problems;
      current = `${path} ${field.name} restored`;
      await setField(index, field.initial);
    }
    return problems;
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
}

/** A browser page and a server of the built site, live between a test file's beforeAll and afterAll. */
export interface Site {
  readonly page: Page;
  readonly server: SiteServer;
  /** The server's base URL. */
  readonly url: string;
}

/**
 * Start Chromium and serve `root` (the built site by default) for the tests of one file: registers
 * the beforeAll/afterAll hooks and returns a handle whose fields are valid inside the tests.
 */
export function useSite(root: string = DIST): Site {
  let browser: Browser | undefined;
  let page: Page | undefined;
  let server: SiteServer | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    server = await serveStatic(root);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useSite: the ${what} is only available inside tests`);
    return value;
  };
  return {
    get page() {
      return ready(page, "page");
    },
    get server() {
      return ready(server, "server");
    },
    get url() {
      return ready(server, "server").url;
    },
  };
}

/** Set an `<input>` (slider, number field) found by its data-testid and fire its input event, as a user would. */
export async function setInput(page: Page, testid: string, value: number | string): Promise<void> {
  await page.locator(`[data-testid="${testid}"]`).first().evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}
