// The `@hw/tensor/kernels` subpath: plain strided kernels on raw typed arrays (see kernels/index.ts).
export * from "./kernels/index";
export { setThreads, threads } from "./kernels/threads";
