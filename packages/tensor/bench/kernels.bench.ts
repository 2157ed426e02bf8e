/**
 * The row kernels of `@hw/tensor/kernels` on both backends: rows of 1024 float64 values covering a
 * [64, 256, 1024] tensor (134 MB), each kernel once over all rows, WASM SIMD (copy the row(s) into
 * wasm memory, run f64x2 code, copy out) against the TypeScript loop. This is the measurement that
 * decides which kernels `setKernelBackend("wasm-simd")` installs: the operands live in JavaScript
 * `Float64Array`s, so a memory-bound kernel wins on WASM only when its SIMD time saves more than
 * the copies cost (kernels with a row output pay a copy out as well).
 *
 * Run: `pnpm exec vitest bench --run bench/kernels.bench.ts`.
 */
import { bench, describe } from "vitest";
import { jsKernels, type Kernels } from "../src/kernels";
import { wasmKernelsAll } from "../src/kernels/wasm/index";
import { filled } from "./timing";

const ROWS = 64 * 256;
const L = 1024;
const x = filled(ROWS * L, 1);
const dy = filled(ROWS * L, 2);
const out = new Float64Array(ROWS * L);
const stats = new Float64Array(3 * ROWS);

type RowKernels = Pick<
  Kernels,
  | "rowSum"
  | "rowShiftedMoments"
  | "rowMax"
  | "normalizeAffine"
  | "normalizeAffineBackwardSums"
  | "normalizeAffineBackward"
  | "rowShiftedMomentsRows"
  | "normalizeAffineRows"
  | "normalizeAffineBackwardSumsRows"
  | "normalizeAffineBackwardRows"
>;

// Per-row constants of the block kernels: (mean, scale, shift) and (mean, c1, c2, c0) for every row.
const params3 = Float64Array.from({ length: 3 * ROWS }, (_, i) => [0.1, 1.2, 0.3][i % 3]!);
const params4 = Float64Array.from({ length: 4 * ROWS }, (_, i) => [0.1, 1.1, -0.2, 0.05][i % 4]!);
const means = new Float64Array(ROWS).fill(0.1);

const work: Record<string, (k: RowKernels) => void> = {
  rowSum: (k) => {
    for (let r = 0; r < ROWS; r++) stats[r] = k.rowSum(L, x, 1, r * L);
  },
  rowShiftedMoments: (k) => {
    for (let r = 0; r < ROWS; r++) k.rowShiftedMoments(L, x, 1, r * L, stats, 3 * r);
  },
  rowMax: (k) => {
    for (let r = 0; r < ROWS; r++) stats[r] = k.rowMax(L, x, 1, r * L);
  },
  normalizeAffine: (k) => {
    for (let r = 0; r < ROWS; r++) k.normalizeAffine(L, x, 1, r * L, 0.1, 1.2, 0.3, out, 1, r * L);
  },
  normalizeAffineBackwardSums: (k) => {
    for (let r = 0; r < ROWS; r++) k.normalizeAffineBackwardSums(L, dy, 1, r * L, x, 1, r * L, 0.1, stats, 2 * r);
  },
  normalizeAffineBackward: (k) => {
    for (let r = 0; r < ROWS; r++) k.normalizeAffineBackward(L, dy, 1, r * L, x, 1, r * L, 0.1, 1.1, -0.2, 0.05, out, 1, r * L);
  },
  // The block versions: the same work in one call over all rows (WASM stages 8 rows per module call).
  "rowShiftedMomentsRows (one call)": (k) => {
    k.rowShiftedMomentsRows(ROWS, L, x, 0, stats, 0);
  },
  "normalizeAffineRows (one call)": (k) => {
    k.normalizeAffineRows(ROWS, L, x, 0, params3, 0, out, 0);
  },
  "normalizeAffineBackwardSumsRows (one call)": (k) => {
    k.normalizeAffineBackwardSumsRows(ROWS, L, dy, 0, x, 0, means, 0, stats, 0);
  },
  "normalizeAffineBackwardRows (one call)": (k) => {
    k.normalizeAffineBackwardRows(ROWS, L, dy, 0, x, 0, params4, 0, out, 0);
  },
};

const wasm = wasmKernelsAll();
const impls: [string, RowKernels][] = [["js", jsKernels]];
if (wasm !== null) impls.unshift(["wasm-simd", wasm]);

// Interleaved rounds, median per kernel and backend (the machine may be shared).
const ROUNDS = 7;
const times = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, f] of Object.entries(work)) {
    for (const [backend, k] of impls) {
      const t0 = performance.now();
      f(k);
      const key = `${name}|${backend}`;
      times.set(key, [...(times.get(key) ?? []), performance.now() - t0]);
    }
  }
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const lines = [
  `row kernels over [64,256,1024] float64 (134 MB) in rows of ${L}, median of ${ROUNDS} interleaved rounds, node ${process.version}`,
  "| kernel | wasm-simd ms | js ms | wasm speed-up | spread (max/min, wasm; js) |",
  "|---|---:|---:|---:|---:|",
];
for (const name of Object.keys(work)) {
  const w = times.get(`${name}|wasm-simd`) ?? [NaN];
  const j = times.get(`${name}|js`)!;
  const spread = (v: number[]): string => (Math.max(...v) / Math.min(...v)).toFixed(2);
  lines.push(`| ${name} | ${median(w).toFixed(1)} | ${median(j).toFixed(1)} | ${(median(j) / median(w)).toFixed(2)}× | ${spread(w)}; ${spread(j)} |`);
}
console.log(lines.join("\n"));

