/**
 * `@hw/tensor/schema`: the building blocks of every package's JSON input formats (the `./schema`
 * entries of `@hw/rnn`, `@hw/decoding`, `@hw/normalization`, `@hw/regularization`), as
 * [valibot](https://valibot.dev) schemas with the messages hw's CLI prints: an unknown key names the
 * closest known one, a wrong value is described ("an array of length 3", "the string \"x\""), a
 * ragged matrix names the row.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { finiteSchema, matrixSchema, strictObjectSchema } from "@hw/tensor/schema";
 * const Input = strictObjectSchema({ X: matrixSchema, lambda: finiteSchema }, "a ridge input { X, lambda }");
 * v.safeParse(Input, { X: [[1]], lambd: 1 }).issues?.[0].message; // "unknown key `lambd` — did you mean `lambda`?"
 * ```
 *
 * @packageDocumentation
 */
import * as v from "valibot";
import { closestName } from "./options.js";

/** A short description of a JSON value for an error message: `an array of length 3`, `number 2`, `null`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 20))}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  return typeof value === "object" ? "an object" : typeof value;
}

/** `` unknown key `x` — did you mean `y`? `` when a known key is close, else the list of known keys. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const close = closestName(key, known);
  return `unknown key \`${key}\`${close === undefined ? ` (known: ${known.join(", ")})` : ` — did you mean \`${close}\`?`}`;
}

/**
 * A strict object schema: an unknown key is named with the closest known key, a missing required
 * key is "missing (required)", and anything that is not an object (arrays included) is
 * "expected <what>, got <description>". An optional `$schema` entry is not listed as a known key.
 */
export function strictObjectSchema<E extends v.ObjectEntries>(entries: E, what: string) {
  const known = Object.keys(entries).filter((k) => k !== "$schema");
  return v.pipe(
    v.unknown(),
    // valibot's object schemas accept arrays; a JSON array here is the wrong kind of value.
    v.check((value) => !Array.isArray(value), (issue) => `expected ${what}, got ${describeValue(issue.input)}`),
    v.strictObject(entries, (issue) =>
      issue.expected === "never"
        ? unknownKeyMessage(String(issue.input), known)
        : issue.input === undefined && issue.expected.startsWith('"')
          ? "missing (required)"
          : `expected ${what}, got ${describeValue(issue.input)}`,
    ),
  );
}

/** A finite number (JSON has no NaN or ±∞; hw's `±1e999` spellings of ±∞ are refused here). */
export const finiteSchema = v.pipe(
  v.number((issue) => `expected a finite number, got ${describeValue(issue.input)}`),
  v.finite((issue) => `expected a finite number, got ${describeValue(issue.input)}`),
);

/** An array of finite numbers (possibly empty). */
export const vectorSchema = v.array(finiteSchema, (issue) => `expected a vector (array of numbers), got ${describeValue(issue.input)}`);

/** A non-empty rectangular matrix of finite numbers, as an array of rows; a ragged row is named. */
export const matrixSchema = v.pipe(
  v.array(
    v.array(finiteSchema, (issue) => `expected a row (array of numbers), got ${describeValue(issue.input)}`),
    (issue) => `expected a matrix (array of rows), got ${describeValue(issue.input)}`,
  ),
  v.check(
    (m) => m.every((row) => row.length === m[0]!.length),
    (issue) => {
      const m = issue.input;
      const i = m.findIndex((row) => row.length !== m[0]!.length);
      return `ragged rows: row 0 has ${m[0]!.length} entries, row ${i} has ${m[i]!.length}`;
    },
  ),
  v.check((m) => m.length > 0 && m[0]!.length > 0, "expected a non-empty matrix"),
);

/** `rows×cols` of a matrix given as an array of rows, for messages. */
export const matrixShape = (m: readonly (readonly number[])[]): string => `${m.length}×${m[0]?.length ?? 0}`;
