export { expectClose, type ExpectCloseOptions } from "./testing/expect-close";