// ---- recurrence kernels (helper `steps`): whole chains, the shared matrix copied once per chain ----
{
  const [T, B, H] = [50, 32, 64];
  const U = filled(H * H, 3).map((v) => v * 0.1);
  const h0 = filled(B * H, 4);
  const pre = filled(T * B * H, 5);
  const h = new Float64Array(T * B * H);
  const hs = filled(T * B * H, 8).map((v) => 0.5 + v);
  const dh = new Float64Array(T * B * H);
  const dz = new Float64Array(T * B * H);
  const n = 500;
  const steps = 100;
  const logA = filled(n * n, 6);
  const emissions = filled(steps * n, 7);
  const delta = new Float64Array(n);
  const back = new Uint16Array(steps * n);
  const scratch = new Float64Array(n);
  const gemmWasm = wasm?.gemm ?? jsKernels.gemm;
  const chains: Record<string, Record<string, () => void>> = {
    [`sigmoidRecurrence T=${T} B=${B} H=${H}`]: {
      "wasm-simd": () => {
        h.set(pre);
        (wasm ?? jsKernels).sigmoidRecurrence(T, B, H, U, 0, h0, 0, h, 0, B * H);
      },
      js: () => {
        h.set(pre);
        jsKernels.sigmoidRecurrence(T, B, H, U, 0, h0, 0, h, 0, B * H);
      },
      // What @hw/rnn ran before: the WASM gemm per step (copying U each time), then σ in TypeScript.
      "per-step wasm gemm + js σ": () => {
        h.set(pre);
        const BH = B * H;
        for (let t = 0; t < T; t++) {
          const o = t * BH;
          if (t === 0) gemmWasm(B, H, H, 1, h0, 0, H, 1, U, 0, 1, H, h, o, H);
          else gemmWasm(B, H, H, 1, h, o - BH, H, 1, U, 0, 1, H, h, o, H);
          for (let i = o; i < o + BH; i++) h[i] = jsKernels.sigmoid(h[i]!);
        }
      },
    },
    [`sigmoidRecurrenceBackward T=${T} B=${B} H=${H}`]: {
      "wasm-simd": () => {
        dh.set(pre);
        (wasm ?? jsKernels).sigmoidRecurrenceBackward(T, B, H, U, 0, hs, 0, dh, 0, dz, 0, B * H);
      },
      js: () => {
        dh.set(pre);
        jsKernels.sigmoidRecurrenceBackward(T, B, H, U, 0, hs, 0, dh, 0, dz, 0, B * H);
      },
      // What @hw/rnn ran before: the WASM gemm per step, then σ′ in TypeScript.
      "per-step wasm gemm + js σ′": () => {
        dh.set(pre);
        const BH = B * H;
        for (let t = 0; t < T; t++) {
          const o = t * BH;
          if (t > 0) gemmWasm(B, H, H, 1, dz, o - BH, H, 1, U, 0, H, 1, dh, o, H);
          for (let i = o; i < o + BH; i++) dz[i] = dh[i]! * (hs[i]! * (1 - hs[i]!));
        }
      },
    },
    [`maxPlusRecurrence n=${n} steps=${steps} (+ emissions)`]: {
      "wasm-simd": () => {
        delta.fill(0);
        (wasm ?? jsKernels).maxPlusRecurrence(n, steps, logA, 0, 1, n, delta, 0, emissions, 0, back, 0, null, 0, scratch);
      },
      js: () => {
        delta.fill(0);
        jsKernels.maxPlusRecurrence(n, steps, logA, 0, 1, n, delta, 0, emissions, 0, back, 0, null, 0, scratch);
      },
    },
  };
  const chainTimes = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, variants] of Object.entries(chains)) {
      for (const [variant, f] of Object.entries(variants)) {
        const t0 = performance.now();
        f();
        const key = `${name}|${variant}`;
        chainTimes.set(key, [...(chainTimes.get(key) ?? []), performance.now() - t0]);
      }
    }
  }
  const rows = [
    `recurrence kernels, median of ${ROUNDS} interleaved rounds (WASM times include copying the operands in and out)`,
    "| kernel | variant | ms (median) | min–max | js / this |",
    "|---|---|---:|---:|---:|",
  ];
  for (const [name, variants] of Object.entries(chains)) {
    const js = median(chainTimes.get(`${name}|js`)!);
    for (const variant of Object.keys(variants)) {
      const v = chainTimes.get(`${name}|${variant}`)!;
      rows.push(`| ${name} | ${variant} | ${median(v).toFixed(2)} | ${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)} | ${(js / median(v)).toFixed(2)}× |`);
    }
  }
  console.log(rows.join("\n"));
}

describe("row kernels (full comparison printed above)", () => {
  bench("rowShiftedMoments over 134 MB (active backend)", () => {
    work.rowShiftedMoments!(jsKernels);
  }, { time: 200, iterations: 2 });
});
