/**
 * Optional parallelism for large matrix products: {@link setThreads} starts `n − 1` Node
 * `worker_threads` that split each large `matmul` with the main thread, which blocks
 * (`Atomics.wait`) until they are done — `matmul` stays synchronous. Off by default (`n = 1`).
 *
 * How a product is split. Operands are copied into one growable `SharedArrayBuffer` (the arena),
 * keeping their strides, and cut into jobs: blocks of whole rows of C (about two jobs per
 * thread), or whole matrices when the batch has that many. Every thread, the main one included,
 * takes the next job from a shared counter until none is left (so a worker that the OS schedules
 * late only delays the job it holds) and runs the same gemm as the main thread would (the WASM
 * SIMD one or the TypeScript one, as {@link kernelBackend} says). The k sum is never split, so
 * every element is computed by the same sequence of floating-point operations as with one thread
 * and the result is bitwise equal. Row blocks are kept large enough (≥ {@link MIN_BLOCK_ROWS} rows,
 * ≥ {@link MIN_BLOCK_WORK} multiply-adds) that every block takes the packed path of the gemm, as
 * the whole product does.
 *
 * Products below {@link PARALLEL_MIN_WORK} multiply-adds (m·n·k summed over the batch) run on the
 * main thread alone: there the copy into shared memory and the wake-up cost more than they save.
 *
 * Workers are `unref()`ed (they never keep the process alive) and wait on a shared control block.
 * An error thrown in a worker is rethrown on the main thread as an `Error`; a worker whose thread
 * ends (e.g. `process.exit` inside it) is reported the same way and the pool is started afresh on
 * the next product. Browsers have no `worker_threads` and no way to block the main thread, so
 * there `setThreads(n > 1)` throws.
 */
import type { MessagePort, Worker } from "node:worker_threads";
import { jsKernels, kernelBackend, kernels } from "./index";
import { denseEnoughToCopy } from "./wasm/index";
import { WASM_KERNELS_BASE64, WASM_KERNELS_RELAXED_BASE64 } from "./wasm/module.generated";
import { THREADS_WORKER_SOURCE } from "./threads/worker-source.generated";
import { EXITED, FAILED_BIT, JOB_FIELDS, MESSAGE_BYTES, type ThreadTask } from "./threads/protocol";

/** Below this many multiply-adds (m·n·k over the whole batch) a product stays on one thread. */
export const PARALLEL_MIN_WORK = 128 * 128 * 128;
let parallelMinWork = PARALLEL_MIN_WORK;

/** @internal Benchmarks only: change the threshold (to measure where threads start to pay). */
export function setParallelMinWorkForBench(work: number): void {
  parallelMinWork = work;
}
/** A row block given to one thread has at least this many rows… */
export const MIN_BLOCK_ROWS = 16;
/** …and at least this many multiply-adds (twice the gemm's direct-loop bound of 32³). */
export const MIN_BLOCK_WORK = 2 * 32 * 32 * 32;
/** The most threads {@link setThreads} accepts. */
export const MAX_THREADS = 256;

type WorkerThreadsModule = typeof import("node:worker_threads");

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

/** `node:worker_threads` in Node (≥ 20.16, through `process.getBuiltinModule`), else null — never a static import. */
function workerThreads(): WorkerThreadsModule | null {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof proc !== "object" || typeof proc.getBuiltinModule !== "function") return null;
  try {
    const mod = proc.getBuiltinModule("node:worker_threads") as WorkerThreadsModule | undefined;
    return mod !== undefined && typeof mod.Worker === "function" ? mod : null;
  } catch {
    return null;
  }
}

/** The number of cores Node reports (`os.availableParallelism()`), 1 where unknown. */
function availableCores(): number {
  const proc = (globalThis as { process?: ProcessLike }).process;
  try {
    const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
    const n = os?.availableParallelism?.();
    return typeof n === "number" && Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
  } catch {
    return 1;
  }
}

