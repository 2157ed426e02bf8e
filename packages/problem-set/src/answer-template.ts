/** `answerTemplate`: an answers file listing every part with its kind, expected shape and formula variables. */
import { partVariables } from "./formula/evaluate";
import type { Variant } from "./generate-variant";
import { PARTS } from "./parts";
import type { VariantSeed } from "./variant";

/** What {@link answerTemplate} returns: a valid answers file (every answer `null` = not answered yet) and a guide per part. */
export interface AnswerTemplate {
  readonly variant: VariantSeed;
  readonly answers: Record<string, null>;
  /** Ignored by the checker: how to answer each part. */
  readonly parts: Record<string, { readonly title: string; readonly kind: string; readonly shape: string; readonly formula?: { readonly variables: readonly string[]; readonly shape: string; readonly steps?: string } }>;
}

/** The answers template of a variant: fill in `answers` and run `hw check`. */
export function answerTemplate(variant: Variant): AnswerTemplate {
  const sizes: Record<string, number> = {
    T: variant.data.q1.x.length,
    "T−1": variant.data.q1.x.length - 1,
    H: variant.data.q1.Wf.length,
    D: variant.data.q1.Wf[0]!.length,
    K: variant.data.q1.Vf.length,
    B: variant.data.q3.x.length,
    C: variant.data.q3.x[0]!.length,
    n: variant.data.q3.u.length,
    d: variant.data.q4.X[0]!.length,
  };
  const shapeText = (shape: readonly string[]) => (shape.length === 0 ? "a number" : `${shape.join("×")} = ${shape.map((s) => sizes[s] ?? s).join("×")}`);
  return {
    variant: variant.seed,
    answers: Object.fromEntries(PARTS.map((p) => [p.id, null])),
    parts: Object.fromEntries(
      PARTS.map((p) => [
        p.id,
        {
          title: p.title,
          kind: p.kind,
          shape: p.kind === "sequence" ? '{ "tokens": [T words], "logProb": natural log }' : p.kind === "beams" ? '[{ "tokens", "logProb" } × B], best first' : shapeText(p.shape),
          ...(p.formula === undefined
            ? {}
            : { formula: { variables: partVariables(p), shape: p.formula.shape.join("×") || "a scalar", ...(p.formula.steps === undefined ? {} : { steps: p.formula.steps === "all" ? "t = 1…T" : p.formula.steps === "from-second" ? "t = 2…T" : "t = 1…T−1" }) } }),
        },
      ]),
    ),
  };
}
