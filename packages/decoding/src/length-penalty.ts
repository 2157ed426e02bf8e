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
 * @throws RangeError for an unknown formula or a non-finite α.
 * @example
 * ```ts
 * lengthNormalizer("gnmt(0.6)").divisor(1); // => 1
 * ```
 */
export function lengthNormalizer(penalty: LengthPenalty): LengthNormalizer {
  let kind: string;
  let alpha = 1;
  if (typeof penalty === "string") {
    const m = /^(none|average|power|gnmt)(?:\((.*)\))?$/.exec(penalty.trim());
    if (m === null || ((m[1] === "power" || m[1] === "gnmt") !== (m[2] !== undefined))) {
      throw new RangeError(`lengthPenalty: unknown formula ${JSON.stringify(penalty)} (none, average, power(α), gnmt(α))`);
    }
    kind = m[1]!;
    if (m[2] !== undefined) alpha = Number(m[2]);
  } else {
    kind = penalty.kind;
    alpha = penalty.alpha;
    if (kind !== "power" && kind !== "gnmt") throw new RangeError(`lengthPenalty: unknown formula kind ${JSON.stringify(kind)}`);
  }
  if (!Number.isFinite(alpha)) throw new RangeError(`lengthPenalty: α must be finite, got ${alpha}`);
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
