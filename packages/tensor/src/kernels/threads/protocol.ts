/** The shapes shared by the main thread (../threads.ts) and the worker (./worker.ts). */

/**
 * The answer slot holds `2·task` when task number `task` is done, `2·task + 1` when it threw (its
 * message is then in the worker's region of `messages`), or {@link EXITED}.
 */
export const FAILED_BIT = 1;
/** Answer slot value: the worker thread is ending (process.exit in it, an uncaught error, termination). */
export const EXITED = -2;
/** Numbers per gemm job: m, n, k, aOff, aRow, aCol, bOff, bRow, bCol, cOff, ldc (alpha is 1, C starts at zero). */
export const JOB_FIELDS = 11;
/** Bytes per worker in the shared `messages` block: an Int32 length, then UTF-8 text. */
export const MESSAGE_BYTES = 1024;

export interface WorkerData {
  /** The control block: per worker, a task counter and an answer slot. */
  readonly ctrl: Int32Array;
  /** Error messages, {@link MESSAGE_BYTES} per worker. */
  readonly messages: SharedArrayBuffer;
  /** This worker's index into the control block. */
  readonly slot: number;
  /** The WebAssembly kernels, base64 (what module.generated.ts holds): SIMD and relaxed SIMD. */
  readonly wasmBase64: string;
  readonly wasmRelaxedBase64: string;
  /** Tests only: the worker throws while starting. */
  readonly throwAtStartForTesting?: boolean;
}

export interface ThreadTask {
  /** The float64 arena: the job list and every operand and result the jobs index. */
  readonly arena: SharedArrayBuffer;
  /** Which gemm to run: the one of the main thread's kernel backend. */
  readonly backend: "js" | "wasm-simd" | "wasm-relaxed-simd";
  /** Where the job list starts in the arena: {@link JOB_FIELDS} numbers per job, `C += A·B`. */
  readonly jobsAt: number;
  readonly jobCount: number;
  /** The index in the control block of the shared counter every thread takes its next job from. */
  readonly next: number;
  /** Tests only: end the thread with `process.exit(exitCode)` instead of running. */
  readonly exit?: boolean;
  readonly exitCode?: number;
}
