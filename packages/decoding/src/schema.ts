/**
 * The JSON input formats of `@hw/decoding` (what `hw decode … --input` reads), as valibot
 * schemas: strict (an unknown key is an error naming the closest known key), every number finite,
 * every shape consistent. The JSON Schema files generated from them ship as
 * `dist/schemas/<name>.schema.json`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { LanguageModelInputSchema } from "@hw/decoding/schema";
 * const spec = v.parse(LanguageModelInputSchema, JSON.parse(text));
 * ```
 */
import * as v from "valibot";
import { describeValue as describe, finiteSchema as finite, matrixSchema as matrix, strictObjectSchema as strict } from "@hw/tensor/schema";

/** The deepest tree the schema accepts (deeper JSON is refused before it is walked recursively). */
export const MAX_TREE_DEPTH = 1000;

const steps = v.optional(
  v.pipe(
    v.number((issue) => `expected an integer ≥ 1, got ${describe(issue.input)}`),
    v.integer((issue) => `expected an integer ≥ 1, got ${describe(issue.input)}`),
    v.minValue(1, (issue) => `expected an integer ≥ 1, got ${describe(issue.input)}`),
  ),
);
const token = v.string((issue) => `expected a token string, got ${describe(issue.input)}`);

/** A Markov (bigram) LM: `P[i][j] = p(w_t = j | w_{t−1} = i)` over `vocabulary`. */
export const MarkovLMInputSchema = v.pipe(
  strict(
    {
      $schema: v.optional(v.string()),
      type: v.literal("markov"),
      vocabulary: v.optional(v.array(token, (issue) => `expected an array of token strings, got ${describe(issue.input)}`)),
      // `vocab`: the old spelling of `vocabulary`, still read.
      vocab: v.optional(v.array(token, (issue) => `expected an array of token strings, got ${describe(issue.input)}`)),
      bos: v.optional(token),
      P: matrix,
      steps,
    },
    'a Markov LM { type: "markov", vocabulary, bos?, P, steps? }',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const o = dataset.value;
    if (o.vocabulary !== undefined && o.vocab !== undefined) {
      addIssue({ message: "vocab: give `vocabulary` only (`vocab` is its deprecated spelling)" });
      return;
    }
    const vocabulary = o.vocabulary ?? o.vocab;
    if (vocabulary === undefined) {
      addIssue({ message: "vocabulary: missing (required: the array of token strings)" });
      return;
    }
    const n = vocabulary.length;
    if (o.P.length !== n || o.P[0]!.length !== n) addIssue({ message: `P: expected a ${n}×${n} matrix (N×N for N = ${n} tokens), got ${o.P.length}×${o.P[0]!.length}` });
    const bos = o.bos ?? "<BOS>";
    if (!vocabulary.includes(bos)) addIssue({ message: `bos: unknown token ${JSON.stringify(bos)} (not in vocabulary)` });
  }),
  v.transform(({ vocab, vocabulary, ...rest }) => ({ ...rest, vocabulary: (vocabulary ?? vocab)! })),
);

/** A node of a tree LM: a token, its conditional probability, and the continuations. */
export interface TreeNodeInput {
  readonly token: string;
  readonly prob: number;
  readonly children?: readonly TreeNodeInput[];
}

const treeNode: v.GenericSchema<unknown, TreeNodeInput> = strict(
  {
    token,
    prob: v.pipe(finite, v.minValue(0, (issue) => `expected a probability in [0, 1], got ${describe(issue.input)}`), v.maxValue(1, (issue) => `expected a probability in [0, 1], got ${describe(issue.input)}`)),
    children: v.optional(v.array(v.lazy(() => treeNode), (issue) => `expected an array of { token, prob, children? }, got ${describe(issue.input)}`)),
  },
  "a tree node { token, prob, children? }",
);

function depth(value: unknown): number {
  // Iterative, so that a hostile 100,000-deep file cannot overflow the stack here.
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    if (d > MAX_TREE_DEPTH) return d;
    if (typeof node === "object" && node !== null && !Array.isArray(node) && Array.isArray((node as { children?: unknown }).children)) {
      for (const child of (node as { children: unknown[] }).children) stack.push([child, d + 1]);
    }
  }
  return deepest;
}

/** A tree LM: the continuations of `<BOS>`, each with its conditional probability. */
export const TreeLMInputSchema = v.pipe(
  v.unknown(),
  v.check((value) => depth(value) <= MAX_TREE_DEPTH, `children: the tree is deeper than ${MAX_TREE_DEPTH} levels`),
  strict(
    {
      $schema: v.optional(v.string()),
      type: v.literal("tree"),
      bos: v.optional(token),
      children: v.array(treeNode, (issue) => `expected an array of { token, prob, children? }, got ${describe(issue.input)}`),
      steps,
    },
    'a tree LM { type: "tree", bos?, children, steps? }',
  ),
);

const positiveInteger = (what: string) =>
  v.pipe(
    v.number((issue) => `expected ${what}, got ${describe(issue.input)}`),
    v.integer((issue) => `expected ${what}, got ${describe(issue.input)}`),
    v.minValue(1, (issue) => `expected ${what}, got ${describe(issue.input)}`),
  );

