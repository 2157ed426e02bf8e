/** The problem set's own numbers: variant "original". */
import { exampleMarkov, exampleTreeNodes } from "@hw/decoding";
import { problemTensor } from "@hw/normalization";
import { createRng } from "@hw/tensor";
import type { Q1Data, Q2Data, Q3Data, Q4Data, TreeNodeData, VariantData } from "../variant";
import { toNumbers } from "./numbers";

/** Case 0 of the PyTorch fixture birnn.json (D = 3, H = 4, K = 2, T = 5), the built-in example of `hw rnn`. */
export const ORIGINAL_Q1: Q1Data = {
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

/** PyTorch's loss for {@link ORIGINAL_Q1} (birnn.json, case 0). */
export const ORIGINAL_Q1_LOSS = 7.847845705540357;

function copyTree(nodes: readonly { token: string; prob: number; children?: readonly unknown[] }[]): TreeNodeData[] {
  return nodes.map((n) => ({
    token: n.token,
    prob: n.prob,
    ...(n.children === undefined ? {} : { children: copyTree(n.children as { token: string; prob: number }[]) }),
  }));
}

function originalQ2(): Q2Data {
  // The spec of @hw/decoding's `exampleMarkov` (a test checks that they agree).
  const P = [
    [0, 0.45, 0.4, 0.1, 0.05],
    [0, 0.3, 0.3, 0.3, 0.1],
    [0, 0.1, 0.2, 0.65, 0.05],
    [0, 0.2, 0.2, 0.55, 0.05],
    [0, 0.1, 0.2, 0.2, 0.5],
  ];
  return {
    count: { N: 5, T: 4 },
    markov: { type: "markov", vocab: [...exampleMarkov.vocabulary], bos: "<BOS>", P, steps: 4 },
    tree: { type: "tree", bos: "<BOS>", children: copyTree(exampleTreeNodes), steps: 3 },
  };
}

function originalQ3(): Q3Data {
  return { x: problemTensor().toArray() as number[][][], u: [1, 2, -2], gamma: 2, gradW: [0.3, -0.7, 1.9] };
}

/**
 * The built-in data of Question 4 (as `hw solve` has always used): n = 40, d = 4 from `createRng(4)`,
 * column scales 0.3, 1, 3, 6, keep probability p = 0.8 and λ = 1.
 */
function originalQ4(): Q4Data {
  const rng = createRng(4);
  const n = 40;
  const scales = [0.3, 1, 3, 6];
  const Z = rng.normal([n, scales.length]).toArray() as number[][];
  const X = Z.map((row) => row.map((v, j) => v * scales[j]!));
  const wTrue = [2, -1, 0.5, 0.25];
  const noise = toNumbers(rng.normal([n], { std: 0.5 }));
  const y = X.map((row, i) => row.reduce((s, v, j) => s + v * wTrue[j]!, 0) + noise[i]!);
  return { X, y, w: [1, -0.5, 0.25, 0.5], p: 0.8, lambda: 1 };
}

/** Variant "original": the problem set's own numbers. */
export function originalData(): VariantData {
  return { q1: ORIGINAL_Q1, q2: originalQ2(), q3: originalQ3(), q4: originalQ4() };
}
