/**
 * The JSON input format of `@hw/regularization` (what `hw dropout …` and `hw ridge …` read), as a
 * valibot schema: strict (an unknown key is an error naming the closest known key), every number
 * finite, every shape consistent. The JSON Schema file generated from it ships as
 * `dist/schemas/regression-input.schema.json`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RegressionInputSchema } from "@hw/regularization/schema";
 * const data = v.parse(RegressionInputSchema, JSON.parse(text));
 * ```
 */
import * as v from "valibot";
import { describeValue as describe, finiteSchema as finite, matrixSchema as matrix, strictObjectSchema as strict, vectorSchema as vector } from "@hw/tensor/schema";

/** Linear-regression data X (n×d), y (n), and optionally w (d), the keep probability p and λ. */
export const RegressionInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      X: matrix,
      y: vector,
      w: v.optional(vector),
      p: v.optional(v.pipe(finite, v.gtValue(0, (issue) => `expected a keep probability in (0, 1], got ${describe(issue.input)}`), v.maxValue(1, (issue) => `expected a keep probability in (0, 1] (p is the probability of KEEPING a unit), got ${describe(issue.input)}`))),
      lambda: v.optional(v.pipe(finite, v.minValue(0, (issue) => `expected a penalty ≥ 0, got ${describe(issue.input)}`))),
    },
    "regression data { X, y, w?, p?, lambda? }",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { X, y, w } = dataset.value;
    const n = X.length;
    const d = X[0]!.length;
    if (y.length !== n) addIssue({ message: `y: expected a vector of length ${n} (one target per row of X, which is ${n}×${d}), got length ${y.length}` });
    else if (w !== undefined && w.length !== d) addIssue({ message: `w: expected a vector of length ${d} (one weight per column of X), got length ${w.length}` });
  }),
);

/** The validated regression data. */
export type RegressionInput = v.InferOutput<typeof RegressionInputSchema>;

/**
 * Ridge data (issue 17): X (n×d) and the targets y — n values, or an n×k matrix of k targets — with the
 * optional fields of {@link RegressionInputSchema} (w, p, λ), so that every regression input is also
 * a ridge input.
 */
export const RidgeInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      X: matrix,
      y: v.union([vector, matrix], (issue) => `expected n targets (a vector) or an n×k matrix of k targets, got ${describe(issue.input)}`),
      w: v.optional(vector),
      p: v.optional(v.pipe(finite, v.gtValue(0, (issue) => `expected a keep probability in (0, 1], got ${describe(issue.input)}`), v.maxValue(1, (issue) => `expected a keep probability in (0, 1] (p is the probability of KEEPING a unit), got ${describe(issue.input)}`))),
      lambda: v.optional(v.pipe(finite, v.minValue(0, (issue) => `expected a penalty ≥ 0, got ${describe(issue.input)}`))),
    },
    "ridge data { X, y, w?, p?, lambda? }",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { X, y } = dataset.value;
    const n = X.length;
    const d = X[0]!.length;
    if (y.length === n) return;
    if (Array.isArray(y[0])) addIssue({ message: `y: expected an ${n}×k matrix (one row of targets per row of X, which is ${n}×${d}), got ${y.length} rows` });
    else addIssue({ message: `y: expected a vector of length ${n} (one target per row of X, which is ${n}×${d}), got length ${y.length}` });
  }),
);

/** The validated ridge data. */
export type RidgeInput = v.InferOutput<typeof RidgeInputSchema>;

/** Every input format of this package, by the name of its JSON Schema file. */
export const schemas = { "regression-input": RegressionInputSchema, "ridge-input": RidgeInputSchema } as const;
