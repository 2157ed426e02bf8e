/**
 * Batch-norm moments: mean + variance over axes [0, 2] of a [64, 256, 1024] tensor.
 *
 * hw (float64, and float32 for reference) against TensorFlow.js `tf.moments` (float32 only) on its
 * `cpu` backend and on `@tensorflow/tfjs-backend-wasm`. Throughput is input bytes / time (each side
 * in its own dtype); the ratio column compares times, i.e. elements per second.
 * The machine is shared (other processes may load both cores): compare rows of one run, and
 * expect run-to-run variation.
 * Targets (issue 3): ≥ 3 GB/s for hw float64; ≥ 2.5× tfjs-wasm; ≥ 100× tfjs-cpu.
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/moments.bench.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Bench } from "tinybench";
import { bench, describe } from "vitest";
import { mean, moments, variance } from "../src/reduce";
import { Tensor } from "../src/tensor";

const SHAPE = [64, 256, 1024] as const;
const AXES = [0, 2];
const N = SHAPE[0] * SHAPE[1] * SHAPE[2];

function filled(n: number, f32: boolean): Float64Array | Float32Array {
  const a = f32 ? new Float32Array(n) : new Float64Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

const x64 = new Tensor(filled(N, false), SHAPE);
const x32 = new Tensor(filled(N, true), SHAPE);
const hwMoments = (x: Tensor): number => {
  const m = mean(x, AXES);
  const v = variance(x, AXES);
  return m.data[0]! + v.data[0]!;
};
const hwMomentsFused = (x: Tensor): number => {
  const r = moments(x, AXES);
  return r.mean.data[0]! + r.variance.data[0]!;
};

async function tfMoments(backend: "cpu" | "wasm"): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.tensor3d(x32.data as Float32Array, [...SHAPE], "float32");
  return () => {
    const { mean: m, variance: v } = tf.moments(x, AXES);
    const out = (m.dataSync()[0] ?? 0) + (v.dataSync()[0] ?? 0);
    m.dispose();
    v.dispose();
    return out;
  };
}

interface Row {
  readonly name: string;
  readonly bytes: number;
  ms: number;
}

async function measure(): Promise<Row[]> {
  const rows: Row[] = [
    { name: "hw mean+variance float64", bytes: N * 8, ms: NaN },
    { name: "hw moments float64 (shared mean pass)", bytes: N * 8, ms: NaN },
    { name: "hw mean+variance float32", bytes: N * 4, ms: NaN },
    { name: "tfjs-wasm tf.moments float32", bytes: N * 4, ms: NaN },
    { name: "tfjs-cpu tf.moments float32", bytes: N * 4, ms: NaN },
  ];
  const run = async (row: Row, fn: () => number, time: number, iterations: number): Promise<void> => {
    const b = new Bench({ time, iterations, warmupIterations: 2, warmupTime: 0 });
    b.add(row.name, fn);
    await b.run();
    const r = b.tasks[0]!.result;
    if (r.state !== "completed") throw new Error(`${row.name}: ${r.state}`);
    // The median resists the spikes of a shared machine better than the mean.
    row.ms = r.latency.p50;
  };
  await run(rows[0]!, () => hwMoments(x64), 1500, 10);
  await run(rows[1]!, () => hwMomentsFused(x64), 1500, 10);
  await run(rows[2]!, () => hwMoments(x32), 1500, 10);
  await run(rows[3]!, await tfMoments("wasm"), 1500, 10);
  await run(rows[4]!, await tfMoments("cpu"), 0, 2);
  return rows;
}

function print(rows: Row[]): void {
  const hw = rows[0]!;
  const lines = [
    `moments over axes [0,2] of [${SHAPE.join(",")}] (${N.toLocaleString("en")} elements), node ${process.version} (median latency)`,
    "| implementation | ms | GB/s | hw float64 speed-up |",
    "|---|---:|---:|---:|",
    ...rows.map(
      (r) => `| ${r.name} | ${r.ms.toFixed(2)} | ${(r.bytes / r.ms / 1e6).toFixed(2)} | ${(r.ms / hw.ms).toFixed(2)}× |`,
    ),
  ];
  console.log(lines.join("\n"));
}

const rows = await measure();
print(rows);

describe("moments [64,256,1024] over [0,2] (full comparison printed above)", () => {
  bench("hw mean+variance float64", () => {
    hwMoments(x64);
  }, { time: 300, iterations: 5 });
});
