// The first module of the worker bundle (worker.ts imports it before anything else): from here on,
// however the thread ends — process.exit, an uncaught error while the rest of the bundle starts or
// runs, termination — its answer slot says EXITED, so the main thread never waits for it forever.
import { EXITED, type WorkerData } from "./protocol";

const { ctrl, slot, throwAtStartForTesting } = process.getBuiltinModule("node:worker_threads").workerData as WorkerData;

process.on("exit", () => {
  Atomics.store(ctrl, 2 * slot + 1, EXITED);
  Atomics.notify(ctrl, 2 * slot + 1);
});

if (throwAtStartForTesting === true) throw new Error("thrown at start for testing");
