/**
 * The instances a formula is evaluated on: one family per group of parts (the BiRNN of Q1, the sizes
 * of Q2.1, weight norm for Q3.3, regression for Q4). An instance holds the formula variables as mathjs
 * values (vectors are n×1 columns) and the exact answers computed by the topic packages.
 */
import { countSequences } from "@hw/decoding";
import { dropoutSolution, ridgeSolution } from "@hw/regularization";
import { bptt } from "@hw/rnn";
import { weightNormGrad } from "@hw/normalization";
import { createRng, type Rng, type Tensor } from "@hw/tensor";
import { toNumbers, type Nested } from "../internal/numbers";
import type { Q1Data, Q3Data, Q4Data } from "../variant";
import { toMathValue } from "./sandbox";

/** The instance families. */
export type FamilyId = "q1" | "q2count" | "q3weightnorm" | "q4";

/** One instance: variable values, sizes, steps and the exact answers. */
export interface FormulaInstance {
  readonly family: FamilyId;
  /** The seed it was drawn from, or "variant" for the variant's own data. */
  readonly seed: number | "variant";
  readonly sizes: Readonly<Record<string, number>>;
  /** Number of time steps (0 for families without steps). */
  readonly T: number;
  /** Variables that do not depend on t. */
  readonly scope: ReadonlyMap<string, unknown>;
  /** Variables at step t (1-based), including the ones that do not depend on t. */
  stepScope(t: number): ReadonlyMap<string, unknown>;
  /** The exact answer of part `id` (at step t for per-step parts), nested arrays in the formula's shape (vectors n×1). */
  exact(id: string, t?: number): Nested;
}

/** Per-family facts: variable names, size names, per-step variables. */
export interface FamilySpec {
  readonly variables: readonly string[];
  readonly stepVariables: readonly string[];
  readonly sizeNames: readonly string[];
}

export const FAMILIES: Record<FamilyId, FamilySpec> = {
  q1: {
    variables: ["Wf", "Uf", "Vf", "Wb", "Ub", "Vb"],
    stepVariables: ["x_t", "z_t", "y_t", "hf_t", "hb_t", "hf_prev_t", "hf_next_t", "hb_prev_t", "hb_next_t", "dL_dhf_t", "dL_dhb_t", "dLt_dhf_t", "dLt_dhb_t"],
    sizeNames: ["H", "D", "K", "T"],
  },
  q2count: { variables: ["N", "T"], stepVariables: [], sizeNames: [] },
  q3weightnorm: { variables: ["u", "gamma", "beta", "dL_dw", "I"], stepVariables: [], sizeNames: ["n"] },
  q4: { variables: ["X", "y", "p", "lambda", "Gamma", "I"], stepVariables: [], sizeNames: ["n", "d"] },
};

const col = (v: readonly number[]): number[][] => v.map((x) => [x]);
const rowsOf = (t: Tensor): number[][] => t.toArray() as number[][];
const eye = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

function scopeOf(values: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(values).map(([k, v]) => [k, toMathValue(v)]));
}

