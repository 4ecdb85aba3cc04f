import { assert, assertEquals } from "./support/assert.ts";
import { benchmarkMatrix, methodApplies } from "../lib/search/matrix.ts";
import { matrixConditions } from "../lib/search/matrix_conditions.ts";
import {
  conditionalMixed,
  levyNd,
  rosenbrockNd,
} from "../lib/search/scalable_functions.ts";
import { learningCurve } from "../lib/search/learning_curve.ts";
import { Random } from "../lib/space/random.ts";
import { findNasBench201 } from "../studies/shared_data.ts";

/** Spearman's rank correlation (no ties in continuous draws). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (xs: readonly number[]) => {
    const order = xs.map((v, i) => ({ v, i })).sort((p, q) => p.v - q.v);
    const r = new Array<number>(xs.length);
    order.forEach((e, k) => r[e.i] = k);
    return r;
  };
  const ra = rank(a), rb = rank(b), n = a.length;
  const d2 = ra.reduce((s, v, i) => s + (v - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

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

Deno.test("the learning-curve condition: low budgets informative but biased, regret on the full budget", async () => {
  const [lc] = await matrixConditions({ only: ["learning-curve"] });
  assertEquals(lc.group, "multi-fidelity");
  assertEquals(lc.fidelity, { min: 1, max: 27, eta: 3 });
  const r = new Random(3);
  const configs = learningCurve.space.sampleMany(400, r);
  const at = (b: number) => configs.map((c) => learningCurve.evaluate(c, b));
  const full = at(27);
  // Informative: over the space, budget 1 ranks much as the full budget …
  const low = spearman(at(1), full);
  assert(low > 0.8, `spearman(1, 27) = ${low}`);
  // … but biased: among the 40 best, budget 1's ranking is unrelated to the
  // final one, budget 9's close to it, and budget 1's best is not the best.
  const top = full.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v)
    .slice(0, 40).map((e) => e.i);
  const amongTop = (b: number) =>
    spearman(top.map((i) => at(b)[i]), top.map((i) => full[i]));
  assert(amongTop(1) < 0.5, `among the best, at 1: ${amongTop(1)}`);
  assert(amongTop(9) > 0.8, `among the best, at 9: ${amongTop(9)}`);
  const argmin = (xs: number[]) => xs.indexOf(Math.min(...xs));
  assert(argmin(at(1)) !== argmin(full));
  // The optimum looks worse at budget 1 than a point 0.3 away from it.
  const c = { x1: 0.7, x2: 0.25, x3: 0.55, x4: 0.4 };
  assert(
    lc.evaluate(c, 1, r) as number >
      (lc.evaluate({ ...c, x1: 1 }, 1, r) as number),
  );
  assertEquals(lc.truth!(c), 0);
  assertEquals(lc.optimum, 0);
  // Multi-fidelity methods run on it; the incumbent counts at the full budget.
  const m = await benchmarkMatrix({
    conditions: [lc],
    methods: ["hyperband", "random"],
    budgets: [4, 8],
    seeds: 1,
  });
  assertEquals(m.rows.length, 4);
  for (const row of m.rows) assertEquals(row.regret, row.best);
});

const nb201 = await findNasBench201();
Deno.test({
  name:
    "noisy NAS-Bench-201: observed accuracy is noisy, regret is the noise-free one",
  ignore: nb201 === null,
  fn: async () => {
    const [clean, noisy] = await matrixConditions({
      only: ["nb201-cifar10", "nb201-cifar10-noisy"],
      nasBench201Path: nb201,
    });
    assertEquals(noisy.name, "nb201-cifar10-noisy");
    assertEquals(noisy.group, "noisy");
    assertEquals(noisy.minimize, false);
    assertEquals(noisy.optimum, clean.optimum);
    const c = noisy.space.sample(new Random(1));
    const truth = noisy.truth!(c);
    assertEquals(truth, await clean.evaluate(c, null, new Random(0)));
    const r = new Random(2);
    const draws = Array.from(
      { length: 200 },
      () => (noisy.evaluate(c, null, r) as number) - truth,
    );
    const sd = Math.sqrt(draws.reduce((s, d) => s + d * d, 0) / draws.length);
    assert(sd > 0.8 && sd < 1.2, `noise sd ${sd}`);
    const m = await benchmarkMatrix({
      conditions: [noisy],
      methods: ["random"],
      budgets: [10],
      seeds: 2,
    });
    for (const row of m.rows) {
      assert(row.best! <= clean.optimum!, "a real, noise-free accuracy");
      assertEquals(row.regret, clean.optimum! - row.best!);
    }
  },
});

Deno.test("quick mode: a few conditions, 2 seeds, small budgets; every cell and rank well formed", async () => {
  const conditions = await matrixConditions({
    only: ["branin", "conditional-mixed", "learning-curve", "hartmann6-noisy"],
  });
  assertEquals(conditions.length, 4);
  const methods = ["random", "tpe", "evolution", "hyperband", "auto"] as const;
  const budgets = [4, 8];
  const r = await benchmarkMatrix({ conditions, methods, budgets, seeds: 2 });
  // Hyperband only where there is a fidelity.
  assertEquals(
    r.skipped.map((s) => `${s.condition}/${s.method}`).sort(),
    [
      "branin/hyperband",
      "conditional-mixed/hyperband",
      "hartmann6-noisy/hyperband",
    ],
  );
  const runs = conditions.length * methods.length - r.skipped.length;
  assertEquals(r.rows.length, runs * 2 * budgets.length);
  assertEquals(r.cells.length, runs * budgets.length);
  assertEquals(r.ranks.length, runs);
  for (const c of r.cells) {
    assertEquals(c.n, 2);
    assert(c.se >= 0 && Number.isFinite(c.mean), JSON.stringify(c));
    assert(c.rank >= 0 && c.rank <= 1, JSON.stringify(c));
  }
  // In each condition × budget some method ranks first (0) and, with more
  // than one distinct mean, one ranks last (1).
  for (const cond of conditions) {
    for (const b of budgets) {
      const here = r.cells.filter((c) =>
        c.condition === cond.name && c.budget === b
      );
      assert(here.some((c) => c.rank === 0), `${cond.name} at ${b}`);
      if (new Set(here.map((c) => c.mean)).size === here.length) {
        assert(here.some((c) => c.rank === 1), `${cond.name} at ${b}`);
      }
    }
  }
  for (const x of r.ranks) assert(x.rank >= 0 && x.rank <= 1);
});

Deno.test("auto runs once per budget: at 20 evaluations it is the member it picks for 20, not a prefix of its longer run", async () => {
  // On 10-d Levy auto picks evolution at a budget of 20 and GP-EI above it.
  const conditions = await matrixConditions({ only: ["levy-10d"] });
  const { rows } = await benchmarkMatrix({
    conditions,
    methods: ["auto", "evolution", "gp-ei"],
    budgets: [20, 30],
    seeds: [0],
  });
  const at = (method: string, budget: number) =>
    rows.find((r) => r.method === method && r.budget === budget)!.best;
  assertEquals(at("auto", 20), at("evolution", 20));
  assertEquals(at("auto", 30), at("gp-ei", 30));
  assert(
    at("evolution", 20) !== at("gp-ei", 20),
    "the two members differ at 20, so the test can tell them apart",
  );
});

Deno.test("quick mode, real training: the kept-small MLP conditions run, report the best test error (optimum unknown) and vary over the space", async () => {
  const { mlpMatrixConditions } = await import(
    "../lib/nets/mlp_benchmarks.ts"
  );
  const conditions = mlpMatrixConditions();
  assertEquals(conditions.map((c) => c.name), ["mlp-runge", "mlp-digits"]);
  for (const c of conditions) {
    assertEquals(c.optimum, undefined);
    assert(!c.slow, c.name);
  }
  const r = await benchmarkMatrix({
    conditions,
    methods: ["random", "auto"],
    budgets: [2, 3],
    seeds: 1,
  });
  assertEquals(r.rows.length, 2 * 2 * 2);
  for (const row of r.rows) {
    assertEquals(row.regret, null);
    assert(row.best! >= 0, JSON.stringify(row));
  }
  // Cells summarise the best value itself when there is no regret.
  for (const c of r.cells) {
    const own = r.rows.filter((x) =>
      x.condition === c.condition && x.method === c.method &&
      x.budget === c.budget
    );
    assertEquals(c.mean, own[0].best);
  }
  // The objective is not flat: a few random networks on Runge's function
  // differ in test error by more than a factor of 2. (Training is not
  // bit-reproducible on tfjs's wasm backend, so no equality is asserted.)
  const [runge] = conditions;
  const random = new Random(0);
  const configs = runge.space.sampleMany(6, new Random(4));
  const losses = [];
  for (const c of configs) losses.push(await runge.evaluate(c, null, random));
  assert(
    Math.max(...losses) > 2 * Math.min(...losses),
    `losses ${losses}`,
  );
});
