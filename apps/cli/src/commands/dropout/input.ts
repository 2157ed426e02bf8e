/** The input of `hw dropout …` and `hw ridge …`: regression data X, y (and w, p, λ). */
import { RegressionInputSchema, RidgeInputSchema, schemas } from "@hw/regularization/schema";
import { createRng } from "@hw/tensor";
import type { InputFormat } from "../../command";
import { jsonSchemaOf, schemaUrl } from "../../schema-url";

/**
 * The built-in data of `hw solve` Question 4: n = 40, d = 4, from `createRng(4)`, with columns of very
 * different norms (scales 0.3, 1, 3, 6) so that the per-feature dropout penalty matters.
 */
export function builtInData(): { X: number[][]; y: number[]; w: number[] } {
  const rng = createRng(4);
  const n = 40;
  const scales = [0.3, 1, 3, 6];
  const Z = rng.normal([n, scales.length]).toArray() as number[][];
  const X = Z.map((row) => row.map((v, j) => v * scales[j]!));
  const wTrue = [2, -1, 0.5, 0.25];
  const noise = rng.normal([n], { std: 0.5 }).toArray() as number[];
  const y = X.map((row, i) => row.reduce((s, v, j) => s + v * wTrue[j]!, 0) + noise[i]!);
  return { X, y, w: [1, -0.5, 0.25, 0.5] };
}

/** `--input FILE|-|example`: the example is the data of `hw solve` Question 4 with p = 0.8, λ = 1. */
export const regressionFormat: InputFormat = {
  summary: '{ "X": n×d, "y": n, "w"?: d, "p"?: keep probability, "lambda"?: ridge penalty }',
  schema: RegressionInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["regression-input"], "@hw/regularization", "regression-input"),
  schemaUrl: schemaUrl("@hw/regularization", "regression-input"),
  builtIns: { example: () => ({ ...builtInData(), p: 0.8, lambda: 1 }) },
};

/** `hw ridge solve|cv`'s `--input`: as {@link regressionFormat}, but y may be an n×k matrix of k targets. */
export const ridgeFormat: InputFormat = {
  summary: '{ "X": n×d, "y": n or n×k, "lambda"?: ridge penalty } (the regression data of hw dropout are accepted as they are)',
  schema: RidgeInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["ridge-input"], "@hw/regularization", "ridge-input"),
  schemaUrl: schemaUrl("@hw/regularization", "ridge-input"),
  builtIns: { example: () => ({ ...builtInData(), lambda: 1 }) },
};
