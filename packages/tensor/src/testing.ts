export { expectClose, type ExpectCloseOptions, type Comparable } from "./testing/expect-close";
