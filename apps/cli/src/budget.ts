/**
 * Bounded resources. Before allocating, every command estimates the memory and the work its
 * computation needs and refuses, in one line, when either is over the budget: by default 2 GB of
 * memory and 1e10 elementary operations (about a minute of work on a laptop). The refusal gives the
 * estimate and the flag that lifts the budget (`--max-memory`, `--max-work`).
 */
import { InputError } from "./errors";
import { formatBytes, roundUp } from "./options";

/** The default memory budget, bytes. */
export const DEFAULT_MAX_MEMORY = 2e9;
/** The default work budget, elementary floating-point operations (about a minute). */
export const DEFAULT_MAX_WORK = 1e10;
/** Operations per second assumed when the work is stated as a time. */
const OPS_PER_SECOND = 2e8;

/** What a computation needs; `memory` and `work` may be Infinity (then it is refused). */
export interface Estimate {
  /** Bytes allocated at the peak. */
  readonly memory: number;
  /** Elementary operations. */
  readonly work: number;
  /** How the estimate is made, e.g. "T·N² = 1e8·25 cells". */
  readonly why: string;
}

export interface Budget {
  readonly maxMemory: number;
  readonly maxWork: number;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "forever";
  if (seconds < 120) return `${Math.ceil(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  if (seconds < 3.2e9) return `${Math.round(seconds / 86400)} days`;
  return "longer than a century";
}

function sci(v: number): string {
  return Number.isFinite(v) ? v.toExponential(1).replace("e+", "e") : "∞";
}

/** Refuse `estimate` (an InputError naming `command`) when it is over `budget`. */
export function checkBudget(command: string, estimate: Estimate, budget: Budget): void {
  if (!(estimate.memory <= budget.maxMemory)) {
    const lift = Number.isFinite(estimate.memory) ? ` — pass --max-memory ${formatBytes(roundUp(estimate.memory)).replace(" ", "")} to allow it` : "";
    throw new InputError(
      `${command}: needs about ${Number.isFinite(estimate.memory) ? formatBytes(estimate.memory) : "unbounded"} of memory (${estimate.why}), over the ${formatBytes(budget.maxMemory)} budget${lift}`,
    );
  }
  if (!(estimate.work <= budget.maxWork)) {
    const lift = Number.isFinite(estimate.work) ? ` — pass --max-work ${sci(roundUp(estimate.work))} to allow it` : "";
    throw new InputError(
      `${command}: needs about ${sci(estimate.work)} operations (${estimate.why}; ~${duration(estimate.work / OPS_PER_SECOND)}), over the budget of ${sci(budget.maxWork)} (~${duration(budget.maxWork / OPS_PER_SECOND)})${lift}`,
    );
  }
}
