import { chromium } from "playwright-core";
import sirv from "sirv";
import { createServer } from "node:http";
const [,, root, path, width, out, selector] = process.argv;
const handler = sirv(root, { dev: false, extensions: ["html"] });
const server = createServer((req, res) => handler(req, res, () => { res.statusCode = 404; res.end(); }));
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
page.on("console", (m) => { if (m.type() === "error") console.log("console:", m.text()); });
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(url + path, { waitUntil: "load" });
await page.waitForLoadState("networkidle", { timeout: 5000 }).catch(() => {});
if (selector) { const el = page.locator(selector).first(); await el.scrollIntoViewIfNeeded(); await el.screenshot({ path: out }); }
else await page.screenshot({ path: out, fullPage: true });
const info = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
console.log(JSON.stringify(info));
await browser.close(); server.close();
