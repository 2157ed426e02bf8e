/** Question 1's padding demo: each padded sequence equals the same sequence run alone, with Node's numbers. */
import { createRng } from "@hw/tensor";
import { bptt, initParams } from "@hw/rnn";
import { describe, expect, it } from "vitest";
import { setInput, useSite } from "./browser";

const PATH = "/questions/q1-rnn.html";

const site = useSite();

/** The demo's recipe in Node: each sequence's loss when run alone. */
function lossesAlone(lengths: number[]): string[] {
  const T = 8;
  const rng = createRng(5);
  const params = initParams({ inputSize: 2, hiddenSize: 3, outputSize: 2, rng });
  const x = rng.normal([T, 3, 2]).toArray() as number[][][];
  const z = rng.normal([T, 3, 2]).toArray() as number[][][];
  return lengths.map((n, b) => bptt(params, x.slice(0, n).map((r) => r[b]!), z.slice(0, n).map((r) => r[b]!)).loss.toFixed(6));
}

const cells = async (testid: string): Promise<string[]> =>
  site.page.locator(`[data-testid="${testid}"]`).evaluateAll((els) => els.map((e) => e.textContent.trim()));

describe("Question 1 page: variable-length batches", () => {
  it("each padded sequence's backward states equal running it alone, and the losses are Node's", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="padding-table"]').waitFor();
    expect(await cells("padding-loss")).toEqual(lossesAlone([8, 5, 2]));
    expect(await cells("padding-start")).toEqual(["8", "5", "2"]);
    expect(await cells("padding-diff")).toEqual(["0.0e+0", "0.0e+0", "0.0e+0"]);
    await setInput(site.page, "padding-length-2", 6);
    await expect.poll(() => cells("padding-loss")).toEqual(lossesAlone([8, 5, 6]));
    expect(await cells("padding-diff")).toEqual(["0.0e+0", "0.0e+0", "0.0e+0"]);
    const total = lossesAlone([8, 5, 6]).reduce((a, v) => a + Number(v), 0);
    expect(Math.abs(Number(await cells("padding-total").then((c) => c[0])) - total)).toBeLessThan(5e-6);
  });
});
