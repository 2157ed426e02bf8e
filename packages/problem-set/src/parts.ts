/**
 * The answerable parts of the problem set: stable ids, kinds, shapes, reference formulas and the
 * catalogue of known mistakes. Numbers for a variant come from the topic packages (the exact values);
 * a mistake is a wrong answer computed the same way, recognised by its id.
 */
import type { FamilyId } from "./formula/instances";

/** What an answer to a part looks like. */
export type PartKind = "number" | "vector" | "matrix" | "tensor" | "sequence" | "beams";

/** A known wrong answer. */
export interface Mistake {
  /** Stable id, e.g. `"missing-factor-2"`. */
  readonly id: string;
  /** One sentence saying what went wrong. */
  readonly explanation: string;
  /** For formula parts: the wrong formula(s), in the part's variables (each is tried). */
  readonly formulas?: readonly string[];
}

/** Which time steps a per-step part covers. */
export type StepRange = "all" | "from-second" | "to-second-last";

/** One answerable part. */
export interface Part {
  readonly id: string;
  readonly question: "1" | "2" | "3" | "4";
  /** What is asked, in one line (plain text with Unicode maths). */
  readonly title: string;
  readonly kind: PartKind;
  /** The expected shape in named sizes, outermost first (`[]` for a number), e.g. `["T", "H"]`. */
  readonly shape: readonly string[];
  /** Formula answers: the family of test instances, the reference answer and whether it is per step. */
  readonly formula?: {
    readonly family: FamilyId;
    readonly answer: string;
    /** A per-step part is answered by a formula in per-step variables, checked at every t of the range. */
    readonly steps?: StepRange;
    /** The formula's own shape (vectors are columns), e.g. `["H", "1"]`. */
    readonly shape: readonly string[];
  };
  readonly mistakes: readonly Mistake[];
}

const sq = "hf_next_t .* (1 - hf_next_t)";
const sqb = "hb_prev_t .* (1 - hb_prev_t)";

