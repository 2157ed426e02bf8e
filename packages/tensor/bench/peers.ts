/**
 * PyTorch and NumPy side by side with hw, in the same run: bench/peers.py runs in one long-lived
 * `python3` process (one thread: `torch.set_num_threads(1)`, OMP/OPENBLAS/MKL_NUM_THREADS=1;
 * float64), and {@link compare} interleaves one timed call of every implementation per round —
 * hw in this process, torch and numpy over a pipe (each timed inside Python, so the pipe is not
 * counted) — and reports medians and spread. Without a `python3` that imports torch and numpy the
 * columns are skipped with a note saying how to install them (Debian: `apt-get install
 * python3-torch python3-numpy`; another interpreter: `HW_BENCH_PYTHON=/path/to/python3`).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("peers.py", import.meta.url));
const ONE_THREAD = { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
export const INSTALL_HINT =
  "PyTorch/NumPy columns skipped: no python3 with torch and numpy found (Debian: `apt-get install python3-torch python3-numpy`, or set HW_BENCH_PYTHON)";

/** A running peers process. */
export interface Peers {
  /** e.g. `torch 1.13.0a0, numpy 1.24.2, 1 thread`. */
  readonly versions: string;
  /** Build the inputs of workload `kind` once under `id`; returns the implementations it has. */
  setup(id: string, kind: string, params: Record<string, unknown>): Promise<string[]>;
  /** Time one call of `impl` ("torch" or "numpy") on workload `id`, in ms. */
  run(id: string, impl: string): Promise<number>;
  drop(id: string): Promise<void>;
  close(): void;
}

function findPython(): string | null {
  const candidates = [process.env.HW_BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => typeof p === "string" && p !== "");
  for (const py of candidates) {
    const r = spawnSync(py, ["-c", "import torch, numpy"], { stdio: "ignore", env: { ...process.env, ...ONE_THREAD } });
    if (r.status === 0) return py;
  }
  return null;
}

/** Start the peers process, or null (after printing {@link INSTALL_HINT}) when python3 with torch and numpy is missing. */
export async function startPeers(): Promise<Peers | null> {
  if (process.env.HW_BENCH_PEERS === "0") return null;
  const py = findPython();
  if (py === null) {
    console.log(INSTALL_HINT);
    return null;
  }
  const child: ChildProcessWithoutNullStreams = spawn(py, [SCRIPT], { env: { ...process.env, ...ONE_THREAD } });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      waiting.push((line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (typeof msg.error === "string") reject(new Error(`peers.py: ${msg.error}`));
        else resolve(msg);
      });
    });
  const request = (msg: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const reply = next();
    child.stdin.write(`${JSON.stringify(msg)}\n`);
    return reply;
  };
  const hello = await next();
  return {
    versions: `torch ${String(hello.torch)}, numpy ${String(hello.numpy)}, ${String(hello.threads)} thread(s)`,
    setup: async (id, kind, params) => (await request({ setup: id, kind, params })).impls as string[],
    run: async (id, impl) => (await request({ run: id, impl })).ms as number,
    drop: async (id) => {
      await request({ drop: id });
    },
    close: () => {
      child.stdin.end();
    },
  };
}

/** One implementation in a comparison: a synchronous JavaScript call, or a peer. */
export type Contender = { readonly name: string; readonly fn: () => unknown } | { readonly name: string; readonly peer: "torch" | "numpy" };

/** Median, min and max (ms) of one contender's interleaved runs. */
export interface Result {
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Run every contender once per round for `rounds` rounds (after three warm-up rounds: V8 runs a
 * WebAssembly function on its baseline tier until it has been called enough to be optimised), in
 * the same order each round, so that a load spike on the shared machine hits them alike; medians win.
 */
export async function compare(peers: Peers | null, id: string, contenders: readonly Contender[], rounds: number): Promise<Result[]> {
  const live = contenders.filter((c) => !("peer" in c) || peers !== null);
  const times = live.map(() => [] as number[]);
  for (let round = -3; round < rounds; round++) {
    for (let i = 0; i < live.length; i++) {
      const c = live[i]!;
      let ms: number;
      if ("peer" in c) {
        ms = await peers!.run(id, c.peer);
      } else {
        const t0 = performance.now();
        c.fn();
        ms = performance.now() - t0;
      }
      if (round >= 0) times[i]!.push(ms);
    }
  }
  return live.map((c, i) => {
    const v = [...times[i]!].sort((a, b) => a - b);
    return { name: c.name, median: v[Math.floor(v.length / 2)]!, min: v[0]!, max: v[v.length - 1]! };
  });
}

/** A Markdown table of results: median, spread (min–max) and each one's time relative to `base`'s. */
export function table(title: string, results: readonly Result[], base: string, extra?: (r: Result) => string, extraHeader?: string): string {
  const b = results.find((r) => r.name === base);
  const lines = [
    title,
    `| implementation | median ms | min–max ms |${extraHeader === undefined ? "" : ` ${extraHeader} |`} time / ${base} |`,
    `|---|---:|---:|${extraHeader === undefined ? "" : "---:|"}---:|`,
  ];
  for (const r of results) {
    const ratio = b === undefined ? "—" : `${(r.median / b.median).toFixed(2)}×`;
    lines.push(`| ${r.name} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)}–${r.max.toFixed(2)} |${extra === undefined ? "" : ` ${extra(r)} |`} ${ratio} |`);
  }
  return lines.join("\n");
}
