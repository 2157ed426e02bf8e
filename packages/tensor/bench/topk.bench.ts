/**
 * topk: k = 5 of 250,000 float64 values.
 *
 * hw `topk` (size-k heap, O(n log k)) against a full sort of a copy (`Float64Array#sort`, the
 * obvious alternative) and against TensorFlow.js `tf.topk` (float32) on its `cpu` and `wasm`
 * backends. Targets (issue 3): ≤ 0.5 ms, ≥ 50× faster than sorting.
 * The machine is shared (other processes may load both cores): compare rows of one run.
 *
 * Run: `pnpm --filter @hw/tensor bench` (or `pnpm exec vitest bench --run bench/topk.bench.ts`).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Bench } from "tinybench";
import { bench, describe } from "vitest";
import { Tensor } from "../src/tensor";
import { topk } from "../src/topk";

const N = 250_000;
const K = 5;
const data = new Float64Array(N);
let seed = 0x9e3779b9;
for (let i = 0; i < N; i++) {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  data[i] = seed / 2 ** 32;
}
const x = new Tensor(data, [N]);

const hwTopk = (): number => topk(x, K).values.data[0]!;
const fullSort = (): number => {
  const copy = data.slice();
  copy.sort();
  return copy[N - 1]!;
};

async function tfTopk(backend: "cpu" | "wasm"): Promise<() => number> {
  await tf.setBackend(backend);
  await tf.ready();
  const t = tf.tensor1d(Float32Array.from(data), "float32");
  return () => {
    const { values, indices } = tf.topk(t, K);
    const v = values.dataSync()[0] ?? 0;
    values.dispose();
    indices.dispose();
    return v;
  };
}

interface Row {
  readonly name: string;
  ms: number;
}

async function measure(): Promise<Row[]> {
  const rows: Row[] = [
    { name: "hw topk (heap) float64", ms: NaN },
    { name: "full sort of a copy (Float64Array#sort)", ms: NaN },
    { name: "tfjs-wasm tf.topk float32", ms: NaN },
    { name: "tfjs-cpu tf.topk float32", ms: NaN },
  ];
  const run = async (row: Row, fn: () => number, time: number): Promise<void> => {
    const b = new Bench({ time, iterations: 10, warmupIterations: 5, warmupTime: 50 });
    b.add(row.name, fn);
    await b.run();
    const r = b.tasks[0]!.result;
    if (r.state !== "completed") throw new Error(`${row.name}: ${r.state}`);
    // The median resists the spikes of a shared machine better than the mean.
    row.ms = r.latency.p50;
  };
  await run(rows[0]!, hwTopk, 1000);
  await run(rows[1]!, fullSort, 1000);
  await run(rows[2]!, await tfTopk("wasm"), 1000);
  await run(rows[3]!, await tfTopk("cpu"), 1000);
  return rows;
}

const rows = await measure();
const hw = rows[0]!;
console.log(
  [
    `topk k=${K} of ${N.toLocaleString("en")} values, node ${process.version} (median latency)`,
    "| implementation | ms | hw speed-up |",
    "|---|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.ms.toFixed(3)} | ${(r.ms / hw.ms).toFixed(1)}× |`),
  ].join("\n"),
);

describe("topk k=5 of 250,000 (full comparison printed above)", () => {
  bench("hw topk", () => {
    hwTopk();
  }, { time: 300 });
});