/** Every part, in the order of the problem set. */
export const PARTS: readonly Part[] = [
  {
    id: "1.2.dLt_dhf",
    question: "1",
    title: "∇_{h_t⁽ᶠ⁾} L_t, the local gradient, for t = 1…T (row t)",
    kind: "matrix",
    shape: ["T", "H"],
    formula: { family: "q1", answer: "2 * Vf' * (y_t - z_t)", steps: "all", shape: ["H", "1"] },
    mistakes: [
      { id: "norm-instead-of-squared-norm", explanation: "(y − z)/‖y − z‖ is the gradient of the norm ‖y − z‖, not of the squared norm ‖y − z‖², whose gradient is 2(y − z).", formulas: ["Vf' * (y_t - z_t) / norm(y_t - z_t)"] },
      { id: "missing-factor-2", explanation: "∇‖y − z‖² = 2(y − z): the factor 2 of the square is missing.", formulas: ["Vf' * (y_t - z_t)"] },
      { id: "missing-output-transpose", explanation: "The chain rule through y_t = V⁽ᶠ⁾h_t⁽ᶠ⁾ + … multiplies by V⁽ᶠ⁾ᵀ, not V⁽ᶠ⁾.", formulas: ["2 * Vf * (y_t - z_t)"] },
      { id: "wrong-sign", explanation: "The gradient of ‖z − y‖² with respect to y is 2(y − z), not 2(z − y).", formulas: ["2 * Vf' * (z_t - y_t)"] },
    ],
  },
  {
    id: "1.2.dLt_dhb",
    question: "1",
    title: "∇_{h_t⁽ᵇ⁾} L_t, the local gradient, for t = 1…T (row t)",
    kind: "matrix",
    shape: ["T", "H"],
    formula: { family: "q1", answer: "2 * Vb' * (y_t - z_t)", steps: "all", shape: ["H", "1"] },
    mistakes: [
      { id: "norm-instead-of-squared-norm", explanation: "(y − z)/‖y − z‖ is the gradient of the norm ‖y − z‖, not of the squared norm ‖y − z‖², whose gradient is 2(y − z).", formulas: ["Vb' * (y_t - z_t) / norm(y_t - z_t)"] },
      { id: "missing-factor-2", explanation: "∇‖y − z‖² = 2(y − z): the factor 2 of the square is missing.", formulas: ["Vb' * (y_t - z_t)"] },
      { id: "missing-output-transpose", explanation: "The chain rule through y_t = … + V⁽ᵇ⁾h_t⁽ᵇ⁾ multiplies by V⁽ᵇ⁾ᵀ, not V⁽ᵇ⁾.", formulas: ["2 * Vb * (y_t - z_t)"] },
      { id: "wrong-output-matrix", explanation: "h_t⁽ᵇ⁾ reaches y_t through V⁽ᵇ⁾, not V⁽ᶠ⁾.", formulas: ["2 * Vf' * (y_t - z_t)"] },
    ],
  },
  {
    id: "1.2.jac_f",
    question: "1",
    title: "∂h_{t+1}⁽ᶠ⁾/∂h_t⁽ᶠ⁾ for t = 1…T−1 (entry t is an H×H matrix)",
    kind: "tensor",
    shape: ["T−1", "H", "H"],
    formula: { family: "q1", answer: `diag(${sq}) * Uf`, steps: "to-second-last", shape: ["H", "H"] },
    mistakes: [
      { id: "transposed-jacobian", explanation: "The Jacobian is diag(σ′) U⁽ᶠ⁾ (row i is unit i's derivative); U⁽ᶠ⁾ diag(σ′) or its transpose mixes up rows and columns.", formulas: [`Uf * diag(${sq})`, `Uf' * diag(${sq})`, `(diag(${sq}) * Uf)'`] },
      { id: "missing-diag", explanation: "h_{t+1} = σ(W x + U h_t): the chain rule through σ multiplies U by diag(σ′(·)) = diag(h_{t+1} ⊙ (1 − h_{t+1})).", formulas: ["Uf"] },
      { id: "sigmoid-derivative-at-wrong-step", explanation: "σ′ is evaluated at the unit being differentiated, h_{t+1}, not at h_t.", formulas: ["diag(hf_t .* (1 - hf_t)) * Uf"] },
    ],
  },
  {
    id: "1.2.jac_b",
    question: "1",
    title: "∂h_{t−1}⁽ᵇ⁾/∂h_t⁽ᵇ⁾ for t = 2…T (entry t−1 is an H×H matrix)",
    kind: "tensor",
    shape: ["T−1", "H", "H"],
    formula: { family: "q1", answer: `diag(${sqb}) * Ub`, steps: "from-second", shape: ["H", "H"] },
    mistakes: [
      { id: "transposed-jacobian", explanation: "The Jacobian is diag(σ′) U⁽ᵇ⁾ (row i is unit i's derivative); U⁽ᵇ⁾ diag(σ′) or its transpose mixes up rows and columns.", formulas: [`Ub * diag(${sqb})`, `Ub' * diag(${sqb})`, `(diag(${sqb}) * Ub)'`] },
      { id: "missing-diag", explanation: "h_{t−1}⁽ᵇ⁾ = σ(W x + U h_t⁽ᵇ⁾): the chain rule through σ multiplies U⁽ᵇ⁾ by diag(h_{t−1} ⊙ (1 − h_{t−1})).", formulas: ["Ub"] },
      { id: "sigmoid-derivative-at-wrong-step", explanation: "σ′ is evaluated at the unit being differentiated, h_{t−1}⁽ᵇ⁾, not at h_t⁽ᵇ⁾.", formulas: ["diag(hb_t .* (1 - hb_t)) * Ub"] },
    ],
  },
  {
    id: "1.3.dL_dWf",
    question: "1",
    title: "∇_{W⁽ᶠ⁾} L (H×D)",
    kind: "matrix",
    shape: ["H", "D"],
    formula: { family: "q1", answer: "sum_t((dL_dhf_t .* hf_t .* (1 - hf_t)) * x_t')", shape: ["H", "D"] },
    mistakes: [
      { id: "local-instead-of-total-gradient", explanation: "W⁽ᶠ⁾ affects L_t through every later step: 1.3 needs the total ∇_{h_t}L of the recursion, not the local ∇_{h_t}L_t.", formulas: ["sum_t((dLt_dhf_t .* hf_t .* (1 - hf_t)) * x_t')"] },
      { id: "missing-diag", explanation: "h_t = σ(W x_t + …): the chain rule through σ multiplies ∇_{h_t}L elementwise by h_t ⊙ (1 − h_t).", formulas: ["sum_t(dL_dhf_t * x_t')"] },
      { id: "wrong-recurrent-input", explanation: "W⁽ᶠ⁾ multiplies the input x_t, so its gradient pairs with x_tᵀ, not with a hidden state.", formulas: ["sum_t((dL_dhf_t .* hf_t .* (1 - hf_t)) * hf_prev_t')"] },
    ],
  },
  {
    id: "1.3.dL_dUb",
    question: "1",
    title: "∇_{U⁽ᵇ⁾} L (H×H)",
    kind: "matrix",
    shape: ["H", "H"],
    formula: { family: "q1", answer: "sum_t((dL_dhb_t .* hb_t .* (1 - hb_t)) * hb_next_t')", shape: ["H", "H"] },
    mistakes: [
      { id: "wrong-recurrent-input", explanation: "h_t⁽ᵇ⁾ = σ(W⁽ᵇ⁾x_t + U⁽ᵇ⁾h_{t+1}⁽ᵇ⁾): U⁽ᵇ⁾ multiplies the NEXT backward state h_{t+1}⁽ᵇ⁾, not h_{t−1}⁽ᵇ⁾ or x_t.", formulas: ["sum_t((dL_dhb_t .* hb_t .* (1 - hb_t)) * hb_prev_t')", "sum_t((dL_dhb_t .* hb_t .* (1 - hb_t)) * x_t')"] },
      { id: "local-instead-of-total-gradient", explanation: "U⁽ᵇ⁾ affects L_t through every earlier step: 1.3 needs the total ∇_{h_t}L of the recursion, not the local ∇_{h_t}L_t.", formulas: ["sum_t((dLt_dhb_t .* hb_t .* (1 - hb_t)) * hb_next_t')"] },
      { id: "missing-diag", explanation: "h_t⁽ᵇ⁾ = σ(…): the chain rule through σ multiplies ∇_{h_t}L elementwise by h_t ⊙ (1 − h_t).", formulas: ["sum_t(dL_dhb_t * hb_next_t')"] },
    ],
  },
  {
    id: "2.1.count",
    question: "2",
    title: "The number of sequences w_0 … w_T with w_0 = <BOS> (N words, T steps)",
    kind: "number",
    shape: [],
    formula: { family: "q2count", answer: "N^T", shape: [] },
    mistakes: [
      { id: "counted-bos", explanation: "w_0 is fixed to <BOS>: only the T words w_1 … w_T are free, N^T, not N^(T+1).", formulas: ["N^(T + 1)"] },
      { id: "swapped-exponent", explanation: "Each of the T positions takes one of N words: N^T, not T^N.", formulas: ["T^N"] },
    ],
  },
  {
    id: "2.2.viterbi",
    question: "2",
    title: "The most likely sequence of the Markov LM (Viterbi): { tokens, logProb }",
    kind: "sequence",
    shape: ["T"],
    mistakes: [
      { id: "greedy-as-optimum", explanation: "Greedy decoding picks the best next word at each step; the most likely sequence needs the dynamic program (Viterbi)." },
      { id: "probability-instead-of-log-probability", explanation: "logProb is the natural log of the probability, log p(w_{1:T} | <BOS>), not the probability itself." },
      { id: "log10-instead-of-ln", explanation: "logProb is a natural logarithm (ln), not log₁₀." },
    ],
  },
  {
    id: "2.4a.optimum",
    question: "2",
    title: "The most likely sequence of the tree LM (exhaustive): { tokens, logProb }",
    kind: "sequence",
    shape: ["T"],
    mistakes: [
      { id: "greedy-as-optimum", explanation: "Greedy decoding commits to the most likely first word; the most likely sequence may start with a less likely one." },
      { id: "beam-as-optimum", explanation: "Beam search with B = 2 can prune the prefix of the best sequence; the optimum needs every path (or a large enough beam)." },
      { id: "probability-instead-of-log-probability", explanation: "logProb is the natural log of the probability, not the probability itself." },
    ],
  },
  {
    id: "2.4b.greedy",
    question: "2",
    title: "Greedy decoding of the tree LM: { tokens, logProb }",
    kind: "sequence",
    shape: ["T"],
    mistakes: [
      { id: "optimum-as-greedy", explanation: "Greedy decoding takes the most likely word at each step, which need not lead to the most likely sequence." },
      { id: "probability-instead-of-log-probability", explanation: "logProb is the natural log of the probability, not the probability itself." },
    ],
  },
  {
    id: "2.4c.beam",
    question: "2",
    title: "Beam search with B = 2 on the tree LM: both final beams, best first: [{ tokens, logProb }, { tokens, logProb }]",
    kind: "beams",
    shape: ["B", "T"],
    mistakes: [
      { id: "greedy-as-beam", explanation: "Beam search keeps the B best partial sequences at every step, not only the greedy continuation." },
      { id: "pruned-too-late", explanation: "At every step only the B best (prefix, word) pairs survive; a prefix pruned at step 1 cannot come back." },
    ],
  },
  {
    id: "3.1.mu_batch",
    question: "3",
    title: "Batch-norm means μ (per channel, over batch and features), length C",
    kind: "vector",
    shape: ["C"],
    mistakes: [{ id: "pooled-wrong-axes", explanation: "Batch norm pools per channel over the batch and the features; these are the statistics of another pooling." }],
  },
  {
    id: "3.1.var_batch",
    question: "3",
    title: "Batch-norm variances σ² (biased), length C",
    kind: "vector",
    shape: ["C"],
    mistakes: [
      { id: "unbiased-variance", explanation: "Normalization uses the biased variance (divide by n, as the problem set says), not the unbiased n − 1." },
      { id: "pooled-wrong-axes", explanation: "Batch norm pools per channel over the batch and the features; these are the statistics of another pooling." },
    ],
  },
  {
    id: "3.1.mu_layer",
    question: "3",
    title: "Layer-norm means μ (per sample, over channels and features), length B",
    kind: "vector",
    shape: ["B"],
    mistakes: [{ id: "pooled-wrong-axes", explanation: "Layer norm pools per sample over the channels and the features; these are the statistics of another pooling." }],
  },
  {
    id: "3.1.var_layer",
    question: "3",
    title: "Layer-norm variances σ² (biased), length B",
    kind: "vector",
    shape: ["B"],
    mistakes: [
      { id: "unbiased-variance", explanation: "Normalization uses the biased variance (divide by n, as the problem set says), not the unbiased n − 1." },
      { id: "pooled-wrong-axes", explanation: "Layer norm pools per sample over the channels and the features; these are the statistics of another pooling." },
    ],
  },
  {
    id: "3.1.mu_instance",
    question: "3",
    title: "Instance-norm means μ (per sample and channel, over features), B×C",
    kind: "matrix",
    shape: ["B", "C"],
    mistakes: [{ id: "pooled-wrong-axes", explanation: "Instance norm pools per sample and channel over the features only; these are the statistics of another pooling." }],
  },
  {
    id: "3.1.var_instance",
    question: "3",
    title: "Instance-norm variances σ² (biased), B×C",
    kind: "matrix",
    shape: ["B", "C"],
    mistakes: [
      { id: "unbiased-variance", explanation: "Normalization uses the biased variance (divide by n, as the problem set says), not the unbiased n − 1." },
      { id: "pooled-wrong-axes", explanation: "Instance norm pools per sample and channel over the features only; these are the statistics of another pooling." },
    ],
  },
  {
    id: "3.3.s",
    question: "3",
    title: "The scale s = γ/‖u‖",
    kind: "number",
    shape: [],
    formula: { family: "q3weightnorm", answer: "gamma / norm(u)", shape: [] },
    mistakes: [{ id: "squared-norm-instead-of-norm", explanation: "w = γu/‖u‖ divides by the norm ‖u‖, not by ‖u‖².", formulas: ["gamma / norm(u)^2"] }],
  },
  {
    id: "3.3.dL_du",
    question: "3",
    title: "∇_u L = s W⊥ ∇_w L, W⊥ = I − uuᵀ/‖u‖² (length n)",
    kind: "vector",
    shape: ["n"],
    formula: { family: "q3weightnorm", answer: "gamma / norm(u) * (I - u * u' / norm(u)^2) * dL_dw", shape: ["n", "1"] },
    mistakes: [
      { id: "missing-projection", explanation: "w depends on u's direction only: ∇_u L = s W⊥ ∇_w L projects out the component along u (W⊥u = 0); s ∇_w L leaves it in.", formulas: ["gamma / norm(u) * dL_dw"] },
      { id: "missing-scale", explanation: "w = γu/‖u‖ scales by s = γ/‖u‖: ∇_u L = s W⊥ ∇_w L, not W⊥ ∇_w L.", formulas: ["(I - u * u' / norm(u)^2) * dL_dw"] },
    ],
  },
  {
    id: "4.2.lambda_dropout",
    question: "4",
    title: "λ_dropout in p·w_dropout = (XᵀX + λ_dropout Γ²)⁻¹Xᵀy (p = KEEP probability)",
    kind: "number",
    shape: [],
    formula: { family: "q4", answer: "(1 - p) / p", shape: [] },
    mistakes: [{ id: "drop-instead-of-keep-probability", explanation: "p is the probability of KEEPING a unit: λ_dropout = (1 − p)/p; p/(1 − p) treats p as the drop probability.", formulas: ["p / (1 - p)"] }],
  },
  {
    id: "4.2.p_w_dropout",
    question: "4",
    title: "p·w_dropout = (XᵀX + λ_dropout Γ²)⁻¹Xᵀy (length d)",
    kind: "vector",
    shape: ["d"],
    formula: { family: "q4", answer: "inv(X' * X + (1 - p) / p * Gamma^2) * X' * y", shape: ["d", "1"] },
    mistakes: [
      { id: "drop-instead-of-keep-probability", explanation: "p is the probability of KEEPING a unit: λ_dropout = (1 − p)/p; swapping p and 1 − p gives p/(1 − p).", formulas: ["inv(X' * X + p / (1 - p) * Gamma^2) * X' * y"] },
      { id: "identity-instead-of-gamma", explanation: "Dropout's penalty is per feature, λ_dropout Γ² with Γ² = diag(XᵀX); λ_dropout I is ridge regression.", formulas: ["inv(X' * X + (1 - p) / p * I) * X' * y"] },
      { id: "w-instead-of-p-w", explanation: "(XᵀX + λΓ²)⁻¹Xᵀy is p·w_dropout, the weights rescaled by p; this is w_dropout itself.", formulas: ["inv(X' * X + (1 - p) / p * Gamma^2) * X' * y / p"] },
    ],
  },
  {
    id: "4.3.w_l2",
    question: "4",
    title: "w_L2 = (XᵀX + λI)⁻¹Xᵀy (length d)",
    kind: "vector",
    shape: ["d"],
    formula: { family: "q4", answer: "inv(X' * X + lambda * I) * X' * y", shape: ["d", "1"] },
    mistakes: [{ id: "missing-penalty", explanation: "The L2 penalty adds λI to XᵀX; without it this is ordinary least squares.", formulas: ["inv(X' * X) * X' * y"] }],
  },
];

/** The part with this id, or undefined. */
export function findPart(id: string): Part | undefined {
  return PARTS.find((p) => p.id === id);
}

/** Every part's id, in order. */
export const PART_IDS: readonly string[] = PARTS.map((p) => p.id);
