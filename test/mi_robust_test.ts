/**
 * Estimators on data far from zero, or very large or very small in scale:
 * the same estimate as on the data near zero at unit scale (KSG and mixed
 * KSG standardise each column, the Gaussian MI is invariant to per-column
 * affine maps), never a silent 0 or a "this is a bug".
 */
import { assert } from "./support/assert.ts";
import { estimateMI } from "../lib/mi/estimate.ts";
import { correlatedGaussian } from "../lib/mi/ground_truth.ts";

const task = correlatedGaussian({ dim: 2, rho: 0.8 });
const { x, y } = task.sample(600, { seed: 3 });
const labels = y.map((r) => (r[0] > 0 ? 1 : 0));

const cases: [string, number, number][] = [
  ["offset 1e9", 1e9, 1],
  ["offset 1e12, scale 1e3", 1e12, 1e3],
  ["scale 1e200", 0, 1e200],
  ["scale 1e-13", 0, 1e-13],
  ["scale 1e-200", 0, 1e-200],
  ["offset 1e-150, scale 1e-160", 1e-150, 1e-160],
];
const moved = (v: number[][], offset: number, scale: number) =>
  v.map((r) => r.map((a) => offset + scale * a));

for (const method of ["ksg", "gaussian", "mixed-ksg"] as const) {
  const target = method === "mixed-ksg" ? labels : y;
  const base = (await estimateMI(x, target, { method })).estimate;
  assert(base > 0.2, `${method} sees the dependence at unit scale: ${base}`);
  for (const [name, offset, scale] of cases) {
    Deno.test(`${method} on data with ${name} gives the unit-scale estimate`, async () => {
      const yy = method === "mixed-ksg" ? labels : moved(y, offset, scale);
      const r = await estimateMI(moved(x, offset, scale), yy, { method });
      assert(
        Math.abs(r.estimate - base) < 0.02 * base,
        `${method}, ${name}: ${r.estimate} vs ${base}`,
      );
    });
  }
}
