// One standard for every registered search method (the scikit-learn
// estimator-checks idea): each check below runs for each registered name.
import {
  assert,
  assertEquals,
  assertNotEquals,
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
import {
  branin,
  conditionalToy,
  multiFidelityBranin,
} from "../lib/search/functions.ts";
import { hsicGuidedSearch } from "../lib/search/hsic_guided_planner.ts";
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

for (const method of searchMethods()) {
  Deno.test(`${method}: the budget is honoured exactly and the same seed gives the same trials`, async () => {
    const f = (c: Config) => branin.evaluate(c);
    const a = await optimize(f, branin.space, {
      method,
      budget: 23,
      seed: 4,
      ...quiet,
    });
    const b = await optimize(f, branin.space, {
      method,
      budget: 23,
      seed: 4,
      ...quiet,
    });
    const c = await optimize(f, branin.space, {
      method,
      budget: 23,
      seed: 5,
      ...quiet,
    });
    assertEquals(a.height, 23);
    assertEquals(
      a.getColumn("trial").toArray(),
      Array.from({ length: 23 }, (_, i) => i),
    );
    assertEquals(
      configsOf(a, branin.space.names),
      configsOf(b, branin.space.names),
    );
    assertNotEquals(
      configsOf(a, branin.space.names),
      configsOf(c, branin.space.names),
    );
  });

  Deno.test(`${method}: no proposal breaks the space's conditions`, async () => {
    const df = await optimize(
      (c) => conditionalToy.evaluate(c),
      conditionalToy.space,
      {
        method,
        budget: 40,
        seed: 1,
        ...quiet,
      },
    );
    for (const r of df.toRecords()) {
      const config: Config = {};
      for (const n of conditionalToy.space.names) {
        if (r[n] !== null) config[n] = r[n] as Config[string];
      }
      conditionalToy.space.validate(config);
    }
  });

  Deno.test(`${method}: failures are recorded and the search goes on`, async () => {
    const f = (c: Config) => {
      const x1 = c.x1 as number;
      if (x1 > 5) throw new Error("diverged");
      return x1 < -3 ? NaN : branin.evaluate(c);
    };
    const df = await optimize(f, branin.space, {
      method,
      budget: 30,
      seed: 2,
      ...quiet,
    });
    assertEquals(df.height, 30);
    const rows = df.toRecords();
    const failed = rows.filter((r) => r.status === "failed");
    assert(failed.length > 0, "this seed should hit a failing region");
    for (const r of failed) assertEquals(r.loss, null);
    for (const r of rows.filter((r) => r.status === "ok")) {
      assert(typeof r.loss === "number" && Number.isFinite(r.loss));
    }
  });

  Deno.test(`${method}: a search resumed from its store continues where it stopped`, async () => {
    const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
    let calls = 0;
    const f = (c: Config) => (calls++, branin.evaluate(c));
    await optimize(f, branin.space, {
      method,
      budget: 20,
      seed: 3,
      store: path,
      ...quiet,
    });
    // A method that plans by budget must be resumed with the budget it had:
    // the same call again replays everything and evaluates nothing.
    calls = 0;
    const again = await optimize(f, branin.space, {
      method,
      budget: 20,
      seed: 3,
      store: path,
      ...quiet,
    });
    assertEquals(calls, 0);
    const fresh = await optimize((c) => branin.evaluate(c), branin.space, {
      method,
      budget: 20,
      seed: 3,
      ...quiet,
    });
    assertEquals(
      configsOf(again, branin.space.names),
      configsOf(fresh, branin.space.names),
    );
    await assertRejects(
      () =>
        optimize(f, branin.space, {
          method,
          budget: 20,
          seed: 9,
          store: path,
          ...quiet,
        }),
      /proposes something else there/,
    );
    await Deno.remove(path);
  });

  const multiFidelity = SEARCHERS[method]({
    space: branin.space,
    fidelity: multiFidelityBranin.fidelity,
  }).ask().budget !== null;

  if (multiFidelity) {
    // Multi-fidelity methods are judged at equal cost: random search gets 50
    // full-budget evaluations; the method gets the same total budget spent
    // across fidelities, and its best full-budget result counts.
    Deno.test(`${method}: beats random search on multi-fidelity Branin at the cost of 50 full evaluations (10 seeds)`, async () => {
      const { fidelity } = multiFidelityBranin;
      let ours = 0, random = 0;
      for (let seed = 0; seed < 10; seed++) {
        const df = await optimize(
          (c, ctx) => multiFidelityBranin.evaluate(c, ctx.budget!),
          branin.space,
          { method, budget: 400, seed, ...quiet },
        );
        let spent = 0, best = Infinity;
        for (const r of df.toRecords()) {
          spent += r.budget as number;
          if (spent > 50 * fidelity.max) break;
          if (r.budget === fidelity.max) {
            best = Math.min(best, r.loss as number);
          }
        }
        ours += best;
        const rs = await optimize((c) => branin.evaluate(c), branin.space, {
          method: "random",
          budget: 50,
          seed,
          ...quiet,
        });
        random += Math.min(...rs.getColumn("loss").toArray() as number[]);
      }
      assert(
        ours < random,
        `mean best: ${method} ${ours / 10}, random ${random / 10}`,
      );
    });
  } else if (method !== "random") {
    Deno.test(`${method}: beats random search on Branin at 50 evaluations (mean best over 10 seeds)`, async () => {
      let ours = 0, random = 0;
      for (let seed = 0; seed < 10; seed++) {
        const f = (c: Config) => branin.evaluate(c);
        const best = async (m: SearchMethod) =>
          Math.min(
            ...(await optimize(f, branin.space, {
              method: m,
              budget: 50,
              seed,
              ...quiet,
            }))
              .getColumn("loss").toArray() as number[],
          );
        ours += await best(method);
        random += await best("random");
      }
      assert(
        ours < random,
        `mean best: ${method} ${ours / 10}, random ${random / 10}`,
      );
    });
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
