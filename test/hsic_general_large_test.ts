/**
 * HSIC against a general (continuous) output above MATERIALISE_MAX rows: the
 * fused passes of lib/hsic/general.ts agree with the held-matrix path up to
 * the order of additions (statistic, R2, asymptotic p-value) and give the
 * same permutation counts from the same permutations.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { hsicTable } from "../lib/hsic/indices.ts";
import {
  deltaSource,
  gaussianSource,
  Gram,
  MATERIALISE_MAX,
} from "../lib/hsic/gram.ts";
import { generalColumn, upperRowSums } from "../lib/hsic/general.ts";
import {
  asymptoticPValue,
  hsic,
  PermutedOutput,
} from "../lib/hsic/statistic.ts";
import { sampleStd } from "../lib/hsic/kernels.ts";
import { Random } from "../lib/space/random.ts";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

Deno.test("upperRowSums = a Gram's row sums up to the order of additions", () => {
  const r = new Random(2, "upper-rows");
  const x = Array.from({ length: 300 }, () => r.uniform());
  const held = Gram.gaussian(x, 0.2, Infinity);
  const rows = upperRowSums(gaussianSource(x, 0.2), 300);
  rows.forEach((v, i) => assert(rel(v, held.rows[i]) < 1e-14, `row ${i}`));
  const cats = x.map((v) => String(Math.floor(v * 7)));
  assertEquals(
    upperRowSums(deltaSource(cats), 300),
    Gram.delta(cats, Infinity).rows,
  ); // integer counts: exact
});

Deno.test("generalColumn = held matrices: statistic, HSIC(X, X), p-values, permutation counts (U and V)", () => {
  const n = 200;
  const r = new Random(5, "general-column");
  const x = Array.from({ length: n }, () => r.uniform());
  const y = x.map((v) => Math.sin(5 * v) + 0.3 * r.normal());
  const gx = Gram.gaussian(x, 0.25, Infinity);
  const ly = gaussianSource(y, 0.6);
  const gy = Gram.fromSource(ly, n, Infinity);
  const permuted = new PermutedOutput(gy, y, 40, new Random(1, "p"));
  for (const estimator of ["V", "U"] as const) {
    const xy = hsic(estimator, gx, gy);
    // a threshold in the middle of the permuted statistics: counts can differ
    const res = generalColumn(
      estimator,
      gaussianSource(x, 0.25),
      ly,
      gy,
      permuted.permutations,
      true,
    );
    assert(rel(res.xy, xy) < 1e-12, `${res.xy} vs ${xy}`);
    assert(rel(res.xx, hsic(estimator, gx, gx)) < 1e-12);
    const p = asymptoticPValue(estimator, gx, gy, xy);
    assert(rel(res.pAsymptotic!, p) < 1e-9, `${res.pAsymptotic} vs ${p}`);
    assertEquals(res.exceedances, permuted.exceedances(estimator, gx, xy));
    // an independent column: a count that is neither 0 nor all
    const noise = Array.from({ length: n }, () => r.uniform());
    const gn = Gram.gaussian(noise, 0.25, Infinity);
    const nxy = hsic(estimator, gn, gy);
    const count = permuted.exceedances(estimator, gn, nxy);
    assert(count > 0 && count < 40, `count ${count}`);
    assertEquals(
      generalColumn(
        estimator,
        gaussianSource(noise, 0.25),
        ly,
        gy,
        permuted.permutations,
        false,
      ).exceedances,
      count,
    );
  }
});

Deno.test("hsicTable above MATERIALISE_MAX with a continuous output agrees with held matrices (U and V, a conditional column)", () => {
  const size = MATERIALISE_MAX + 52;
  const r = new Random(8, "general-table");
  const rows = Array.from(
    { length: size },
    () => [r.uniform(), r.uniform(), r.uniform() < 0.02 ? null : r.uniform()],
  );
  const out = rows.map(([a, _, c]) =>
    (a! - 0.3) ** 2 + 0.02 * (c ?? 0.5) + 0.05 * r.normal()
  );
  for (const estimator of ["V", "U"] as const) {
    const table = hsicTable(rows, out, { estimator, permutations: 3, seed: 4 });
    table.rows.forEach((row, j) => {
      const active = rows.flatMap((v, i) => (v[j] === null ? [] : [i]));
      assert(active.length > MATERIALISE_MAX);
      const ys = active.map((i) => out[i]);
      const gy = Gram.gaussian(ys, sampleStd(ys), Infinity);
      const key = active.length === size ? "all" : active.join(",");
      const permuted = new PermutedOutput(
        gy,
        ys,
        3,
        new Random(4, `hsic-permutations:${key.length}:${active.length}`),
      );
      const col = active.map((i) => rows[i][j]!);
      const gx = Gram.gaussian(col, sampleStd(col), Infinity);
      const xy = hsic(estimator, gx, gy);
      assert(rel(row.hsic!, xy) < 1e-10, `hsic ${row.hsic} vs ${xy}`);
      const r2 = xy /
        Math.sqrt(hsic(estimator, gx, gx) * hsic(estimator, gy, gy));
      assert(rel(row.r2!, r2) < 1e-10, `r2 ${row.r2} vs ${r2}`);
      const p = asymptoticPValue(estimator, gx, gy, xy);
      assert(rel(row.pAsymptotic!, p) < 1e-9, `p ${row.pAsymptotic} vs ${p}`);
      assertEquals(
        row.pPermutation,
        permuted.exceedances(estimator, gx, xy) / 4,
      );
    });
    assert(table.rows[0].r2! > table.rows[1].r2!);
  }
});
