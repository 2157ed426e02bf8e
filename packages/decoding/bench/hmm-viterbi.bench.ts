// HMM Viterbi, S = 500 states, V = 50 symbols, T = 1000 (issue 16), float64: hw's viterbi(hmm, obs)
// (the Markov LM's transposed-matrix kernel plus the emission factor) vs a NumPy implementation of
// the same recursion (δ[:, None] + log A, max/argmax over axis 0, + log B[:, x_t]) run on the same
// model in the same run when python3 with NumPy is available.
// Run: pnpm --filter @hw/decoding bench -- hmm-viterbi
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import { hmm, viterbi } from "../src/index";
import { mulberry32 } from "./synthetic";

const S = 500;
const V = 50;
const T = 1000;
const rand = mulberry32(5);
const stochastic = (rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, () => {
    const w = Array.from({ length: cols }, () => rand() ** 3 + 1e-9);
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / s);
  });
const spec = { start: stochastic(1, S)[0]!, transition: stochastic(S, S), emission: stochastic(S, V) };
const model = hmm({ states: Array.from({ length: S }, (_, i) => `s${i}`), symbols: Array.from({ length: V }, (_, i) => `x${i}`), ...spec });
const obs = Array.from({ length: T }, () => Math.floor(rand() * V));

const times: number[] = [];
let hwLogProb = NaN;
describe(`HMM Viterbi S=${S} V=${V} T=${T}`, () => {
  bench(
    "hw viterbi(hmm, obs)",
    () => {
      const start = performance.now();
      hwLogProb = viterbi(model, obs).logProb;
      times.push(performance.now() - start);
    },
    { time: 2000, iterations: 5 },
  );
});

const NUMPY = `
import json, sys, time
import numpy as np
d = json.load(open(sys.argv[1]))
la = np.log(np.array(d["transition"])); lb = np.log(np.array(d["emission"])); lp = np.log(np.array(d["start"]))
x = d["obs"]
def viterbi():
    delta = lp + lb[:, x[0]]
    back = np.empty((len(x), len(lp)), dtype=np.int32)
    for t in range(1, len(x)):
        s = delta[:, None] + la
        back[t] = s.argmax(axis=0)
        delta = s.max(axis=0) + lb[:, x[t]]
    return delta.max()
ts = []
for _ in range(5):
    t0 = time.perf_counter(); lp_best = viterbi(); ts.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": sorted(ts)[2], "logProb": float(lp_best), "numpy": np.__version__}))
`;

afterAll(() => {
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(`\nHMM Viterbi S=${S}, T=${T}: hw ${median.toFixed(1)} ms (median), ${((median * 1e6) / (T * S * S)).toFixed(2)} ns per cell`);
  const dir = mkdtempSync(join(tmpdir(), "hw-hmm-bench-"));
  try {
    const file = join(dir, "model.json");
    writeFileSync(file, JSON.stringify({ ...spec, obs }));
    const r = spawnSync("python3", ["-c", NUMPY, file], { encoding: "utf8" });
    if (r.status !== 0) {
      console.log(`  NumPy peer not run (python3 with numpy unavailable: ${(r.stderr || String(r.error)).trim().split("\n").pop() ?? ""}); install it with \`sudo apt-get install python3-numpy\` (Debian/Ubuntu) or \`python3 -m pip install numpy\`, then rerun`);
      return;
    }
    const np = JSON.parse(r.stdout) as { ms: number; logProb: number; numpy: string };
    console.log(`  NumPy ${np.numpy}: ${np.ms.toFixed(1)} ms (median of 5) = ${(np.ms / median).toFixed(2)}× hw; best log p(x, z): hw ${hwLogProb}, NumPy ${np.logProb}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
