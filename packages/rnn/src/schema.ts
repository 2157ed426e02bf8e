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
import { matrixSchema as matrix, matrixShape as shape, strictObjectSchema as strict, vectorSchema as vector } from "@hw/tensor/schema";

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
    const want: [string, readonly (readonly number[])[], number, number, string][] = [
      ["Uf", i.Uf, H, H, "H×H"],
      ["Vf", i.Vf, K, H, "K×H"],
      ["Wb", i.Wb, H, D, "H×D, as Wf"],
      ["Ub", i.Ub, H, H, "H×H"],
      ["Vb", i.Vb, K, H, "K×H, as Vf"],
      ["x", i.x, T, D, "T×D"],
      ["z", i.z, T, K, "T×K"],
    ];
    for (const [name, m, r, c, what] of want) {
      if (m.length !== r || m[0]!.length !== c) {
        addIssue({ message: `${name}: expected a ${r}×${c} matrix (${what}; Wf is ${shape(i.Wf)}), got ${shape(m)}` });
        return;
      }
    }
    for (const name of ["hfInit", "hbInit"] as const) {
      const h = i[name];
      if (h !== undefined && h.length !== H) addIssue({ message: `${name}: expected a vector of length H = ${H}, got length ${h.length}` });
    }
  }),
);

/** The validated BiRNN input. */
export type BirnnInput = v.InferOutput<typeof BirnnInputSchema>;

/** Every input format of this package, by the name of its JSON Schema file. */
export const schemas = { "birnn-input": BirnnInputSchema } as const;
