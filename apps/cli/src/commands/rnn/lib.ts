/** The library calls of `hw rnn …`, in one object so that tests can watch what reaches them. */
import { bptt, checkGradients, gradientFlow, toDot, toMermaid, toText, train, unrolledGraph } from "@hw/rnn";

export const lib = { bptt, checkGradients, gradientFlow, toDot, toMermaid, toText, train, unrolledGraph };
