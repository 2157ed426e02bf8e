// Stands in for ../wasm/module.generated.ts in the worker bundle (scripts/build-threads-worker.js):
// the main thread passes the same base64 in workerData instead of a second copy in the bundle.
export const WASM_KERNELS_BASE64 = (process.getBuiltinModule("node:worker_threads").workerData as { wasmBase64: string }).wasmBase64;
