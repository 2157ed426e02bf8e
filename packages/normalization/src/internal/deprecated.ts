/**
 * Deprecated result fields: a renamed field keeps its old name for one minor version as a
 * non-enumerable getter that warns once per process (so `JSON.stringify`, spreads and strict option
 * readers only see the new name).
 *
 * @internal
 */
import { warnDeprecated } from "@hw/tensor";

/** Add the getter `alias` → `target[field]` to `target` (returned, typed with the alias). */
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
