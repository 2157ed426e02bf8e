/**
 * The "Check your answers" page: verdicts, named mistakes, wrong shapes and hostile formulas, all
 * computed in the browser by @hw/problem-set; formulas are typeset as they are typed.
 */
import { describe, expect, it } from "vitest";
import { generateVariant } from "@hw/problem-set";
import { checkLayout, checkPage, DESKTOP, PHONE, setInput, useSite } from "./browser";

const PATH = "/guide/check-your-answers.html";

const site = useSite();

const text = async (testid: string): Promise<string> => ((await site.page.locator(`[data-testid="${testid}"]`).first().textContent()) ?? "").trim();

/** Type an answer into a part and wait for its verdict. */
async function answer(id: string, value: string): Promise<{ status: string; verdict: string }> {
  const verdict = site.page.locator(`[data-testid="verdict-${id}"]`);
  const before = (await verdict.count()) > 0 ? await text(`verdict-${id}`) : "";
  await setInput(site.page, `answer-${id}`, value);
  await verdict.waitFor();
  // The verdict is recomputed after a short debounce: wait for the new one.
  await expect.poll(async () => text(`verdict-${id}`)).not.toBe(before);
  return { status: await text(`status-${id}`), verdict: await text(`verdict-${id}`) };
}

describe("Check your answers page", () => {
  it("loads with typeset math, no console error and no raw TeX", async () => {
    const report = await checkPage(site.page, site.url, PATH);
    expect(report.problems).toEqual([]);
    expect(report.formulas).toBeGreaterThan(3);
  });

  it("checks numbers and formulas in the page: correct, three named mistakes, a wrong shape, a malicious formula", async () => {
    await site.page.goto(site.url + PATH, { waitUntil: "load" });
    await site.page.locator('[data-testid="answer-1.2.dLt_dhf"]').waitFor();
    await expect.poll(() => text("summary")).toMatch(/^0 of 22 parts answered/);

    // A correct formula, typeset while typed.
    const correct = await answer("1.2.dLt_dhf", "-2*transpose(Vf)*(z_t - y_t)");
    expect(correct.status).toBe("correct");
    expect(correct.verdict).toMatch(/^✓/);
    expect(await site.page.locator('[data-testid="preview-1.2.dLt_dhf"] .katex').count()).toBe(1);

    // Three named mistakes: two formulas and one answer in numbers (the original variant's 3.1).
    expect((await answer("1.2.jac_f", "Uf*diag(hf_next_t .* (1 - hf_next_t))")).status).toBe("transposed-jacobian");
    expect((await answer("4.2.lambda_dropout", "p/(1-p)")).status).toBe("drop-instead-of-keep-probability");
    const unbiased = (generateVariant("original").key["3.1.var_batch"] as number[]).map((v) => (v * 12) / 11);
    const numbers = await answer("3.1.var_batch", JSON.stringify(unbiased.map((v) => Number(v.toPrecision(5)))));
    expect(numbers.status).toBe("unbiased-variance");
    expect(numbers.verdict).toMatch(/^✗/);

    // A wrong formula gets the smallest counterexample.
    expect((await answer("1.3.dL_dWf", "3*sum_t((dL_dhf_t .* hf_t .* (1 - hf_t)) * x_t')")).status).toBe("wrong");
    expect(await text("counterexample-1.3.dL_dWf")).toMatch(/^counterexample: sizes H = 1, D = 1, K = 1, T = 2, seed 1: entry \(1, 1\) yours /);

    // A wrong shape is its own verdict.
    const shape = await answer("1.2.dLt_dhb", "2*(y_t - z_t)'*Vb");
    expect(shape.status).toBe("wrong-shape");
    expect(shape.verdict).toContain("your expression is 1×H");

    // Hostile formulas get a clean verdict, and the page keeps working.
    const hostile = await answer("2.1.count", "import('fs')");
    expect(hostile.status).toBe("invalid");
    expect(hostile.verdict).toContain("import(…) is not allowed");
    expect((await answer("2.1.count", "ones(100000, 100000)")).verdict).toContain("would build 1.0e+10 entries");
    expect((await answer("2.1.count", "N^T")).status).toBe("correct");
    await expect.poll(() => text("summary")).toMatch(/^7 of 22 parts answered · score 2$/);
  });

  it("switches variants and survives an invalid seed", async () => {
    await setInput(site.page, "variant", "seven");
    await expect.poll(() => text("variant-error")).toContain('expected "original" or a non-negative integer');
    await setInput(site.page, "variant", "7");
    await expect.poll(() => site.page.locator('[data-testid="variant-error"]').count()).toBe(0);
    const key = generateVariant(7).key["3.1.mu_batch"] as number[];
    expect((await answer("3.1.mu_batch", JSON.stringify(key))).status).toBe("correct");
  });

  it("fits the column at 1280 px and does not scroll sideways at 390 px, previews and verdicts included", async () => {
    await answer("1.3.dL_dUb", "sum_t((dL_dhb_t .* hb_t .* (1 - hb_t)) * hb_next_t')");
    expect(await checkLayout(site.page, DESKTOP)).toEqual([]);
    expect(await checkLayout(site.page, PHONE)).toEqual([]);
    await site.page.setViewportSize({ width: DESKTOP, height: 900 });
  });
});
