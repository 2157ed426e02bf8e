/**
 * The body of each `setThreads` worker (see ../threads.ts). Not part of the package's module graph:
 * scripts/build-threads-worker.js bundles this file (with the TypeScript gemm and the WASM gemm
 * wrapper of ../wasm/index.ts, the very functions the main thread runs) into one self-contained
 * script, embedded as the string of worker-source.generated.ts and started with
 * `new Worker(source, { eval: true })` — no file next to the bundle, the same in ESM and CJS.
 * The WASM bytes are not bundled a second time: they arrive as base64 in `workerData`.
 *
 * Protocol (all slots are Int32 in the shared control block):
 * - `ctrl[2·slot]` is the task counter: the main thread posts a task on `port`, increments the
 *   counter and notifies; the worker wakes, takes the task with `receiveMessageOnPort`.
 * - `ctrl[2·slot + 1]` is the answer: twice the task's number when done, plus {@link FAILED_BIT}
 *   after writing the error's message into its region of `messages`; {@link EXITED} when the
 *   thread is ending for any reason.
 */
import "./exit-guard";
import type { MessagePort } from "node:worker_threads";
import { gemm as gemmJs } from "../gemm";
import { wasmKernelsAll } from "../wasm/index";
import { FAILED_BIT, JOB_FIELDS, MESSAGE_BYTES, type ThreadTask, type WorkerData } from "./protocol";

// Through process.getBuiltinModule, not require or import: the source runs as CommonJS or, when the
// parent was started with --input-type=module, possibly as a module; this works in both.
const wt = process.getBuiltinModule("node:worker_threads");
const { ctrl, slot, port, messages } = wt.workerData as WorkerData & { port: MessagePort };
const counter = 2 * slot;
const answer = counter + 1;

const wasmGemms: Partial<Record<string, typeof gemmJs | null>> = {};

function run(task: ThreadTask): void {
  let gemm = gemmJs;
  const backend: string = task.backend;
  if (backend !== "js" && backend !== "wasm-simd" && backend !== "wasm-relaxed-simd") throw new TypeError(`unknown kernel backend ${JSON.stringify(backend)}`);
  if (backend !== "js") {
    const variant = backend === "wasm-simd" ? "simd" : "relaxed-simd";
    const loaded = (wasmGemms[variant] ??= wasmKernelsAll(variant)?.gemm ?? null);
    if (loaded === null) throw new Error(`the WebAssembly ${variant} gemm did not load in the worker`);
    gemm = loaded;
  }
  const mem = new Float64Array(task.arena);
  const { jobsAt, jobCount, next } = task;
  for (let job = Atomics.add(ctrl, next, 1); job < jobCount; job = Atomics.add(ctrl, next, 1)) {
    const q = jobsAt + job * JOB_FIELDS;
    gemm(mem[q]!, mem[q + 1]!, mem[q + 2]!, 1, mem, mem[q + 3]!, mem[q + 4]!, mem[q + 5]!, mem, mem[q + 6]!, mem[q + 7]!, mem[q + 8]!, mem, mem[q + 9]!, mem[q + 10]!, true);
  }
}

let seen = 0;
for (;;) {
  Atomics.wait(ctrl, counter, seen);
  seen = Atomics.load(ctrl, counter);
  const received = wt.receiveMessageOnPort(port);
  if (received === undefined) continue;
  const task = received.message as ThreadTask;
  if (task.exit === true) process.exit(task.exitCode ?? 0);
  try {
    run(task);
    Atomics.store(ctrl, answer, 2 * seen);
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const region = new Uint8Array(messages, slot * MESSAGE_BYTES, MESSAGE_BYTES);
    const { written } = new TextEncoder().encodeInto(text, region.subarray(4));
    new DataView(messages).setInt32(slot * MESSAGE_BYTES, written, true);
    Atomics.store(ctrl, answer, 2 * seen + FAILED_BIT);
  }
  Atomics.notify(ctrl, answer);
}