/**
 * An n-gram LM given by its training corpus (fitted when loaded): `corpus` is text (one sentence
 * per line, tokens separated by whitespace) or an array of tokenised sentences; `smoothing` as `ngramLM`'s.
 */
export const NgramLMInputSchema = strict(
  {
    $schema: v.optional(v.string()),
    type: v.literal("ngram"),
    n: v.pipe(positiveInteger("an integer n in [1, 100]"), v.maxValue(100, (issue) => `expected an integer n in [1, 100], got ${describe(issue.input)}`)),
    corpus: v.union(
      [v.pipe(v.string(), v.minLength(1, "expected a non-empty corpus")), v.array(v.array(token, (issue) => `expected a sentence (array of token strings), got ${describe(issue.input)}`))],
      (issue) => `expected text or an array of tokenised sentences, got ${describe(issue.input)}`,
    ),
    smoothing: v.optional(
      v.union(
        [
          strict({ kind: v.literal("add-k"), k: v.optional(finite) }, 'a smoothing { kind: "add-k", k? }'),
          strict({ kind: v.literal("kneser-ney"), discount: v.optional(finite) }, 'a smoothing { kind: "kneser-ney", discount? }'),
        ],
        (issue) => `expected { kind: "add-k", k? } or { kind: "kneser-ney", discount? }, got ${describe(issue.input)}`,
      ),
    ),
    bos: v.optional(token),
    eos: v.optional(token),
    steps,
  },
  'an n-gram LM { type: "ngram", n, corpus, smoothing?, bos?, eos?, steps? }',
);

/** A validated language-model input. */
export type LanguageModelInput = v.InferOutput<typeof MarkovLMInputSchema> | v.InferOutput<typeof TreeLMInputSchema> | v.InferOutput<typeof NgramLMInputSchema>;

const symbolOrId = v.union([token, v.pipe(v.number(), v.integer(), v.minValue(0))], (issue) => `expected a symbol string or id, got ${describe(issue.input)}`);

/**
 * A hidden Markov model (probabilities, not logs; `hmm()` checks the shapes and row sums), with
 * optional observations `obs` and hmmlearn-style `lengths` to decode.
 */
export const HmmInputSchema = strict(
  {
    $schema: v.optional(v.string()),
    type: v.literal("hmm"),
    states: v.array(token, (issue) => `expected an array of state names, got ${describe(issue.input)}`),
    symbols: v.array(token, (issue) => `expected an array of symbols, got ${describe(issue.input)}`),
    start: v.array(finite, (issue) => `expected a probability vector, got ${describe(issue.input)}`),
    transition: matrix,
    emission: matrix,
    obs: v.optional(v.pipe(v.array(symbolOrId, (issue) => `expected an array of symbols, got ${describe(issue.input)}`), v.minLength(1, "expected at least one symbol"))),
    lengths: v.optional(v.array(positiveInteger("a positive integer length"), (issue) => `expected an array of positive integers, got ${describe(issue.input)}`)),
  },
  'an HMM { type: "hmm", states, symbols, start, transition, emission, obs?, lengths? }',
);

/** A validated HMM input. */
export type HmmInput = v.InferOutput<typeof HmmInputSchema>;

/** Any language model, told apart by `type` ("markov", "tree" or "ngram"); the issues are those of that format. */
export const LanguageModelInputSchema = v.pipe(
  v.unknown(),
  v.rawTransform(({ dataset, addIssue, NEVER }): LanguageModelInput => {
    const value = dataset.value;
    const type = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
    if (type !== "markov" && type !== "tree" && type !== "ngram") {
      addIssue({
        message:
          typeof value !== "object" || value === null || Array.isArray(value)
            ? `expected a language model object { type: "markov" | "tree" | "ngram", … }, got ${describe(value)}`
            : `type: expected "markov", "tree" or "ngram", got ${type === undefined ? "nothing" : describe(type)}`,
      });
      return NEVER;
    }
    const result = type === "markov" ? v.safeParse(MarkovLMInputSchema, value) : type === "tree" ? v.safeParse(TreeLMInputSchema, value) : v.safeParse(NgramLMInputSchema, value);
    if (result.success) return result.output;
    for (const issue of result.issues) addIssue({ message: issue.message, input: issue.input, ...(issue.expected === null ? {} : { expected: issue.expected }), received: issue.received, ...(issue.path === undefined ? {} : { path: issue.path }) });
    return NEVER;
  }),
);

/** Every input format of this package, by the name of its JSON Schema file. */
export const schemas = {
  "markov-lm": MarkovLMInputSchema,
  "tree-lm": TreeLMInputSchema,
  "ngram-lm": NgramLMInputSchema,
  hmm: HmmInputSchema,
  // For the JSON Schema file only (validate with LanguageModelInputSchema, whose issues are clearer).
  "language-model": v.union([MarkovLMInputSchema, TreeLMInputSchema, NgramLMInputSchema]),
} as const;
