/** The input of `hw rnn grad|gradcheck`: the BiRNN parameters, initial states, inputs and targets. */
import * as v from "valibot";
import { BirnnBatchInputSchema, BirnnInputSchema, schemas, type BirnnBatchInput, type BirnnInput } from "@hw/rnn/schema";
import type { InputFormat } from "../../command";
import { jsonSchemaOf, schemaUrl } from "../../schema-url";

export type { BirnnBatchInput, BirnnInput };

/** The built-in example: case 0 of the PyTorch fixture birnn.json (D = 3, H = 4, K = 2, T = 5). */
export const EXAMPLE = {
  Wf: [[-0.6145254153925269, -0.3856236908052894, -0.3720464804772249], [-0.45206108157314223, 0.0784952786085924, -0.5467786048827091], [-0.05472195478676018, 0.2917113960478098, 0.11168675887808878], [-0.0046657634566853005, 0.014525241176089375, -0.23864730149868593]],
  Uf: [[0.305488596360231, -0.16168445520014377, -0.5742844828703546, -0.5355617143884509], [0.19633523945175782, -0.42452678538417904, 0.017426259412247135, 0.2965733956074379], [0.5948211681169105, 0.6995792979528925, 0.549822392426078, 0.5274076106136166], [0.48296022941033523, -0.4837728687259316, -0.4612489884163329, 0.6778775130605547]],
  Vf: [[0.43778776309036055, -0.08981135428464046, -0.11995028005040954, -0.10022948250020582], [0.3608663446917679, 0.591517675672174, 0.6500577952773576, -0.4535743718298978]],
  Wb: [[0.6354516490174587, -0.26126872179299204, -0.0638432274628477], [-0.2862270957746617, -0.43748954539775153, -0.3594392691166792], [-0.21098517199120476, -0.07829870654374706, -0.13037810196407132], [-0.29968611863425504, 0.42503048641260266, -0.24952780498588567]],
  Ub: [[-0.19053632388750874, -0.28208621276896656, 0.2289432130204236, -0.34276624507624237], [-0.11987930554021274, 0.47537690091235885, 0.33856554896582286, -0.2989123381248283], [0.4100024507110813, 0.00016285855766406954, 0.5568366839268559, -0.5528255827800798], [0.11327931729692936, 0.6813239717070517, -0.5158666180212828, -0.3652075973316613]],
  Vb: [[-0.2734423295597314, 0.022182780973441618, -0.06798277094241698, -0.009950299565786878], [0.04209177099318701, -0.3293921297189425, -0.4660350050432833, 0.06746779783833318]],
  hfInit: [-0.18343380713696097, 0.026154262690087138, -0.040490733672482355, 0.10177257376156555],
  hbInit: [0.026298452798231318, -0.19286403670025182, 0.11423046421314957, 0.2407148305990298],
  x: [[-1.3695484482894653, -0.6140999728687724, 1.2043124156138691], [0.12263399937274942, 0.8745144835895573, 0.769914487746897], [0.6461227740083317, 1.3787779010170669, 0.6389285062338802], [-0.7480637518798681, 1.399290754062713, 0.1512118241255357], [-0.22386312729405541, 0.11736575944111531, 1.0196900670286237]],
  z: [[-0.19250806037130921, -1.0604998777074874], [1.1076572627112395, 1.0595913713787084], [1.1558090344445717, 1.3125274754405065], [-0.23799742449646596, -0.2536483834652602], [0.5277149762126228, 0.5039391235633838]],
};

/** PyTorch's loss for {@link EXAMPLE} (birnn.json, case 0). */
export const EXAMPLE_LOSS = 7.847845705540357;


/** `--input FILE|-|example`. */
export const birnnFormat: InputFormat = {
  summary: "{ Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z } (x is T×D, z is T×K)",
  schema: BirnnInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["birnn-input"], "@hw/rnn", "birnn-input"),
  schemaUrl: schemaUrl("@hw/rnn", "birnn-input"),
  builtIns: { example: () => structuredClone(EXAMPLE) },
};

/** A batched input: x is T×B×D (its first step is a matrix). */
export function isBatch(i: BirnnInput | BirnnBatchInput): i is BirnnBatchInput {
  return Array.isArray(i.x[0]?.[0]);
}

/**
 * `hw rnn grad`'s `--input`: one sequence (x T×D, the birnn-input schema) or a batch (x T×B×D, the
 * birnn-batch-input schema, with optional `lengths`), told apart by the rank of x; the errors are
 * those of the schema that applies.
 */
export const birnnAnyFormat: InputFormat = {
  summary: "{ Wf, Uf, Vf, Wb, Ub, Vb, hfInit?, hbInit?, x, z } (x T×D, z T×K; or a batch: x T×B×D, z T×B×K, lengths?)",
  schema: v.lazy((input) => {
    const x = (input as { x?: unknown } | null)?.x;
    return Array.isArray(x) && Array.isArray(x[0]) && Array.isArray((x[0] as unknown[])[0]) ? BirnnBatchInputSchema : BirnnInputSchema;
  }),
  jsonSchema: () => ({
    title: "@hw/rnn birnn-input or birnn-batch-input",
    anyOf: [jsonSchemaOf(schemas["birnn-input"], "@hw/rnn", "birnn-input"), jsonSchemaOf(schemas["birnn-batch-input"], "@hw/rnn", "birnn-batch-input")],
  }),
  schemaUrl: schemaUrl("@hw/rnn", "birnn-input"),
  builtIns: { example: () => structuredClone(EXAMPLE) },
};

/** The six weight matrices of an input. */
export function params(i: BirnnInput | BirnnBatchInput) {
  return { Wf: i.Wf, Uf: i.Uf, Vf: i.Vf, Wb: i.Wb, Ub: i.Ub, Vb: i.Vb };
}

/** The sizes of an input: steps T, input D, hidden H, output K. */
export function sizes(i: BirnnInput | BirnnBatchInput): { T: number; B: number; D: number; H: number; K: number } {
  return { T: i.x.length, B: isBatch(i) ? i.x[0]!.length : 1, D: i.Wf[0]!.length, H: i.Wf.length, K: i.Vf.length };
}
