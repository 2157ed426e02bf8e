/**
 * The memory budget every allocating function of @hw/rnn checks before it allocates (option
 * `maxMemory`, CLI `--max-memory`).
 */

/** Default memory budget, bytes (2 GB). */
export const DEFAULT_MAX_MEMORY = 2e9;

/** Bytes as gigabytes to 3 significant digits: `2.16 GB`, `16000 GB`, `0.000001 GB`. */
export function gigabytes(bytes: number): string {
  return `${String(Number((bytes / 1e9).toPrecision(3)))} GB`;
}
