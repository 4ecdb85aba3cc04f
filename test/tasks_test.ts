import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "./support/assert.ts";
import {
  additiveUniform,
  correlatedGaussian,
  multinormalDense,
  multinormalSparse,
  normalCdf,
  staircase,
  studentT,
  transform,
  type TransformKind,
} from "../lib/mi/ground_truth.ts";
import { cholesky, covariance } from "../lib/_math/linalg.ts";
import { digamma, logGamma } from "../lib/_math/special.ts";

Deno.test("special functions match known values", () => {
  assertAlmostEquals(digamma(1), -0.5772156649015329, 1e-12);
  assertAlmostEquals(digamma(0.5), -1.9635100260214235, 1e-12);
  assertAlmostEquals(digamma(10), 2.251752589066721, 1e-12);
  assertAlmostEquals(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  assertAlmostEquals(logGamma(10), Math.log(362880), 1e-10);
  assertAlmostEquals(logGamma(0.1), 2.252712651734206, 1e-11);
  // normalCdf is documented to a relative error below 1.2e-7.
  assertAlmostEquals(normalCdf(0), 0.5, 2e-7);
  assertAlmostEquals(normalCdf(1.959963985), 0.975, 2e-7);
  assertAlmostEquals(normalCdf(-3), 0.0013498980316301, 2e-10);
});

Deno.test("published ground truths: gaussian 5×5 rho 0.5, dense 5×5, 2-pair 5×5", () => {
  assertAlmostEquals(
    correlatedGaussian({ dim: 5, rho: 0.5 }).mutualInformation,
    0.7192,
    1e-4,
  );
  assertAlmostEquals(
    multinormalDense({ dimX: 5, dimY: 5 }).mutualInformation,
    0.5929,
    1e-4,
  );
  assertAlmostEquals(
    multinormalSparse({ dimX: 5, dimY: 5 }).mutualInformation,
    1.0217,
    1e-4,
  );
  const steps = staircase();
  assertEquals(steps.map((t) => Math.round(t.mutualInformation * 1e9) / 1e9), [
    2,
    4,
    6,
    8,
    10,
  ]);
  assertEquals(steps[0].dimX, 20);
});

Deno.test("Gaussian tasks sample the covariance they claim", () => {
  const t = multinormalDense({ dimX: 2, dimY: 3 });
  const { x, y } = t.sample(40_000, { seed: 1 });
  const rows = x.map((xi, i) => [...xi, ...y[i]]);
  const c = covariance({
    rows: rows.length,
    cols: 5,
    data: Float64Array.from(rows.flat()),
  });
  for (let a = 0; a < 5; a++) {
    for (let b = 0; b < 5; b++) {
      assertAlmostEquals(c.data[a * 5 + b], a === b ? 1 : 0.5, 0.03);
    }
  }
  assertEquals(t.sample(3, { seed: 2 }), t.sample(3, { seed: 2 }));
  assertNotEquals(t.sample(3, { seed: 2 }), t.sample(3, { seed: 3 }));
});

/** log density of a centred multivariate t with dispersion L Lᵀ. */
function logT(v: number[], l: Float64Array, nu: number): number {
  const d = v.length;
  const z = new Float64Array(d);
  let q = 0, logdet = 0;
  for (let i = 0; i < d; i++) {
    let s = v[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * z[k];
    z[i] = s / l[i * d + i];
    q += z[i] * z[i];
    logdet += 2 * Math.log(l[i * d + i]);
  }
  return logGamma((nu + d) / 2) - logGamma(nu / 2) -
    (d / 2) * Math.log(nu * Math.PI) - logdet / 2 -
    ((nu + d) / 2) * Math.log1p(q / nu);
}

Deno.test("Student-t closed form agrees with a Monte Carlo of the exact densities", () => {
  for (
    const [dimX, dimY, df, rho] of [[1, 1, 1, 0], [2, 3, 3, 0], [2, 2, 5, 0.6]]
  ) {
    const t = studentT({ dimX, dimY, df, rho });
    const d = dimX + dimY;
    const sigma = new Float64Array(d * d);
    for (let i = 0; i < d; i++) sigma[i * d + i] = 1;
    if (rho !== 0) {
      for (let k = 0; k < Math.min(dimX, dimY); k++) {
        sigma[k * d + dimX + k] = rho;
        sigma[(dimX + k) * d + k] = rho;
      }
    }
    const sub = (idx: number[]) => {
      const m = new Float64Array(idx.length ** 2);
      idx.forEach((a, i) =>
        idx.forEach((b, j) => (m[i * idx.length + j] = sigma[a * d + b]))
      );
      return cholesky({ rows: idx.length, cols: idx.length, data: m }).data;
    };
    const lj = cholesky({ rows: d, cols: d, data: sigma }).data;
    const lx = sub(Array.from({ length: dimX }, (_, i) => i));
    const ly = sub(Array.from({ length: dimY }, (_, i) => dimX + i));
    const n = 100_000;
    const { x, y } = t.sample(n, { seed: 11 });
    let sum = 0, sq = 0;
    for (let i = 0; i < n; i++) {
      const v = logT([...x[i], ...y[i]], lj, df) - logT(x[i], lx, df) -
        logT(y[i], ly, df);
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    const se = Math.sqrt((sq / n - mean * mean) / n);
    assert(
      Math.abs(mean - t.mutualInformation) < 4 * se + 1e-3,
      `${t.name}: Monte Carlo ${mean.toFixed(4)} ± ${
        se.toFixed(4)
      }, closed form ${t.mutualInformation.toFixed(4)}`,
    );
    assert(t.mutualInformation > 0);
  }
});

Deno.test("additive uniform closed form agrees with a Monte Carlo", () => {
  for (const epsilon of [0.1, 0.5, 0.8]) {
    const t = additiveUniform({ epsilon });
    // p(y|x) = 1/(2ε) on its support; p(y) is the trapezoid U(0,1) * U(−ε,ε).
    const py = (y: number) =>
      (Math.min(1, y + epsilon) - Math.max(0, y - epsilon)) / (2 * epsilon);
    const { y } = t.sample(200_000, { seed: 3 });
    let sum = 0;
    for (const [yi] of y) sum += -Math.log(2 * epsilon) - Math.log(py(yi));
    assertAlmostEquals(
      sum / y.length,
      t.mutualInformation,
      0.01,
      `epsilon ${epsilon}`,
    );
  }
  assertThrows(() => additiveUniform({ epsilon: 0 }), /positive/);
});

Deno.test("transforms keep MI, change the samples, and are checked", () => {
  const base = correlatedGaussian({ dim: 2, rho: 0.8 });
  const ref = base.sample(200, { seed: 5 });
  for (const kind of ["normalCdf", "halfCube", "asinh", "spiral"] as const) {
    const t = transform(base, kind);
    assertEquals(t.mutualInformation, base.mutualInformation);
    const s = t.sample(200, { seed: 5 });
    assertNotEquals(s.x, ref.x, kind);
    if (kind === "normalCdf") assert(s.x.flat().every((v) => v > 0 && v < 1));
    if (kind === "spiral") {
      // The spiral keeps each vector's norm.
      s.x.forEach((v, i) =>
        assertAlmostEquals(Math.hypot(...v), Math.hypot(...ref.x[i]), 1e-9)
      );
    }
  }
  assertThrows(
    () => transform(additiveUniform({ epsilon: 0.3 }), "spiral"),
    /dimension >= 2/,
  );
  assertThrows(
    () => transform(base, "cube" as TransformKind),
    /unknown transform "cube"/,
  );
});

Deno.test("bad task parameters are errors", () => {
  assertThrows(
    () => correlatedGaussian({ dim: 0, rho: 0.5 }),
    /dim must be a positive integer/,
  );
  assertThrows(
    () => correlatedGaussian({ dim: 2, rho: 1 }),
    /rho must be in \(-1, 1\)/,
  );
  assertThrows(
    () => multinormalSparse({ dimX: 1, dimY: 5 }),
    /pairs must be an integer in \[1, 1\]/,
  );
  assertThrows(
    () => studentT({ dimX: 1, dimY: 1, df: 0 }),
    /df must be a positive number/,
  );
  assertThrows(
    () => correlatedGaussian({ dim: 2, rho: 0.5 }).sample(0),
    /positive integer n/,
  );
});