interface Pool {
  readonly wt: WorkerThreadsModule;
  readonly workers: Worker[];
  readonly ports: MessagePort[];
  /** Per worker: [task counter, answer]; last, the next job of the current product. */
  readonly ctrl: Int32Array;
  /** Per worker, {@link MESSAGE_BYTES} for the message of an error thrown in it. */
  readonly messages: SharedArrayBuffer;
  /** The last task number posted to each worker. */
  readonly posted: number[];
}

let threadCount = 1;
let pool: Pool | null = null;
let arena: SharedArrayBuffer | null = null;

/**
 * The number of threads large `matmul` products use (1, the default, means no worker threads).
 *
 * @example
 * ```ts
 * threads(); // 1
 * ```
 */
export function threads(): number {
  return threadCount;
}

/**
 * Use `n` threads for large `matmul` products (the main thread and `n − 1` Node worker threads).
 * Results are bitwise equal for every `n`; see the module notes for how products are split and
 * which ones stay on one thread.
 *
 * @param n - 1 (the default: no workers), 2 or more, or `0`/`"auto"` for one per core
 *   (`os.availableParallelism()`; 1 where there are no worker threads, e.g. in a browser)
 * @returns the number of threads now in use
 * @throws TypeError when `n` is neither a number nor `"auto"`; RangeError when it is not an
 *   integer in [0, 256], or when `n > 1` and this environment has no `worker_threads` (browsers)
 * @example
 * ```ts
 * import { setThreads } from "@hw/tensor/kernels";
 * setThreads(2); // large matmul products now split across two threads
 * setThreads(1); // back to one thread (the workers end)
 * ```
 */
export function setThreads(n: number | "auto"): number {
  const value: unknown = n;
  if (typeof value !== "number" && value !== "auto") {
    throw new TypeError(`setThreads: n must be a number or "auto", got ${typeof value === "string" ? JSON.stringify(value) : typeof value}`);
  }
  if (typeof n === "number" && (!Number.isInteger(n) || n < 0 || n > MAX_THREADS)) {
    throw new RangeError(`setThreads: n must be an integer in [0, ${MAX_THREADS}] (0 or "auto": one per core), got ${n}`);
  }
  const wt = workerThreads();
  let wanted = n === "auto" || n === 0 ? (wt === null ? 1 : availableCores()) : n;
  if (wanted > 1 && wt === null) {
    throw new RangeError(
      `setThreads: cannot use ${wanted} threads: this environment has no node:worker_threads ` +
        "(browsers cannot block their main thread on a worker, so matmul stays single-threaded there)",
    );
  }
  if (wanted < 1) wanted = 1;
  if (wanted !== threadCount) {
    stopPool();
    threadCount = wanted;
    if (wanted > 1 && wt !== null) pool = startPool(wt, wanted - 1);
  }
  return threadCount;
}

function startPool(wt: WorkerThreadsModule, count: number): Pool {
  // Per worker [task counter, answer], then the job counter of the current product.
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (2 * count + 1)));
  const messages = new SharedArrayBuffer(MESSAGE_BYTES * count);
  const workers: Worker[] = [];
  const ports: MessagePort[] = [];
  for (let slot = 0; slot < count; slot++) {
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(THREADS_WORKER_SOURCE, {
      eval: true,
      // No inherited flags: `--input-type=module` (node -e) would make the source a module, and
      // loaders or --require hooks of the parent have no business in a compute thread.
      execArgv: [],
      name: `@hw/tensor matmul ${slot + 1}`,
      workerData: { ctrl, messages, slot, wasmBase64: WASM_KERNELS_BASE64, wasmRelaxedBase64: WASM_KERNELS_RELAXED_BASE64, port: port2, throwAtStartForTesting: startFailureForTesting },
      transferList: [port2],
    });
    // The main thread learns of failures through the control block; without a listener an
    // uncaught error of a worker would also be rethrown asynchronously on the main thread.
    worker.on("error", () => undefined);
    worker.unref();
    port1.unref();
    workers.push(worker);
    ports.push(port1);
  }
  return { wt, workers, ports, ctrl, messages, posted: new Array<number>(count).fill(0) };
}

