/**
 * The differentiability guard every package runs: each exported function of a package must have a
 * recorded gradient decision, so nothing can be exported that silently returns zero gradients.
 */

/** How one export behaves under autodiff. */
export type GradientDecision =
  /** records a backward rule; the package's tests gradcheck it */
  | { readonly kind: "differentiable"; readonly order?: 1 | 2 | "any" }
  /** throws `NotDifferentiableError` when its tensor inputs are being differentiated */
  | { readonly kind: "refuses"; readonly reason: string }
  /** takes no differentiable tensor input (creation, predicates, classes, formatting…) */
  | { readonly kind: "no-tensor-input"; readonly reason: string }
  /**
   * takes tensors but its output is piecewise constant in them (indices, 0/1 masks, a cut graph):
   * the gradient is zero almost everywhere, so the output is returned untracked (as in PyTorch)
   */
  | { readonly kind: "constant-output"; readonly reason: string };

/**
 * The exported functions (and classes) of `api` that `decisions` does not classify, and the
 * decisions that name no export: both lists must be empty.
 *
 * @param api - `import * as api from "../src/index"`
 * @param decisions - one decision per exported function
 * @returns `{ unclassified, stale }`
 */
export function gradientCoverage(
  api: Readonly<Record<string, unknown>>,
  decisions: Readonly<Record<string, GradientDecision>>,
): { unclassified: string[]; stale: string[] } {
  const functions = Object.entries(api)
    .filter(([, v]) => typeof v === "function" || (typeof v === "object" && v !== null && Object.values(v).some((f) => typeof f === "function")))
    .map(([k]) => k);
  return {
    unclassified: functions.filter((k) => !(k in decisions)),
    stale: Object.keys(decisions).filter((k) => !(k in api)),
  };
}
