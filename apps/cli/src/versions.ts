/** The versions of the `hw` command and of every package it runs (issue 14: in every JSON output). */
import { createRequire } from "node:module";
import { version as decodingVersion } from "@hw/decoding";
import { version as normalizationVersion } from "@hw/normalization";
import { version as regularizationVersion } from "@hw/regularization";
import { version as rnnVersion } from "@hw/rnn";
import { version as tensorVersion } from "@hw/tensor";

declare const __HW_VERSION__: string;

// @hw/problem-set is loaded only by the commands that use it (see commands/problem-set/lib.ts); its
// version is read from its package.json, which is cheap.
const problemSetVersion = (createRequire(import.meta.url)("@hw/problem-set/package.json") as { version: string }).version;

/** Versions of the CLI and of every package it runs, by package name. */
export function versions(): Record<string, string> {
  return {
    hw: __HW_VERSION__,
    "@hw/tensor": tensorVersion,
    "@hw/rnn": rnnVersion,
    "@hw/decoding": decodingVersion,
    "@hw/normalization": normalizationVersion,
    "@hw/regularization": regularizationVersion,
    "@hw/problem-set": problemSetVersion,
  };
}
