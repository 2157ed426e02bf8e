/**
 * The JSON input format of `@hw/rnn` (what `hw rnn grad` and `hw rnn gradcheck` read), as a
 * valibot schema: strict (an unknown key is an error naming the closest known key), every number
 * finite, every shape consistent. The JSON Schema file generated from it ships as
 * `dist/schemas/birnn-input.schema.json`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { BirnnInputSchema } from "@hw/rnn/schema";
 * const input = v.parse(BirnnInputSchema, JSON.parse(text));
 * ```
 */
import * as v from "valibot";
import { describeValue as describe, finiteSchema as finite, matrixSchema as matrix, matrixShape as shape, strictObjectSchema as strict, vectorSchema as vector } from "@hw/tensor/schema";

type Matrix = readonly (readonly number[])[];
type Expected = readonly [name: string, m: Matrix, rows: number, cols: number, what: string];

/** The first of the five weight matrices after Wf (then `extra`) whose shape is wrong, as a message. */
function wrongShape(i: { readonly Wf: Matrix; readonly Uf: Matrix; readonly Vf: Matrix; readonly Wb: Matrix; readonly Ub: Matrix; readonly Vb: Matrix }, extra: readonly Expected[]): string | undefined {
  const H = i.Wf.length;
  const D = i.Wf[0]!.length;
  const K = i.Vf.length;
  const want: readonly Expected[] = [
    ["Uf", i.Uf, H, H, "H×H"],
    ["Vf", i.Vf, K, H, "K×H"],
    ["Wb", i.Wb, H, D, "H×D, as Wf"],
    ["Ub", i.Ub, H, H, "H×H"],
    ["Vb", i.Vb, K, H, "K×H, as Vf"],
    ...extra,
  ];
  for (const [name, m, r, c, what] of want) {
    if (m.length !== r || m[0]!.length !== c) return `${name}: expected a ${r}×${c} matrix (${what}; Wf is ${shape(i.Wf)}), got ${shape(m)}`;
  }
  return undefined;
}

/** The BiRNN input: parameters, optional initial states, inputs x (T×D) and targets z (T×K). */
export const BirnnInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      Wf: matrix,
      Uf: matrix,
      Vf: matrix,
      Wb: matrix,
      Ub: matrix,
      Vb: matrix,
      hfInit: v.optional(vector),
      hbInit: v.optional(vector),
      x: matrix,
      z: matrix,
    },
    "a BiRNN input { Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z }",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const i = dataset.value;
    const H = i.Wf.length;
    const D = i.Wf[0]!.length;
    const K = i.Vf.length;
    const T = i.x.length;
    const wrong = wrongShape(i, [
      ["x", i.x, T, D, "T×D"],
      ["z", i.z, T, K, "T×K"],
    ]);
    if (wrong !== undefined) {
      addIssue({ message: wrong });
      return;
    }
    for (const name of ["hfInit", "hbInit"] as const) {
      const h = i[name];
      if (h !== undefined && h.length !== H) addIssue({ message: `${name}: expected a vector of length H = ${H}, got length ${h.length}` });
    }
  }),
);

/** The validated BiRNN input. */
export type BirnnInput = v.InferOutput<typeof BirnnInputSchema>;

const batchArray = v.pipe(
  v.array(matrix, (issue) => `expected a T×B×n array (one matrix per step), got ${describe(issue.input)}`),
  v.check((a) => a.length > 0, "expected at least one step"),
);
const state = v.union([vector, matrix], (issue) => `expected a vector (H) or a matrix (B×H), got ${describe(issue.input)}`);

/**
 * A batch of B sequences for the BiRNN (issue 17): x T×B×D, z T×B×K, initial states H (shared) or
 * B×H, and optionally the per-sequence `lengths` of a padded batch (each in 1…T; steps from
 * `lengths[b]` on are padding).
 */
export const BirnnBatchInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      Wf: matrix,
      Uf: matrix,
      Vf: matrix,
      Wb: matrix,
      Ub: matrix,
      Vb: matrix,
      hfInit: v.optional(state),
      hbInit: v.optional(state),
      lengths: v.optional(v.array(v.pipe(finite, v.integer((issue) => `expected an integer length, got ${describe(issue.input)}`)), (issue) => `expected an array of lengths, got ${describe(issue.input)}`)),
      x: batchArray,
      z: batchArray,
    },
    "a batched BiRNN input { Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, lengths?, x, z }",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const i = dataset.value;
    const H = i.Wf.length;
    const D = i.Wf[0]!.length;
    const K = i.Vf.length;
    const T = i.x.length;
    const B = i.x[0]!.length;
    const wrong = wrongShape(i, []);
    if (wrong !== undefined) {
      addIssue({ message: wrong });
      return;
    }
    for (const [name, a, n] of [["x", i.x, D], ["z", i.z, K]] as const) {
      if (a.length !== T) {
        addIssue({ message: `${name}: expected ${T} steps (as x), got ${a.length}` });
        return;
      }
      const t = a.findIndex((m) => m.length !== B || m[0]!.length !== n);
      if (t >= 0) {
        addIssue({ message: `${name}[${t}]: expected a ${B}×${n} matrix (B×${name === "x" ? "D" : "K"}), got ${shape(a[t]!)}` });
        return;
      }
    }
    for (const name of ["hfInit", "hbInit"] as const) {
      const h = i[name];
      if (h === undefined) continue;
      const ok = Array.isArray(h[0]) ? h.length === B && (h as number[][])[0]!.length === H : h.length === H;
      if (!ok) addIssue({ message: `${name}: expected a vector of length H = ${H} or a ${B}×${H} matrix (B×H)` });
    }
    if (i.lengths !== undefined) {
      if (i.lengths.length !== B) addIssue({ message: `lengths: expected ${B} entries (one per sequence), got ${i.lengths.length}` });
      else {
        const b = i.lengths.findIndex((n) => n < 1 || n > T);
        if (b >= 0) addIssue({ message: `lengths[${b}]: expected an integer in 1…T = ${T}, got ${i.lengths[b]!}` });
      }
    }
  }),
);

/** The validated batched BiRNN input. */
export type BirnnBatchInput = v.InferOutput<typeof BirnnBatchInputSchema>;

/** Every input format of this package, by the name of its JSON Schema file. */
export const schemas = { "birnn-input": BirnnInputSchema, "birnn-batch-input": BirnnBatchInputSchema } as const;
