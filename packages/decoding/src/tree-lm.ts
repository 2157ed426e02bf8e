import type { LanguageModel } from "./language-model";

/** One node of a tree-shaped LM: the token, its probability given the path to it, and its children. */
export interface TreeNode {
  readonly token: string;
  /** p(token | the path from `<BOS>` to the parent), in [0, 1]. */
  readonly prob: number;
  readonly children?: readonly TreeNode[];
}

/** Options of {@link treeLM}. */
export interface TreeLMOptions {
  /** The root token. @defaultValue `"<BOS>"` */
  readonly bos?: string;
}

/** A tree-shaped language model: what {@link treeLM} returns. */
export interface TreeLanguageModel extends LanguageModel {
  /** The tree under `<BOS>`, as given. */
  readonly children: readonly TreeNode[];
  /** The depth of the deepest leaf (the longest sequence the model can produce). */
  readonly depth: number;
}

interface Compiled {
  readonly row: Float64Array;
  readonly next: Map<number, Compiled>;
}

/**
 * A language model whose conditionals are a tree: the children of the node reached by the prefix
 * give the next-token probabilities; tokens absent from a node (omitted branches) have probability 0
 * (log-probability `-Infinity`), and so does everything below a leaf. The vocabulary is `<BOS>`
 * followed by the other tokens in order of first appearance (depth-first).
 *
 * @param children - The nodes under `<BOS>` (the `children` of `tree.json`).
 * @param options - The root token.
 * @returns A {@link TreeLanguageModel}. It has no `markovOrder`: its conditionals depend on the whole prefix.
 * @throws RangeError when a probability is outside [0, 1], siblings sum above 1 (+1e-9), or a token repeats among siblings.
 * @example
 * ```ts
 * const lm = treeLM([{ token: "a", prob: 0.6, children: [{ token: "b", prob: 1 }] }, { token: "b", prob: 0.4 }]);
 * greedyDecode(lm, 2).sequences[0].tokens; // => ["a", "b"]
 * ```
 */
export function treeLM(children: readonly TreeNode[], options: TreeLMOptions = {}): TreeLanguageModel {
  const bosToken = options.bos ?? "<BOS>";
  const vocabulary = [bosToken];
  const ids = new Map<string, number>([[bosToken, 0]]);
  const collect = (nodes: readonly TreeNode[], path: string): void => {
    const list: unknown = nodes;
    if (!Array.isArray(list)) throw new TypeError(`treeLM: children of ${path} must be an array`);
    let sum = 0;
    const seen = new Set<string>();
    for (const [k, node] of nodes.entries()) {
      const where = `${path} → ${JSON.stringify(node.token)}`;
      if (typeof node.token !== "string") throw new TypeError(`treeLM: child ${k} of ${path} has no string token`);
      if (typeof node.prob !== "number" || !(node.prob >= 0 && node.prob <= 1)) {
        throw new RangeError(`treeLM: probability of ${where} is ${String(node.prob)}, not in [0, 1]`);
      }
      if (seen.has(node.token)) throw new RangeError(`treeLM: token ${JSON.stringify(node.token)} appears twice under ${path}`);
      seen.add(node.token);
      sum += node.prob;
      if (!ids.has(node.token)) {
        ids.set(node.token, vocabulary.length);
        vocabulary.push(node.token);
      }
      if (node.children !== undefined) collect(node.children, where);
    }
    if (sum > 1 + 1e-9) throw new RangeError(`treeLM: the children of ${path} have probabilities summing to ${sum} > 1`);
  };
  collect(children, bosToken);
  const n = vocabulary.length;
  const impossible = new Float64Array(n).fill(-Infinity);
  let depth = 0;
  const compile = (nodes: readonly TreeNode[], level: number): Compiled => {
    const row = new Float64Array(n).fill(-Infinity);
    const next = new Map<number, Compiled>();
    for (const node of nodes) {
      const id = ids.get(node.token)!;
      row[id] = Math.log(node.prob);
      depth = Math.max(depth, level + 1);
      if (node.children !== undefined && node.children.length > 0) next.set(id, compile(node.children, level + 1));
    }
    return { row, next };
  };
  const root = compile(children, 0);
  return {
    vocabulary,
    bos: 0,
    children,
    depth,
    logProbs: (prefix) => {
      let node: Compiled | undefined = root;
      for (let t = 1; t < prefix.length && node !== undefined; t++) node = node.next.get(prefix[t]!);
      return node === undefined ? impossible : node.row;
    },
  };
}

/** The tree of Question 2.4 as data (the `children` of `tree.json`). */
export const exampleTreeNodes: readonly TreeNode[] = [
  {
    token: "the",
    prob: 0.5,
    children: [
      { token: "cat", prob: 0.4, children: [{ token: "is", prob: 0.4 }, { token: "sat", prob: 0.3 }, { token: "ran", prob: 0.3 }] },
      { token: "dog", prob: 0.35, children: [{ token: "barked", prob: 0.9 }, { token: "ran", prob: 0.1 }] },
      { token: "red", prob: 0.25, children: [{ token: "car", prob: 0.5 }, { token: "fox", prob: 0.5 }] },
    ],
  },
  {
    token: "a",
    prob: 0.3,
    children: [
      { token: "red", prob: 0.9, children: [{ token: "fox", prob: 0.6 }, { token: "car", prob: 0.4 }] },
      { token: "cat", prob: 0.1, children: [{ token: "sat", prob: 1.0 }] },
    ],
  },
  {
    token: "red",
    prob: 0.2,
    children: [
      { token: "fox", prob: 0.95, children: [{ token: "ran", prob: 0.95 }, { token: "sat", prob: 0.05 }] },
      { token: "car", prob: 0.05, children: [{ token: "is", prob: 1.0 }] },
    ],
  },
];

/**
 * The example tree LM of Question 2.4 (`tree.json`): greedy gives "the cat is" ($\ln 0.08$), beam
 * search with B = 2 gives "a red fox" / "a red car", and B = 3 finds the optimum "red fox ran"
 * ($\ln 0.1805$).
 */
export const exampleTree: TreeLanguageModel = /* @__PURE__ */ treeLM(exampleTreeNodes);
