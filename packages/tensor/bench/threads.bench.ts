/**
 * `setThreads(2)` against one thread, and PyTorch `torch.mm` with `torch.set_num_threads(1)` and
 * `(2)`, for n×n @ n×n float64 with n = 256, 512, 1024 — interleaved in one run (one call of each
 * per round, the same order every round; medians and min–max over the rounds). hw runs on the
 * active kernel backend; its one-thread rows keep the worker pool up (only the dispatch is off),
 * so no round pays a worker start. hw rows also give the CPU time of the process per call (every
 * thread): on a loaded machine the wall time says little about threads, while CPU(2 threads) /
 * CPU(1 thread) is the overhead of splitting, so 2 / that ratio is the speed-up with a free core. The machine has 2 cores shared with other jobs: compare rows of
 * one run, and run it when the load is low (`uptime`).
 *
 * Run: `pnpm exec vitest bench --run bench/threads.bench.ts` (from packages/tensor).
 */
import { bench, describe } from "vitest";
import { kernelBackend, setThreads } from "../src/kernels";
import { jobStatsForBench, PARALLEL_MIN_WORK, setParallelMinWorkForBench, singleThreadedForBench } from "../src/kernels/threads";
import { matmul } from "../src/matmul";
import { Tensor } from "../src/tensor";
import { startPeers } from "./peers";
import { filled } from "./timing";

const SIZES = [256, 512, 1024] as const;
const ROUNDS: Record<number, number> = { 256: 21, 512: 11, 1024: 5 };

interface Contender {
  readonly name: string;
  readonly run: () => Promise<number>;
  /** CPU ms of this process (all its threads) per call, for hw. */
  readonly cpu?: number[];
}

/** Wall ms of one call; pushes the process's CPU ms (every thread) of the call to `cpu`. */
function timed(fn: () => unknown, cpu: number[] = []): () => Promise<number> {
  return () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    return Promise.resolve(ms);
  };
}

const median = (v: readonly number[]): number => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;

const peers = await startPeers();
setThreads(2);
const out: string[] = [
  `matmul with setThreads(2), node ${process.version}, ${kernelBackend()} kernels, ${peers?.versions.replace(/, 1 thread\(s\)$/, "") ?? "no python peers"}`,
  "| n | implementation | median ms | min–max ms | CPU ms (all threads, median) | GFLOP/s (median) | time / hw 1 thread |",
  "|---:|---|---:|---:|---:|---:|---:|",
];

for (const n of SIZES) {
  const a = new Tensor(filled(n * n, 1 + n), [n, n]);
  const b = new Tensor(filled(n * n, 2 + n), [n, n]);
  const cpu1: number[] = [];
  const cpu2: number[] = [];
  const contenders: Contender[] = [
    { name: "hw matmul, 1 thread", run: timed(() => singleThreadedForBench(() => matmul(a, b)), cpu1), cpu: cpu1 },
    { name: "hw matmul, setThreads(2)", run: timed(() => matmul(a, b), cpu2), cpu: cpu2 },
  ];
  if (peers !== null) {
    for (const t of [1, 2]) {
      const id = `mm${n}t${t}`;
      await peers.setup(id, "matmulThreads", { n, threads: t });
      contenders.push({ name: `PyTorch torch.mm, ${t} thread${t === 1 ? "" : "s"}`, run: () => peers.run(id, "torch") });
    }
  }
  const times = contenders.map(() => [] as number[]);
  const jobs0 = jobStatsForBench();
  for (let round = -2; round < ROUNDS[n]!; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const ms = await contenders[i]!.run();
      if (round >= 0) times[i]!.push(ms);
    }
  }
  const jobs1 = jobStatsForBench();
  const medians = times.map(median);
  const workerShare = (jobs1.jobs - jobs0.jobs - (jobs1.onMainThread - jobs0.onMainThread)) / (jobs1.jobs - jobs0.jobs);
  contenders.forEach((c, i) => {
    const v = times[i]!;
    // The warm-up rounds pushed CPU times too: keep the timed rounds only.
    const cpu = c.cpu === undefined ? "—" : median(c.cpu.slice(-v.length)).toFixed(2);
    out.push(
      `| ${n} | ${c.name}${c.name.endsWith("setThreads(2)") ? ` (worker ran ${(100 * workerShare).toFixed(0)}% of the jobs)` : ""} | ${medians[i]!.toFixed(2)} | ${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)} | ${cpu} | ${((2 * n ** 3) / medians[i]! / 1e6).toFixed(2)} | ${(medians[i]! / medians[0]!).toFixed(2)}× |`,
    );
  });
}
peers?.close();

// Where threads start to pay: small products with the threshold lifted (hw only).
setParallelMinWorkForBench(0);
out.push(
  "",
  `matmul n×n, 1 thread vs setThreads(2) below and around the threshold (${Math.round(Math.cbrt(PARALLEL_MIN_WORK))}³ multiply-adds), medians of 41 interleaved rounds`,
  "| n | 1 thread ms | setThreads(2) ms | 2 threads / 1 | CPU ms 1 thread | CPU ms 2 threads | CPU 2 / 1 |",
  "|---:|---:|---:|---:|---:|---:|---:|",
);
for (const n of [64, 96, 128, 192, 256]) {
  const a = new Tensor(filled(n * n, 1 + n), [n, n]);
  const b = new Tensor(filled(n * n, 2 + n), [n, n]);
  const cpu1: number[] = [];
  const cpu2: number[] = [];
  const one = timed(() => singleThreadedForBench(() => matmul(a, b)), cpu1);
  const two = timed(() => matmul(a, b), cpu2);
  const t1: number[] = [];
  const t2: number[] = [];
  for (let round = -5; round < 41; round++) {
    const x = await one();
    const y = await two();
    if (round >= 0) {
      t1.push(x);
      t2.push(y);
    }
  }
  const m1 = median(t1);
  const m2 = median(t2);
  const c1 = median(cpu1.slice(-t1.length));
  const c2 = median(cpu2.slice(-t2.length));
  out.push(`| ${n} | ${m1.toFixed(3)} | ${m2.toFixed(3)} | ${(m2 / m1).toFixed(2)}× | ${c1.toFixed(3)} | ${c2.toFixed(3)} | ${(c2 / c1).toFixed(2)}× |`);
}
setParallelMinWorkForBench(PARALLEL_MIN_WORK);
setThreads(1);
console.log(out.join("\n"));

describe("matmul with setThreads(2) (table printed above)", () => {
  bench("noop", () => undefined, { iterations: 1, time: 0 });
});
