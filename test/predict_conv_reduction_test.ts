/**
 * The CNN sweep's reduction of conv maps (channel means, then PCA to ≤ 10
 * dimensions), measured against a known answer: synthetic 8×8×40 maps whose
 * channels carry one bit of a 4-class label, so I(T; Y) is known, estimated
 * by mixed-KSG on the reduced maps within a stated tolerance. And the
 * pieces: pooling, PCA and the Jacobi eigen-solver by hand.
 */
import { assert, assertAlmostEquals, assertEquals } from "./support/assert.ts";
import {
  pca,
  poolChannels,
  reduceConvMaps,
  symmetricEigen,
} from "../studies/predictors/conv_reduction.ts";
import { estimateMI } from "../lib/mi/estimate.ts";
import { Random } from "../lib/space/random.ts";

const H = 8, W = 8, C = 40;

/**
 * n samples of a 4-class label y and maps where `signal` channels hold
 * `shift · (y mod 2)` plus N(0, 1) noise at every position; the rest noise.
 */
function maps(n: number, shift: number, signal: number, seed: number) {
  const r = new Random(seed, "conv-reduction");
  const y = Array.from({ length: n }, () => r.integer(0, 4));
  const data = new Float32Array(n * H * W * C);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < H * W; p++) {
      for (let c = 0; c < C; c++) {
        data[(i * H * W + p) * C + c] = r.normal() +
          (c < signal ? shift * (y[i] % 2) : 0);
      }
    }
  }
  return { y, data };
}

/**
 * I(b; m) in nats for a fair bit b and m = shift · b + N(0, sd²), by
 * quadrature: H(b) − E[H(b | m)].
 */
function bitInformation(shift: number, sd: number): number {
  const phi = (v: number, mu: number) =>
    Math.exp(-((v - mu) ** 2) / (2 * sd * sd)) / (sd * Math.sqrt(2 * Math.PI));
  let cond = 0;
  const step = sd / 200;
  for (let v = -10 * sd; v <= shift + 10 * sd; v += step) {
    const p0 = 0.5 * phi(v, 0), p1 = 0.5 * phi(v, shift), p = p0 + p1;
    if (p < 1e-300) continue;
    const h = [p0 / p, p1 / p].reduce(
      (s, q) => (q > 0 ? s - q * Math.log(q) : s),
      0,
    );
    cond += p * h * step;
  }
  return Math.LN2 - cond;
}

// Measured (seeds 1, 5, 9 of the weak case): PCA keeps the bit (1 component:
// 0.31–0.34 nats against 0.337), but mixed-KSG in the 10 reduced dimensions,
// 9 of them noise, reads 0.08–0.11 nats low (3 components: 0.005–0.05 low).
// Hence the tolerances: 0.05 where the bit is clear or absent, 0.15 (and
// never above the truth by more than 0.05) where it is weak.
Deno.test("reduced conv maps keep I(T; Y) within its tolerance of the known answer", async () => {
  const n = 1500;
  const cases = [
    // Five channels carry the bit clearly: I(T; Y) = ln 2 (the other bit of y is invisible).
    { shift: 1.5, signal: 5, truth: Math.LN2, tol: 0.05 },
    // One channel carries it through noise: the channel mean has sd 1/8, d' = 2.
    { shift: 0.25, signal: 1, truth: bitInformation(0.25, 1 / 8), tol: 0.15 },
    // Nothing carries it: I(T; Y) = 0.
    { shift: 0, signal: 0, truth: 0, tol: 0.05 },
  ];
  for (const [k, c] of cases.entries()) {
    const { y, data } = maps(n, c.shift, c.signal, k);
    const reduced = reduceConvMaps(data, n, C);
    assertEquals([reduced.rows, reduced.cols], [n, 10]);
    const x = Array.from(
      { length: n },
      (_, i) => Array.from(reduced.data.subarray(i * 10, i * 10 + 10)),
    );
    const r = await estimateMI(x, y, { method: "mixed-ksg" });
    console.log(
      `case ${k}: mixed-ksg ${r.estimate.toFixed(3)} nats, truth ${
        c.truth.toFixed(3)
      }`,
    );
    assert(
      Math.abs(r.estimate - c.truth) < c.tol && r.estimate < c.truth + 0.05,
      `case ${k}: estimate ${r.estimate.toFixed(3)}, truth ${
        c.truth.toFixed(3)
      }`,
    );
  }
  // The middle case's truth is strictly between 0 and ln 2, so the check can tell.
  const mid = bitInformation(0.25, 1 / 8);
  assert(mid > 0.2 && mid < Math.LN2 - 0.1, `${mid}`);
});

Deno.test("poolChannels averages each channel over positions; pca keeps the top components", () => {
  // 2 rows × 3 positions × 2 channels.
  const p = poolChannels([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60], 2, 2);
  assertEquals(Array.from(p), [2, 20, 5, 50]);
  // Data along (3, 4)/5 plus a small orthogonal wiggle: PC 1 is ±(0.6, 0.8).
  const rows = 50;
  const x = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const t = i - 25, e = 0.01 * ((i % 3) - 1);
    x[2 * i] = 0.6 * t - 0.8 * e;
    x[2 * i + 1] = 0.8 * t + 0.6 * e;
  }
  const r = pca(x, rows, 2, 1);
  const first = Array.from(r.data);
  first.forEach((v, i) =>
    assertAlmostEquals(Math.abs(v), Math.abs(i - 24.5), 0.02)
  );
  assert(r.explained > 0.9999 && r.explained < 1);
});

Deno.test("symmetricEigen: A v = λ v, orthonormal, sorted", () => {
  const r = new Random(2, "eigen");
  const n = 6;
  const b = Array.from({ length: n * n }, () => r.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
    }
  }
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 0; k < n; k++) {
    if (k > 0) assert(values[k] <= values[k - 1]);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k][j];
      assertAlmostEquals(av, values[k] * vectors[k][i], 1e-9);
    }
    for (let l = 0; l < n; l++) {
      const dot = vectors[k].reduce((s, v, i) => s + v * vectors[l][i], 0);
      assertAlmostEquals(dot, k === l ? 1 : 0, 1e-9);
    }
  }
  // The trace is the sum of the eigenvalues.
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  assertAlmostEquals(values.reduce((s, v) => s + v, 0), trace, 1e-9);
});
