import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listPages } from "./browser";

describe("listPages", () => {
  it("lists every HTML page of a site as URL paths, the home page as /", () => {
    const root = fileURLToPath(new URL("./fixtures/broken-site", import.meta.url));
    expect(listPages(root)).toEqual(["/", "/broken-demo.html", "/code-math.html", "/console-error.html", "/raw-math.html", "/wide-phone.html", "/wide-table.html"]);
  });
});
