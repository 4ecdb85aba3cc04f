// One standard for every registered search method (the scikit-learn
// estimator-checks idea): each of checkSearcher's checks runs for each
// registered method.
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "./support/assert.ts";
import { optimize } from "../lib/search/optimize.ts";
import { SearchError } from "../lib/search/searcher.ts";
import {
  SEARCHERS,
  type SearchMethod,
  searchMethods,
} from "../lib/search/registry.ts";
import { branin, multiFidelityBranin } from "../lib/search/functions.ts";
import { checkSearcher, type SearcherCheck } from "../lib/testing/mod.ts";
import { hsicGuidedSearch } from "../lib/search/hsic_guided.ts";
import type { Config } from "../lib/space/space.ts";

// Every method gets a fidelity range; single-fidelity methods ignore it.
const quiet = {
  progress: "quiet" as const,
  fidelity: multiFidelityBranin.fidelity,
};
const configsOf = (
  df: { toRecords(): Record<string, unknown>[] },
  names: readonly string[],
) => df.toRecords().map((r) => names.map((n) => r[n] ?? null));

Deno.test("the registry has the methods this project ships", () => {
  for (
    const name of [
      "random",
      "hsic-guided",
      "evolution",
      "hyperband",
      "hyperband-li",
      "successive-halving",
      "successive-halving-li",
      "tpe",
      "tpe-multivariate",
      "rf-smbo",
      "bore",
      "bore-rmi",
      "gp-ei",
      "bohb",
      "local-search",
      "gp-wl",
      "bananas",
      "nasbot",
      "gp-ssk",
      "auto",
    ]
  ) {
    assert(name in SEARCHERS, name);
  }
});

Deno.test("method names are checked by the compiler", () => {
  const ok: SearchMethod[] = ["tpe", "bohb", "hyperband-li"];
  // @ts-expect-error a misspelt method is a type error
  const misspelt: SearchMethod = "tpee";
  assertEquals(ok.length + misspelt.length, 7);
});

// The family's contract lives in lib/testing (what third parties run on
// their own methods); here it runs for every registered method, one test
// per property as before.
for (const method of searchMethods()) {
  const test = (name: string, checks: SearcherCheck[]) =>
    Deno.test(`${method}: ${name}`, async () => {
      assertEquals(await checkSearcher(method, { checks }), checks);
    });
  test(
    "the budget is honoured exactly and the same seed gives the same trials",
    [
      "budget",
      "deterministic",
    ],
  );
  test("no proposal breaks the space's conditions", ["conditions"]);
  test("failures are recorded and the search goes on", ["failures"]);
  test("a search resumed from its store continues where it stopped", [
    "resume",
  ]);
  test("tell refuses a trial told twice or never asked", ["tell"]);
  // Multi-fidelity methods are judged at equal cost (see checkSearcher).
  if (method !== "random") {
    test("beats random search on Branin", ["beats-random"]);
  }
}

Deno.test("a resumed search with a larger budget continues (random)", async () => {
  const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
  let calls = 0;
  const f = (c: Config) => (calls++, branin.evaluate(c));
  await optimize(f, branin.space, {
    budget: 12,
    seed: 3,
    store: path,
    ...quiet,
  });
  calls = 0;
  const resumed = await optimize(f, branin.space, {
    budget: 30,
    seed: 3,
    store: path,
    ...quiet,
  });
  assertEquals(calls, 18);
  const fresh = await optimize((c) => branin.evaluate(c), branin.space, {
    budget: 30,
    seed: 3,
    ...quiet,
  });
  assertEquals(
    configsOf(resumed, branin.space.names),
    configsOf(fresh, branin.space.names),
  );
  await Deno.remove(path);
});

Deno.test("hsic-guided through ask/tell proposes what hsicGuidedSearch evaluates", async () => {
  const f = (c: Config) => branin.evaluate(c);
  const viaOptimize = await optimize(f, branin.space, {
    method: "hsic-guided",
    budget: 60,
    seed: 7,
    ...quiet,
  });
  const direct = await hsicGuidedSearch(branin.space, f, {
    budget: 60,
    seed: 7,
    ...quiet,
  });
  assertEquals(
    configsOf(viaOptimize, branin.space.names),
    configsOf(direct.trials, branin.space.names),
  );
});

Deno.test("misuse gets clear errors", async () => {
  await assertRejects(
    () =>
      optimize((c) => branin.evaluate(c), branin.space, {
        method: "annealing" as SearchMethod,
        budget: 5,
      }),
    /unknown method "annealing"; registered: .*random/,
  );
  await assertRejects(
    () => optimize((c) => branin.evaluate(c), branin.space, { budget: 0 }),
    /budget must be a positive integer/,
  );
  const s = SEARCHERS.random({ space: branin.space });
  const { trial } = s.ask();
  s.tell(trial, 1);
  assertThrows(() => s.tell(trial, 1), SearchError);
  assertThrows(() => s.tell(99, 1), /trial 99 was not asked/);
});
