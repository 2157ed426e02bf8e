/**
 * Strict options: every public function of hw reads its options object through {@link readOptions},
 * so a misspelled or unknown key is an error naming the key and the closest known one, never a
 * silent fallback to the default. Renamed options keep a deprecated alias that warns once.
 */

/**
 * The edit distance between two names (Damerau–Levenshtein, optimal string alignment), used to
 * suggest the closest known name.
 */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/**
 * The known name closest to `name` (case-insensitive edit distance, at most a third of the longer
 * name and at least 2), or `undefined` when none is close.
 *
 * @param name - what the user wrote
 * @param known - the names that exist
 * @returns the suggestion, or undefined
 * @example
 * ```ts
 * closestName("lambd", ["lambda", "p"]); // "lambda"
 * ```
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const k of known) {
    const dist = editDistance(lower, k.toLowerCase());
    if (dist < bestDistance) {
      bestDistance = dist;
      best = k;
    }
  }
  const limit = Math.max(2, Math.floor(Math.max(name.length, best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` — did you mean \`x\`?` when a close name exists, else the list of known names. */
export function suggestion(name: string, known: readonly string[]): string {
  const close = closestName(name, known);
  if (close !== undefined) return ` — did you mean \`${close}\`?`;
  return known.length === 0 ? " (this function takes no options)" : ` (known: ${known.map((k) => `\`${k}\``).join(", ")})`;
}

const warned = new Set<string>();

/**
 * Print a deprecation warning once per process (per distinct message): through
 * `process.emitWarning` in Node, `console.warn` elsewhere.
 *
 * @param message - the whole warning, starting with the function name
 */
export function warnDeprecated(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, type: string) => void } }).process;
  if (proc?.emitWarning !== undefined) proc.emitWarning(message, "DeprecationWarning");
  else console.warn(`DeprecationWarning: ${message}`);
}

/**
 * Keep a renamed result field under its old name for one minor version: `alias` becomes a
 * non-enumerable getter of `target[field]` that warns once per process (so `JSON.stringify`,
 * spreads and strict option readers see only the new name).
 *
 * @param fn - the public function whose result it is (the warning starts with it)
 * @param target - the result object (modified and returned)
 * @param alias - the old field name
 * @param field - the new field name
 * @returns `target`, typed with the alias
 * @example
 * ```ts
 * const m = withDeprecatedField("moments", { mean, variance }, "var", "variance");
 * m.var; // warns once, returns m.variance
 * ```
 */
export function withDeprecatedField<T extends object, K extends keyof T & string, A extends string>(
  fn: string,
  target: T,
  alias: A,
  field: K,
): T & { readonly [P in A]: T[K] } {
  Object.defineProperty(target, alias, {
    enumerable: false,
    configurable: true,
    get(): T[K] {
      warnDeprecated(`${fn}: the result field \`${alias}\` is deprecated and will be removed in the next minor version; use \`${field}\``);
      return target[field];
    },
  });
  return target as T & { readonly [P in A]: T[K] };
}

/**
 * Read an options object strictly: `undefined` means `{}`; anything but a plain object is a
 * TypeError; an unknown key is a TypeError naming it and the closest known key; a deprecated alias
 * is renamed to its new name with a one-time warning (giving both is an error).
 *
 * @param fn - the public function's name (errors start with it)
 * @param options - what the caller passed
 * @param known - every accepted key
 * @param aliases - deprecated key → current key
 * @returns the options with aliases renamed (a new object when anything was renamed)
 * @throws TypeError `ridge: unknown option \`lambd\` — did you mean \`lambda\`?`
 * @example
 * ```ts
 * const o = readOptions("ridge", { lambda: 1 }, ["lambda", "fitIntercept"]);
 * ```
 */
export function readOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly (keyof T & string)[],
  aliases: Readonly<Record<string, keyof T & string>> = {},
): T {
  if (options === undefined) return {} as T;
  if (typeof options !== "object" || (options as unknown) === null || Array.isArray(options)) {
    const got = (options as unknown) === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new TypeError(`${fn}: options must be an object, got ${got}`);
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(options)) {
    if ((known as readonly string[]).includes(key)) continue;
    const current = aliases[key];
    if (current !== undefined) {
      if (Object.prototype.hasOwnProperty.call(options, current)) {
        throw new TypeError(`${fn}: options \`${key}\` (deprecated) and \`${current}\` both given; use \`${current}\` only`);
      }
      warnDeprecated(`${fn}: option \`${key}\` is deprecated and will be removed in the next minor version; use \`${current}\``);
      out ??= { ...(options as Record<string, unknown>) };
      out[current] = out[key];
      out = Object.fromEntries(Object.entries(out).filter(([k]) => k !== key));
      continue;
    }
    throw new TypeError(`${fn}: unknown option \`${key}\`${suggestion(key, [...known])}`);
  }
  return (out ?? options) as T;
}
