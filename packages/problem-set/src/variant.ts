/**
 * The data of one variant of the problem set, in the JSON formats the `hw` command already reads:
 * `q1` is the input of `hw rnn grad`, `q2.markov`/`q2.tree` the LMs of `hw decode --lm`, `q3` the
 * input of `hw norm stats` (plus the weight-norm numbers of 3.3), `q4` the input of `hw dropout solve`.
 */

/** Question 1: the bidirectional RNN's weights (H×D, H×H, K×H), initial states (H), inputs x (T×D) and targets z (T×K). */
export interface Q1Data {
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

/** A tree node of the Q2.4 LM (`tree.json` format). */
export interface TreeNodeData {
  readonly token: string;
  readonly prob: number;
  readonly children?: TreeNodeData[];
}

/** Question 2: the sizes of 2.1, the Markov LM of 2.2 and the tree LM of 2.4. */
export interface Q2Data {
  /** 2.1: a vocabulary of N words (including `<BOS>`) and sequences of T words after `<BOS>`. */
  readonly count: { readonly N: number; readonly T: number };
  /** 2.2: `{ type: "markov", vocab, bos, P, steps }`, P[i][j] = p(w_t = vocab[j] | w_{t−1} = vocab[i]). */
  readonly markov: { readonly type: "markov"; readonly vocab: string[]; readonly bos: string; readonly P: number[][]; readonly steps: number };
  /** 2.4: `{ type: "tree", bos, children, steps }`. */
  readonly tree: { readonly type: "tree"; readonly bos: string; readonly children: TreeNodeData[]; readonly steps: number };
}

/** Question 3: the B×C×F tensor of 3.1 and the weight-norm numbers of 3.3 (u, γ and ∇_w L). */
export interface Q3Data {
  readonly x: number[][][];
  readonly u: number[];
  readonly gamma: number;
  readonly gradW: number[];
}

/** Question 4: regression data X (n×d), y (n), a weight vector w for 4.1, the KEEP probability p and the ridge penalty λ. */
export interface Q4Data {
  readonly X: number[][];
  readonly y: number[];
  readonly w: number[];
  readonly p: number;
  readonly lambda: number;
}

/** Everything a variant's questions are about. */
export interface VariantData {
  readonly q1: Q1Data;
  readonly q2: Q2Data;
  readonly q3: Q3Data;
  readonly q4: Q4Data;
}

/** A variant's seed: a non-negative safe integer, or `"original"` for the problem set's own numbers. */
export type VariantSeed = number | "original";
