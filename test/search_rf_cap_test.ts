/**
 * RF-SMBO past its fitMax finished trials: the forest is fitted on that many
 * rows (GP-EI's conditioningRows), below the cap every trial is as before,
 * and ask still returns valid, new configurations.
 */
import { assert, assertEquals, assertNotEquals } from "./support/assert.ts";
import { RF_FIT_MAX, RfSmboSearcher } from "../lib/search/rf_smbo.ts";
import { conditioningRows } from "../lib/search/gp_ei.ts";
import { hartmann6 } from "../lib/search/functions.ts";
import type { Config } from "../lib/space/space.ts";

const space = hartmann6.space;

function filled(n: number) {
  const configs = space.sampleMany(n, 5);
  const losses = configs.map((c) => hartmann6.evaluate(c));
  const trials = configs.map((config, trial) => ({
    suggestion: { trial, config, budget: null },
    outcome: { value: losses[trial] },
  }));
  return { configs, losses, trials };
}

/** `asks` further trials after restoring `n` filled ones. */
function run(n: number, asks: number, fitMax?: number): Config[] {
  const { trials } = filled(n);
  const make = () => new RfSmboSearcher({ space, seed: 0, fitMax });
  const s = make();
  assert(s.restore(trials, make().snapshot()));
  const out: Config[] = [];
  for (let i = 0; i < asks; i++) {
    const { trial, config } = s.ask();
    out.push(config);
    s.tell(trial, hartmann6.evaluate(config));
  }
  return out;
}

Deno.test("RF-SMBO's forest is fitted on conditioningRows past fitMax, on every row up to it", () => {
  const { losses, trials } = filled(130);
  const s = new RfSmboSearcher({ space, seed: 0, fitMax: 100 });
  assert(s.restore(trials, new RfSmboSearcher({ space, seed: 0 }).snapshot()));
  const rows = s.fitRows();
  assertEquals(rows.length, 100);
  assertEquals(rows, conditioningRows(losses, 100));
  const all = new RfSmboSearcher({ space, seed: 0 });
  assert(all.restore(trials, all.snapshot()));
  assertEquals(all.fitRows(), losses.map((_, i) => i));
  assert(RF_FIT_MAX > 130);
});

Deno.test("RF-SMBO below its cap proposes exactly what an uncapped one does; above it, other trials", () => {
  // the sixth ask sees 65 observations: a cap of 65 is reached, not passed
  const key = (c: Config[]) => c.map((x) => space.key(x));
  const uncapped = run(60, 6, Infinity);
  assertEquals(key(run(60, 6)), key(uncapped));
  assertEquals(key(run(60, 6, 65)), key(uncapped));
  assertNotEquals(key(run(60, 6, 40)), key(uncapped));
});

Deno.test("RF-SMBO past fitMax asks valid, new configurations", () => {
  const { configs } = filled(90);
  const seen = new Set(configs.map((c) => space.key(c)));
  for (const config of run(90, 4, 50)) {
    space.validate(config);
    assert(!seen.has(space.key(config)), "a new configuration");
    seen.add(space.key(config));
  }
});
