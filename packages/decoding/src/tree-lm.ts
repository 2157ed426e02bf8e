import { readOptions } from "@hw/tensor";
import { show } from "./internal/validate";
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
  /** The children's token ids and log-probabilities (sparse: a row is built on first use). */
  readonly ids: Int32Array;
  readonly logProbs: Float64Array;
  readonly next: Map<number, Compiled>;
  row?: Float64Array;
}

/** One level of the iterative depth-first walk over the nodes. */
interface Frame {
  readonly nodes: readonly TreeNode[];
  index: number;
  sum: number;
  readonly seen: Set<string>;
  readonly compiled: { ids: number[]; logProbs: number[]; next: Map<number, Compiled> };
  /** The token that leads to this level (undefined at the root). */
  readonly via?: string;
}

/**
 * A language model whose conditionals are a tree: the children of the node reached by the prefix
 * give the next-token probabilities; tokens absent from a node (omitted branches) have probability 0
 * (log-probability `-Infinity`), and so does everything below a leaf. The vocabulary is `<BOS>`
 * followed by the other tokens in order of first appearance (depth-first). The tree is walked
 * iteratively (any depth, no call-stack limit) and stored sparsely: a node's length-N row is built
 * when a decoder first asks for it.
 *
 * @param children - The nodes under `<BOS>` (the `children` of `tree.json`).
 * @param options - `bos`, the root token.
 * @returns A {@link TreeLanguageModel}. It has no `markovOrder`: its conditionals depend on the whole prefix.
 * @throws RangeError when a probability is outside [0, 1], siblings sum above 1 (+1e-9), or a token repeats among siblings; TypeError for a node that is not `{ token, prob, children? }` or an unknown option.
 * @example
 * ```ts
 * const lm = treeLM([{ token: "a", prob: 0.6, children: [{ token: "b", prob: 1 }] }, { token: "b", prob: 0.4 }]);
 * greedyDecode(lm, 2).sequences[0].tokens; // => ["a", "b"]
 * ```
 */
export function treeLM(children: readonly TreeNode[], options?: TreeLMOptions): TreeLanguageModel {
  const o = readOptions("treeLM", options, ["bos"]);
  const bosToken: unknown = o.bos ?? "<BOS>";
  if (typeof bosToken !== "string") throw new TypeError(`treeLM: bos must be a token string, got ${show(bosToken)}`);
  const vocabulary = [bosToken];
  const ids = new Map<string, number>([[bosToken, 0]]);
  const frames: Frame[] = [];
  const where = (): string => [bosToken, ...frames.slice(1).map((f) => JSON.stringify(f.via))].join(" → ");
  const open = (nodes: unknown, via?: string): void => {
    if (!Array.isArray(nodes)) throw new TypeError(`treeLM: the children of ${where()}${via === undefined ? "" : ` → ${JSON.stringify(via)}`} must be an array, got ${show(nodes)}`);
    frames.push({ nodes: nodes as TreeNode[], index: 0, sum: 0, seen: new Set(), compiled: { ids: [], logProbs: [], next: new Map() }, ...(via === undefined ? {} : { via }) });
  };
  const close = (frame: Frame): Compiled => {
    if (frame.sum > 1 + 1e-9) throw new RangeError(`treeLM: the children of ${where()} have probabilities summing to ${frame.sum} > 1`);
    return { ids: Int32Array.from(frame.compiled.ids), logProbs: Float64Array.from(frame.compiled.logProbs), next: frame.compiled.next };
  };
  let depth = 0;
  let root: Compiled | undefined;
  open(children);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.index === frame.nodes.length) {
      const compiled = close(frame);
      frames.pop();
      if (frames.length === 0) {
        root = compiled;
        break;
      }
      if (compiled.ids.length > 0) {
        const parent = frames[frames.length - 1]!;
        parent.compiled.next.set(ids.get(frame.via!)!, compiled);
      }
      continue;
    }
    const k = frame.index++;
    const node: unknown = frame.nodes[k];
    if (typeof node !== "object" || node === null) throw new TypeError(`treeLM: child ${k} of ${where()} must be { token, prob, children? }, got ${show(node)}`);
    const { token, prob, children: below } = node as Partial<TreeNode>;
    if (typeof token !== "string") throw new TypeError(`treeLM: child ${k} of ${where()} has no string token (got ${show(token)})`);
    if (typeof prob !== "number" || !(prob >= 0 && prob <= 1)) {
      throw new RangeError(`treeLM: probability of ${where()} → ${JSON.stringify(token)} is ${show(prob)}, not in [0, 1]`);
    }
    if (frame.seen.has(token)) throw new RangeError(`treeLM: token ${JSON.stringify(token)} appears twice under ${where()}`);
    frame.seen.add(token);
    frame.sum += prob;
    let id = ids.get(token);
    if (id === undefined) {
      id = vocabulary.length;
      ids.set(token, id);
      vocabulary.push(token);
    }
    frame.compiled.ids.push(id);
    frame.compiled.logProbs.push(Math.log(prob));
    depth = Math.max(depth, frames.length);
    if (below !== undefined) open(below, token);
  }
  const n = vocabulary.length;
  const impossible = new Float64Array(n).fill(-Infinity);
  const rowOf = (node: Compiled): Float64Array => {
    if (node.row === undefined) {
      const row = new Float64Array(n).fill(-Infinity);
      for (let k = 0; k < node.ids.length; k++) row[node.ids[k]!] = node.logProbs[k]!;
      node.row = row;
    }
    return node.row;
  };
  const top = root!;
  return {
    vocabulary,
    bos: 0,
    children,
    depth,
    logProbs: (prefix) => {
      let node: Compiled | undefined = top;
      for (let t = 1; t < prefix.length && node !== undefined; t++) node = node.next.get(prefix[t]!);
      return node === undefined ? impossible : rowOf(node);
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
