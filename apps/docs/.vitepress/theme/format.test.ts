import { describe, expect, it } from "vitest";
import { fixed, sig } from "./format";

describe("docs number formatting", () => {
  it("sig: significant digits, no trailing zeros, a true minus sign", () => {
    expect(sig(-0.30171330012)).toBe("−0.3017133");
    expect(sig(1282.1462903509264)).toBe("1282.1463");
    expect(sig(0.5)).toBe("0.5");
    expect(sig(Number.NEGATIVE_INFINITY)).toBe("−∞");
  });

  it("fixed: fixed decimals, no −0.00", () => {
    expect(fixed(-1.12057787179772)).toBe("−1.12");
    expect(fixed(1281.025674276295)).toBe("1281.03");
    expect(fixed(-0.001)).toBe("0.00");
  });
});
