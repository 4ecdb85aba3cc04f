/**
 * GP-EI past GP_CONDITION_MAX finished trials: the posterior conditions on
 * that many rows (the best, the most recent, a stride through the rest), and
 * ask still returns valid, new configurations.
 */
import { assert, assertEquals } from "./support/assert.ts";
import {
  conditioningRows,
  GP_CONDITION_MAX,
  GpEiSearcher,
} from "../lib/search/gp_ei.ts";
import { GaussianProcess } from "../lib/search/gp.ts";
import { features } from "../lib/search/_acquisition.ts";
import { hartmann6 } from "../lib/search/functions.ts";
import { Random } from "../lib/space/random.ts";

Deno.test("conditioningRows: the best, the most recent and an even stride, max rows", () => {
  const r = new Random(1, "gp-cap");
  const n = 1234;
  const y = Array.from({ length: n }, () => r.uniform());
  const rows = conditioningRows(y, GP_CONDITION_MAX);
  assertEquals(rows.length, GP_CONDITION_MAX);
  assert(rows.every((v, i) => i === 0 || v > rows[i - 1]), "ascending");
  const k = Math.floor(0.3 * GP_CONDITION_MAX);
  const best = y.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v)
    .slice(0, k);
  const kept = new Set(rows);
  assert(best.every((b) => kept.has(b.i)), "the best k are kept");
  for (let i = n - k; i < n; i++) assert(kept.has(i), `recent row ${i}`);
  // the stride reaches every tenth of the history
  for (let t = 0; t < 10; t++) {
    const lo = Math.floor((t * n) / 10);
    const hi = Math.floor(((t + 1) * n) / 10);
    const inside = rows.filter((v) => v >= lo && v < hi).length;
    assert(inside >= 10, `tenth ${t} holds ${inside} rows`);
  }
});

Deno.test("GP-EI past GP_CONDITION_MAX trials conditions on that many (the chosen rows) and asks valid configs", () => {
  const space = hartmann6.space;
  const n = GP_CONDITION_MAX + 120;
  const configs = space.sampleMany(n, 5);
  const losses = configs.map((c) => hartmann6.evaluate(c));
  const trials = configs.map((config, trial) => ({
    suggestion: { trial, config, budget: null },
    outcome: { value: losses[trial] },
  }));
  const s = new GpEiSearcher({ space, seed: 0 });
  const start = new GpEiSearcher({ space, seed: 0 }).snapshot();
  assert(s.restore(trials, start));
  const gp = s.model();
  assertEquals(gp.observations, GP_CONDITION_MAX);
  // the same posterior as a GP on exactly the documented rows, and not as
  // one on the first GP_CONDITION_MAX rows
  const kept = conditioningRows(losses, GP_CONDITION_MAX);
  const x = configs.map((c) => features(space, c));
  const on = (rows: number[]) =>
    GaussianProcess.fit(rows.map((i) => x[i]), rows.map((i) => losses[i]), {
      init: gp.hyperparameters,
      iterations: 0,
    });
  const probe = space.sampleMany(20, 9).map((c) => features(space, c));
  const mean = gp.predict(probe).mean;
  assertEquals(on(kept).predict(probe).mean, mean);
  const first = Array.from({ length: GP_CONDITION_MAX }, (_, i) => i);
  assert(on(first).predict(probe).mean.some((m, i) => m !== mean[i]));
  const seen = new Set(configs.map((c) => space.key(c)));
  for (let i = 0; i < 3; i++) {
    const { trial, config } = s.ask();
    assertEquals(trial, n + i);
    space.validate(config);
    assert(!seen.has(space.key(config)), "a new configuration");
    seen.add(space.key(config));
    s.tell(trial, hartmann6.evaluate(config));
  }
  assertEquals(s.model().observations, GP_CONDITION_MAX);
});
