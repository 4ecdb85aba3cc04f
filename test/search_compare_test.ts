import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import {
  bestCurves,
  compareSearch,
  type RunRow,
} from "../lib/search/compare.ts";
import { bayesOptSteps } from "../lib/search/bayesopt_steps.ts";
import { branin } from "../lib/search/functions.ts";

Deno.test("bestCurves: regret by evaluation, mean ± SE over seeds", () => {
  const rows: RunRow[] = [
    [5, 3, 4],
    [2, 6, 1],
  ].flatMap((vals, seed) =>
    vals.map((value, i) => ({
      method: "m",
      seed,
      evaluation: i + 1,
      budget: null,
      value,
    }))
  );
  const c = bestCurves(rows, { optimum: 1 });
  assertEquals(c.map((p) => p.mean), [2.5, 1.5, 1]);
  assertAlmostEquals(c[0].high - c[0].mean, 1.5, 1e-12); // sd 2.12 / √2
  const max = bestCurves(rows, { minimize: false });
  assertEquals(max.map((p) => p.mean), [3.5, 5.5, 5.5]);
});

Deno.test("bestCurves by cost counts only full-budget results", () => {
  const rows: RunRow[] = [
    { budget: 1, value: 0 },
    { budget: 1, value: 0.5 },
    { budget: 9, value: 3 },
    { budget: 9, value: 2 },
  ].map((r, i) => ({ method: "hb", seed: 0, evaluation: i + 1, ...r }));
  const c = bestCurves(rows, { by: "cost", fullBudget: 9, at: [1, 1.3, 2.3] });
  // Cost after each trial: 1/9, 2/9, 11/9, 20/9.
  assertEquals(c.map((p) => [p.x, p.mean]), [[1.3, 3], [2.3, 2]]);
  assertThrows(() => bestCurves(rows, { by: "cost" }), /fullBudget/);
});

Deno.test("compareSearch runs every method and seed", async () => {
  const rows = await compareSearch((c) => branin.evaluate(c), branin.space, {
    methods: ["random", "evolution"],
    budget: { random: 5, evolution: 7 },
    seeds: 2,
  });
  assertEquals(rows.length, 2 * 5 + 2 * 7);
  await assertRejects(
    () =>
      compareSearch((c) => branin.evaluate(c), branin.space, {
        methods: ["random"],
        budget: 5,
        seeds: 0,
      }),
    /seeds must be a positive integer/,
  );
});

Deno.test("bayesOptSteps: EI is non-negative and the loop homes in on the minimum", () => {
  const steps = bayesOptSteps((x) => (x - 0.3) ** 2, {
    low: 0,
    high: 1,
    steps: 8,
    seed: 1,
  });
  for (const s of steps) {
    assert(
      s.grid.every((g) => g.ei >= 0 && g.low <= g.mean && g.mean <= g.high),
    );
  }
  const last = steps.at(-1)!;
  const best = Math.min(...last.observed.map((o) => o.y));
  assert(best < 1e-3, `best after 8 steps: ${best}`);
  assertThrows(
    () => bayesOptSteps((x) => x, { low: 1, high: 0, steps: 1 }),
    /need low < high/,
  );
});
