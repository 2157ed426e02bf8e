/** The inputs of `hw norm …`: a B×C×F tensor with γ, β, eps, groups; or weight-norm u, γ, ∇_w L. */
import { problemTensor } from "@hw/normalization";
import { NormInputSchema, WeightNormInputSchema, schemas } from "@hw/normalization/schema";
import type { InputFormat } from "../../command";
import { jsonSchemaOf, schemaUrl } from "../../schema-url";

/** The built-in weight-norm example (Question 3.3's numbers). */
export const WEIGHTNORM_EXAMPLE = { u: [1, 2, -2], gamma: 2, gradW: [0.3, -0.7, 1.9] };

const problem = (): Record<string, unknown> => ({ x: problemTensor().toArray() });

/** `--input FILE|-|example|example:q3` of `hw norm stats|apply` (default: the problem's tensor). */
export const normFormat: InputFormat = {
  summary: "{ x: B×C×F nested array, gamma?, beta?, eps?, groups? }",
  schema: NormInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["norm-input"], "@hw/normalization", "norm-input"),
  schemaUrl: schemaUrl("@hw/normalization", "norm-input"),
  builtIns: { example: problem, "example:q3": problem },
  defaultInput: "example:q3",
};

/** `--input FILE|-|example|example:q3` of `hw norm weightnorm-grad`. */
export const weightNormFormat: InputFormat = {
  summary: "{ u: vector, gamma: number, gradW: vector (the length of u) }",
  schema: WeightNormInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["weight-norm-input"], "@hw/normalization", "weight-norm-input"),
  schemaUrl: schemaUrl("@hw/normalization", "weight-norm-input"),
  builtIns: { example: () => structuredClone(WEIGHTNORM_EXAMPLE), "example:q3": () => structuredClone(WEIGHTNORM_EXAMPLE) },
  defaultInput: "example:q3",
};
