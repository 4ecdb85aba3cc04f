import { assert, assertEquals } from "./support/assert.ts";
import { benchmarkMatrix, methodApplies } from "../lib/search/matrix.ts";
import { matrixConditions } from "../lib/search/matrix_conditions.ts";
import {
  conditionalMixed,
  levyNd,
  rosenbrockNd,
} from "../lib/search/scalable_functions.ts";

Deno.test("the matrix runs every applicable method and skips the rest", async () => {
  const conditions = await matrixConditions({
    only: ["branin-noisy", "multi-fidelity-branin"],
  });
  const r = await benchmarkMatrix({
    conditions,
    methods: ["random", "hyperband", "local-search"],
    budgets: [10, 5],
    seeds: 2,
  });
  // random on both, hyperband on the multi-fidelity one; local-search nowhere.
  assertEquals(r.rows.length, 3 * 2 * 2);
  assertEquals(r.skipped.length, 3);
  for (const row of r.rows) {
    assert(row.regret !== null && row.regret >= 0, JSON.stringify(row));
  }
  // The incumbent only improves with budget.
  for (const row of r.rows.filter((x) => x.budget === 10)) {
    const at5 = r.rows.find((x) =>
      x.budget === 5 && x.seed === row.seed && x.method === row.method &&
      x.condition === row.condition
    )!;
    assert(row.regret! <= at5.regret!);
  }
  const ranks = r.ranks.filter((x) => x.condition === "multi-fidelity-branin");
  assertEquals(ranks.length, 2);
  assertEquals(ranks.map((x) => x.rank).sort(), [0, 1]);
});

Deno.test("noisy conditions are judged on the noise-free value", async () => {
  const [noisy] = await matrixConditions({ only: ["hartmann6-noisy"] });
  const r = await benchmarkMatrix({
    conditions: [noisy],
    methods: ["random"],
    budgets: [8],
    seeds: 1,
  });
  // The incumbent's true value is a real Hartmann-6 value: ≥ the minimum.
  assert(r.rows[0].best! >= -3.3224);
  assert(methodApplies("gp-wl", noisy) !== true);
});

Deno.test("the larger functions reach their minima only there", () => {
  for (const f of [rosenbrockNd(10), levyNd(20)]) {
    const ones = Object.fromEntries(f.space.names.map((n) => [n, 1]));
    assert(Math.abs(f.evaluate(ones) - f.minimum) < 1e-12);
    const off = Object.fromEntries(f.space.names.map((n) => [n, 0.5]));
    assert(f.evaluate(off) > f.minimum + 1e-3);
  }
  for (let i = 0; i < 200; i++) {
    assert(conditionalMixed.evaluate(conditionalMixed.space.sample(i)) >= 0);
  }
});