function stopPool(): void {
  if (pool === null) return;
  for (const port of pool.ports) port.close();
  for (const worker of pool.workers) void worker.terminate();
  pool = null;
  arena = null;
}

/**
 * @internal Tests only: in the next parallel product, worker `slot` throws (`"throw"`: it is sent an
 * unknown backend) or ends its thread with `process.exit(3)` (`"exit"`) instead of computing.
 */
export function failWorkerForTesting(slot: number, how: "throw" | "exit"): void {
  failNext = { slot, how };
}
let failNext: { slot: number; how: "throw" | "exit" } | null = null;

/**
 * @internal Benchmarks only: run `fn` with products on one thread while the pool stays up (so that
 * one- and many-thread runs can be interleaved without restarting workers).
 */
export function singleThreadedForBench<T>(fn: () => T): T {
  const saved = threadCount;
  threadCount = 1;
  try {
    return fn();
  } finally {
    threadCount = saved;
  }
}

/** @internal Tests only: workers started from now on throw while starting (until set back to false). */
export function failWorkerStartForTesting(fail: boolean): void {
  startFailureForTesting = fail;
}
let startFailureForTesting = false;

/** @internal Tests only: how many products have been split across threads so far. */
export function parallelProductsForTesting(): number {
  return parallelProducts;
}
let parallelProducts = 0;

/** @internal Benchmarks only: jobs run so far in split products, and how many of them on the main thread. */
export function jobStatsForBench(): { jobs: number; onMainThread: number } {
  return { jobs: jobsTotal, onMainThread: jobsOnMain };
}
let jobsTotal = 0;
let jobsOnMain = 0;

function post(p: Pool, slot: number, task: ThreadTask): void {
  p.ports[slot]!.postMessage(task);
  p.posted[slot]! += 1;
  Atomics.store(p.ctrl, 2 * slot, p.posted[slot]!);
  Atomics.notify(p.ctrl, 2 * slot);
}

/** Wait for worker `slot`'s answer to its last task; an error message, or null when it succeeded. */
function awaitWorker(p: Pool, slot: number): string | null {
  const answer = 2 * slot + 1;
  const expected = p.posted[slot]!;
  for (;;) {
    const v = Atomics.load(p.ctrl, answer);
    if (v === 2 * expected) return null;
    if (v === 2 * expected + FAILED_BIT) {
      const length = new DataView(p.messages).getInt32(slot * MESSAGE_BYTES, true);
      const bytes = new Uint8Array(p.messages, slot * MESSAGE_BYTES + 4, length).slice();
      return `worker thread ${slot + 1} failed: ${new TextDecoder().decode(bytes)}`;
    }
    if (v === EXITED) return `worker thread ${slot + 1} exited during the product`;
    Atomics.wait(p.ctrl, answer, v);
  }
}

/** A float64 view of an arena of at least `doubles` values (grown by ×1.5 steps, kept between calls). */
function arenaView(doubles: number): Float64Array {
  if (arena === null || arena.byteLength < doubles * 8) {
    const previous = arena === null ? 0 : arena.byteLength / 8;
    arena = new SharedArrayBuffer(8 * Math.max(doubles, Math.ceil(previous * 1.5)));
  }
  return new Float64Array(arena);
}

/** Lowest and highest (inclusive) element offsets a strided rows×cols matrix touches from offset 0. */
function extent(rows: number, cols: number, rowStride: number, colStride: number): [number, number] {
  const r = (rows - 1) * rowStride;
  const c = (cols - 1) * colStride;
  return [Math.min(0, r) + Math.min(0, c), Math.max(0, r) + Math.max(0, c)];
}

