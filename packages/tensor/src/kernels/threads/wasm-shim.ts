// Stands in for ../wasm/module.generated.ts in the worker bundle (scripts/build-threads-worker.js):
// the main thread passes the same base64 in workerData instead of a second copy in the bundle.
const data = process.getBuiltinModule("node:worker_threads").workerData as { wasmBase64: string; wasmRelaxedBase64: string };

export const WASM_KERNELS_BASE64 = data.wasmBase64;
export const WASM_KERNELS_RELAXED_BASE64 = data.wasmRelaxedBase64;
