/**
 * `checkSearcher`: the search family's contract, run against one registered
 * method (ours or a third party's), as scikit-learn's `check_estimator` does
 * for estimators.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { optimize } from "../search/optimize.ts";
import { searcherFactory, type SearchMethod } from "../search/registry.ts";
import {
  branin,
  conditionalToy,
  multiFidelityBranin,
} from "../search/functions.ts";
import { SearchError } from "../search/searcher.ts";
import type { Config } from "../space/space.ts";
import type { Objective } from "../trials/evaluate.ts";
import { ConformanceError, runCheck } from "./conformance_error.ts";

/**
 * The properties {@linkcode checkSearcher} can check:
 *
 * - `budget`: `optimize` makes exactly `budget` trials, numbered 0, 1, ….
 * - `deterministic`: the same seed gives the same trials, another seed
 *   other trials.
 * - `conditions`: no proposal breaks the space's conditions (a conditional
 *   toy space).
 * - `failures`: trials that throw or return NaN are recorded as failed
 *   (with no value) and the search goes on to its budget.
 * - `resume`: a search rerun on its store evaluates nothing and returns the
 *   same trials as an uninterrupted one; another seed on that store is
 *   refused. Writes a temporary file.
 * - `tell`: telling a trial twice, or one never asked, throws a
 *   `SearchError`.
 * - `beats-random`: better mean best value than random search on Branin
 *   (over seeds; multi-fidelity methods at the same total cost). Not run
 *   unless asked for, since it takes longer and is a claim about quality.
 */
export type SearcherCheck =
  | "budget"
  | "deterministic"
  | "conditions"
  | "failures"
  | "resume"
  | "tell"
  | "beats-random";

/**
 * The checks run by default: every one but `beats-random`.
 *
 * @example
 * ```ts
 * import { SEARCHER_CHECKS } from "./check_searcher.ts";
 * if (SEARCHER_CHECKS.includes("beats-random")) throw new Error();
 * ```
 */
export const SEARCHER_CHECKS: readonly SearcherCheck[] = [
  "budget",
  "deterministic",
  "conditions",
  "failures",
  "resume",
  "tell",
];

/** Options of {@linkcode checkSearcher}. */
export interface CheckSearcherOptions {
  /** The checks to run. Default {@linkcode SEARCHER_CHECKS}. */
  checks?: readonly SearcherCheck[];
  /**
   * Evaluations per run for every check but `beats-random`. Default per
   * check: 23 (budget, deterministic), 40 (conditions), 30 (failures; the
   * failing region must be reached), 20 (resume).
   */
  budget?: number;
  /** `beats-random`: seeds and evaluations (full-budget cost for multi-fidelity methods). Default 10 and 50. */
  beatsRandom?: { seeds?: number; budget?: number };
}

// Every method gets a fidelity range; single-fidelity methods ignore it.
const quiet = {
  progress: "quiet" as const,
  fidelity: multiFidelityBranin.fidelity,
};

const configsOf = (df: pl.DataFrame, names: readonly string[]) =>
  df.toRecords().map((r) => names.map((n) => r[n] ?? null));

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Holds a registered search method to the family's contract (see
 * {@linkcode SearcherCheck} for each property) and returns the checks it
 * passed; the first that fails throws a {@linkcode ConformanceError} naming
 * it and what was expected. With the defaults it takes a few seconds for a
 * fast method.
 *
 * @example
 * ```ts
 * import { checkSearcher } from "./check_searcher.ts";
 * const passed = await checkSearcher("random", { checks: ["budget", "deterministic"] });
 * if (passed.length !== 2) throw new Error();
 * ```
 *
 * @example A third party's method (declared at the top level of a module)
 * ```ts ignore
 * import { checkSearcher } from "@infolens/infolens/testing";
 * import {
 *   RandomSearch,
 *   registerSearcher,
 *   type SearcherFactory,
 * } from "@infolens/infolens/search";
 *
 * declare module "@infolens/infolens/search" {
 *   interface SearcherRegistry {
 *     "checked-example": SearcherFactory;
 *   }
 * }
 * registerSearcher("checked-example", (s) => new RandomSearch(s));
 * await checkSearcher("checked-example", { checks: ["budget", "tell"] });
 * ```
 */
