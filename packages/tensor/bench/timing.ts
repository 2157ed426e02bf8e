// Shared by the matmul and solve benchmarks: deterministic inputs and a load-resistant timer.
import { Bench } from "tinybench";

export interface Timing {
  readonly ms: number;
  readonly best: number;
}

/** n pseudo-random values in [-0.5, 0.5) from a fixed LCG (benchmarks need no statistical quality). */
export function filled(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

/** Median and best latency in ms (the median resists the load of a shared machine). */
export async function time(fn: () => unknown, ms: number, iterations: number): Promise<Timing> {
  const b = new Bench({ time: ms, iterations, warmupIterations: 2, warmupTime: 0 });
  b.add("x", fn);
  await b.run();
  const r = b.tasks[0]!.result;
  if (r.state !== "completed") throw new Error(`benchmark ${r.state}`);
  return { ms: r.latency.p50, best: r.latency.min };
}
