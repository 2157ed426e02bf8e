/**
 * Argument checks shared by the public functions: every message starts with the function name,
 * names the argument and shows the value it got (never a bare JavaScript error).
 */
import type { LanguageModel } from "../language-model";

/** A short, unambiguous rendering of any value for an error message. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === "object" ? "an object" : typeof value;
}

/** An integer ≥ `min` (and ≤ `max`); `undefined` gives `fallback`. */
export function integerArg(fn: string, name: string, value: unknown, min: number, fallback?: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${fn}: ${name} must be an integer ≥ ${min}, got ${show(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${fn}: ${name} must be an integer ${range}, got ${show(value)}`);
  }
  return value;
}

/** A finite number (optionally > 0 or ≥ 0); `undefined` gives `fallback`. */
export function numberArg(fn: string, name: string, value: unknown, fallback: number, check?: { min?: number; exclusiveMin?: number; max?: number }): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number") throw new TypeError(`${fn}: ${name} must be a number, got ${show(value)}`);
  const bad =
    !Number.isFinite(value) ||
    (check?.min !== undefined && value < check.min) ||
    (check?.exclusiveMin !== undefined && !(value > check.exclusiveMin)) ||
    (check?.max !== undefined && value > check.max);
  if (bad) {
    const lo = check?.exclusiveMin !== undefined ? `(${check.exclusiveMin}` : check?.min !== undefined ? `[${check.min}` : undefined;
    const want =
      lo !== undefined && check?.max !== undefined
        ? `in ${lo}, ${check.max}]`
        : lo !== undefined
          ? `finite and ${lo.startsWith("(") ? ">" : "≥"} ${lo.slice(1)}`
          : check?.max !== undefined
            ? `finite and ≤ ${check.max}`
            : "finite";
    throw new RangeError(`${fn}: ${name} must be ${want}, got ${show(value)}`);
  }
  return value;
}

/** A boolean (not the string "true"); `undefined` gives `fallback`. */
export function booleanArg(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${fn}: ${name} must be true or false, got ${show(value)}`);
  return value;
}

/** A function, or undefined. */
export function callbackArg(fn: string, name: string, value: unknown): ((...args: never[]) => unknown) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") throw new TypeError(`${fn}: ${name} must be a function, got ${show(value)}`);
  return value as (...args: never[]) => unknown;
}

/** The number of decoding steps T ≥ 1. */
export function stepsArg(fn: string, steps: unknown): number {
  return integerArg(fn, "steps T", steps, 1);
}

/** A language model as the decoders need it: vocabulary, bos and a logProbs function. */
export function checkLanguageModel(fn: string, lm: unknown): asserts lm is LanguageModel {
  if (typeof lm !== "object" || lm === null) {
    throw new TypeError(`${fn}: lm must be a language model (from markovLM, treeLM, ngramLM or languageModel), got ${show(lm)}`);
  }
  const m = lm as Partial<LanguageModel>;
  if (!Array.isArray(m.vocabulary) || m.vocabulary.length === 0) {
    throw new TypeError(`${fn}: lm.vocabulary must be a non-empty array of tokens, got ${show(m.vocabulary)} (build models with languageModel)`);
  }
  if (typeof m.logProbs !== "function") {
    throw new TypeError(`${fn}: lm.logProbs must be a function, got ${show(m.logProbs)} (build models with languageModel)`);
  }
  if (typeof m.bos !== "number" || !Number.isInteger(m.bos) || m.bos < 0 || m.bos >= m.vocabulary.length) {
    throw new TypeError(`${fn}: lm.bos must be a token id in [0, ${m.vocabulary.length}), got ${show(m.bos)}`);
  }
}

/**
 * Bytes the call would allocate, checked against the caller's budget before allocating.
 *
 * @throws RangeError with the estimate and how to lift the budget
 */
export function checkMemory(fn: string, bytes: number, maxMemory: number, what: string): void {
  if (bytes > maxMemory) {
    throw new RangeError(
      `${fn}: ${what} needs about ${formatBytes(bytes)}, above the memory budget maxMemory = ${formatBytes(maxMemory)} (pass a larger maxMemory to allow it)`,
    );
  }
}

/** Default memory budget of the decoders: 2 GB. */
export const DEFAULT_MAX_MEMORY = 2e9;

function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return String(b);
  if (b >= 1e9) return `${(b / 1e9).toPrecision(3)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toPrecision(3)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toPrecision(3)} kB`;
  return `${b} B`;
}

/** The id of a token string or id in the vocabulary; `op`/`what` only shape the message. */
export function resolveToken(vocabulary: readonly string[], token: unknown, op: string, what: string): number {
  if (typeof token === "number") {
    if (!Number.isInteger(token) || token < 0 || token >= vocabulary.length) {
      throw new RangeError(`${op}: ${what} id ${show(token)} is outside the vocabulary [0, ${vocabulary.length})`);
    }
    return token;
  }
  if (typeof token !== "string") throw new TypeError(`${op}: ${what} must be a token string or id, got ${show(token)}`);
  const id = vocabulary.indexOf(token);
  if (id < 0) {
    const shown = vocabulary.slice(0, 8).map((v) => JSON.stringify(v)).join(", ");
    throw new RangeError(`${op}: unknown ${what === "token" ? "" : `${what} `}token ${JSON.stringify(token)} (vocabulary: ${shown}${vocabulary.length > 8 ? ", …" : ""})`);
  }
  return id;
}

/** A generator seed: a non-negative safe integer or a bigint in [0, 2^64); `undefined` gives 0. */
export function seedArg(fn: string, seed: unknown): number | bigint {
  const s = seed ?? 0;
  if (typeof s !== "bigint" && typeof s !== "number") throw new TypeError(`${fn}: seed must be a number or a bigint, got ${show(s)}`);
  if (typeof s === "number" ? !Number.isSafeInteger(s) || s < 0 : s < 0n || s >= 2n ** 64n) {
    throw new RangeError(`${fn}: seed must be a non-negative safe integer or a bigint in [0, 2^64), got ${show(s)}`);
  }
  return s;
}
