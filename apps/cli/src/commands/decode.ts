import type { Command } from "commander";
import type { Sink } from "../io";
import { pendingSection } from "./pending";
import type { SolveSection } from "../solve/section";

/** `hw decode …`: language-model decoding (Question 2). */
export function registerDecode(program: Command, _sink: Sink): void {
  program.command("decode").description("language-model decoding (Question 2) — commands arrive with issue 5");
}

/** Question 2 of `hw solve`. */
export const decodeSection: SolveSection = pendingSection("2", "Decoding a language model", "issue 5");