/** Row boundaries splitting m rows into `parts` blocks (multiples of 4, the micro-tile height). */
function rowBlocks(m: number, parts: number): number[] {
  const bounds = [0];
  for (let p = 1; p < parts; p++) bounds.push(Math.min(m, 4 * Math.round((p * m) / (4 * parts))));
  bounds.push(m);
  return bounds;
}

/**
 * `C_t = A_t · B_t` for a batch of products (the loop of `matmul`): A_t is m×k at `a[aOffsets[t]]`
 * with strides (aRow, aCol), B_t is k×n at `b[bOffsets[t]]` with strides (bRow, bCol), and C_t is
 * the zero-filled row-major m×n block of `c` at t·m·n. Runs on {@link threads} threads when the
 * product is large enough, else through `kernels.gemm` on this thread.
 *
 * @throws Error (message starting with `op`) when a worker thread fails or exits
 */
export function gemmBatch(
  op: string,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffsets: readonly number[],
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOffsets: readonly number[],
  bRow: number,
  bCol: number,
  c: Float64Array,
): void {
  const batch = aOffsets.length;
  const plan = threadCount > 1 ? planParts(m, n, k, batch, aRow, aCol) : null;
  if (plan === null) {
    for (let t = 0; t < batch; t++) kernels.gemm(m, n, k, 1, a, aOffsets[t]!, aRow, aCol, b, bOffsets[t]!, bRow, bCol, c, t * m * n, n, true);
    return;
  }
  // A worker that ended between products (its answer slot says so) is replaced with the pool.
  if (pool !== null && pool.posted.some((_, slot) => Atomics.load(pool!.ctrl, 2 * slot + 1) === EXITED)) stopPool();
  const p = pool ?? (pool = startPool(workerThreads()!, threadCount - 1));
  parallelProducts++;
  const backend = kernelBackend();

  // The arena: A's and B's spans (strides kept), then C.
  const [aLo, aHi] = extent(m, k, aRow, aCol);
  const [bLo, bHi] = extent(k, n, bRow, bCol);
  let aMin = Infinity, aMax = -Infinity, bMin = Infinity, bMax = -Infinity;
  for (let t = 0; t < batch; t++) {
    aMin = Math.min(aMin, aOffsets[t]! + aLo);
    aMax = Math.max(aMax, aOffsets[t]! + aHi);
    bMin = Math.min(bMin, bOffsets[t]! + bLo);
    bMax = Math.max(bMax, bOffsets[t]! + bHi);
  }
  // Layout: the job list, then A's and B's spans (strides kept), then C.
  const jobCount = batch * (plan.length - 1);
  const J0 = 0;
  const A0 = J0 + jobCount * JOB_FIELDS;
  const B0 = A0 + (aMax - aMin + 1);
  const C0 = B0 + (bMax - bMin + 1);
  const size = batch * m * n;
  const mem = arenaView(C0 + size);
  mem.set(a.subarray(aMin, aMax + 1), A0);
  mem.set(b.subarray(bMin, bMax + 1), B0);
  mem.fill(0, C0, C0 + size);
  let j = J0;
  for (let t = 0; t < batch; t++) {
    const aOff = A0 + aOffsets[t]! - aMin;
    const bOff = B0 + bOffsets[t]! - bMin;
    const cOff = C0 + t * m * n;
    for (let q = 0; q + 1 < plan.length; q++) {
      const r0 = plan[q]!;
      const r1 = plan[q + 1]!;
      mem[j++] = r1 - r0;
      mem[j++] = n;
      mem[j++] = k;
      mem[j++] = aOff + r0 * aRow;
      mem[j++] = aRow;
      mem[j++] = aCol;
      mem[j++] = bOff;
      mem[j++] = bRow;
      mem[j++] = bCol;
      mem[j++] = cOff + r0 * n;
      mem[j++] = n;
    }
  }

  // Every thread (this one too) takes the next job from the shared counter until none is left, so a
  // worker that the OS schedules late (the machine is shared) costs at most the job it holds.
  const next = 2 * p.workers.length;
  jobsTotal += jobCount;
  Atomics.store(p.ctrl, next, 0);
  const used = Math.min(jobCount - 1, p.workers.length);
  for (let slot = 0; slot < used; slot++) {
    const task: ThreadTask = { arena: arena!, backend, jobsAt: J0, jobCount, next };
    if (failNext?.slot === slot) {
      post(p, slot, failNext.how === "exit" ? { ...task, exit: true, exitCode: 3 } : { ...task, backend: "fail-for-testing" as ThreadTask["backend"] });
      failNext = null;
    } else {
      post(p, slot, task);
    }
  }
  const errors: string[] = [];
  try {
    for (let job = Atomics.add(p.ctrl, next, 1); job < jobCount; job = Atomics.add(p.ctrl, next, 1)) {
      const q = J0 + job * JOB_FIELDS;
      jobsOnMain++;
      kernels.gemm(mem[q]!, mem[q + 1]!, mem[q + 2]!, 1, mem, mem[q + 3]!, mem[q + 4]!, mem[q + 5]!, mem, mem[q + 6]!, mem[q + 7]!, mem[q + 8]!, mem, mem[q + 9]!, mem[q + 10]!, true);
    }
  } finally {
    // Always collect every worker (they write into the arena) before returning or throwing.
    for (let slot = 0; slot < used; slot++) {
      const error = awaitWorker(p, slot);
      if (error !== null) errors.push(error);
    }
  }
  if (errors.length > 0) {
    if (errors.some((e) => e.includes("exited"))) {
      // A thread is gone: start a fresh pool on the next product.
      stopPool();
    }
    throw new Error(`${op}: ${errors.join("; ")}`);
  }
  c.set(mem.subarray(C0, C0 + size));
}

