import type { Command } from "commander";
import type { Sink } from "../io";
import { pendingSection } from "./pending";
import type { SolveSection } from "../solve/section";

/** `hw dropout …`: input dropout on linear regression (Question 4). */
export function registerDropout(program: Command, _sink: Sink): void {
  program.command("dropout").description("input dropout on linear regression (Question 4) — commands arrive with issue 7");
}

/** Question 4 of `hw solve`. */
export const dropoutSection: SolveSection = pendingSection("4", "Dropout versus weight decay in linear regression", "issue 7");