export async function checkSearcher(
  method: SearchMethod,
  options: CheckSearcherOptions = {},
): Promise<SearcherCheck[]> {
  const member = `searcher "${method}"`;
  // A name the compiler could not check fails here, before any check.
  const factory = searcherFactory(method);
  const checks = options.checks ?? SEARCHER_CHECKS;
  const fail = (check: string, message: string): never => {
    throw new ConformanceError(member, check, message);
  };
  const f = (c: Config) => branin.evaluate(c);
  // Runs on Branin shared by the checks of one call.
  const runs = new Map<string, Promise<pl.DataFrame>>();
  const braninRun = (budget: number, seed: number) => {
    const key = `${budget}/${seed}`;
    if (!runs.has(key)) {
      runs.set(
        key,
        optimize(f, branin.space, { method, budget, seed, ...quiet }),
      );
    }
    return runs.get(key)!;
  };
  const names = branin.space.names;

  const bodies: Record<SearcherCheck, () => Promise<void>> = {
    budget: async () => {
      const budget = options.budget ?? 23;
      const df = await braninRun(budget, 4);
      if (df.height !== budget) {
        fail("budget", `expected ${budget} trials, got ${df.height}`);
      }
      const trials = df.getColumn("trial").toArray();
      const expected = Array.from({ length: budget }, (_, i) => i);
      if (!same(trials, expected)) {
        fail(
          "budget",
          `expected trials numbered 0…${budget - 1}, got ${trials.join(", ")}`,
        );
      }
    },
    deterministic: async () => {
      const budget = options.budget ?? 23;
      const a = configsOf(await braninRun(budget, 4), names);
      // A second run with the same seed, not the cached first one.
      const b = configsOf(
        await optimize(f, branin.space, { method, budget, seed: 4, ...quiet }),
        names,
      );
      const c = configsOf(await braninRun(budget, 5), names);
      const i = Array.from(
        { length: Math.max(a.length, b.length) },
        (_, i) => i,
      )
        .find((i) => !same(a[i], b[i]));
      if (i !== undefined) {
        fail(
          "deterministic",
          `expected the same trials for the same seed (4), but trial ${i} was ${
            JSON.stringify(a[i] ?? null)
          } then ${JSON.stringify(b[i] ?? null)}`,
        );
      }
      if (same(a, c)) {
        fail(
          "deterministic",
          `expected other trials for another seed, but seeds 4 and 5 gave the same`,
        );
      }
    },
    conditions: async () => {
      const df = await optimize(
        (c) => conditionalToy.evaluate(c),
        conditionalToy.space,
        { method, budget: options.budget ?? 40, seed: 1, ...quiet },
      );
      for (const r of df.toRecords()) {
        const config: Config = {};
        for (const n of conditionalToy.space.names) {
          if (r[n] !== null) config[n] = r[n] as Config[string];
        }
        try {
          conditionalToy.space.validate(config);
        } catch (e) {
          fail(
            "conditions",
            `expected every proposal to respect the space's conditions, but trial ${r.trial} (${
              JSON.stringify(config)
            }) does not: ${(e as Error).message}`,
          );
        }
      }
    },
    failures: async () => {
      const budget = options.budget ?? 30;
      const failing = (c: Config) => {
        const x1 = c.x1 as number;
        if (x1 > 5) throw new Error("diverged");
        return x1 < -3 ? NaN : branin.evaluate(c);
      };
      const df = await optimize(failing, branin.space, {
        method,
        budget,
        seed: 2,
        ...quiet,
      });
      if (df.height !== budget) {
        fail(
          "failures",
          `expected the search to go on to ${budget} trials, got ${df.height}`,
        );
      }
      const rows = df.toRecords();
      const failed = rows.filter((r) => r.status === "failed");
      if (failed.length === 0) {
        fail(
          "failures",
          `expected some of ${budget} trials (seed 2) in the failing region x1 > 5 or x1 < -3, got none`,
        );
      }
      for (const r of failed) {
        if (r.loss !== null) {
          fail(
            "failures",
            `expected no value for failed trial ${r.trial}, got ${r.loss}`,
          );
        }
      }
      for (const r of rows.filter((r) => r.status === "ok")) {
        if (typeof r.loss !== "number" || !Number.isFinite(r.loss)) {
          fail(
            "failures",
            `expected a finite value for ok trial ${r.trial}, got ${r.loss}`,
          );
        }
      }
    },
    resume: async () => {
      const budget = options.budget ?? 20;
      const path = await Deno.makeTempFile({ suffix: ".trials.jsonl" });
      try {
        let calls = 0;
        const counted: Objective = (c) => (calls++, branin.evaluate(c));
        await optimize(counted, branin.space, {
          method,
          budget,
          seed: 3,
          store: path,
          ...quiet,
        });
        // A method that plans by budget must be resumed with the budget it
        // had: the same call again replays everything and evaluates nothing.
        calls = 0;
        const again = await optimize(counted, branin.space, {
          method,
          budget,
          seed: 3,
          store: path,
          ...quiet,
        });
        if (calls !== 0) {
          fail(
            "resume",
            `expected a rerun on a finished store to evaluate nothing, it evaluated ${calls}`,
          );
        }
        const fresh = await optimize(f, branin.space, {
          method,
          budget,
          seed: 3,
          ...quiet,
        });
        if (!same(configsOf(again, names), configsOf(fresh, names))) {
          fail(
            "resume",
            `expected the resumed trials to equal an uninterrupted run's (seed 3)`,
          );
        }
        let refused = false;
        try {
          await optimize(counted, branin.space, {
            method,
            budget,
            seed: 9,
            store: path,
            ...quiet,
          });
        } catch (e) {
          refused = e instanceof SearchError &&
            /proposes something else there/.test(e.message);
          if (!refused) throw e;
        }
        if (!refused) {
          fail(
            "resume",
            `expected the store of seed 3 to be refused for seed 9 ("proposes something else there"), but it was accepted`,
          );
        }
      } finally {
        await Deno.remove(path);
      }
    },
    tell: () => {
      const s = factory({
        space: branin.space,
        fidelity: multiFidelityBranin.fidelity,
      });
      const { trial } = s.ask();
      s.tell(trial, 1);
      for (
        const [what, t] of [["twice", trial], ["never asked", 99_999]] as const
      ) {
        let threw: unknown = null;
        try {
          s.tell(t, 1);
        } catch (e) {
          threw = e;
        }
        if (!(threw instanceof SearchError)) {
          fail(
            "tell",
            `expected a SearchError for a trial told ${what}, got ${
              threw === null ? "no error" : String(threw)
            }`,
          );
        }
      }
      return Promise.resolve();
    },
    "beats-random": async () => {
      const seeds = options.beatsRandom?.seeds ?? 10;
      const evaluations = options.beatsRandom?.budget ?? 50;
      const { fidelity } = multiFidelityBranin;
      const multiFidelity = factory({ space: branin.space, fidelity }).ask()
        .budget !== null;
      let ours = 0, random = 0;
      for (let seed = 0; seed < seeds; seed++) {
        if (multiFidelity) {
          // Judged at equal cost: random search gets `evaluations`
          // full-budget evaluations; the method the same total budget
          // spent across fidelities, and its best full-budget result counts.
          const df = await optimize(
            (c, ctx) => multiFidelityBranin.evaluate(c, ctx.budget!),
            branin.space,
            { method, budget: 8 * evaluations, seed, ...quiet },
          );
          let spent = 0, best = Infinity;
          for (const r of df.toRecords()) {
            spent += r.budget as number;
            if (spent > evaluations * fidelity.max) break;
            if (r.budget === fidelity.max) {
              best = Math.min(best, r.loss as number);
            }
          }
          ours += best;
        } else {
          const df = await optimize(f, branin.space, {
            method,
            budget: evaluations,
            seed,
            ...quiet,
          });
          ours += Math.min(...df.getColumn("loss").toArray() as number[]);
        }
        const rs = await optimize(f, branin.space, {
          method: "random",
          budget: evaluations,
          seed,
          ...quiet,
        });
        random += Math.min(...rs.getColumn("loss").toArray() as number[]);
      }
      if (!(ours < random)) {
        fail(
          "beats-random",
          `expected a lower mean best value than random search on ${
            multiFidelity ? "multi-fidelity " : ""
          }Branin over ${seeds} seeds at the cost of ${evaluations} full evaluations, got ${
            ours / seeds
          } (random ${random / seeds})`,
        );
      }
    },
  };

  const passed: SearcherCheck[] = [];
  for (const check of checks) {
    const body = bodies[check];
    if (!body) {
      throw new SearchError(
        `unknown check "${check}"; choose from ${
          Object.keys(bodies).join(", ")
        }`,
      );
    }
    await runCheck(member, check, body);
    passed.push(check);
  }
  return passed;
}
