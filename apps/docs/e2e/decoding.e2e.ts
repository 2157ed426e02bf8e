/** Question 2's page: the beam-search stepper and the Viterbi trellis respond with the right numbers. */
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, checkPage, setInput, useSite } from "./browser";

const PATH = "/questions/q2-decoding.html";

const site = useSite();

const testid = (id: string) => site.page.locator(`[data-testid="${id}"]`);
const texts = async (id: string): Promise<string[]> => (await testid(id).allTextContents()).map((t) => t.trim().replace(/\s+/g, " "));

async function nodeState(key: string): Promise<string | null> {
  return testid(`node-${key}`).getAttribute("data-state");
}

describe("Question 2 page", () => {
  it("loads with typeset math, no console error and no raw TeX", async () => {
    const report = await checkPage(site.page, site.url, PATH);
    expect(report.problems).toEqual([]);
    expect(report.formulas).toBeGreaterThan(20);
  });

  it("the beam stepper walks Algorithm 1 with B = 2 on the example tree", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await testid("beam-demo").waitFor();
    expect(await testid("beam-width-value").textContent()).toBe("2");
    expect(await testid("beam-step").textContent()).toBe("0");
    expect(await texts("beam-kept")).toEqual(["⟨BOS⟩ · log p = 0.0000"]);
    expect(await nodeState("the")).toBe("idle");

    await testid("beam-next").click();
    expect(await testid("beam-step").textContent()).toBe("1");
    expect(await texts("beam-kept")).toEqual([`the · log p = ${Math.log(0.5).toFixed(4)}`, `a · log p = ${Math.log(0.3).toFixed(4)}`]);
    expect(await nodeState("the")).toBe("beam");
    expect(await nodeState("a")).toBe("beam");
    expect(await nodeState("red")).toBe("pruned");
    expect(await site.page.locator('[data-testid="beam-candidate"][data-status="pruned"]').count()).toBe(1);

    await testid("beam-next").click();
    expect(await texts("beam-kept")).toEqual([`a red · log p = ${Math.log(0.27).toFixed(4)}`, `the cat · log p = ${Math.log(0.2).toFixed(4)}`]);
    expect(await nodeState("a/red")).toBe("beam");
    expect(await nodeState("a")).toBe("path");
    expect(await nodeState("the/dog")).toBe("pruned");
    expect(await nodeState("red")).toBe("pruned");

    await testid("beam-next").click();
    expect(await texts("beam-kept")).toEqual([`a red fox · log p = ${Math.log(0.162).toFixed(4)}`, `a red car · log p = ${Math.log(0.108).toFixed(4)}`]);
    expect(await texts("beam-verdict")).toEqual(["Not optimal."]);
    expect(await testid("beam-result").textContent()).toContain("red fox ran");
    await testid("beam-demo").screenshot({ path: `${ARTIFACTS}q2-beam-b2.png` });

    await testid("beam-prev").click();
    expect(await testid("beam-step").textContent()).toBe("2");
    await testid("beam-reset").click();
    expect(await testid("beam-step").textContent()).toBe("0");
  });

  it("with B = 3 the stepper finds the optimum red fox ran (ln 0.1805)", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await testid("beam-demo").waitFor();
    await setInput(site.page, "beam-width", 3);
    expect(await testid("beam-width-value").textContent()).toBe("3");
    for (let k = 0; k < 3; k++) await testid("beam-next").click();
    const kept = await texts("beam-kept");
    expect(kept[0]).toBe(`red fox ran · log p = ${Math.log(0.1805).toFixed(4)}`);
    expect(kept).toHaveLength(3);
    expect(await texts("beam-verdict")).toEqual(["Optimal."]);
    expect(await nodeState("red/fox/ran")).toBe("beam");
    expect(await nodeState("the/dog/barked")).toBe("idle");
    expect(await nodeState("the/dog")).toBe("pruned");
    // B = 1 is greedy.
    await setInput(site.page, "beam-width", 1);
    expect(await testid("beam-step").textContent()).toBe("0");
    for (let k = 0; k < 3; k++) await testid("beam-next").click();
    expect(await texts("beam-kept")).toEqual([`the cat is · log p = ${Math.log(0.08).toFixed(4)}`]);
  });

  it("the Viterbi trellis shows δ, the optimal path and agrees with exhaustive search as T changes", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await testid("trellis-demo").waitFor();
    expect(await testid("trellis-path").textContent()).toBe("cloud rain rain");
    expect(await testid("trellis-logprob").textContent()).toBe(Math.log(0.4 * 0.65 * 0.55).toFixed(6));
    expect(await testid("trellis-exhaustive").textContent()).toBe("cloud rain rain");
    expect(await testid("trellis-greedy").textContent()).toBe("sun sun sun");
    expect(await site.page.locator('[data-testid="trellis-cell"]').count()).toBe(4 * 5);
    // δ_1(sun) = ln 0.45.
    expect((await site.page.locator('[data-testid="trellis-cell"][data-t="1"][data-j="1"]').textContent())?.trim()).toBe(Math.log(0.45).toFixed(3));
    await setInput(site.page, "trellis-steps", 5);
    expect(await site.page.locator('[data-testid="trellis-cell"]').count()).toBe(6 * 5);
    expect(await testid("trellis-path").textContent()).toBe(await testid("trellis-exhaustive").textContent());
    expect(await site.page.locator('[data-testid="trellis-cell"][data-on-path="true"]').count()).toBe(6);
    await testid("trellis-prob").check();
    expect((await site.page.locator('[data-testid="trellis-cell"][data-t="1"][data-j="1"]').textContent())?.trim()).toBe("0.4500");
    mkdirSync(ARTIFACTS, { recursive: true });
    await site.page.screenshot({ path: `${ARTIFACTS}q2-decoding.png`, fullPage: true });
  });
});
