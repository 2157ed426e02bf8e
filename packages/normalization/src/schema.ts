/**
 * The JSON input formats of `@hw/normalization` (what `hw norm … --input` reads), as valibot
 * schemas: strict (an unknown key is an error naming the closest known key), every number finite,
 * every shape consistent. The JSON Schema files generated from them ship as
 * `dist/schemas/<name>.schema.json`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NormInputSchema } from "@hw/normalization/schema";
 * const input = v.parse(NormInputSchema, JSON.parse(text));
 * ```
 */
import * as v from "valibot";
import { describeValue as describe, finiteSchema as finite, matrixSchema as matrix, strictObjectSchema as strict, vectorSchema as vector } from "@hw/tensor/schema";

/** Where a B×C×F nested array is not rectangular, or undefined when it is. */
function raggedAt(x: readonly (readonly (readonly number[])[])[]): string | undefined {
  const c = x[0]!.length;
  const f = x[0]![0]?.length ?? 0;
  for (let b = 0; b < x.length; b++) {
    if (x[b]!.length !== c) return `x[${b}]: ragged array: expected length ${c}, got ${x[b]!.length}`;
    for (let k = 0; k < c; k++) if (x[b]![k]!.length !== f) return `x[${b}][${k}]: ragged array: expected length ${f}, got ${x[b]![k]!.length}`;
  }
  return undefined;
}

const tensor3 = v.pipe(
  v.array(
    v.array(vector, (issue) => `expected a rank-3 nested array (B×C×F), got ${describe(issue.input)} at rank 2`),
    (issue) => `expected a rank-3 nested array (B×C×F), got ${describe(issue.input)} at rank 1`,
  ),
  v.check((x) => x.length > 0 && x[0]!.length > 0 && (x[0]![0]?.length ?? 0) > 0, "expected a non-empty B×C×F nested array"),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const where = raggedAt(dataset.value);
    if (where !== undefined) addIssue({ message: where });
  }),
);

const positive = v.pipe(finite, v.gtValue(0, (issue) => `expected a number > 0, got ${describe(issue.input)}`));

/** `hw norm stats|apply`: x (B×C×F), γ and β (length C, or C×F for layer norm), eps, groups. */
export const NormInputSchema = strict(
  {
    $schema: v.optional(v.string()),
    x: tensor3,
    gamma: v.optional(v.union([vector, matrix], (issue) => `expected a vector (length C) or a C×F matrix, got ${describe(issue.input)}`)),
    beta: v.optional(v.union([vector, matrix], (issue) => `expected a vector (length C) or a C×F matrix, got ${describe(issue.input)}`)),
    eps: v.optional(positive),
    groups: v.optional(v.pipe(positive, v.integer((issue) => `expected an integer ≥ 1, got ${describe(issue.input)}`))),
  },
  "a normalization input { x, gamma?, beta?, eps?, groups? }",
);

/** The validated input of `hw norm stats|apply`. */
export type NormInput = v.InferOutput<typeof NormInputSchema>;

/** `hw norm weightnorm-grad`: u, γ and the upstream gradient ∇_w L (the length of u). */
export const WeightNormInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      u: v.pipe(vector, v.minLength(1, "expected a non-empty vector")),
      gamma: finite,
      gradW: vector,
    },
    "a weight-norm input { u, gamma, gradW }",
  ),
  v.check((o) => o.gradW.length === o.u.length, (issue) => {
    const o = issue.input as { u: number[]; gradW: number[] };
    return `gradW: expected a vector of length ${o.u.length} (the length of u), got length ${o.gradW.length}`;
  }),
);

/** The validated input of `hw norm weightnorm-grad`. */
export type WeightNormInput = v.InferOutput<typeof WeightNormInputSchema>;

/** Every input format of this package, by the name of its JSON Schema file. */
export const schemas = { "norm-input": NormInputSchema, "weight-norm-input": WeightNormInputSchema } as const;
