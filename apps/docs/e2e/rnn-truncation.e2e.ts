/** Question 1's truncated-BPTT table: the relative errors shown equal Node's and follow the controls. */
import { createRng } from "@hw/tensor";
import { bptt, initParams } from "@hw/rnn";
import { describe, expect, it } from "vitest";
import { setInput, useSite } from "./browser";

const PATH = "/questions/q1-rnn.html";

const site = useSite();

/** The demo's recipe in Node: relative error of each truncated gradient against full BPTT. */
function expected(T: number, k: number, scale: number, k2 = k): Record<string, string> {
  const rng = createRng(3);
  const params = initParams({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng, scale });
  const x = rng.normal([T, 8, 3]);
  const z = rng.normal([T, 8, 2]);
  const full = bptt(params, x, z);
  const cut = bptt(params, x, z, { truncate: k2 === k ? k : { k1: k, k2 } });
  const out: Record<string, string> = {};
  for (const name of ["Wf", "Uf", "Wb", "Ub"] as const) {
    const a = cut.grads[name].contiguous().data;
    const b = full.grads[name].contiguous().data;
    let num = 0;
    let den = 0;
    for (let i = 0; i < b.length; i++) {
      num += (a[i]! - b[i]!) ** 2;
      den += b[i]! ** 2;
    }
    out[name] = Math.sqrt(num / den).toExponential(2);
  }
  return out;
}

async function shown(): Promise<Record<string, string>> {
  const rows = site.page.locator('[data-testid="truncation-row"]');
  const pairs = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute("data-name") ?? "", (e.querySelectorAll("td")[1]?.textContent ?? "").trim()]));
  return Object.fromEntries(pairs) as Record<string, string>;
}

describe("Question 1 page: truncated BPTT", () => {
  it("shows the relative error of each gradient against full BPTT, as computed in Node, and follows k, T and the scale", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="truncation-table"]').waitFor();
    expect(await shown()).toEqual(expected(24, 4, 1.5));
    await setInput(site.page, "truncation-k", 12);
    const longer = expected(24, 12, 1.5);
    await expect.poll(shown).toEqual(longer);
    // Longer blocks keep more paths: a smaller bias in the recurrent weights.
    expect(Number(longer.Uf)).toBeLessThan(Number(expected(24, 4, 1.5).Uf));
    await setInput(site.page, "truncation-k", 30);
    await expect.poll(shown).toEqual({ Wf: "0.00e+0", Uf: "0.00e+0", Wb: "0.00e+0", Ub: "0.00e+0" }); // k ≥ T: full BPTT
    await setInput(site.page, "truncation-scale", 4);
    await setInput(site.page, "truncation-T", 40);
    await expect.poll(shown).toEqual(expected(40, 30, 4));
  });

  it("k₂ > k₁ (Williams & Peng) lowers the bias at the same k₁; the numbers equal Node's bptt({ truncate: { k1, k2 } })", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="truncation-table"]').waitFor();
    expect(await site.page.locator('[data-testid="truncation-k2-value"]').textContent()).toBe("4");
    await setInput(site.page, "truncation-k2", 10);
    const deeper = expected(24, 4, 1.5, 10);
    await expect.poll(shown).toEqual(deeper);
    expect(Number(deeper.Uf)).toBeLessThan(Number(expected(24, 4, 1.5).Uf));
    expect(deeper).not.toEqual(expected(24, 4, 1.5));
    // k₂ below k₁ is raised to k₁: regular truncation.
    await setInput(site.page, "truncation-k", 12);
    await expect.poll(shown).toEqual(expected(24, 12, 1.5));
    expect(await site.page.locator('[data-testid="truncation-k2-value"]').textContent()).toBe("12");
  });
});
