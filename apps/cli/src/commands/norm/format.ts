/** The readable output of `hw norm …`. */
import type { Tensor } from "@hw/tensor";
import { formatNested } from "../../format";

/** `label` followed by the formatted tensor, continuation lines indented under the first. */
export function show(label: string, t: Tensor): string {
  return `${label}${t.toString().replace(/\n/g, `\n${" ".repeat(label.length)}`)}`;
}

/** `label` followed by the tensor's values through the shared number formatter (`--digits`). */
export function showValues(label: string, t: Tensor): string {
  return `${label}${formatNested(t.toArray())}`;
}

/** What each kind pools over, and the shape of its statistics. */
export const POOLS = {
  batch: "per channel, over batch and features: shape [C]",
  layer: "per sample, over channels and features: shape [B]",
  instance: "per sample and channel, over features: shape [B, C]",
  group: "per sample and group, over the group's channels and features: shape [B, G]",
  rms: "per sample, over channels and features, no centring: shape [B]",
} as const;