/** A Q1 instance from BiRNN data. */
export function q1Instance(data: Q1Data, seed: number | "variant"): FormulaInstance {
  const r = bptt({ Wf: data.Wf, Uf: data.Uf, Vf: data.Vf, Wb: data.Wb, Ub: data.Ub, Vb: data.Vb }, data.x, data.z, { hfInit: data.hfInit, hbInit: data.hbInit });
  const terms = r.terms!;
  const T = data.x.length;
  const H = data.Wf.length;
  const hf = rowsOf(r.hf);
  const hb = rowsOf(r.hb);
  const y = rowsOf(r.y);
  const localF = rowsOf(terms.localF);
  const localB = rowsOf(terms.localB);
  const totalF = rowsOf(terms.totalF);
  const totalB = rowsOf(terms.totalB);
  const jf = terms.jacobianF.toArray() as number[][][];
  const jb = terms.jacobianB.toArray() as number[][][];
  const zeros = new Array<number>(H).fill(0);
  const scope = scopeOf({ Wf: data.Wf, Uf: data.Uf, Vf: data.Vf, Wb: data.Wb, Ub: data.Ub, Vb: data.Vb });
  const stepScopes = new Map<number, Map<string, unknown>>();
  return {
    family: "q1",
    seed,
    sizes: { H, D: data.Wf[0]!.length, K: data.Vf.length, T },
    T,
    scope,
    stepScope(t) {
      let s = stepScopes.get(t);
      if (s === undefined) {
        const i = t - 1;
        s = new Map([
          ...scope,
          ...scopeOf({
            x_t: col(data.x[i]!),
            z_t: col(data.z[i]!),
            y_t: col(y[i]!),
            hf_t: col(hf[i]!),
            hb_t: col(hb[i]!),
            hf_prev_t: col(t === 1 ? data.hfInit : hf[i - 1]!),
            hf_next_t: col(t === T ? zeros : hf[i + 1]!),
            hb_prev_t: col(t === 1 ? zeros : hb[i - 1]!),
            hb_next_t: col(t === T ? data.hbInit : hb[i + 1]!),
            dL_dhf_t: col(totalF[i]!),
            dL_dhb_t: col(totalB[i]!),
            dLt_dhf_t: col(localF[i]!),
            dLt_dhb_t: col(localB[i]!),
          }),
        ]);
        stepScopes.set(t, s);
      }
      return s;
    },
    exact(id, t = 0) {
      switch (id) {
        case "1.2.dLt_dhf":
          return col(localF[t - 1]!);
        case "1.2.dLt_dhb":
          return col(localB[t - 1]!);
        case "1.2.jac_f":
          return jf[t]!;
        case "1.2.jac_b":
          return jb[t - 2]!;
        case "1.3.dL_dWf":
          return rowsOf(r.grads.Wf);
        case "1.3.dL_dUb":
          return rowsOf(r.grads.Ub);
        default:
          throw new RangeError(`q1Instance: no part ${id}`);
      }
    },
  };
}

export function q2CountInstance(N: number, T: number, seed: number | "variant"): FormulaInstance {
  const scope = scopeOf({ N, T });
  return { family: "q2count", seed, sizes: {}, T: 0, scope, stepScope: () => scope, exact: () => Number(countSequences(N, T)) };
}

export function q3WeightNormInstance(data: Pick<Q3Data, "u" | "gamma" | "gradW">, seed: number | "variant", beta = 0.5): FormulaInstance {
  const g = weightNormGrad(data.u, data.gamma, data.gradW);
  const n = data.u.length;
  const scope = scopeOf({ u: col(data.u), gamma: data.gamma, beta, dL_dw: col(data.gradW), I: eye(n) });
  return {
    family: "q3weightnorm",
    seed,
    sizes: { n },
    T: 0,
    scope,
    stepScope: () => scope,
    exact: (id) => (id === "3.3.s" ? toNumbers(g.s)[0]! : col(toNumbers(g.gradU))),
  };
}

export function q4Instance(data: Pick<Q4Data, "X" | "y" | "p" | "lambda">, seed: number | "variant"): FormulaInstance {
  const drop = dropoutSolution(data.X, data.y, data.p);
  const ridge = ridgeSolution(data.X, data.y, data.lambda);
  const gamma2 = toNumbers(drop.gamma2);
  const d = gamma2.length;
  const scope = scopeOf({
    X: data.X,
    y: col(data.y),
    p: data.p,
    lambda: data.lambda,
    Gamma: eye(d).map((r, i) => r.map((v) => v * Math.sqrt(gamma2[i]!))),
    I: eye(d),
  });
  return {
    family: "q4",
    seed,
    sizes: { n: data.X.length, d },
    T: 0,
    scope,
    stepScope: () => scope,
    exact(id) {
      if (id === "4.2.lambda_dropout") return drop.lambda;
      if (id === "4.2.p_w_dropout") return col(toNumbers(drop.pw));
      return col(toNumbers(ridge.w));
    },
  };
}

function normals(rng: Rng, rows: number, cols: number, scale: number): number[][] {
  return rng.normal([rows, cols], { std: scale }).toArray() as number[][];
}

