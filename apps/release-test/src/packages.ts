/** The published packages, core first (the order a course installs and the release publishes them). */
export const PUBLISHED = ["@hw/tensor", "@hw/rnn", "@hw/decoding", "@hw/normalization", "@hw/regularization", "@hw/problem-set"] as const;
