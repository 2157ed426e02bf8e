// Loads the PyTorch reference cases of test/fixtures/birnn.json (see test/fixtures/README.md).
import { readFileSync } from "node:fs";

export interface BirnnInput {
  readonly Wf: number[][];
  readonly Uf: number[][];
  readonly Vf: number[][];
  readonly Wb: number[][];
  readonly Ub: number[][];
  readonly Vb: number[][];
  readonly hfInit: number[];
  readonly hbInit: number[];
  readonly x: number[][];
  readonly z: number[][];
}

export interface BirnnExpected {
  readonly loss: number;
  readonly hf: number[][];
  readonly hb: number[][];
  readonly y: number[][];
  readonly grads: Record<"Wf" | "Uf" | "Vf" | "Wb" | "Ub" | "Vb" | "hfInit" | "hbInit", number[] | number[][]>;
  readonly dhf: number[][];
  readonly dhb: number[][];
}

export interface BirnnCase {
  readonly input: BirnnInput;
  readonly expected: BirnnExpected;
}

export const birnnCases: readonly BirnnCase[] = (
  JSON.parse(readFileSync(new URL("fixtures/birnn.json", import.meta.url), "utf8")) as { cases: BirnnCase[] }
).cases;
