import type { Command } from "commander";
import type { Sink } from "../io";
import { pendingSection } from "./pending";
import type { SolveSection } from "../solve/section";

/** `hw rnn …`: the bidirectional RNN of Question 1. */
export function registerRnn(program: Command, _sink: Sink): void {
  program.command("rnn").description("the bidirectional RNN of Question 1 — commands arrive with issue 4");
}

/** Question 1 of `hw solve`. */
export const rnnSection: SolveSection = pendingSection("1", "Backprop through a bidirectional RNN", "issue 4");
