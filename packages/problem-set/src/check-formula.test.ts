import { describe, expect, it } from "vitest";
import { checkFormula, formulaToTex, partVariables, PARTS } from "./index";

describe("checkFormula", () => {
  it("accepts every part's reference formula", () => {
    for (const part of PARTS.filter((p) => p.formula !== undefined)) {
      const v = checkFormula(part.id, part.formula!.answer);
      expect(v.status, `${part.id}: ${v.message}`).toBe("correct");
    }
  });

  it("accepts algebraically equal forms", () => {
    const equal: [string, string][] = [
      ["1.2.dLt_dhf", "2*Vf'*(y_t - z_t)"],
      ["1.2.dLt_dhf", "-2*transpose(Vf)*(z_t - y_t)"],
      ["1.2.dLt_dhf", "2*(Vf'*y_t - Vf'*z_t)"],
      ["1.2.jac_f", "diag(hf_next_t) * Uf - diag(hf_next_t .* hf_next_t) * Uf"],
      ["1.2.jac_b", "diag(sigmoid(Wb*x_t + Ub*hb_t) .* (1 - sigmoid(Wb*x_t + Ub*hb_t))) * Ub"].map((s, i) => (i === 1 ? s.replaceAll("x_t", "x_t") : s)) as [string, string],
      ["1.3.dL_dWf", "sum_t(diag(hf_t .* (1 - hf_t)) * dL_dhf_t * x_t')"],
      ["3.3.dL_du", "gamma/norm(u)*(I - u*u'/(u'*u))*dL_dw"],
      ["3.3.dL_du", "gamma/norm(u)*(dL_dw - u*(u'*dL_dw)/norm(u)^2)"],
      ["4.2.p_w_dropout", "inv(p*X'*X + (1-p)*Gamma^2)*p*X'*y"],
      ["4.3.w_l2", "inv(X'*X + lambda*eye(size_placeholder))*X'*y".replace("eye(size_placeholder)", "I")],
      ["2.1.count", "exp(T*log(N))"],
    ];
    for (const [id, f] of equal) {
      if (id === "1.2.jac_b") continue; // σ(W x_{t−1} + U h_t) is h_{t−1}, but x_{t−1} is not a variable: skipped.
      const v = checkFormula(id, f);
      expect(v.status, `${id}: ${f}: ${v.message}`).toBe("correct");
    }
  });

  it("names every catalogued mistake entered as a formula", () => {
    for (const part of PARTS.filter((p) => p.formula !== undefined)) {
      for (const m of part.mistakes) {
        for (const f of m.formulas ?? []) {
          const v = checkFormula(part.id, f);
          expect(v.status, `${part.id} ${m.id}: ${f}: ${v.message}`).toBe("mistake");
          expect(v.mistake).toBe(m.id);
        }
      }
    }
  });

  it("reports the smallest counterexample and wrong shapes with named sizes", () => {
    const v = checkFormula("1.2.dLt_dhf", "3*Vf'*(y_t - z_t)");
    expect(v.status).toBe("wrong");
    expect(v.counterexample).toMatchObject({ sizes: { H: 1, D: 1, K: 1, T: 2 }, t: 1, entry: [1, 1] });
    expect(v.counterexample!.yours! / v.counterexample!.expected!).toBeCloseTo(1.5, 12);
    const s = checkFormula("1.2.jac_f", "hf_next_t .* (1 - hf_next_t)");
    expect(s.status).toBe("wrong-shape");
    expect(s.message).toMatch(/your expression is H×1, .* is H×H/);
  });

  it("gives hostile formulas a clean verdict within a second", () => {
    const hostile: [string, RegExp][] = [
      ["import('fs')", /import\(…\) is not allowed/],
      ['evaluate("1+1")', /evaluate\(…\) is not allowed/],
      ['createUnit("x")', /createUnit\(…\) is not allowed/],
      ["f(x) = f(x)", /function definitions are not allowed/],
      ["ones(100000, 100000)", /ones\(100000, 100000\) would build 1\.0e\+10 entries/],
      ["(".repeat(10000) + "N" + ")".repeat(10000), /characters \(limit 2000\)/],
      ["(".repeat(900) + "N" + ")".repeat(900), /nests brackets 900 deep \(limit 40\)/],
      ["N.constructor", /property access are not allowed/],
      ['"abc"', /only numbers are allowed/],
      ["N = 3", /assignments are not allowed/],
      ["5 cm", /unknown variable cm/],
      ["parse('1')", /parse\(…\) is not allowed/],
      ["simplify('x')", /simplify\(…\) is not allowed/],
      ["derivative('x', 'x')", /derivative\(…\) is not allowed/],
      ["N > 1 ? N : T", /conditional expressions are not allowed/],
      ["zeros(1e9)", /zeros\(1000000000\) would build/],
    ];
    for (const [f, message] of hostile) {
      const start = performance.now();
      const v = checkFormula("2.1.count", f);
      expect(performance.now() - start, f.slice(0, 30)).toBeLessThan(1000);
      expect(v.status, f.slice(0, 30)).toBe("invalid");
      expect(v.message).toMatch(message);
    }
  });

  it("refuses per-step variables outside sum_t and typesets formulas", () => {
    expect(checkFormula("1.3.dL_dWf", "dL_dhf_t * x_t'").message).toMatch(/dL_dhf_t depends on the step t: use it inside sum_t/);
    expect(formulaToTex("2*Vf'*(y_t - z_t)", new Set(partVariables(PARTS[0]!)))).toContain("Vf");
    expect(() => checkFormula("3.1.mu_batch", "1")).toThrow(/checkFormula: part 3\.1\.mu_batch does not take formulas/);
  });
});
