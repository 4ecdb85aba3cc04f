/**
 * `optimize`: drives any registered search method (or a searcher built by
 * hand) through its ask/tell life cycle on an objective, with any number of
 * parallel workers, records every evaluation in the trials table (and a
 * store), survives failures, and resumes from a store in one call.
 *
 * @module
 */

import type { DataFrame } from "../_frame.ts";
import type { SearchSpace } from "../space/space.ts";
import type { Objective, ObjectiveRef } from "../trials/objective.ts";
import { runTrials } from "../trials/_runner.ts";
import type { Store } from "../trials/store.ts";
import type { ProgressMode } from "../viz/progress.ts";
import { type Fidelity, type Searcher, SearchError } from "./searcher.ts";
import { searcherFactory, type SearchMethod } from "./registry.ts";

/** Options of {@linkcode optimize}. */
export interface OptimizeOptions {
  /**
   * A registered method (see `SearcherRegistry`), default "random", or a searcher
   * built with its own options (then `seed`, `minimize`, `budget` and
   * `fidelity` are not passed to it; `seed` still seeds each trial).
   */
  method?: SearchMethod | Searcher;
  /** The number of evaluations. */
  budget: number;
  /** Seed of the method and of each trial's evaluation; default 0. */
  seed?: number;
  /** Default true; false to maximise. */
  minimize?: boolean;
  /**
   * A store path, a `postgres://` URL or an open store (see `openStore`):
   * appended as trials finish; a rerun resumes. A PostgreSQL study is shared:
   * every process running this same call on it is one more worker.
   */
  store?: string | Store;
  /**
   * Parallel workers: a number or "auto" (one per core); default 1. More
   * than one needs an objective workers can import ({@linkcode ObjectiveRef})
   * and asks the method ahead of its results.
   */
  workers?: number | "auto";
  /** The objective's column; default "loss". */
  objective?: string;
  /**
   * Budgets for multi-fidelity methods (successive halving, Hyperband): the
   * objective receives each trial's `budget` in its context.
   */
  fidelity?: Fidelity;
  /** Progress display; default "auto". */
  progress?: ProgressMode;
  /** The progress label; default the method's name. */
  label?: string;
}

/**
 * Runs `budget` evaluations of `objective` proposed by `method` and returns
 * the trials table (in trial order). Throws and non-finite values become
 * "failed" trials that the method is told about; the search goes on. With a
 * store, the trials in it are handed to the method first: at once when it
 * can restore them (model-based methods, from the state saved beside the
 * store, fitting once at the next ask), else asked again one by one, checked
 * to be the same, and told their stored results. Either way a killed search
 * continues where it stopped with the proposals it would have made.
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
  objective: Objective | ObjectiveRef,
  space: SearchSpace,
  options: OptimizeOptions,
): Promise<DataFrame> {
  checkArguments(space, options);
  const method = options.method ?? "random";
  const factory = typeof method === "string"
    ? searcherFactory(method)
    : undefined;
  const budget = options.budget;
  if (!Number.isInteger(budget) || budget < 1) {
    throw new SearchError(`budget must be a positive integer, got ${budget}`);
  }
  const seed = options.seed ?? 0;
  const minimize = options.minimize ?? true;
  const fresh = factory
    ? () =>
      factory({ space, seed, minimize, budget, fidelity: options.fidelity })
    : undefined;
  const searcher: Searcher = fresh ? fresh() : method as Searcher;
  const table = await runTrials(searcher, space, objective, {
    budget,
    seed,
    objective: options.objective ?? "loss",
    store: options.store,
    workers: options.workers,
    progress: options.progress,
    label: options.label ?? searcher.name,
    key: { method: searcher.name, seed, minimize },
    fresh,
  });
  METADATA.set(table, { method: searcher.name, ...searcher.metadata?.() });
  return table;
}

// Keyed by the returned table itself: a polars DataFrame has no place for
// metadata, and a table derived from it (filtered, joined) is another run's
// business.
const METADATA = new WeakMap<DataFrame, Readonly<Record<string, string>>>();

/**
 * What the run that returned `table` recorded about itself: `method` (the
 * searcher's name) and whatever the searcher's `metadata()` reports — for
 * `auto`, `auto.method` (the member it ran) and `auto.reason` (why). Empty
 * for a table {@linkcode optimize} did not return (a derived table, one read
 * from a store).
 *
 * @example
 * ```ts
 * import { optimize, searchMetadata } from "./optimize.ts";
 * import { branin } from "./functions.ts";
 * const df = await optimize((c) => branin.evaluate(c), branin.space, {
 *   method: "auto", budget: 8, progress: "quiet",
 * });
 * const meta = searchMetadata(df);
 * if (meta.method !== "auto" || meta["auto.method"] !== "tpe-multivariate") throw new Error();
 * ```
 */
export function searchMetadata(
  table: DataFrame,
): Readonly<Record<string, string>> {
  return METADATA.get(table) ?? {};
}

/** Named errors for the arguments a JavaScript caller can get wrong. */
function checkArguments(space: unknown, options: unknown): void {
  const s = space as Partial<SearchSpace> | null;
  if (
    s === null || typeof s !== "object" || !Array.isArray(s.names) ||
    typeof s.sample !== "function"
  ) {
    throw new SearchError(
      `optimize(objective, space, options): space must be a SearchSpace (new SearchSpace({ lr: float(1e-4, 1e-1) })), got ${
        s === null ? "null" : typeof s
      }`,
    );
  }
  if (options === null || typeof options !== "object") {
    throw new SearchError(
      `optimize(objective, space, options): options are required, at least { budget: <evaluations> }; got ${
        options === null ? "null" : typeof options
      }`,
    );
  }
}
