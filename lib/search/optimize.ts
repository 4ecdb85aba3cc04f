/**
 * `optimize`: drives any registered search method through its ask/tell life
 * cycle on an objective, records every evaluation in the trials table (and a
 * store), survives failures, and resumes from a store by replaying it.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { SearchSpace } from "../space/space.ts";
import {
  type Objective,
  openStore,
  recordOutcome,
  runTrial,
  storedConfigMismatch,
  trialSeed,
} from "../trials/evaluate.ts";
import {
  type TrialRow,
  trialSchema,
  trialsFrame,
  type TrialStore,
} from "../trials/trials.ts";
import { progress, type ProgressMode } from "../viz/progress.ts";
import { type Fidelity, type Searcher, SearchError } from "./searcher.ts";
import { searcherFactory, type SearchMethod } from "./registry.ts";

/** Options of {@linkcode optimize}. */
export interface OptimizeOptions {
  /** A registered method (see `SearcherRegistry`); default "random". */
  method?: SearchMethod;
  /** The number of evaluations. */
  budget: number;
  /** Seed of the method and of each trial's evaluation; default 0. */
  seed?: number;
  /** Default true; false to maximise. */
  minimize?: boolean;
  /** A store path or open store: appended as trials finish; a rerun resumes. */
  store?: string | TrialStore;
  /** The objective's column; default "loss". */
  objective?: string;
  /**
   * Budgets for multi-fidelity methods (successive halving, Hyperband): the
   * objective receives each trial's `budget` in its context.
   */
  fidelity?: Fidelity;
  progress?: ProgressMode;
}

/**
 * Runs `budget` evaluations of `objective` proposed by `method` and returns
 * the trials table. Throws and non-finite values become "failed" trials that
 * the method is told about; the search goes on. With a store, the trials in
 * it are replayed through the method (asked again, checked to be the same,
 * and told their stored results), so a killed search continues where it
 * stopped with the same proposals it would have made.
 *
 * @example
 * ```ts
 * import { optimize } from "./optimize.ts";
 * import { branin } from "./functions.ts";
 * const df = await optimize((c) => branin.evaluate(c), branin.space, {
 *   method: "random", budget: 20, seed: 1, progress: "quiet",
 * });
 * if (df.height !== 20) throw new Error();
 * ```
 */
export async function optimize(
  objective: Objective,
  space: SearchSpace,
  options: OptimizeOptions,
): Promise<pl.DataFrame> {
  const method = options.method ?? "random";
  const factory = searcherFactory(method);
  const budget = options.budget;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new SearchError(`budget must be a positive integer, got ${budget}`);
  }
  const seed = options.seed ?? 0;
  const minimize = options.minimize ?? true;
  const name = options.objective ?? "loss";
  // Refuses an objective named like a hyperparameter before any work.
  const schema = trialSchema(space, [name]);
  const searcher: Searcher = factory({
    space,
    seed,
    minimize,
    budget,
    fidelity: options.fidelity,
  });
  const store = await openStore(options.store, schema);
  const rows: TrialRow[] = [];
  for (
    const row of (store?.rows() ?? []).sort((a, b) =>
      (a.trial as number) - (b.trial as number)
    )
  ) {
    if (rows.length >= budget) break;
    const s = searcher.ask();
    const same = s.trial === row.trial &&
      (row.budget ?? null) === s.budget &&
      storedConfigMismatch(space, row, s.config) === null;
    if (!same) {
      throw new SearchError(
        `${
          store!.path
        } holds trial ${row.trial}, but ${method} with seed ${seed} proposes something else there; resume with the method and seed that made the store, or use a new store`,
      );
    }
    const v = row[name];
    searcher.tell(s.trial, {
      value: typeof v === "number" ? v : null,
      status: row.status as "ok" | "failed" | "pruned",
    });
    rows.push(row);
  }
  const bar = progress({
    total: budget,
    label: method,
    mode: options.progress ?? "auto",
  });
  bar.update(rows.length);
  while (rows.length < budget) {
    const s = searcher.ask();
    const o = await runTrial(
      objective,
      s.config,
      s.trial,
      trialSeed(seed, s.trial),
      name,
      s.budget,
    );
    rows.push(
      await recordOutcome(o, s.config, s.budget, seed, store, method),
    );
    const value = o.objectives[name];
    searcher.tell(s.trial, {
      value: typeof value === "number" ? value : null,
      status: o.status,
    });
    bar.tick();
  }
  bar.done();
  return trialsFrame(rows, { ...schema, ...(store?.schema ?? {}) });
}
