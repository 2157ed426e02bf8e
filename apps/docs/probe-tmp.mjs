import { chromium } from "playwright-core";
import sirv from "sirv";
import { createServer } from "node:http";
const handler = sirv(".vitepress/dist", { dev: false, extensions: ["html"] });
const server = createServer((req, res) => handler(req, res, () => { res.statusCode = 404; res.end(); }));
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: Number(process.env.W ?? 390), height: 900 } });
for (const p of process.argv.slice(2)) {
  await page.goto(`http://127.0.0.1:${server.address().port}${p}`, { waitUntil: "load" });
  await page.waitForTimeout(1500);
  console.log(p, await page.evaluate(() => {
    const sw = () => document.documentElement.scrollWidth;
    const base = sw();
    const out = [`sw=${base} body=${document.body.scrollWidth}`];
    const walk = (root, depth) => {
      for (const el of root.children) {
        const old = el.style.display; el.style.display = "none"; const w = sw(); el.style.display = old;
        if (w < base) { out.push(`${"  ".repeat(depth)}${el.tagName}.${el.getAttribute("class")} -> ${w} :: ${(el.textContent || "").slice(0, 60)}`); if (depth < 14) walk(el, depth + 1); return; }
      }
    };
    walk(document.body, 0);
    return out.join("\n");
  }));
}
await browser.close(); server.close();