function randomQ1(seed: number, sizes: { T: number; D: number; H: number; K: number }): FormulaInstance {
  const rng = createRng(seed);
  const { T, D, H, K } = sizes;
  const m = (r: number, c: number, s = 0.6) => normals(rng, r, c, s);
  return q1Instance(
    { Wf: m(H, D), Uf: m(H, H), Vf: m(K, H), Wb: m(H, D), Ub: m(H, H), Vb: m(K, H), hfInit: m(1, H, 0.3)[0]!, hbInit: m(1, H, 0.3)[0]!, x: m(T, D, 1), z: m(T, K, 1) },
    seed,
  );
}

const pickSize = (rng: Rng, low: number, high: number): number => low + Math.floor(rng.nextFloat64() * (high - low + 1));

/** How the instances are chosen: the first has every size 1 (or 2 steps), the rest random sizes 1…4 from seeds 1, 2, …. */
export const INSTANCE_COUNT = 10;

function make(family: FamilyId, seed: number, kind: "smallest" | "random" | "square" | "probe"): FormulaInstance {
  const rng = createRng(1000 + seed);
  switch (family) {
    case "q1": {
      const sizes =
        kind === "smallest"
          ? { T: 2, D: 1, H: 1, K: 1 }
          : kind === "square"
            ? { T: 3, D: 3, H: 3, K: 3 }
            : kind === "probe"
              ? { T: 3, D: 2, H: 3, K: 4 }
              : { T: pickSize(rng, 2, 4), D: pickSize(rng, 1, 4), H: pickSize(rng, 1, 4), K: pickSize(rng, 1, 4) };
      return randomQ1(seed, sizes);
    }
    case "q2count":
      return kind === "smallest" ? q2CountInstance(1, 1, seed) : q2CountInstance(pickSize(rng, 2, 9), pickSize(rng, 1, 6), seed);
    case "q3weightnorm": {
      const n = kind === "smallest" ? 1 : kind === "probe" || kind === "square" ? 3 : pickSize(rng, 1, 5);
      const v = () => toNumbers(rng.normal([n]));
      return q3WeightNormInstance({ u: v(), gamma: 0.5 + rng.nextFloat64() * 2, gradW: v() }, seed, rng.nextFloat64());
    }
    case "q4": {
      const [n, d] = kind === "smallest" ? [1, 1] : kind === "probe" ? [5, 3] : kind === "square" ? [3, 3] : [pickSize(rng, 1, 6), pickSize(rng, 1, 4)];
      const scales = Array.from({ length: d }, () => 0.3 + 3 * rng.nextFloat64());
      const X = (rng.normal([n, d]).toArray() as number[][]).map((r) => r.map((v, j) => v * scales[j]!));
      return q4Instance({ X, y: toNumbers(rng.normal([n])), p: 0.2 + 0.75 * rng.nextFloat64(), lambda: 0.1 + 3 * rng.nextFloat64() }, seed);
    }
  }
}

const cache = new Map<string, FormulaInstance[]>();

function cached(key: string, build: () => FormulaInstance[]): FormulaInstance[] {
  let v = cache.get(key);
  if (v === undefined) {
    v = build();
    cache.set(key, v);
  }
  return v;
}

/** The test instances of a family: the smallest sizes first, then random sizes, seeds 1 … {@link INSTANCE_COUNT}. */
export function testInstances(family: FamilyId): FormulaInstance[] {
  return cached(`${family}:test`, () => Array.from({ length: INSTANCE_COUNT }, (_, k) => make(family, k + 1, k === 0 ? "smallest" : "random")));
}

/** An instance whose sizes all differ (to name the sizes of a wrong shape). */
export function probeInstance(family: FamilyId): FormulaInstance {
  return cached(`${family}:probe`, () => [make(family, 101, "probe")])[0]!;
}

/** Instances where every size is equal (so that a transposed or mismatched product still evaluates, for diagnosis). */
export function squareInstances(family: FamilyId): FormulaInstance[] {
  return cached(`${family}:square`, () => [make(family, 201, "square"), make(family, 202, "square")]);
}
