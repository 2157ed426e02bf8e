import { nextTick } from "vue";
import { describe, expect, it } from "vitest";
import { checkNumber, numberField } from "./number-field";

describe("checkNumber", () => {
  it("accepts numbers and numeric strings inside the rule", () => {
    expect(checkNumber(3, { min: 0, max: 9, integer: true })).toEqual({ ok: true, value: 3 });
    expect(checkNumber(" -0.25 ")).toEqual({ ok: true, value: -0.25 });
  });

  it("refuses empty, garbage, non-finite, fractional and out-of-range values, saying why", () => {
    expect(checkNumber("")).toEqual({ ok: false, error: "enter a number" });
    expect(checkNumber("abc")).toEqual({ ok: false, error: "not a number" });
    expect(checkNumber("1e999")).toEqual({ ok: false, error: "not a number" });
    expect(checkNumber(Number.NaN)).toEqual({ ok: false, error: "not a number" });
    expect(checkNumber(1.5, { integer: true })).toEqual({ ok: false, error: "must be a whole number" });
    expect(checkNumber(-1, { min: 0 })).toEqual({ ok: false, error: "must be ≥ 0" });
    expect(checkNumber(1000, { max: 999 })).toEqual({ ok: false, error: "must be ≤ 999" });
  });
});

describe("numberField", () => {
  it("keeps the last valid value while the field holds garbage, and follows it again when valid", async () => {
    const seed = numberField(1, { min: 0, max: 999, integer: true });
    seed.input.value = 7;
    await nextTick();
    expect(seed.value.value).toBe(7);
    expect(seed.error.value).toBeNull();
    seed.input.value = "";
    await nextTick();
    expect(seed.value.value).toBe(7);
    expect(seed.error.value).toBe("enter a number; using 7");
    seed.input.value = 12.5;
    await nextTick();
    expect(seed.error.value).toBe("must be a whole number; using 7");
    seed.input.value = "42";
    await nextTick();
    expect(seed.value.value).toBe(42);
    expect(seed.error.value).toBeNull();
  });
});
