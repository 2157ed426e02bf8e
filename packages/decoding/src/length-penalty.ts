import { readOptions } from "@hw/tensor";
import { show } from "./internal/validate";

/**
 * A length-normalisation formula for beam search: the score of a finished hypothesis of length L
 * (generated tokens, `<EOS>` included) is $\log p / \mathrm{lp}(L)$ with
 *
 * - `"none"`: lp(L) = 1 (the raw log-likelihood; the default);
 * - `"average"`: lp(L) = L (mean log-probability per token);
 * - `"power(α)"` or `{ kind: "power", alpha }`: lp(L) = L^α (HuggingFace's `length_penalty`);
 * - `"gnmt(α)"` or `{ kind: "gnmt", alpha }`: lp(L) = ((5 + L)/6)^α (Wu et al. 2016, GNMT).
 */
export type LengthPenalty =
  | "none"
  | "average"
  | `power(${number})`
  | `gnmt(${number})`
  | { readonly kind: "power" | "gnmt"; readonly alpha: number };

/** A parsed {@link LengthPenalty}. */
export interface LengthNormalizer {
  readonly name: string;
  /** lp(L). */
  readonly divisor: (length: number) => number;
  /** Whether lp is constant (normalisation has no effect). */
  readonly constant: boolean;
}

/**
 * Parse a {@link LengthPenalty} into its divisor lp(L).
 *
 * $$\mathrm{score} = \frac{\log p(w_{1:L})}{\mathrm{lp}(L)}$$
 *
 * @param penalty - The formula.
 * @returns Its name, lp(L), and whether it is constant.
 * @throws RangeError for an unknown formula or an α that is not a finite number (`"power()"` is refused, not read as 0); TypeError for a value of the wrong type.
 * @example
 * ```ts
 * lengthNormalizer("gnmt(0.6)").divisor(1); // => 1
 * ```
 */
export function lengthNormalizer(penalty: LengthPenalty): LengthNormalizer {
  return readLengthPenalty("lengthNormalizer", penalty);
}

/** A decimal number as JavaScript writes one: `1`, `-0.5`, `.6`, `2e-3` (not `""`, `0x1`, `Infinity`). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** @internal Parse a length penalty for `fn` (its name starts every error message). */
export function readLengthPenalty(fn: string, penalty: unknown): LengthNormalizer {
  let kind: string;
  let alpha = 1;
  if (typeof penalty === "string") {
    const m = /^(none|average|power|gnmt)(?:\((.*)\))?$/.exec(penalty.trim());
    const parametric = m !== null && (m[1] === "power" || m[1] === "gnmt");
    if (m === null || parametric !== (m[2] !== undefined)) {
      throw new RangeError(`${fn}: lengthPenalty: unknown formula ${JSON.stringify(penalty)} (none, average, power(α), gnmt(α))`);
    }
    kind = m[1]!;
    if (m[2] !== undefined) {
      if (!NUMBER.test(m[2].trim())) {
        throw new RangeError(`${fn}: lengthPenalty: α in ${JSON.stringify(penalty)} must be a finite number, e.g. "${kind}(0.6)"`);
      }
      alpha = Number(m[2]);
    }
  } else if (typeof penalty === "object" && penalty !== null && !Array.isArray(penalty)) {
    const o = readOptions(`${fn}: lengthPenalty`, penalty as { kind?: unknown; alpha?: unknown }, ["kind", "alpha"]);
    if (o.kind !== "power" && o.kind !== "gnmt") throw new RangeError(`${fn}: lengthPenalty: unknown formula kind ${show(o.kind)} (power or gnmt)`);
    kind = o.kind;
    if (typeof o.alpha !== "number") throw new TypeError(`${fn}: lengthPenalty: alpha must be a number, got ${show(o.alpha)}`);
    alpha = o.alpha;
  } else {
    throw new TypeError(`${fn}: lengthPenalty must be a formula string ("none", "average", "power(α)", "gnmt(α)") or { kind, alpha }, got ${show(penalty)}`);
  }
  if (!Number.isFinite(alpha)) throw new RangeError(`${fn}: lengthPenalty: α must be finite, got ${alpha}`);
  switch (kind) {
    case "none":
      return { name: "none", divisor: () => 1, constant: true };
    case "average":
      return { name: "average", divisor: (l) => l, constant: false };
    case "power":
      return { name: `power(${alpha})`, divisor: (l) => l ** alpha, constant: alpha === 0 };
    default:
      return { name: `gnmt(${alpha})`, divisor: (l) => ((5 + l) / 6) ** alpha, constant: alpha === 0 };
  }
}
