// SwitchingSearcher (what `auto` runs when it switches members mid-run): it
// keeps the family's contract, hands every trial to the second member, and
// `auto` records the switch in the trials table's metadata.
import { assert, assertEquals, assertThrows } from "./support/assert.ts";
import {
  registerSearcher,
  type SearcherFactory,
  SEARCHERS,
} from "../lib/search/mod.ts";
import { SwitchingSearcher } from "../lib/search/switching.ts";
import { AUTO_SWITCH_AFTER, chooseMethod } from "../lib/search/auto.ts";
import { optimize, searchMetadata } from "../lib/search/optimize.ts";
import { branin } from "../lib/search/functions.ts";
import { checkSearcher, SEARCHER_CHECKS } from "../lib/testing/mod.ts";

declare module "../lib/search/mod.ts" {
  interface SearcherRegistry {
    "tpe-then-gp": SearcherFactory;
  }
}

// Switches after 12 trials: inside every check's budget (20 to 50).
registerSearcher(
  "tpe-then-gp",
  (s) =>
    new SwitchingSearcher(
      SEARCHERS["tpe-multivariate"](s),
      () => SEARCHERS["gp-ei"](s),
      12,
    ),
);

Deno.test("a switching searcher keeps the family's contract across the switch", async () => {
  assertEquals(
    await checkSearcher("tpe-then-gp"),
    [...SEARCHER_CHECKS],
  );
});

Deno.test("after the switch the second member proposes from every trial so far", () => {
  const settings = { space: branin.space, seed: 2 };
  const run = (
    s: { ask: SwitchingSearcher["ask"]; tell: SwitchingSearcher["tell"] },
    n: number,
  ) => {
    const configs = [];
    for (let i = 0; i < n; i++) {
      const { trial, config } = s.ask();
      s.tell(trial, branin.evaluate(config));
      configs.push(config);
    }
    return configs;
  };
  const switching = new SwitchingSearcher(
    SEARCHERS["tpe-multivariate"](settings),
    () => SEARCHERS["gp-ei"](settings),
    15,
  );
  const tpe = SEARCHERS["tpe-multivariate"](settings);
  const a = run(switching, 18);
  const b = run(tpe, 15);
  // The first 15 are TPE's own; then GP-EI answers.
  assertEquals(a.slice(0, 15), b);
  assertEquals(switching.active, "gp-ei");
  // GP-EI given the same 15 trials by restore proposes the same 16th point.
  const gp = SEARCHERS["gp-ei"](settings);
  const finished = b.map((config, trial) => ({
    suggestion: { trial, config, budget: null },
    outcome: { value: branin.evaluate(config) },
  }));
  assert(gp.restore!(finished, gp.snapshot!()));
  assertEquals(gp.ask().config, a[15]);
  // A member without batch restore cannot take over silently.
  const bad = new SwitchingSearcher(
    SEARCHERS["tpe"](settings),
    () => SEARCHERS["random"](settings),
    2,
  );
  run(bad, 2);
  assertThrows(() => bad.ask(), /cannot take the 2 trials/);
  assertThrows(
    () =>
      new SwitchingSearcher(
        SEARCHERS.tpe(settings),
        () => SEARCHERS.tpe(settings),
        0,
      ),
    /positive whole number/,
  );
});

Deno.test("auto switches on a small numeric space past its switch point, and says so", async () => {
  const budget = AUTO_SWITCH_AFTER + 10;
  const choice = chooseMethod({ space: branin.space, budget });
  assertEquals(choice.then?.method, "gp-ei");
  assertEquals(
    chooseMethod({ space: branin.space, budget: AUTO_SWITCH_AFTER }).then,
    undefined,
  );
  const df = await optimize((c) => branin.evaluate(c), branin.space, {
    method: "auto",
    budget,
    seed: 1,
    progress: "quiet",
  });
  assertEquals(df.height, budget);
  const meta = searchMetadata(df);
  assertEquals(meta["auto.method"], "tpe-multivariate");
  assert(
    meta["auto.switch"].startsWith(
      `gp-ei after ${AUTO_SWITCH_AFTER} trials, because`,
    ),
  );
  assertEquals(meta["switch.to"], "gp-ei");
  assertEquals(meta["switch.at"], String(AUTO_SWITCH_AFTER));
});
