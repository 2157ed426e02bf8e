export { expectClose, type ExpectCloseOptions, type Comparable } from "./testing/expect-close";
export { gradientCoverage, type GradientDecision } from "./testing/gradient-decisions";
