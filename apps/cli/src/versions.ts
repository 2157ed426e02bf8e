/** The versions of the `hw` command and of every package it runs (issue 14: in every JSON output). */
import { version as decodingVersion } from "@hw/decoding";
import { version as normalizationVersion } from "@hw/normalization";
import { version as problemSetVersion } from "@hw/problem-set";
import { version as regularizationVersion } from "@hw/regularization";
import { version as rnnVersion } from "@hw/rnn";
import { version as tensorVersion } from "@hw/tensor";

declare const __HW_VERSION__: string;

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
