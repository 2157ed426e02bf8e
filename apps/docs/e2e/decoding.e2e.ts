/** Question 2's page: the beam-search stepper and the Viterbi trellis respond with the right numbers. */
import { mkdirSync } from "node:fs";
import { forward, hmm, posteriorDecode, viterbi } from "@hw/decoding";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, checkPage, setInput, useSite } from "./browser";

const PATH = "/questions/q2-decoding.html";

const site = useSite();

const testid = (id: string) => site.page.locator(`[data-testid="${id}"]`);
const texts = async (id: string): Promise<string[]> => (await testid(id).allTextContents()).map((t) => t.trim().replace(/\s+/g, " "));

/** The weather HMM of the "Viterbi with emissions" demo, computed in Node. */
const W = {
  states: ["rain", "sun"],
  symbols: ["walk", "shop", "clean"],
  start: [0.6, 0.4],
  transition: [
    [0.7, 0.3],
    [0.4, 0.6],
  ],
  emission: [
    [0.1, 0.4, 0.5],
    [0.6, 0.3, 0.1],
  ],
};
const weather = hmm(W);

/** δ_t(j) by brute force: the best joint log-probability of any path of length t ending in j. */
function bruteDelta(obs: readonly string[], t: number, j: number): number {
  const x = obs.map((s) => W.symbols.indexOf(s));
  let best = -Infinity;
  for (let code = 0; code < 2 ** t; code++) {
    const z = Array.from({ length: t }, (_, k) => (code >> k) & 1);
    if (z[t - 1] !== j) continue;
    let lp = Math.log(W.start[z[0]!]!) + Math.log(W.emission[z[0]!]![x[0]!]!);
    for (let k = 1; k < t; k++) lp += Math.log(W.transition[z[k - 1]!]![z[k]!]!) + Math.log(W.emission[z[k]!]![x[k]!]!);
    best = Math.max(best, lp);
  }
  return best;
}

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

  it("Viterbi with emissions: every cell's δ and emission factor, the path and log p match Node's, as the observations change", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await testid("hmm-demo").waitFor();
    const cell = (t: number, j: number) => site.page.locator(`[data-testid="hmm-cell"][data-t="${t}"][data-j="${j}"]`);
    const check = async (obs: string[]): Promise<void> => {
      const v = viterbi(weather, obs);
      expect(await testid("hmm-path").textContent()).toBe(v.states.join(" "));
      expect(await testid("hmm-logprob").textContent()).toBe(v.logProb.toFixed(6));
      expect(await testid("hmm-table-best").textContent()).toBe(v.logProb.toFixed(6));
      expect(await testid("hmm-loglik").textContent()).toBe(forward(weather, obs).logLikelihood.toFixed(6));
      expect(await testid("hmm-map").textContent()).toBe(posteriorDecode(weather, obs).states.join(" "));
      expect(await site.page.locator('[data-testid="hmm-cell"]').count()).toBe(2 * obs.length);
      for (let t = 1; t <= obs.length; t++) {
        for (let j = 0; j < 2; j++) {
          const c = cell(t, j);
          expect((await c.locator('[data-testid="hmm-delta"]').textContent())?.trim()).toBe(bruteDelta(obs, t, j).toFixed(3));
          const e = Math.log(W.emission[j]![W.symbols.indexOf(obs[t - 1]!)]!);
          expect((await c.locator('[data-testid="hmm-emission"]').textContent())?.trim()).toBe(`+ ${e.toFixed(3)}`);
          expect(await c.getAttribute("data-on-path")).toBe(String(v.path[t - 1] === j));
        }
      }
    };
    // walk shop clean: sun rain rain, p(x, z) = 0.01344.
    await check(["walk", "shop", "clean"]);
    expect(await testid("hmm-logprob").textContent()).toBe(Math.log(0.01344).toFixed(6));
    await site.page.locator('[data-testid="hmm-obs-2"]').selectOption("clean");
    await check(["walk", "clean", "clean"]);
    await setInput(site.page, "hmm-steps", 5);
    expect(await testid("hmm-steps-value").textContent()).toBe("5");
    await check(["walk", "clean", "clean", "walk", "walk"]);
    await testid("hmm-prob").check();
    // In probabilities the emission factor of rain at t = 1 (walk) is B = 0.1.
    expect((await cell(1, 0).locator('[data-testid="hmm-emission"]').textContent())?.trim()).toBe("× 0.1000");
    expect((await cell(1, 1).locator('[data-testid="hmm-delta"]').textContent())?.trim()).toBe((0.4 * 0.6).toPrecision(4));
    await testid("hmm-demo").screenshot({ path: `${ARTIFACTS}q2-hmm-trellis.png` });
  });
});
