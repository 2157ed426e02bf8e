import type { Command } from "commander";
import type { Sink } from "../io";
import { pendingSection } from "./pending";
import type { SolveSection } from "../solve/section";

/** `hw norm …`: batch, layer, instance and group normalization (Question 3). */
export function registerNorm(program: Command, _sink: Sink): void {
  program.command("norm").description("batch, layer, instance and group normalization (Question 3) — commands arrive with issue 6");
}

/** Question 3 of `hw solve`. */
export const normSection: SolveSection = pendingSection("3", "Normalization", "issue 6");
