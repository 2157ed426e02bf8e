/**
 * Number fields of the interactive demos. A field that is cleared or holds garbage must not take the
 * demo down: the demo keeps computing with the last valid value and the field shows why the new one
 * was refused.
 */
import { computed, ref, watch, type ComputedRef, type Ref } from "vue";

/** What a field accepts. */
export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

/** The number a field's raw value means, or why it is refused. */
export type NumberCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

/**
 * Read a field's raw value (`v-model` on `type="number"` gives a number, or the string the browser
 * could not parse, "" when empty).
 */
export function checkNumber(raw: unknown, rule: NumberRule = {}): NumberCheck {
  const text = typeof raw === "string" ? raw.trim() : raw;
  if (text === "" || text === null || text === undefined) return { ok: false, error: "enter a number" };
  const value = typeof text === "number" ? text : typeof text === "string" ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) return { ok: false, error: "not a number" };
  if (rule.integer === true && !Number.isInteger(value)) return { ok: false, error: "must be a whole number" };
  if (rule.min !== undefined && value < rule.min) return { ok: false, error: `must be ≥ ${rule.min}` };
  if (rule.max !== undefined && value > rule.max) return { ok: false, error: `must be ≤ ${rule.max}` };
  return { ok: true, value };
}

/** A demo's number field: `input` for `v-model`, `value` the last valid number, `error` the refusal shown. */
export interface NumberField {
  readonly input: Ref<number | string>;
  readonly value: ComputedRef<number>;
  readonly error: ComputedRef<string | null>;
}

export function numberField(initial: number, rule: NumberRule = {}): NumberField {
  const input = ref<number | string>(initial);
  const last = ref(initial);
  const check = computed(() => checkNumber(input.value, rule));
  watch(check, (c) => {
    if (c.ok) last.value = c.value;
  });
  return {
    input,
    value: computed(() => last.value),
    error: computed(() => {
      const c = check.value;
      return c.ok ? null : `${c.error}; using ${last.value}`;
    }),
  };
}
