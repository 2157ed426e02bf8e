// A slow, obvious reference of the bidirectional RNN written with plain loops over nested arrays,
// independent of src/ (used as the oracle of property tests and finite differences).

export type Mat = number[][];
export type Vec = number[];

export interface RefParams {
  Wf: Mat;
  Uf: Mat;
  Vf: Mat;
  Wb: Mat;
  Ub: Mat;
  Vb: Mat;
  bf?: Vec;
  bb?: Vec;
  by?: Vec;
}

const matVec = (A: Mat, v: Vec): Vec => A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
const addV = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]!);
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

export interface RefForward {
  hf: Mat;
  hb: Mat;
  y: Mat;
}

export function refForward(p: RefParams, x: Mat, hfInit: Vec, hbInit: Vec, activation: "sigmoid" | "tanh" = "sigmoid"): RefForward {
  const act = (v: Vec): Vec => v.map(activation === "tanh" ? Math.tanh : sig);
  const T = x.length;
  const hf: Mat = [];
  const hb: Mat = new Array<Vec>(T);
  let prev = hfInit;
  for (let t = 0; t < T; t++) {
    let a = addV(matVec(p.Wf, x[t]!), matVec(p.Uf, prev));
    if (p.bf) a = addV(a, p.bf);
    prev = act(a);
    hf.push(prev);
  }
  let next = hbInit;
  for (let t = T - 1; t >= 0; t--) {
    let a = addV(matVec(p.Wb, x[t]!), matVec(p.Ub, next));
    if (p.bb) a = addV(a, p.bb);
    next = act(a);
    hb[t] = next;
  }
  const y = hf.map((h, t) => {
    let out = addV(matVec(p.Vf, h), matVec(p.Vb, hb[t]!));
    if (p.by) out = addV(out, p.by);
    return out;
  });
  return { hf, hb, y };
}

export function refLoss(p: RefParams, x: Mat, z: Mat, hfInit: Vec, hbInit: Vec, activation: "sigmoid" | "tanh" = "sigmoid"): number {
  const { y } = refForward(p, x, hfInit, hbInit, activation);
  let L = 0;
  y.forEach((yt, t) => {
    yt.forEach((v, k) => {
      L += (z[t]![k]! - v) ** 2;
    });
  });
  return L;
}

/** Central finite differences of f with respect to every entry of a (nested) array, in place. */
export function numericGrad(value: Vec | Mat, f: () => number, eps = 1e-6): Vec | Mat {
  const bump = (get: () => number, set: (v: number) => void): number => {
    const v0 = get();
    set(v0 + eps);
    const up = f();
    set(v0 - eps);
    const down = f();
    set(v0);
    return (up - down) / (2 * eps);
  };
  if (value.length > 0 && Array.isArray(value[0])) {
    const M = value as Mat;
    return M.map((row) => row.map((_, j) => bump(() => row[j]!, (v) => (row[j] = v))));
  }
  const v = value as Vec;
  return v.map((_, i) => bump(() => v[i]!, (nv) => (v[i] = nv)));
}
