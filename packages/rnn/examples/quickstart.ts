/**
 * The README's usage example, runnable: test/examples.test.ts checks every `// =>` below.
 *
 * In your own code import from "@hw/rnn"; the examples import the sources so that they are
 * type-checked and run by the package's tests without a build.
 */
import { bptt, checkGradients, forward } from "../src/index";

/** Returns what the README shows, in order. */
export function quickstart() {
  // D = H = K = 1, T = 2: small enough to follow by hand.
  const params = { Wf: [[1]], Uf: [[0.5]], Vf: [[1]], Wb: [[1]], Ub: [[0.5]], Vb: [[-1]] };
  const x = [[1], [-1]];
  const z = [[0], [1]];

  const { y } = forward(params, x);
  const outputs = y.toArray(); // => [[-0.025604430310753434], [0.07755608866794567]]

  const r = bptt(params, x, z, { hfInit: [0], hbInit: [0], terms: true });
  const loss = r.loss; // => 0.8515583564051172
  const gradWf = r.grads.Wf.toArray(); // => [[0.3666151643367138]]
  const totalF = r.dhf.toArray(); // => [[-0.260084279265963], [-1.8448878226641088]]
  const steps = r.terms?.stepsWf.toArray(); // => [[[-0.05113567295219844]], [[0.41775083728891227]]] (they add up to gradWf)

  const ok = checkGradients(params, x, z).ok; // => true (analytic = autodiff = finite differences)
  return { outputs, loss, gradWf, totalF, steps, ok };
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) console.log(quickstart());
