/** The input of `hw decode …`: a Markov or tree language model (`--input`, alias `--lm`). */
import { exampleCorpus, exampleMarkov, exampleTreeNodes, markovLM, ngramLM, treeLM, type LanguageModel } from "@hw/decoding";
import { LanguageModelInputSchema, schemas, type LanguageModelInput } from "@hw/decoding/schema";
import type { InputFormat } from "../../command";
import { jsonSchemaOf, schemaUrl } from "../../schema-url";

/** The built-in Markov LM as an input file (P read back from the model, rounded to 12 digits). */
export function markovExample(): Record<string, unknown> {
  const n = exampleMarkov.vocabulary.length;
  const P = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Number(Math.exp(exampleMarkov.logTransition[i * n + j]!).toPrecision(12))));
  return { type: "markov", vocabulary: [...exampleMarkov.vocabulary], bos: exampleMarkov.vocabulary[exampleMarkov.bos], P, steps: 3 };
}

/** The built-in tree LM of Question 2.4 as an input file. */
export function treeExample(): Record<string, unknown> {
  return { type: "tree", bos: "<BOS>", children: JSON.parse(JSON.stringify(exampleTreeNodes)) as unknown, steps: 3 };
}

/** The built-in n-gram LM: a trigram with Kneser–Ney smoothing on the package's example corpus. */
export function ngramExample(): Record<string, unknown> {
  return { type: "ngram", n: 3, corpus: exampleCorpus, smoothing: { kind: "kneser-ney", discount: 0.75 }, steps: 5 };
}

/** `--input FILE|-|example|example:tree|example:markov|example:ngram` (alias `--lm`). */
export const lmFormat: InputFormat = {
  summary: '{ type: "markov", vocabulary, bos?, P, steps? }, { type: "tree", bos?, children, steps? } or { type: "ngram", n, corpus, smoothing?, steps? }',
  schema: LanguageModelInputSchema,
  jsonSchema: () => jsonSchemaOf(schemas["language-model"], "@hw/decoding", "language-model"),
  schemaUrl: schemaUrl("@hw/decoding", "language-model"),
  builtIns: { example: treeExample, "example:tree": treeExample, "example:markov": markovExample, "example:ngram": ngramExample },
  aliases: ["--lm"],
};

/** The language model of a validated input, and the steps it may carry. */
export function languageModelOf(input: LanguageModelInput): { lm: LanguageModel; steps?: number } {
  const lm =
    input.type === "markov"
      ? markovLM({ vocabulary: input.vocabulary, P: input.P, ...(input.bos === undefined ? {} : { bos: input.bos }) })
      : input.type === "tree"
        ? treeLM(input.children, input.bos === undefined ? {} : { bos: input.bos })
        : ngramLM(input.corpus, {
            n: input.n,
            ...(input.smoothing === undefined ? {} : { smoothing: input.smoothing }),
            ...(input.bos === undefined ? {} : { bos: input.bos }),
            ...(input.eos === undefined ? {} : { eos: input.eos }),
          });
  return { lm, ...(input.steps === undefined ? {} : { steps: input.steps }) };
}