/**
 * Jobs to aim for per thread: more jobs absorb a late thread better, but each job re-copies and re-packs
 * B (bench/threads.bench.ts: CPU time of 2 threads / 1 thread at n = 256 was 1.13 with 2 jobs per
 * thread, 1.28 with 3).
 */
const JOBS_PER_THREAD = 2;

/**
 * How to cut each matrix of a batch of m×n×k products into jobs — the row boundaries `[0, …, m]`
 * (`[0, m]`: whole matrices) — or null to stay on one thread.
 */
function planParts(m: number, n: number, k: number, batch: number, aRow: number, aCol: number): number[] | null {
  const work = m * n * k;
  if (batch === 0 || work === 0 || work * batch < parallelMinWork) return null;
  // Only the built-in gemm of the active backend is known to the workers.
  const backend = kernelBackend();
  if (backend === "js" ? kernels.gemm !== jsKernels.gemm : kernels.gemm === jsKernels.gemm) return null;
  const target = JOBS_PER_THREAD * threadCount;
  if (batch >= target) return [0, m];
  // Blocks of rows of every matrix, each large enough to take the gemm's packed path, and each
  // on the same side as the whole matrix of the WASM gemm's rule for copying A's span (it falls
  // back to the TypeScript gemm for views too sparse to copy: bitwise the same with plain SIMD,
  // not with relaxed SIMD's fused multiply-adds).
  const wholeDense = denseEnoughToCopy(m, k, aRow, aCol);
  for (let q = Math.ceil(target / batch); q >= 2; q--) {
    const rows = rowBlocks(m, q);
    let ok = n >= 4;
    for (let i = 0; i < q && ok; i++) {
      const r = rows[i + 1]! - rows[i]!;
      ok = r >= MIN_BLOCK_ROWS && r * n * k >= MIN_BLOCK_WORK && denseEnoughToCopy(r, k, aRow, aCol) === wholeDense;
    }
    if (ok) return rows;
  }
  return batch >= 2 ? [0, m] : null;
}
